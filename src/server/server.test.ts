import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as net from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { FLASH_POLICY_REQUEST, SILVERLIGHT_POLICY_REQUEST, matchRequestChunk } from './framing.js';
import { PolicyServerStartError, preparePolicies, startPolicyServer, type PolicyServerOptions, type RunningPolicyServer } from './index.js';
import { addressKey } from './limits.js';
import { idleSocket, loopback, rawExchange, waitFor } from './test-support/client.js';

const FLASH = '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="www.example.com" to-ports="1234"/>\n</cross-domain-policy>\n';
const FLASH_B = '<cross-domain-policy><allow-access-from domain="other.example.com" to-ports="5000-5010"/></cross-domain-policy>';
const SILVERLIGHT =
  '<?xml version="1.0" encoding="utf-8"?>\n<access-policy><cross-domain-access><policy><allow-from><domain uri="http://www.example.com"/></allow-from><grant-to><socket-resource port="4502-4506" protocol="tcp"/></grant-to></policy></cross-domain-access></access-policy>';
const REQUEST = '<policy-file-request/>\0';

let running: RunningPolicyServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((s) => s.close()));
  running = [];
});

async function start(options: Partial<PolicyServerOptions> = {}): Promise<RunningPolicyServer> {
  const s = await startPolicyServer({ flash: { policy: FLASH, port: 0 }, silverlight: { policy: SILVERLIGHT, port: 0 }, timeoutMs: 2000, ...options });
  running.push(s);
  return s;
}
const portOf = (s: RunningPolicyServer, kind: 'flash' | 'silverlight' | 'http') => s.listeners.find((l) => l.kind === kind)!.port;

