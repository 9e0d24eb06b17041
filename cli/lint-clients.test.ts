import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { captureIO } from './test-support/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-lint-clients-'));
// A socket policy whose root is never closed: Flash Player rejects it, Lightspark reads its * rule.
writeFileSync(join(dir, 'broken.xml'), '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="*" to-ports="*"/>\n');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO(dir, { env: {}, tty: false });
  const code = await main(['lint', 'broken.xml', '--served-from', 'xmlsocket://game.example.com:843', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('xdpolicy lint --clients (LINT-17)', () => {
  it('by default compares every profile of the family: Lightspark grants what Flash rejects (high)', async () => {
    const r = await run(['--json']);
    const ids = (JSON.parse(r.out) as { findings: { id: string; severity: string; value: string }[] }).findings.filter((f) => f.id.startsWith('LINT-COMPAT-'));
    expect(ids).toContainEqual(expect.objectContaining({ id: 'LINT-COMPAT-GRANTS-UNNAMED', severity: 'high', value: 'lightspark' }));
  });
  it('--clients none and a list without the departing client compare nothing of it', async () => {
    expect((await run(['--clients', 'none'])).out).not.toContain('LINT-COMPAT');
    expect((await run(['--clients=flash9'])).out).not.toContain('LINT-COMPAT');
    expect((await run(['--clients', 'flash9,lightspark'])).out).toContain('LINT-COMPAT-GRANTS-UNNAMED');
  });
  it('LINT-6: an unknown client name is a usage error naming it and the names accepted', async () => {
    const r = await run(['--clients', 'lightspark,netscape']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("'netscape' is not a client profile (flash, flash9, lightspark");
  });
});
