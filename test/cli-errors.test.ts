/**
 * The CLI never prints a stack trace: an error no command anticipated ends as one line on stderr
 * and exit 70, whether it is thrown inside a command or outside its control (an 'error' event of
 * stdout, which Node otherwise reports with a trace).
 */
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_UNEXPECTED, main } from '../cli/main.js';
import { spawnCli } from '../cli/test-support/child.js';
import { captureIO } from '../cli/test-support/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-errors-'));
writeFileSync(join(dir, 'crossdomain.xml'), '<cross-domain-policy>\n  <allow-access-from domain="*"/>\n</cross-domain-policy>\n');
const STACK_FRAME = /^\s+at /m;

describe('unexpected errors in the CLI', { timeout: 60_000 }, () => {
  it('LINT-6: an error thrown inside a command is one line and exit 70, with the stack only under XDPOLICY_DEBUG', async () => {
    const io = captureIO(dir);
    io.stdout.write = () => {
      throw new TypeError('the output stream is gone');
    };
    expect(await main(['lint', 'crossdomain.xml'], io)).toBe(EXIT_UNEXPECTED);
    expect(io.err()).toBe('xdpolicy lint: unexpected error (a bug in xdpolicy; XDPOLICY_DEBUG=1 shows where): TypeError: the output stream is gone\n');

    const debug = captureIO(dir, { env: { XDPOLICY_DEBUG: '1' } });
    debug.stdout.write = io.stdout.write;
    expect(await main(['lint', 'crossdomain.xml'], debug)).toBe(EXIT_UNEXPECTED);
    expect(debug.err()).toMatch(STACK_FRAME);
  });

  it.runIf(existsSync('/dev/full'))('LINT-6: stdout on a full device: one line naming the failed write, exit 70, no stack trace', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const c = spawnCli(['lint', 'crossdomain.xml'], { cwd: dir, stdio: ['ignore', full, 'pipe'] });
      expect(await c.exited()).toBe(EXIT_UNEXPECTED);
      expect(c.stderr()).toMatch(/^xdpolicy lint: ENOSPC: no space left on device, write\n$/);
      expect(c.stderr()).not.toMatch(STACK_FRAME);
    } finally {
      closeSync(full);
    }
  });
});