describe('framing (pure)', () => {
  it('SRV-FRAME-1 SRV-FRAME-2: the requests are the 23- and 22-byte strings', () => {
    expect(FLASH_POLICY_REQUEST.length).toBe(23);
    expect(FLASH_POLICY_REQUEST.at(-1)).toBe(0);
    expect(SILVERLIGHT_POLICY_REQUEST.length).toBe(22);
    expect(SILVERLIGHT_POLICY_REQUEST.toString()).toBe('<policy-file-request/>');
  });

  it('SRV-FRAME-3: every split of the request matches; any wrong byte is a mismatch', () => {
    for (let cut = 0; cut <= 23; cut++) {
      const a = matchRequestChunk(FLASH_POLICY_REQUEST, 0, FLASH_POLICY_REQUEST.subarray(0, cut));
      const matched = a.state === 'partial' ? a.matched : 23;
      expect(matched).toBe(cut);
      if (cut < 23) expect(matchRequestChunk(FLASH_POLICY_REQUEST, matched, FLASH_POLICY_REQUEST.subarray(cut))).toEqual({ state: 'complete' });
    }
    for (let i = 0; i < 23; i++) {
      const bad = Buffer.from(FLASH_POLICY_REQUEST);
      bad[i] = bad[i]! ^ 0x20;
      const r = matchRequestChunk(FLASH_POLICY_REQUEST, 0, bad);
      expect(r).toEqual({ state: 'mismatch', offset: i });
    }
  });

  it('SRV-FRAME-4 SRV-FRAME-5: one trailing NUL only where allowed; anything more is excess', () => {
    const withNul = Buffer.from('<policy-file-request/>\0');
    expect(matchRequestChunk(SILVERLIGHT_POLICY_REQUEST, 0, withNul, true)).toEqual({ state: 'complete' });
    expect(matchRequestChunk(SILVERLIGHT_POLICY_REQUEST, 0, withNul, false)).toEqual({ state: 'excess' });
    expect(matchRequestChunk(FLASH_POLICY_REQUEST, 0, Buffer.from(REQUEST + 'x'))).toEqual({ state: 'excess' });
    expect(matchRequestChunk(FLASH_POLICY_REQUEST, 0, Buffer.from(REQUEST + '\0'))).toEqual({ state: 'excess' });
  });

  it('SRV-LIMIT-2: IPv4 addresses count alone, IPv6 by /64, mapped IPv4 as IPv4', () => {
    expect(addressKey('127.0.0.2')).toBe('127.0.0.2');
    expect(addressKey('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:bbbb::9'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
  });
});

describe('socket listeners on loopback', () => {
  it('SRV-FRAME-1 SRV-FRAME-6: the Flash listener answers the exact request with the policy, one NUL, then closes', async () => {
    const s = await start();
    const r = await rawExchange({ port: portOf(s, 'flash'), chunks: [REQUEST] });
    expect(r.end).toBe('closed');
    expect(r.bytes.equals(Buffer.concat([Buffer.from(FLASH, 'utf8'), Buffer.from([0])]))).toBe(true);
    expect(s.counters().served).toBe(1);
  });

  it('SRV-FRAME-3: a request sent one byte at a time is answered', async () => {
    const s = await start();
    const r = await rawExchange({ port: portOf(s, 'flash'), chunks: [...REQUEST], gapMs: 5 });
    expect(r.bytes.toString('utf8')).toBe(FLASH + '\0');
  });

  it('SRV-FRAME-2 SRV-FRAME-6: the Silverlight listener answers the 22-byte request with clientaccesspolicy.xml', async () => {
    const s = await start();
    const r = await rawExchange({ port: portOf(s, 'silverlight'), chunks: ['<policy-file-', 'request/>'], gapMs: 20 });
    expect(r.end).toBe('closed');
    expect(r.bytes.toString('utf8')).toBe(SILVERLIGHT);
  });

  it('SRV-FRAME-4: the Silverlight listener also accepts the request with a NUL', async () => {
    const s = await start();
    const r = await rawExchange({ port: portOf(s, 'silverlight'), chunks: [REQUEST] });
    expect(r.bytes.toString('utf8')).toBe(SILVERLIGHT);
  });

  it('SRV-FRAME-3: garbage is closed without a policy and counted as refused', async () => {
    const s = await start();
    for (const garbage of ['GET / HTTP/1.0\r\n\r\n', '<policy-file-request />\0', '<POLICY-FILE-REQUEST/>\0', '<p']) {
      const r = await rawExchange({ port: portOf(s, 'flash'), chunks: [garbage], deadlineMs: garbage === '<p' ? 500 : 5000 });
      expect(r.bytes.length, garbage).toBe(0);
    }
    // Three refused at the first wrong byte, and '<p' refused when the client gave up (closed early).
    expect(await waitFor(() => s.counters().refused === 4)).toBe(true);
    expect(s.counters().served).toBe(0);
  });

  it('SRV-FRAME-5: a request followed by more bytes is refused at once', async () => {
    const s = await start();
    const r = await rawExchange({ port: portOf(s, 'flash'), chunks: [REQUEST + 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] });
    expect(r.end === 'closed' || r.end === 'reset').toBe(true);
    expect(r.bytes.length).toBe(0);
    expect(s.counters().refused).toBe(1);
  });

  it('SRV-OPS-3: connectionEvents: false keeps per-connection events out of onEvent; the counters still count', async () => {
    for (const connectionEvents of [true, false]) {
      const events: string[] = [];
      const s = await start({ connectionEvents, onEvent: (e) => events.push(e.type) });
      const r = await rawExchange({ port: portOf(s, 'flash'), chunks: [REQUEST] });
      expect(r.bytes.toString()).toBe(FLASH + '\0');
      expect(s.counters().served).toBe(1);
      expect(events.includes('listening')).toBe(true);
      expect(events.includes('served')).toBe(connectionEvents);
    }
  });

  it('SRV-TIME-1: an idle client is closed at the deadline and counted as timed out', async () => {
    const s = await start({ timeoutMs: 300 });
    const r = await rawExchange({ port: portOf(s, 'flash'), chunks: [], deadlineMs: 5000 });
    expect(r.end).toBe('closed');
    expect(r.bytes.length).toBe(0);
    expect(s.counters().timedOut).toBe(1);
  });

  it('SRV-TIME-1: the deadline is absolute: a client dripping bytes is closed before finishing', async () => {
    const s = await start({ timeoutMs: 400 });
    // 23 bytes 60 ms apart take about 1.3 s, far beyond the 400 ms deadline; each byte alone is
    // well within it, so an idle timer would never fire.
    const r = await rawExchange({ port: portOf(s, 'flash'), chunks: [...REQUEST], gapMs: 60, deadlineMs: 5000 });
    expect(r.bytes.length).toBe(0);
    expect(s.counters().timedOut).toBe(1);
    expect(s.counters().served).toBe(0);
  });

  it('SRV-LIMIT-1: beyond the total cap a connection is closed at once and counted', async () => {
    const s = await start({ maxConnections: 3, maxConnectionsPerAddress: 10 });
    const port = portOf(s, 'flash');
    const idle = await Promise.all([0, 1, 2].map((i) => idleSocket(port, loopback(i))));
    expect(await waitFor(() => s.counters().open === 3)).toBe(true);
    const r = await rawExchange({ port, chunks: [REQUEST], localAddress: loopback(3) });
    expect(r.bytes.length).toBe(0);
    expect(s.counters().overLimit).toBe(1);
    idle.forEach((x) => x.destroy());
    expect(await waitFor(() => s.counters().open === 0)).toBe(true);
    const again = await rawExchange({ port, chunks: [REQUEST], localAddress: loopback(3) });
    expect(again.bytes.toString()).toBe(FLASH + '\0');
  });

  it('SRV-LIMIT-2: one address cannot take the slots of others', async () => {
    const s = await start({ maxConnections: 100, maxConnectionsPerAddress: 4 });
    const port = portOf(s, 'flash');
    const hog = await Promise.all([0, 1, 2, 3].map(() => idleSocket(port, '127.0.0.50')));
    expect(await waitFor(() => s.counters().open === 4)).toBe(true);
    const fromHog = await rawExchange({ port, chunks: [REQUEST], localAddress: '127.0.0.50' });
    expect(fromHog.bytes.length).toBe(0);
    expect(s.counters().overLimit).toBe(1);
    const fromOther = await rawExchange({ port, chunks: [REQUEST], localAddress: '127.0.0.51' });
    expect(fromOther.bytes.toString()).toBe(FLASH + '\0');
    hog.forEach((x) => x.destroy());
  });

  it('SRV-LIMIT-3: with 1,000 idle sockets open, a real client is still served within a second', async () => {
    const s = await start({ timeoutMs: 60_000, maxConnectionsPerAddress: 100 });
    const port = portOf(s, 'flash');
    const idle: net.Socket[] = [];
    try {
      // 1,000 idle clients from 127.0.0.2–127.0.0.11, 100 each (the per-address cap).
      for (let batch = 0; batch < 10; batch++) {
        idle.push(...(await Promise.all(Array.from({ length: 100 }, () => idleSocket(port, loopback(batch))))));
      }
      expect(await waitFor(() => s.counters().open === 1000, 10_000)).toBe(true);
      // The issue asks for "within a second"; the client gives up after 3 s instead. The answer
      // takes about a millisecond, but CI is a shared 2-core box that can stall a process for
      // longer than a second, and unit tests assert no speeds (TEAM.md). What this checks is that
      // 1,000 idle sockets neither block nor lock out a new client: it is answered, not cut off
      // by a limit. p99 with and without idle sockets is measured in bench/serve.ts.
      const r = await rawExchange({ port, chunks: [REQUEST], localAddress: '127.0.0.1', deadlineMs: 3000 });
      expect(r.end).toBe('closed');
      expect(r.bytes.toString()).toBe(FLASH + '\0');
      expect(s.counters().overLimit).toBe(0);
    } finally {
      idle.forEach((x) => x.destroy());
    }
  });

  it('SRV-RELOAD-1: under load every response is wholly the old or wholly the new policy', async () => {
    const s = await start({ maxConnectionsPerAddress: 1000 });
    const port = portOf(s, 'flash');
    const seen = new Set<string>();
    let failures = 0;
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; i < 2000 && !stop; i++) {
        const r = await rawExchange({ port, chunks: [REQUEST], localAddress: loopback(w * 7 + i) });
        const text = r.bytes.toString('utf8');
        if (text === FLASH + '\0' || text === FLASH_B + '\0') seen.add(text);
        else failures++;
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(worker));
    // At least 20 reloads, and on until both policies were seen (bounded: a slow shared machine
    // may need more than 20 to catch a response of each).
    let reloads = 0;
    for (let i = 0; i < 400 && (i < 20 || seen.size < 2); i++) {
      const r = s.reload({ flash: i % 2 === 0 ? FLASH_B : FLASH });
      expect(r.ok).toBe(true);
      reloads++;
      await new Promise((res) => setTimeout(res, 10));
    }
    stop = true;
    await load;
    expect(failures).toBe(0);
    expect(seen.size).toBe(2);
    expect(s.counters().reloads).toBe(reloads);
  });

  it('SRV-RELOAD-2: an invalid policy keeps the old one and says where', async () => {
    const s = await start();
    const r = s.reload({ flash: '<cross-domain-policy>\n  <allow-access-from domain="x"\n</cross-domain-policy>' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]!.slot).toBe('flash');
      expect(r.problems[0]!.errors[0]!.line).toBeGreaterThan(0);
      expect(r.message).toMatch(/flash:\d+:\d+:/);
    }
    const served = await rawExchange({ port: portOf(s, 'flash'), chunks: [REQUEST] });
    expect(served.bytes.toString()).toBe(FLASH + '\0');
    expect(s.counters().reloadsRejected).toBe(1);
  });

  it('SRV-OPS-2: close() stops accepting and lets a connection in flight finish', async () => {
    const s = await start();
    const port = portOf(s, 'flash');
    const inFlight = new net.Socket();
    const got: Buffer[] = [];
    const ended = new Promise<void>((r) => inFlight.on('close', () => r()));
    inFlight.on('data', (d) => got.push(d));
    inFlight.on('error', () => {});
    await new Promise<void>((r) => inFlight.connect(port, '127.0.0.1', () => r()));
    inFlight.write(REQUEST.slice(0, 10));
    expect(await waitFor(() => s.counters().open === 1)).toBe(true);
    const closing = s.close();
    // close() first accepts what the kernel already queued (the test below); then nothing more.
    let late = await rawExchange({ port, chunks: [REQUEST], deadlineMs: 2000 });
    for (let i = 0; i < 100 && late.end !== 'refused'; i++) late = await rawExchange({ port, chunks: [REQUEST], deadlineMs: 2000 });
    expect(late.end).toBe('refused');
    inFlight.write(REQUEST.slice(10));
    await ended;
    await closing;
    expect(Buffer.concat(got).toString()).toBe(FLASH + '\0');
    running = running.filter((x) => x !== s);
  });
});

