import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inheritedListenFds, parseServeArgs, SERVE_USAGE } from '../cli/serve.js';
import { spawnCli, type CliChild } from '../cli/test-support/child.js';
import { rawExchange, waitFor } from '../src/server/test-support/client.js';

const FLASH = '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="www.example.com" to-ports="1234"/>\n</cross-domain-policy>\n';
const FLASH_B = '<cross-domain-policy>\n  <allow-access-from domain="b.example.com" to-ports="2000-2010"/>\n</cross-domain-policy>\n';
const BROKEN = '<cross-domain-policy>\n  <allow-access-from domain="x" to-ports="1234">\n</cross-domain-policy>\n';
const SILVERLIGHT = '<access-policy><cross-domain-access><policy><allow-from><domain uri="http://www.example.com"/></allow-from><grant-to><socket-resource port="4502" protocol="tcp"/></grant-to></policy></cross-domain-access></access-policy>';
const REQUEST = '<policy-file-request/>\0';
// Served on a port other than 843: its site-control draws a warning, its domain="*" a lint finding.
const WARNS = '<cross-domain-policy>\n  <site-control permitted-cross-domain-policies="master-only"/>\n  <allow-access-from domain="*" to-ports="5000"/>\n</cross-domain-policy>\n';

const children: CliChild[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) {
      c.proc.kill('SIGKILL');
      await c.exited(5000);
    }
  }
});

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'xdpolicy-serve-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}
function serve(args: string[], opts: Parameters<typeof spawnCli>[1] = {}): CliChild {
  const c = spawnCli(['serve', ...args], opts);
  children.push(c);
  return c;
}
const portFrom = (m: RegExpMatchArray | null) => Number(m?.[1]);

