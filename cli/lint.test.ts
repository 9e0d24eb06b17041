import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { captureIO } from './test-support/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-lint-'));
const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return name;
};
const X = '<?xml version="1.0"?>\n';
const open = write('crossdomain.xml', `${X}<cross-domain-policy>\n  <allow-access-from domain="*"/>\n</cross-domain-policy>\n`);
const tight = write('tight.xml', `${X}<cross-domain-policy>\n  <allow-access-from domain="www.example.com"/>\n</cross-domain-policy>\n`);
const socket = write('socket.xml', `${X}<cross-domain-policy>\n  <allow-access-from domain="www.example.com" to-ports="900-1100"/>\n</cross-domain-policy>\n`);
const silver = write('clientaccesspolicy.xml', `${X}<access-policy><cross-domain-access><policy><allow-from><domain uri="https://*"/></allow-from><grant-to><resource path="/api/"/></grant-to></policy></cross-domain-access></access-policy>\n`);

async function run(args: string[], env: Record<string, string | undefined> = {}, tty = false): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO(dir, { env, tty });
  const code = await main(['lint', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('xdpolicy lint (CLI contract, spec/lint.md)', () => {
  it('LINT-6, LINT-7 (LINT-DOMAIN-ANY): exits 1 at the default --fail-on medium and prints the finding grouped under HIGH', async () => {
    const r = await run([open]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^HIGH \(1\)\n {2}crossdomain\.xml:3:3 {2}LINT-DOMAIN-ANY/m);
    expect(r.out).toMatch(/INFO \(1\)[\s\S]*LINT-CONTEXT-INFERRED/);
  });
  it('LINT-6: exits 0 when nothing reaches --fail-on; --fail-on info makes an info finding fail', async () => {
    // Lightspark lets HTTP SWFs read an HTTPS file (LINT-COMPAT-GRANTS-MORE, medium): this test is about the reference's findings.
    expect((await run([tight, '--served-from', 'https://www.example.com/crossdomain.xml', '--clients', 'none'])).code).toBe(0);
    expect((await run([tight, '--fail-on', 'info'])).code).toBe(1);
    expect((await run([open, '--fail-on=error'])).code).toBe(0);
  });
  it('LINT-4 (LINT-PORT-UNREACHABLE): --served-from fixes the kind and port (FLASH-SOCK-7)', async () => {
    const r = await run([socket, '--served-from', 'xmlsocket://game.example.com:5000', '--json']);
    const json = JSON.parse(r.out) as { files: string[]; findings: Record<string, unknown>[] };
    expect(json.files).toEqual([socket]);
    expect(json.findings.map((f) => f['id'])).toContain('LINT-PORT-UNREACHABLE');
    expect(json.findings.map((f) => f['id'])).not.toContain('LINT-CONTEXT-INFERRED');
  });
  it('LINT-7: --json prints exactly the contract keys, with the file of each finding', async () => {
    const r = await run([open, silver, '--json']);
    const json = JSON.parse(r.out) as { files: string[]; findings: Record<string, unknown>[] };
    expect(Object.keys(json)).toEqual(['files', 'findings']);
    expect(json.files).toEqual([open, silver]);
    for (const f of json.findings) expect(Object.keys(f).sort()).toEqual(['column', 'file', 'id', 'line', 'message', 'severity', 'value']);
    expect(json.findings.find((f) => f['id'] === 'LINT-SL-SCHEME-WILDCARD')?.['file']).toBe(silver);
    expect(r.code).toBe(1);
  });
  it('LINT-CONTEXT-CLIENT: --client flash on a Silverlight file says Flash never reads it', async () => {
    const r = await run([silver, '--client', 'flash', '--json']);
    expect(r.out).toContain('LINT-CONTEXT-CLIENT');
  });
  it('LINT-7: colours on a TTY, not with NO_COLOR set, not when piped', async () => {
    expect((await run([open], {}, true)).out).toContain('\u001b[');
    expect((await run([open], { NO_COLOR: '1' }, true)).out).not.toContain('\u001b[');
    expect((await run([open], {}, false)).out).not.toContain('\u001b[');
  });
  it.each([
    [['missing.xml'], /cannot read 'missing.xml': no such file/],
    [[], /no FILE given/],
    [[open, '--client', 'opera'], /--client 'opera'/],
    [[open, '--fail-on', 'critical'], /--fail-on 'critical'/],
    [[open, '--served-from', 'gopher://h/'], /scheme 'gopher:'/],
    [[open, '--served-from'], /--served-from needs a value/],
    [[open, '--frobnicate'], /unknown option '--frobnicate'/],
  ])('LINT-6: usage error %j exits 2 with a message naming it', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });
  it('--help prints the usage and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: xdpolicy lint FILE\.\.\./);
  });
});