describe('closing with connections in the accept queue', () => {
  // A worker thread opens the connections while this thread's event loop is blocked: the kernel
  // completes every handshake and queues the connections (with their requests) in the listeners'
  // accept queues, where this process has not accepted them yet. Then close() runs at once.
  const CLIENTS = `
    const { parentPort, workerData } = require('node:worker_threads');
    const net = require('node:net');
    const { targets, flag } = workerData;
    const total = targets.reduce((n, t) => n + t.count, 0);
    const results = [];
    let connected = 0;
    parentPort.once('message', () => {
      for (const t of targets) {
        for (let i = 0; i < t.count; i++) {
          const chunks = [];
          let settled = false;
          const settle = (error) => {
            if (settled) return;
            settled = true;
            results.push({ kind: t.kind, text: Buffer.concat(chunks).toString('latin1'), error });
            if (results.length === total) parentPort.postMessage(results);
          };
          const s = net.connect({ port: t.port, host: '127.0.0.1' });
          s.on('data', (d) => chunks.push(d));
          s.on('error', (e) => settle(e.code));
          s.on('close', () => settle(null));
          s.on('connect', () => {
            s.write(t.request);
            if (++connected === total) { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); }
          });
        }
      }
    });`;

  it('SRV-OPS-2: connections the kernel had queued when close() was called are served, not reset', async () => {
    const s = await start({ http: { port: 0, flashPolicy: FLASH } });
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const targets = [
      { kind: 'flash', port: portOf(s, 'flash'), request: REQUEST, count: 40 },
      { kind: 'http', port: portOf(s, 'http'), request: 'GET /crossdomain.xml HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n', count: 20 },
    ];
    const worker = new Worker(CLIENTS, { eval: true, workerData: { targets, flag } });
    try {
      await once(worker, 'online');
      const answers = once(worker, 'message') as Promise<[{ kind: string; text: string; error: string | null }[]]>;
      worker.postMessage('go');
      // Block this thread until every client is connected and has sent its request.
      expect(Atomics.wait(flag, 0, 0, 20_000)).not.toBe('timed-out');
      const closing = s.close();
      const [results] = await answers;
      await closing;
      running = running.filter((x) => x !== s);
      const flash = results.filter((r) => r.kind === 'flash');
      const http = results.filter((r) => r.kind === 'http');
      expect(flash.filter((r) => r.error !== null || r.text !== FLASH + '\0')).toEqual([]);
      expect(http.filter((r) => r.error !== null || !r.text.startsWith('HTTP/1.1 200 ') || !r.text.endsWith(FLASH))).toEqual([]);
      expect(s.counters().served).toBe(60);
    } finally {
      await worker.terminate();
    }
  });
});

