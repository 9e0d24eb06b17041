import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { expressPolicyMiddleware, fastifyPolicyHandler, nodePolicyHandler, permittedCrossDomainPolicies, type FastifyLikeReply } from './http.js';
import { preparePolicies, startPolicyServer, type RunningPolicyServer } from './index.js';

const CROSSDOMAIN = '<?xml version="1.0"?>\n<cross-domain-policy>\n  <site-control permitted-cross-domain-policies="by-content-type"/>\n  <allow-access-from domain="www.example.com"/>\n</cross-domain-policy>\n';
const CROSSDOMAIN_NO_SITE_CONTROL = '<cross-domain-policy><allow-access-from domain="www.example.com"/></cross-domain-policy>';
const SILVERLIGHT = '<access-policy><cross-domain-access><policy><allow-from><domain uri="*"/></allow-from><grant-to><resource path="/api" include-subpaths="true"/></grant-to></policy></cross-domain-access></access-policy>';

let running: RunningPolicyServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((s) => s.close()));
  running = [];
});

async function get(port: number, path: string, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP listener', () => {
  it('SRV-HTTP-1 SRV-HTTP-2: /crossdomain.xml has text/x-cross-domain-policy and the header its site-control says', async () => {
    const s = await startPolicyServer({ http: { port: 0, flashPolicy: CROSSDOMAIN, silverlightPolicy: SILVERLIGHT } });
    running.push(s);
    const port = s.listeners[0]!.port;
    expect(s.listeners[0]!.url).toBe(`http://127.0.0.1:${port}`);
    const r = await get(port, '/crossdomain.xml');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/x-cross-domain-policy');
    expect(r.headers['x-permitted-cross-domain-policies']).toBe('by-content-type');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(CROSSDOMAIN)));
    expect(r.body).toBe(CROSSDOMAIN);
    const sl = await get(port, '/clientaccesspolicy.xml?x=1');
    expect(sl.status).toBe(200);
    expect(sl.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(sl.headers['x-permitted-cross-domain-policies']).toBe('by-content-type');
    expect(sl.body).toBe(SILVERLIGHT);
    const nf = await get(port, '/CROSSDOMAIN.XML');
    expect(nf.status).toBe(404);
    expect(nf.headers['x-permitted-cross-domain-policies']).toBe('by-content-type');
    expect(s.counters()).toMatchObject({ served: 2, refused: 1 });
  });

  it('SRV-HTTP-2: without site-control the header is master-only; without a Flash policy it is none', async () => {
    const a = preparePolicies({ 'http-flash': CROSSDOMAIN_NO_SITE_CONTROL });
    const b = preparePolicies({ 'http-silverlight': SILVERLIGHT });
    expect(a.ok && b.ok).toBe(true);
    if (a.ok) expect(permittedCrossDomainPolicies(a.policies)).toBe('master-only');
    if (b.ok) expect(permittedCrossDomainPolicies(b.policies)).toBe('none');
    const s = await startPolicyServer({ http: { port: 0, silverlightPolicy: SILVERLIGHT } });
    running.push(s);
    const r = await get(s.listeners[0]!.port, '/clientaccesspolicy.xml');
    expect(r.headers['x-permitted-cross-domain-policies']).toBe('none');
    expect((await get(s.listeners[0]!.port, '/crossdomain.xml')).status).toBe(404);
  });

  it('SRV-HTTP-3: HEAD has no body, POST gets 405 with Allow', async () => {
    const s = await startPolicyServer({ http: { port: 0, flashPolicy: CROSSDOMAIN } });
    running.push(s);
    const port = s.listeners[0]!.port;
    const head = await get(port, '/crossdomain.xml', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(CROSSDOMAIN)));
    const post = await get(port, '/crossdomain.xml', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('SRV-HTTP-1: the Flash socket policy is served at /crossdomain.xml when no URL policy is given', async () => {
    const socketPolicy = '<cross-domain-policy><allow-access-from domain="www.example.com" to-ports="1234"/></cross-domain-policy>';
    const s = await startPolicyServer({ flash: { policy: socketPolicy, port: 0 }, http: { port: 0 } });
    running.push(s);
    const r = await get(s.listeners.find((l) => l.kind === 'http')!.port, '/crossdomain.xml');
    expect(r.body).toBe(socketPolicy);
  });
});

describe('HTTP handlers for applications', () => {
  const prepared = preparePolicies({ 'http-flash': CROSSDOMAIN, 'http-silverlight': SILVERLIGHT });
  if (!prepared.ok) throw new Error('fixture policies must be valid');
  const policies = prepared.policies;

  it('SRV-HTTP-1: node:http handler answers policy paths and leaves the rest to the application', async () => {
    const answer = nodePolicyHandler(policies);
    const server = http.createServer((req, res) => {
      if (!answer(req, res)) res.writeHead(200, { 'content-type': 'text/plain' }).end('app');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      const p = await get(port, '/crossdomain.xml');
      expect(p.headers['content-type']).toBe('text/x-cross-domain-policy');
      expect(p.body).toBe(CROSSDOMAIN);
      expect((await get(port, '/other')).body).toBe('app');
    } finally {
      server.close();
    }
  });

  it('SRV-HTTP-1: Express-style middleware calls next() for other paths', async () => {
    const mw = expressPolicyMiddleware(policies);
    const server = http.createServer((req, res) => mw(req, res, () => res.writeHead(418).end('next')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      const p = await get(port, '/clientaccesspolicy.xml');
      expect(p.status).toBe(200);
      expect(p.headers['content-type']).toBe('text/xml; charset=utf-8');
      expect((await get(port, '/x')).status).toBe(418);
    } finally {
      server.close();
    }
  });

  it('SRV-HTTP-1 SRV-HTTP-2: Fastify-style handler sets status, headers and body on the reply', () => {
    const h = fastifyPolicyHandler(policies);
    const seen: { status?: number; headers: Record<string, string>; body?: unknown; notFound: boolean } = { headers: {}, notFound: false };
    const reply: FastifyLikeReply = {
      code(n) { seen.status = n; return reply; },
      header(k, v) { seen.headers[k] = v; return reply; },
      send(b) { seen.body = b; return reply; },
      callNotFound() { seen.notFound = true; },
    };
    h({ method: 'GET', url: '/crossdomain.xml' }, reply);
    expect(seen.status).toBe(200);
    expect(seen.headers['content-type']).toBe('text/x-cross-domain-policy');
    expect(seen.headers['x-permitted-cross-domain-policies']).toBe('by-content-type');
    expect(Buffer.isBuffer(seen.body) && (seen.body as Buffer).toString()).toBe(CROSSDOMAIN);
    h({ method: 'GET', url: '/nope' }, reply);
    expect(seen.notFound).toBe(true);
  });
});
