import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { PROFILE_NAMES } from '../src/decision/types.js';
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
writeFileSync(join(dir, 'config.json'), JSON.stringify({ deny: { ports: [25, '6000-6063'], addresses: ['10.0.0.0/8'] }, silverlight: { elevatedTrust: true } }));
writeFileSync(join(dir, 'config-flash.json'), JSON.stringify({ flash: { disableSockets: true } }));
writeFileSync(join(dir, 'bad-config.json'), JSON.stringify({ deny: { ports: [25, 70000] }, flash: { disableSocket: true } }));
writeFileSync(join(dir, 'array-config.json'), '[]');
writeFileSync(join(dir, 'mms.cfg'), '# administrator settings\r\nAutoUpdateDisable=1\r\nDisableSockets = 1\r\nEnableSocketsTo = game.example.com\r\nFileUploadDisable = 1\r\n');
writeFileSync(join(dir, 'bad-mms.cfg'), 'DisableSockets = yes\nenablesocketsto = b.com\n');
writeFileSync(join(dir, 'utf16-mms.cfg'), Buffer.from('\uFEFFDisableSockets = 1\n', 'utf16le'));

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
    [['--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:1', '--policy', 'socket.xml'], '--client NAME is required (one of flash, flash9, lightspark, unity, swfdec, gnash, silverlight, moonlight, or all)'],
    [['--client', 'netscape', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:1', '--policy', 'socket.xml'], "--client 'netscape' is not one of flash, flash9, lightspark, unity, swfdec, gnash, silverlight, moonlight, all"],
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

  /** A Flash socket request against socket.xml served as the master, with more options. */
  const flashTo = (target: string, ...more: string[]) => run(['--client', 'flash', '--origin', 'http://www.example.com/m.swf', '--target', target, '--policy', 'socket.xml', ...more]);

  it('CLIENT-3 CLIENT-4 --client-config: the deny list decides before the policy, and the output names the setting', async () => {
    const port = await flashTo('socket://game.example.com:6005', '--client-config', 'config.json');
    expect(port.code).toBe(1);
    expect(port.out).toContain('port 6005 is on the client\'s deny list (deny.ports: 6000-6063)');
    expect(port.out).toContain('setting:     deny.ports (blocked)');
    expect(port.out).toContain('requirement: CLIENT-3');
    const json = await flashTo('socket://10.9.8.7:5005', '--client-config', 'config.json', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).trace[0]).toMatchObject({ step: 'blocked', setting: 'deny.addresses', requirements: ['CLIENT-4', 'CLIENT-2'] });
    const open = await flashTo('socket://game.example.com:5005', '--client-config', 'config.json');
    expect(open.code).toBe(0);
  });

  it('CLIENT-8 --client-config: Silverlight elevated trust connects to port 80 without a policy', async () => {
    const r = await run(['--client', 'silverlight', '--origin', 'http://www.example.com/app.xap', '--target', 'socket://game.example.com:80', '--policy', 'socket.xml', '--client-config', 'config.json']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('setting:     silverlight.elevatedTrust (trusted)');
  });

  it('CLIENT-5 CLIENT-6 CLIENT-7 --mms-cfg reads DisableSockets and EnableSocketsTo; other settings are warnings on stderr', async () => {
    const denied = await flashTo('socket://other.example.com:5005', '--mms-cfg', 'mms.cfg');
    expect(denied.code).toBe(1);
    expect(denied.out).toContain('mms.cfg DisableSockets = 1');
    expect(denied.err).toContain('--mms-cfg mms.cfg: warning: line 2: AutoUpdateDisable is not applied');
    expect(denied.err).toContain('--mms-cfg mms.cfg: warning: line 5: FileUploadDisable is not applied');
    const listed = await flashTo('socket://game.example.com:5005', '--mms-cfg', 'mms.cfg');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain('setting:     flash.enableSocketsTo (note)');
    // --mms-cfg fills the "flash" part beside the rest of --client-config.
    const both = await flashTo('socket://game.example.com:25', '--mms-cfg', 'mms.cfg', '--client-config', 'config.json');
    expect(both.out).toContain('setting:     deny.ports (blocked)');
  });

  it.each([
    [['--client-config', 'bad-config.json'], '--client-config bad-config.json: not a valid client configuration:\n  deny.ports[1]: 70000: a port lies from 1 to 65535\n  flash.disableSocket: unknown setting'],
    [['--client-config', 'array-config.json'], '--client-config array-config.json: not a valid client configuration:\n  (the configuration): must be an object'],
    [['--client-config', 'not-json.json'], '--client-config not-json.json: not valid JSON'],
    [['--client-config', 'missing.json'], '--client-config missing.json: cannot read the file: no such file (ENOENT)'],
    [['--mms-cfg', 'bad-mms.cfg'], '--mms-cfg bad-mms.cfg: not a valid mms.cfg:\n  line 1: DisableSockets = yes: the value must be 0 (sockets enabled) or 1 (sockets disabled)\n  line 2: enablesocketsto: the setting is spelled EnableSocketsTo'],
    [['--mms-cfg', 'utf16-mms.cfg'], '--mms-cfg utf16-mms.cfg: not a valid mms.cfg:\n  line 1: the file starts with a UTF-16 byte order mark'],
    [['--mms-cfg', 'mms.cfg', '--client-config', 'config-flash.json'], 'has a "flash" part and --mms-cfg mms.cfg gives the Flash settings too'],
    [['--client-config', 'config.json', '--client-config', 'config.json'], 'option --client-config is given twice'],
  ])('CLIENT-1 CLIENT-7 a configuration that cannot be read exits 2 naming the file and the setting or line: %j', async (extra, message) => {
    const r = await run(['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', 'socket://b.com:5000', '--policy', 'socket.xml', ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.out).toBe('');
  });

  it('FLASH-SOCK-8 FLASH-URL-5 a --load-policy URL the client cannot read is a usage error naming it, not ignored', async () => {
    for (const target of ['socket://b.com:5000', 'http://b.com/data.xml']) {
      const r = await run(['--client', 'flash', '--origin', 'http://a.com/m.swf', '--target', target, '--policy', 'socket.xml', '--load-policy', 'notaurl']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^xdpolicy decide: --load-policy notaurl: .*'notaurl'/);
      expect(r.out).toBe('');
    }
  });

  it('--help prints the contract and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--client NAME|all --origin URL --target URL (--world FILE | --policy FILE)');
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

describe('xdpolicy decide --client (profiles)', () => {
  it('takes every profile name', async () => {
    for (const client of PROFILE_NAMES) {
      const r = await run(['--client', client, '--origin', 'http://www.example.com/m.swf', '--target', 'socket://game.example.com:5005', '--policy', 'socket.xml', '--json']);
      expect(JSON.parse(r.out).client, r.err).toBe(client);
    }
  });

  it('--client all: one line per profile, the reason only where it departs from its reference; exit 1 when one denies', async () => {
    const r = await run(['--client', 'all', '--origin', 'http://www.example.com/m.swf', '--target', 'socket://game.example.com:5005', '--policy', 'socket.xml']);
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([...PROFILE_NAMES]);
    expect(lines[0]).toMatch(/^flash +ALLOW +the master socket policy grants port 5005/);
    expect(lines[1]).toBe('flash9       ALLOW');
    // Lightspark collapses to-ports="5000-5010" to port 5000.
    expect(lines[2]).toMatch(/^lightspark +DENY +\(flash allows\) no socket policy grants/);
    expect(lines[PROFILE_NAMES.indexOf('silverlight')]).toMatch(/^silverlight +DENY +port 5005 is outside 4502-4534/);
  });

  it('--client all --json: a map from profile to decision', async () => {
    const r = await run(['--client', 'all', '--origin', 'http://www.example.com/m.swf', '--target', 'socket://game.example.com:5000', '--policy', 'socket.xml', '--json']);
    const map = JSON.parse(r.out) as Record<string, { decision: string; client: string }>;
    expect(Object.keys(map)).toEqual([...PROFILE_NAMES]);
    expect(map.lightspark!.decision).toBe('allow');
    expect(map.moonlight!.client).toBe('moonlight');
    expect(r.code).toBe(1);
  });
});