describe('validation and binding', () => {
  it('SRV-VALID-1: a policy that does not parse is refused with its line and column', async () => {
    const bad = '<cross-domain-policy>\n  <allow-access-from domain="*"></allow-access-frm>\n</cross-domain-policy>';
    const err = await startPolicyServer({ flash: { policy: bad, port: 0 } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PolicyServerStartError);
    const e = err as PolicyServerStartError;
    expect(e.code).toBe('invalid-policy');
    expect(e.problems[0]!.errors[0]!.line).toBe(2);
    expect(e.message).toMatch(/flash:2:\d+:/);
  });

  it('SRV-VALID-1: /crossdomain.xml is checked too, before anything binds', async () => {
    const err = await startPolicyServer({ http: { port: 0, flashPolicy: '<not-a-policy/>' } }).catch((e: unknown) => e);
    expect((err as PolicyServerStartError).code).toBe('invalid-policy');
    expect((err as PolicyServerStartError).problems[0]!.slot).toBe('http-flash');
  });

  it('SRV-VALID-1: lint findings of medium severity and above come back as warnings; the policy is still served', () => {
    const open = '<cross-domain-policy>\n  <allow-access-from domain="*" to-ports="*"/>\n</cross-domain-policy>';
    const r = preparePolicies({ flash: open }, 843);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const warnings = r.warnings.flatMap((w) => w.warnings);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((w) => w.line === 2)).toBe(true);
    expect(warnings.some((w) => w.id.startsWith('LINT-') && (w.severity === 'high' || w.severity === 'medium'))).toBe(true);
    const quiet = preparePolicies({ flash: FLASH }, 843);
    expect(quiet.ok && quiet.warnings.flatMap((w) => w.warnings).filter((w) => w.id.startsWith('LINT-')).map((w) => w.severity)).not.toContain('high');
  });

  it('SRV-VALID-2: with nothing configured the server refuses to start (no default policy)', async () => {
    const err = await startPolicyServer({}).catch((e: unknown) => e);
    expect((err as PolicyServerStartError).code).toBe('nothing-to-serve');
  });

  it('SRV-BIND-2: a taken port fails with EADDRINUSE and releases the listeners already bound', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const err = await startPolicyServer({ flash: { policy: FLASH, port: 0 }, silverlight: { policy: SILVERLIGHT, port: taken } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PolicyServerStartError);
      expect((err as PolicyServerStartError).code).toBe('bind');
      expect((err as PolicyServerStartError).syscallCode).toBe('EADDRINUSE');
      expect((err as Error).message).toContain(`127.0.0.1:${taken}`);
      expect((err as Error).message).toContain('silverlight');
    } finally {
      blocker.close();
    }
  });

  it('SRV-BIND-1: while the server listens, no other socket can bind its port, with SO_REUSEADDR or SO_REUSEPORT', async () => {
    const s = await start();
    const port = portOf(s, 'flash');
    // Another Node server (libuv sets SO_REUSEADDR on listening sockets).
    const other = net.createServer();
    const code = await new Promise<string>((r) => {
      other.once('error', (e: NodeJS.ErrnoException) => r(e.code ?? 'error'));
      other.listen({ port, host: '127.0.0.1' }, () => r('bound'));
    });
    other.close();
    expect(code).toBe('EADDRINUSE');
    // A foreign process opting into SO_REUSEADDR and SO_REUSEPORT (what a hijacker would do):
    // Linux lets it share only when the first socket opted in too, which the server never does.
    const py = spawnSync(
      'python3',
      [
        '-c',
        `import socket,sys
for opt in ("REUSEADDR", "REUSEPORT", "BOTH"):
    s = socket.socket()
    if opt in ("REUSEADDR", "BOTH"): s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if opt in ("REUSEPORT", "BOTH"): s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        s.bind(("127.0.0.1", ${port})); s.listen(1); print(opt, "bound")
    except OSError as e:
        print(opt, e.errno)
    s.close()`,
      ],
      { encoding: 'utf8', timeout: 10_000 },
    );
    if (py.error) return; // no python3 on this machine: the Node check above still ran
    expect(py.stdout).not.toContain('bound');
    expect(py.stdout.trim().split('\n')).toHaveLength(3);
    // The server still answers.
    const r = await rawExchange({ port, chunks: [REQUEST] });
    expect(r.bytes.toString()).toBe(FLASH + '\0');
  });
});