// Each test starts a child process under tsx; on a loaded shared machine that alone can take
// seconds, so these get more time than the default.
describe('xdpolicy serve (CLI contract)', { timeout: 90_000 }, () => {
  it('SRV-OPS-1 SRV-OPS-3 SRV-RELOAD-1 SRV-RELOAD-2 SRV-OPS-2: listening lines, counters on SIGUSR1, reload on SIGHUP, drain on SIGTERM', async () => {
    const d = dir({ 'flash.xml': FLASH, 'sl.xml': SILVERLIGHT });
    const c = serve(['--flash', 'flash.xml', '--flash-port', '0', '--silverlight', 'sl.xml', '--silverlight-port', '0', '--http-port', '0'], { cwd: d });
    const flash = portFrom(await c.waitForLine(/listening flash xmlsocket:\/\/127\.0\.0\.1:(\d+)/));
    const sl = portFrom(await c.waitForLine(/listening silverlight xmlsocket:\/\/127\.0\.0\.1:(\d+)/));
    const httpPort = portFrom(await c.waitForLine(/listening http http:\/\/127\.0\.0\.1:(\d+)/));
    expect(flash).toBeGreaterThan(0);
    expect(sl).toBeGreaterThan(0);
    expect(httpPort).toBeGreaterThan(0);

    expect((await rawExchange({ port: flash, chunks: [REQUEST] })).bytes.toString()).toBe(FLASH + '\0');
    expect((await rawExchange({ port: sl, chunks: ['<policy-file-request/>'] })).bytes.toString()).toBe(SILVERLIGHT);
    const res = await fetch(`http://127.0.0.1:${httpPort}/crossdomain.xml`);
    expect(res.headers.get('content-type')).toBe('text/x-cross-domain-policy');
    await res.text();
    expect((await rawExchange({ port: flash, chunks: ['garbage'] })).bytes.length).toBe(0);

    c.proc.kill('SIGUSR1');
    expect(await c.waitForLine(/^counters served=3 refused=1 /)).not.toBeNull();

    writeFileSync(join(d, 'flash.xml'), FLASH_B);
    c.proc.kill('SIGHUP');
    expect(await c.waitForLine(/^reloaded .*flash/)).not.toBeNull();
    expect((await rawExchange({ port: flash, chunks: [REQUEST] })).bytes.toString()).toBe(FLASH_B + '\0');

    writeFileSync(join(d, 'flash.xml'), BROKEN);
    c.proc.kill('SIGHUP');
    expect(await c.waitForLine(/^reload refused/)).not.toBeNull();
    expect(await waitFor(() => /flash\.xml:\d+:\d+: error:/.test(c.stderr()))).toBe(true);
    expect((await rawExchange({ port: flash, chunks: [REQUEST] })).bytes.toString()).toBe(FLASH_B + '\0');

    c.proc.kill('SIGTERM');
    expect(await c.exited()).toBe(0);
    expect(c.stdout()).toMatch(/counters served=5 refused=1 .*reloads=1 reloads-rejected=1/);
    expect(c.stdout()).toContain('stopped');
  });

  it('SRV-VALID-1: an invalid policy stops the server before it binds: exit 2 with file, line and column', async () => {
    const d = dir({ 'flash.xml': BROKEN });
    const c = serve(['--flash', 'flash.xml', '--flash-port', '0'], { cwd: d });
    expect(await c.exited()).toBe(2);
    expect(c.stderr()).toMatch(/flash\.xml:\d+:\d+: error: .*\[FLASH-XML-1\]/);
    expect(c.stdout()).not.toContain('listening');
  });

  it('SRV-VALID-2: without a policy file there is nothing to serve (exit 2)', () => {
    expect(() => parseServeArgs(['--http-port', '8080'])).toThrow(/nothing to serve/);
    expect(() => parseServeArgs(['--flash', 'f', '--flash-port', '70000'])).toThrow("--flash-port '70000' is not a whole number from 0 to 65535");
    expect(() => parseServeArgs(['--flash', 'f', '--log', 'xml'])).toThrow("--log 'xml' is not one of text, json");
  });

  it('SRV-VALID-2: --crossdomain FILE --http-port N alone serves the URL policy over HTTP only', async () => {
    expect(parseServeArgs(['--crossdomain', 'cd.xml', '--http-port', '0'])).toMatchObject({ flash: null, silverlight: null, crossdomain: 'cd.xml', httpPort: 0 });
    const d = dir({ 'cd.xml': FLASH });
    const c = serve(['--crossdomain', 'cd.xml', '--http-port', '0'], { cwd: d });
    const httpPort = portFrom(await c.waitForLine(/listening http http:\/\/127\.0\.0\.1:(\d+)/));
    expect(httpPort).toBeGreaterThan(0);
    expect(c.stdout()).not.toMatch(/listening (flash|silverlight)/);
    const res = await fetch(`http://127.0.0.1:${httpPort}/crossdomain.xml`);
    expect(await res.text()).toBe(FLASH);
    expect((await fetch(`http://127.0.0.1:${httpPort}/clientaccesspolicy.xml`)).status).toBe(404);
  });

  it('SRV-BIND-2: one port given to two listeners is a usage error naming both options, not a bind failure', () => {
    expect(() => parseServeArgs(['--flash', 'f', '--silverlight', 's', '--flash-port', '10843', '--silverlight-port', '10843'])).toThrow('--flash-port and --silverlight-port are both port 10843: each listener needs a port of its own');
    expect(() => parseServeArgs(['--flash', 'f', '--http-port', '843'])).toThrow('--flash-port and --http-port are both port 843');
    // Port 0 picks a free port for each; a listener that is not configured has no port.
    expect(parseServeArgs(['--flash', 'f', '--silverlight', 's', '--flash-port', '0', '--silverlight-port', '0', '--http-port', '0'])).not.toBe('help');
    expect(parseServeArgs(['--flash', 'f', '--silverlight-port', '843'])).not.toBe('help');
  });

  it('SRV-BIND-3: an unknown --user is a usage error (exit 2) said before anything is read or bound, as the help says', async () => {
    expect(SERVE_USAGE).toMatch(/1 when a port cannot be bound or privileges cannot be dropped/);
    expect(SERVE_USAGE).toMatch(/2 for a usage error \(an unknown --user/);
    const d = dir({ 'w.xml': WARNS });
    const c = serve(['--flash', 'w.xml', '--flash-port', '0', '--user', 'no-such-user-xdpolicy'], { cwd: d });
    expect(await c.exited()).toBe(2);
    expect(c.stderr()).toBe("xdpolicy serve: --user 'no-such-user-xdpolicy': no such user\n");
    expect(c.stdout()).toBe('');
  });

  it('SRV-OPS-4: --log json prints the policy warnings as JSON events too, nothing as text', async () => {
    const d = dir({ 'w.xml': WARNS });
    const c = serve(['--flash', 'w.xml', '--flash-port', '0', '--log', 'json'], { cwd: d });
    expect(await c.waitForLine(/"event":"listening"/)).not.toBeNull();
    const events = c.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const policy = events.filter((e) => e.event === 'policy');
    expect(policy.length).toBeGreaterThanOrEqual(2);
    expect(policy[0]).toMatchObject({ file: 'w.xml', slot: 'flash', line: 2, column: 3, severity: 'warning', id: 'site-control-not-master', requirement: 'FLASH-SOCK-9' });
    expect(policy.some((e) => e.id === 'LINT-DOMAIN-ANY' && e.severity === 'high')).toBe(true);
    expect(c.stderr()).toBe('');
  });

  it('SRV-BIND-2: a taken port exits 1 with a message naming the listener and address', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const d = dir({ 'flash.xml': FLASH });
      const c = serve(['--flash', 'flash.xml', '--flash-port', String(taken)], { cwd: d });
      expect(await c.exited()).toBe(1);
      expect(c.stderr()).toContain(`cannot listen for flash on 127.0.0.1:${taken}`);
      expect(c.stderr()).toContain('already in use');
      expect(c.stdout()).not.toContain('listening');
    } finally {
      blocker.close();
    }
  });

  it('SRV-OPS-4 SRV-RELOAD-1 SRV-OPS-3: --log json prints one JSON object per line; --watch reloads a changed file; an early SIGUSR1 is handled', async () => {
    const d = dir({ 'flash.xml': FLASH });
    const c = serve(['--flash', 'flash.xml', '--flash-port', '0', '--log', 'json', '--watch'], { cwd: d });
    const m = await c.waitForLine(/"event":"listening".*"url":"xmlsocket:\/\/127\.0\.0\.1:(\d+)"/);
    const port = portFrom(m);
    expect(port).toBeGreaterThan(0);
    // A signal sent the moment the listening line appears is handled, not fatal (SRV-OPS-3).
    c.proc.kill('SIGUSR1');
    expect(await c.waitForLine(/"event":"counters"/)).not.toBeNull();
    writeFileSync(join(d, 'flash.xml'), FLASH_B);
    expect(await c.waitForLine(/"event":"reload","ok":true/, 10_000)).not.toBeNull();
    expect((await rawExchange({ port, chunks: [REQUEST] })).bytes.toString()).toBe(FLASH_B + '\0');
    c.proc.kill('SIGTERM');
    expect(await c.exited()).toBe(0);
    const lines = c.stdout().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    const last = lines.map((l) => JSON.parse(l) as { event: string; served?: number; final?: boolean }).find((e) => e.event === 'counters' && e.final);
    expect(last?.served).toBe(1);
  });

  it('SRV-RELOAD-3 SRV-RELOAD-2: a policy replaced by a link to /dev/zero, a FIFO or a file over the limit is refused on reload; the old policy is served throughout', async () => {
    const d = dir({ 'flash.xml': FLASH, 'huge.xml': `<cross-domain-policy>${' '.repeat(4 * 1024 * 1024)}</cross-domain-policy>` });
    const c = serve(['--flash', 'flash.xml', '--flash-port', '0'], { cwd: d });
    const port = portFrom(await c.waitForLine(/listening flash xmlsocket:\/\/127\.0\.0\.1:(\d+)/));
    expect(port).toBeGreaterThan(0);
    const replaceWith = (make: (path: string) => void) => {
      rmSync(join(d, 'flash.xml'));
      make(join(d, 'flash.xml'));
    };
    const refusals = () => c.stdout().split('\n').filter((l) => l.startsWith('reload refused'));

    replaceWith((p) => symlinkSync('/dev/zero', p));
    c.proc.kill('SIGHUP');
    expect(await waitFor(() => refusals().length === 1, 20_000)).toBe(true);
    expect(refusals()[0]).toBe('reload refused, cannot read flash.xml: is not a regular file (a character device); kept the previous policies');
    expect((await rawExchange({ port, chunks: [REQUEST] })).bytes.toString()).toBe(FLASH + '\0');

    // Nobody ever opens this FIFO for writing: an open that waited for a writer would never return.
    replaceWith((p) => execFileSync('mkfifo', [p]));
    c.proc.kill('SIGHUP');
    expect(await waitFor(() => refusals().length === 2, 20_000)).toBe(true);
    expect(refusals()[1]).toBe('reload refused, cannot read flash.xml: is not a regular file (a FIFO); kept the previous policies');
    expect((await rawExchange({ port, chunks: [REQUEST] })).bytes.toString()).toBe(FLASH + '\0');

    replaceWith((p) => symlinkSync('huge.xml', p));
    c.proc.kill('SIGHUP');
    expect(await waitFor(() => refusals().length === 3, 20_000)).toBe(true);
    expect(refusals()[2]).toMatch(/^reload refused, cannot read flash\.xml: is 4194347 bytes; the limit for a policy file is 4194304 bytes \(4 MiB, DEFAULT_XML_LIMITS\.maxLength\); kept the previous policies$/);

    // A link to a regular file is read as that file.
    writeFileSync(join(d, 'b.xml'), FLASH_B);
    replaceWith((p) => symlinkSync('b.xml', p));
    c.proc.kill('SIGHUP');
    expect(await c.waitForLine(/^reloaded .*flash/)).not.toBeNull();
    expect((await rawExchange({ port, chunks: [REQUEST] })).bytes.toString()).toBe(FLASH_B + '\0');
    c.proc.kill('SIGTERM');
    expect(await c.exited()).toBe(0);
  });

  it('SRV-RELOAD-3: a policy that is not a regular file stops the server before it binds (exit 2, file and reason named)', async () => {
    const d = dir({});
    symlinkSync('/dev/zero', join(d, 'flash.xml'));
    const c = serve(['--flash', 'flash.xml', '--flash-port', '0'], { cwd: d });
    expect(await c.exited()).toBe(2);
    expect(c.stderr()).toBe('xdpolicy serve: cannot read flash.xml: is not a regular file (a character device)\n');
    expect(c.stdout()).not.toContain('listening');
  });

  it('SRV-BIND-3: adopts a listening socket passed by systemd socket activation (LISTEN_FDS, fd 3)', async () => {
    expect(inheritedListenFds({ LISTEN_PID: '42', LISTEN_FDS: '2', LISTEN_FDNAMES: 'silverlight:flash' }, 42, ['flash', 'silverlight'])).toEqual({ silverlight: 3, flash: 4 });
    expect(inheritedListenFds({ LISTEN_PID: '42', LISTEN_FDS: '1' }, 42, ['flash'])).toEqual({ flash: 3 });
    expect(inheritedListenFds({ LISTEN_PID: '41', LISTEN_FDS: '1' }, 42, ['flash'])).toEqual({});

    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as net.AddressInfo).port;
    const fd = (holder as unknown as { _handle: { fd: number } })._handle.fd;
    const d = dir({ 'flash.xml': FLASH });
    const c = serve(['--flash', 'flash.xml'], {
      cwd: d,
      stdio: ['ignore', 'pipe', 'pipe', fd],
      shellPrefix: 'export LISTEN_PID=$$ LISTEN_FDS=1 LISTEN_FDNAMES=flash;',
    });
    // The child has its own copy of the descriptor; stop accepting on ours.
    holder.close();
    expect(portFrom(await c.waitForLine(/listening flash xmlsocket:\/\/127\.0\.0\.1:(\d+)/))).toBe(port);
    expect((await rawExchange({ port, chunks: [REQUEST] })).bytes.toString()).toBe(FLASH + '\0');
    c.proc.kill('SIGTERM');
    expect(await c.exited()).toBe(0);
  });

  it.runIf(process.getuid?.() === 0)('SRV-BIND-3: --user drops root after binding', async () => {
    const d = dir({ 'flash.xml': FLASH });
    const c = serve(['--flash', 'flash.xml', '--flash-port', '0', '--user', 'nobody'], { cwd: d });
    const port = portFrom(await c.waitForLine(/listening flash xmlsocket:\/\/127\.0\.0\.1:(\d+)/));
    expect(await c.waitForLine(/^running as nobody/)).not.toBeNull();
    const status = readFileSync(`/proc/${c.proc.pid}/status`, 'utf8');
    const uids = status.match(/^Uid:\s+(\d+)\s+(\d+)\s+(\d+)/m)!;
    expect(uids.slice(1).every((u) => u !== '0')).toBe(true);
    expect((await rawExchange({ port, chunks: [REQUEST] })).bytes.toString()).toBe(FLASH + '\0');
    c.proc.kill('SIGTERM');
    expect(await c.exited()).toBe(0);
  });
});
