/**
 * Every file the CLI reads goes through one bounded reader (cli/read.ts): a device that never
 * ends, or a file past the limit, is a usage error naming the file and the limit (exit 2), never a
 * process growing past a gigabyte.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { POLICY_FILE_LIMIT, readBoundedFile, WORLD_FILE_LIMIT } from '../cli/read.js';
import { DEFAULT_XML_LIMITS } from '../src/xml/document.js';
import { captureIO } from '../cli/test-support/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-read-'));
const POLICY = '<cross-domain-policy>\n  <allow-access-from domain="www.example.com" to-ports="5000"/>\n</cross-domain-policy>\n';
writeFileSync(join(dir, 'socket.xml'), POLICY);
// One byte past the limit, and otherwise a policy: the old code read it whole and linted it.
writeFileSync(join(dir, 'huge.xml'), `<cross-domain-policy>${' '.repeat(DEFAULT_XML_LIMITS.maxLength + 1 - 43)}</cross-domain-policy>`);
const DECIDE = ['decide', '--client', 'flash', '--origin', 'http://www.example.com/a.swf', '--target', 'socket://game.example.com:5000'];

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO(dir);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}
const POLICY_LIMIT = /the limit for a policy file is 4194304 bytes \(4 MiB, DEFAULT_XML_LIMITS\.maxLength\)/;

describe('bounded reading of CLI inputs', { timeout: 60_000 }, () => {
  it('LINT-6: a file one byte over the policy limit is refused before it is read (exit 2, size and limit named)', async () => {
    const r = await run(['lint', 'huge.xml']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^xdpolicy lint: cannot read 'huge\.xml': is 4194305 bytes; /);
    expect(r.err).toMatch(POLICY_LIMIT);
    expect(r.out).toBe('');
    const d = await run([...DECIDE, '--policy', 'huge.xml']);
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/--policy huge\.xml: cannot read the file: is 4194305 bytes; /);
  });

  it.runIf(existsSync('/dev/zero'))('LINT-6: /dev/zero as lint FILE, decide --policy, decide --world and certify --expect: exit 2 naming the limit', async () => {
    const lint = await run(['lint', '/dev/zero']);
    expect(lint.code).toBe(2);
    expect(lint.err).toMatch(/cannot read '\/dev\/zero': is longer than 4194304 bytes; /);
    expect(lint.err).toMatch(POLICY_LIMIT);
    const policy = await run([...DECIDE, '--policy', '/dev/zero']);
    expect(policy.code).toBe(2);
    expect(policy.err).toMatch(POLICY_LIMIT);
    const world = await run([...DECIDE, '--world', '/dev/zero']);
    expect(world.code).toBe(2);
    expect(world.err).toMatch(/--world \/dev\/zero: cannot read the file: is longer than 67108864 bytes; the limit for a world file is 67108864 bytes \(64 MiB, 16 × DEFAULT_XML_LIMITS\.maxLength\)/);
    const certify = await run(['certify', '--expect', '/dev/zero']);
    expect(certify.code).toBe(2);
    expect(certify.err).toMatch(/--expect \/dev\/zero: cannot read the file: is longer than 4194304 bytes; the limit for an expectations file is 4194304 bytes/);
  });

  it.runIf(existsSync('/usr/bin/mkfifo') || existsSync('/bin/mkfifo'))('LINT-6: a one-shot command still reads a pipe (lint FILE given as a FIFO), within the limit', async () => {
    const fifo = join(dir, 'policy.fifo');
    execFileSync('mkfifo', [fifo]);
    const [r] = await Promise.all([run(['lint', 'policy.fifo', '--served-from', 'xmlsocket://game.example.com:843', '--json', '--clients', 'none']), writeFile(fifo, POLICY)]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { files: string[] }).files).toEqual(['policy.fifo']);
  });

  it('SRV-RELOAD-3: regularOnly refuses a FIFO after fstat without waiting for a writer, and reads a regular file through a symbolic link', async () => {
    const fifo = join(dir, 'nobody-writes.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await readBoundedFile(fifo, POLICY_FILE_LIMIT, { regularOnly: true })).toEqual({ ok: false, reason: 'is not a regular file (a FIFO)' });
    execFileSync('ln', ['-s', 'socket.xml', join(dir, 'link.xml')]);
    const viaLink = await readBoundedFile(join(dir, 'link.xml'), POLICY_FILE_LIMIT, { regularOnly: true });
    expect(viaLink.ok && viaLink.text).toBe(POLICY);
    expect(await readBoundedFile(join(dir, 'missing.xml'), WORLD_FILE_LIMIT)).toEqual({ ok: false, reason: 'no such file (ENOENT)' });
    expect(await readBoundedFile(dir, WORLD_FILE_LIMIT)).toEqual({ ok: false, reason: 'is a directory' });
  });
});
