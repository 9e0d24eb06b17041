/**
 * A command whose reader goes away (`xdpolicy demo | head -1`) stops quietly: no message, no stack
 * trace, exit status 141 (128 + SIGPIPE, as a shell reports a command SIGPIPE ended). Each run
 * gets a real pipe as stdout whose read end is closed before the command writes anything, so the
 * first write fails with EPIPE whatever the size of the output.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_BROKEN_PIPE } from '../cli/main.js';
import { spawnCli } from '../cli/test-support/child.js';

const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-pipe-'));
writeFileSync(join(dir, 'crossdomain.xml'), '<cross-domain-policy>\n  <allow-access-from domain="*"/>\n</cross-domain-policy>\n');
writeFileSync(join(dir, 'socket.xml'), '<cross-domain-policy>\n  <allow-access-from domain="*.example.com" to-ports="5000"/>\n</cross-domain-policy>\n');

const RUNS: string[][] = [
  ['demo'],
  ['certify', '--list'],
  ['--help'],
  ['lint', 'crossdomain.xml'],
  ['decide', '--client', 'flash', '--origin', 'http://www.example.com/a.swf', '--target', 'socket://game.example.com:5000', '--policy', 'socket.xml'],
  // A long-running command: its first log line meets the closed pipe, and it stops.
  ['serve', '--flash', 'socket.xml', '--flash-port', '0'],
];

describe('a reader that goes away', { timeout: 90_000 }, () => {
  for (const args of RUNS) {
    it(`xdpolicy ${args.join(' ')} | (reader closed): exit ${EXIT_BROKEN_PIPE}, nothing on stderr`, async () => {
      const c = spawnCli(args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      // Close our end of the pipe at once: the child's first write to stdout fails with EPIPE.
      c.proc.stdout!.destroy();
      const code = await c.exited(60_000);
      if (code === 'timeout') c.proc.kill('SIGKILL');
      expect(c.stderr()).toBe('');
      expect(code).toBe(EXIT_BROKEN_PIPE);
    });
  }
});
