import * as http from 'node:http';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { preparePolicies } from './index.js';
import { attachPolicyResponder } from './inline.js';
import { rawExchange } from './test-support/client.js';

const FLASH = '<cross-domain-policy><allow-access-from domain="www.example.com" to-ports="8080"/></cross-domain-policy>';
const REQUEST = '<policy-file-request/>\0';
const prepared = preparePolicies({ flash: FLASH }, 8080);
if (!prepared.ok) throw new Error('fixture policy must be valid');
const policies = prepared.policies;

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => { s.close(() => r()); (s as http.Server).closeAllConnections?.(); })));
});
/** Polls `predicate` every 20 ms until it holds or `ms` pass; returns whether it held. */
async function waitFor(predicate: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await predicate()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return predicate();
}
async function listen<S extends net.Server>(s: S): Promise<number> {
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.address() as net.AddressInfo).port;
}

describe('inline mode on an HTTP server', () => {
  it('SRV-INLINE-1: a split policy request on the application port gets the policy and a NUL', async () => {
    const server = http.createServer((_req, res) => res.end('hello from the app'));
    const responder = attachPolicyResponder(server, { policies });
    const port = await listen(server);
    const r = await rawExchange({ port, chunks: ['<policy-', 'file-request', '/>', '\0'], gapMs: 30 });
    expect(r.bytes.toString()).toBe(FLASH + '\0');
    const oneByte = await rawExchange({ port, chunks: [...REQUEST], gapMs: 2 });
    expect(oneByte.bytes.toString()).toBe(FLASH + '\0');
    expect(responder.counters().served).toBe(2);
  });

  it('SRV-INLINE-2: HTTP requests still reach the application, split or not, with every byte', async () => {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => res.end(`app ${req.method} ${req.url} ${body}`));
    });
    const responder = attachPolicyResponder(server, { policies });
    const port = await listen(server);
    const viaFetch = await fetch(`http://127.0.0.1:${port}/x?y=1`, { method: 'POST', body: 'payload' });
    expect(await viaFetch.text()).toBe('app POST /x?y=1 payload');
    // A request whose first byte is '<' shares a prefix with the policy request: the bytes
    // already read must be given back to the application.
    const raw = await rawExchange({ port, chunks: ['<', 'policy-file-X'], gapMs: 30, deadlineMs: 3000 });
    expect(raw.bytes.toString()).toMatch(/^HTTP\/1\.1 400/);
    const split = await rawExchange({ port, chunks: ['GE', 'T /split HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'], gapMs: 30 });
    expect(split.bytes.toString()).toContain('app GET /split ');
    expect(responder.counters().handedOver).toBe(3);
  });

  it('SRV-INLINE-1: detach() stops intercepting', async () => {
    const server = http.createServer((_req, res) => res.end('app'));
    const responder = attachPolicyResponder(server, { policies });
    responder.detach();
    const port = await listen(server);
    const r = await rawExchange({ port, chunks: [REQUEST], deadlineMs: 3000 });
    expect(r.bytes.toString()).not.toContain('cross-domain-policy');
  });
});

describe('inline mode: the deadline (SRV-INLINE-3)', () => {
  const openOn = (server: net.Server): Promise<number> => new Promise((r) => server.getConnections((_e, n) => r(n)));

  it('SRV-INLINE-3: an answered client that never closes its side does not keep the application socket', async () => {
    // An HTTP server allows half-open sockets: after the answer, the old responder waited for the
    // client's FIN for ever.
    const server = http.createServer((_req, res) => res.end('app'));
    attachPolicyResponder(server, { policies, timeoutMs: 300 });
    const port = await listen(server);
    const client = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    client.on('error', () => {});
    const got: Buffer[] = [];
    client.on('data', (d: Buffer) => got.push(d));
    const ended = new Promise<void>((r) => client.once('end', () => r()));
    client.write(REQUEST);
    await ended; // the policy and the server's FIN; the client keeps its side open
    expect(Buffer.concat(got).toString()).toBe(FLASH + '\0');
    expect(await waitFor(async () => (await openOn(server)) === 0, 10_000)).toBe(true);
    client.destroy();
  });

  it('SRV-INLINE-3 SRV-TIME-1: a request dripped byte by byte is closed at the deadline, unanswered, however often bytes arrive', async () => {
    const server = http.createServer((_req, res) => res.end('app'));
    const responder = attachPolicyResponder(server, { policies, timeoutMs: 300 });
    const port = await listen(server);
    // 23 bytes 100 ms apart take 2.2 s; every byte would re-arm an idle timer of 300 ms.
    const r = await rawExchange({ port, chunks: [...REQUEST], gapMs: 100, deadlineMs: 10_000 });
    expect(r.end).not.toBe('deadline');
    expect(r.bytes.length).toBe(0);
    expect(responder.counters()).toEqual({ served: 0, refused: 0, timedOut: 1, handedOver: 0 });
    expect(await waitFor(async () => (await openOn(server)) === 0, 10_000)).toBe(true);
  });
});

describe('inline mode on a raw net.Server', () => {
  it('SRV-INLINE-1 SRV-INLINE-2: policy requests answered; an application protocol starting with the same bytes keeps them', async () => {
    const server = net.createServer((socket) => {
      let got = '';
      socket.on('data', (d: Buffer) => {
        got += d.toString('latin1');
        if (got.includes('\n')) socket.end(`echo:${got}`);
      });
    });
    attachPolicyResponder(server, { policies });
    const port = await listen(server);
    const policy = await rawExchange({ port, chunks: ['<policy-file-req', 'uest/>\0'], gapMs: 30 });
    expect(policy.bytes.toString()).toBe(FLASH + '\0');
    const app = await rawExchange({ port, chunks: ['<policy', '-file-request/ but not really\n'], gapMs: 30 });
    expect(app.bytes.toString()).toBe('echo:<policy-file-request/ but not really\n');
    const plain = await rawExchange({ port, chunks: ['hello\n'] });
    expect(plain.bytes.toString()).toBe('echo:hello\n');
  });

  it('SRV-INLINE-2: a silent connection is handed to the application after the timeout', async () => {
    const server = net.createServer((socket) => socket.end('server speaks first\n'));
    const responder = attachPolicyResponder(server, { policies, timeoutMs: 200 });
    const port = await listen(server);
    const r = await rawExchange({ port, chunks: [], deadlineMs: 3000 });
    expect(r.bytes.toString()).toBe('server speaks first\n');
    expect(responder.counters().handedOver).toBe(1);
  });

  it('SRV-FRAME-5 SRV-INLINE-1: a policy request followed by more bytes is refused, not answered', async () => {
    const server = net.createServer((socket) => socket.end('app'));
    const responder = attachPolicyResponder(server, { policies });
    const port = await listen(server);
    const r = await rawExchange({ port, chunks: [REQUEST + 'more'] });
    expect(r.bytes.length).toBe(0);
    expect(responder.counters().refused).toBe(1);
  });
});
