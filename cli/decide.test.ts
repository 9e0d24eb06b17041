import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { captureIO } from './test-support/capture.js';


const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-decide-'));
writeFileSync(join(dir, 'socket.xml'), '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="*.example.com" to-ports="5000-5010"/>\n</cross-domain-policy>\n');
writeFileSync(join(dir, 'url.xml'), '<cross-domain-policy>\n  <allow-access-from domain="a.com"/>\n  <allow-http-request-headers-from domain="a.com" headers="X-Token"/>\n</cross-domain-policy>\n');
writeFileSync(
  join(dir, 'world.json'),
  JSON.stringify({
    'xmlsocket://b.com:843': { error: 'timeout' },
    'xmlsocket://b.com:5000': { body: '<cross-domain-policy><allow-access-from domain="a.com" to-ports="5000"/></cross-domain-policy>\u0000' },
  }),
);
writeFileSync(join(dir, 'bad-world.json'), JSON.stringify({ 'xmlsocket://b.com': { body: '' }, 'http://b.com/crossdomain.xml': { body: '', contenttype: 'text/xml' } }));
writeFileSync(join(dir, 'not-json.json'), '{ nope');

async function run(args: string[]) {
  const io = captureIO(dir);
  const code = await main(['decide', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('xdpolicy decide', () => {
  it('FLASH-SOCK-4 --policy for a socket target serves the file on 843, NUL-terminated: allow exits 0 with an explanation', async () => {
    const r = await run(['--client', 'flash', '--origin', 'http://www.example.com/m.swf', '--target', 'socket://game.example.com:5005', '--policy', 'socket.xml']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('ALLOW');
    expect(r.out).toContain('decided by:  xmlsocket://game.example.com:843');
    expect(r.out).toContain('rule:        <allow-access-from domain="*.example.com" to-ports="5000-5010"/> at line 3, column 3');
    expect(r.out).toContain('FLASH-DOM-3');
  });

  it('FLASH-PORT-5 deny exits 1', async () => {
    const r = await run(['--client', 'flash', '--origin', 'http://www.example.com/m.swf', '--target', 'socket://game.example.com:6000', '--policy', 'socket.xml']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('DENY');
  });

  it('FLASH-URL-1 FLASH-URL-10 --policy for a URL target serves /crossdomain.xml; --header and --json', async () => {
    const r = await run(['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'http://b.com:8080/api/x', '--policy', 'url.xml', '--header', 'X-Token', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.decision).toBe('allow');
    expect(json.decidedBy.location).toBe('http://b.com:8080/crossdomain.xml');
    expect(Array.isArray(json.trace)).toBe(true);
    const denied = await run(['--client=flash', '--origin=http://a.com/m.swf', '--target=http://b.com/x', '--policy=url.xml', '--header=X-Other', '--json']);
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.out).decision).toBe('deny');
  });

  it('FLASH-SOCK-5 FLASH-SOCK-8 --world and --load-policy', async () => {
    const r = await run(['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:5000', '--world', 'world.json', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).decidedBy.location).toBe('xmlsocket://b.com:5000');
    const lp = await run(['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:5000', '--world', 'world.json', '--load-policy', 'xmlsocket://b.com:9999']);
    expect(lp.code).toBe(0);
    expect(lp.out).toContain('xmlsocket://b.com:9999 -> refused');
  });

  it.each([
    [['--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:1', '--policy', 'socket.xml'], '--client is required'],
    [['--client', 'netscape', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:1', '--policy', 'socket.xml'], "unknown client 'netscape'"],
    [['--client', 'flash', '--target', 'socket://b.com:1', '--policy', 'socket.xml'], '--origin URL is required'],
    [['--client', 'flash', '--origin', 'http://a.com/m.swf', '--policy', 'socket.xml'], '--target URL is required'],
    [['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:1'], 'one of --world FILE or --policy FILE'],
    [['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:1', '--policy', 'socket.xml', '--world', 'world.json'], 'cannot be used together'],
    [['--client', 'flash', '--origin', 'nope', '--target', 'socket://b.com:1', '--policy', 'socket.xml'], "--origin: origin 'nope'"],
    [['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com', '--policy', 'socket.xml'], '--target: socket target'],
    [['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:1', '--policy', 'missing.xml'], '--policy missing.xml: cannot read the file: no such file (ENOENT)'],
    [['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:1', '--world', 'not-json.json'], '--world not-json.json: not valid JSON'],
    [['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:1', '--world', 'bad-world.json'], "world key 'xmlsocket://b.com'"],
    [['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:1', '--world', 'bad-world.json'], "unknown field 'contenttype'"],
    [['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:1', '--policy', 'socket.xml', '--bogus'], "unknown option '--bogus'"],
    [['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:1', '--policy'], '--policy needs a value'],
    [['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:1', '--policy', 'socket.xml', '--header', 'Bad Header'], 'is not an HTTP header name'],
  ])('usage errors and unreadable input exit 2 naming the problem: %j', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('--help prints the contract and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--client flash --origin URL --target URL (--world FILE | --policy FILE)');
  });

  const bin = resolve(__dirname, '../bin/xdpolicy.js');
  const built = existsSync(resolve(__dirname, '../dist/cli/main.js'));
  it.runIf(built)('FLASH-SOCK-4 the built bin runs decide with the documented exit statuses', () => {
    const args = ['decide', '--client', 'flash', '--origin', 'http://www.example.com/m.swf', '--target', 'socket://game.example.com:5005', '--policy', join(dir, 'socket.xml')];
    const out = execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    expect(out).toContain('ALLOW');
    let status = 0;
    try {
      execFileSync(process.execPath, [bin, ...args.slice(0, -2), '--policy', join(dir, 'nope.xml')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
    }
    expect(status).toBe(2);
  });
});
