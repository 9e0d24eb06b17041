/**
 * `xdpolicy decide --client silverlight`: the same contract as Flash, with `--policy` placed where
 * Silverlight looks (SL-SOCK-2: xmlsocket://host:943, no NUL; SL-HTTP-2: /clientaccesspolicy.xml).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { masterPolicyWorld } from '../../src/decision/placement.js';
import { parseTarget } from '../../src/world/locations.js';
import { simple } from './helpers.js';
import { captureIO } from '../../cli/test-support/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-sl-decide-'));
writeFileSync(join(dir, 'socket.xml'), simple('http://www.example.com', '<socket-resource port="4502-4510" protocol="tcp"/>'));
writeFileSync(join(dir, 'http.xml'), simple('*', '<resource path="/public/" include-subpaths="true"/>', ' http-request-headers="SOAPAction"'));
writeFileSync(join(dir, 'world.json'), JSON.stringify({ 'http://api.example.net/crossdomain.xml': { body: '<cross-domain-policy><allow-access-from domain="*"/></cross-domain-policy>', contentType: 'text/xml' } }));

async function run(args: string[]) {
  const io = captureIO(dir);
  const code = await main(['decide', '--client', 'silverlight', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const target = (text: string) => parseTarget(text, { what: 'target', requirement: 'SL-HTTP-10', diagnostics: [] })!;

describe('xdpolicy decide --client silverlight', () => {
  it('SL-SOCK-2, SL-SOCK-4: --policy for a socket target serves the file on 943 without a NUL', () => {
    const w = masterPolicyWorld('silverlight', target('socket://Game.Example.net:4502'), '<access-policy/>');
    expect(w).toEqual({ 'xmlsocket://game.example.net:943': { body: '<access-policy/>' } });
  });
  it('SL-HTTP-2: --policy for a URL target serves /clientaccesspolicy.xml at the target\'s scheme, host and port', () => {
    const w = masterPolicyWorld('silverlight', target('https://api.example.net:8443/a/b?x=1'), 'text');
    expect(w).toEqual({ 'https://api.example.net:8443/clientaccesspolicy.xml': { body: 'text', status: 200, contentType: 'text/xml' } });
  });
  it('SL-SOCK-10: a granted socket exits 0 and names the location, rule and requirement', async () => {
    const r = await run(['--origin', 'http://www.example.com/app.xap', '--target', 'socket://game.example.net:4505', '--policy', 'socket.xml']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('ALLOW');
    expect(r.out).toContain('decided by:  xmlsocket://game.example.net:943');
    expect(r.out).toContain('<socket-resource port="4502-4510" protocol="tcp"/>');
    expect(r.out).toContain('SL-SOCK-10');
  });
  it('SL-SOCK-1: a port outside 4502-4534 exits 1', async () => {
    const r = await run(['--origin', 'http://www.example.com/app.xap', '--target', 'socket://game.example.net:80', '--policy', 'socket.xml']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('SL-SOCK-1');
  });
  it('SL-HTTP-8, SL-HDR-5: an HTTP target with --header and --json', async () => {
    const r = await run(['--origin', 'http://www.example.com/app.xap', '--target', 'http://api.example.net/public/q.xml', '--header', 'SOAPAction', '--policy', 'http.xml', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ decision: 'allow', client: 'silverlight', decidedBy: { location: 'http://api.example.net/clientaccesspolicy.xml' } });
    const denied = await run(['--origin', 'http://www.example.com/app.xap', '--target', 'http://api.example.net/admin', '--policy', 'http.xml']);
    expect(denied.code).toBe(1);
  });
  it('SL-HTTP-6: --world with only a crossdomain.xml goes through the fallback', async () => {
    const r = await run(['--origin', 'http://www.example.com/app.xap', '--target', 'http://api.example.net/x', '--world', 'world.json']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('http://api.example.net/clientaccesspolicy.xml -> status 404 (not used)');
  });
  it('SL-HTTP-10: a malformed target is a usage error (exit 2)', async () => {
    const r = await run(['--origin', 'http://www.example.com/app.xap', '--target', 'gopher://x', '--policy', 'http.xml']);
    expect(r.code).toBe(2);
  });
});
