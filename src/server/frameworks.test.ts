// The HTTP handlers against the real frameworks (devDependencies only; the library itself has no
// dependency on Express or Fastify: it uses their shapes structurally).
import express from 'express';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { expressPolicyMiddleware, fastifyPolicyHandler } from './http.js';
import { preparePolicies } from './index.js';

const CROSSDOMAIN = '<?xml version="1.0"?>\n<cross-domain-policy>\n  <site-control permitted-cross-domain-policies="master-only"/>\n  <allow-access-from domain="www.example.com"/>\n</cross-domain-policy>\n';
const SILVERLIGHT = '<access-policy><cross-domain-access><policy><allow-from><domain uri="http://www.example.com"/></allow-from><grant-to><resource path="/api/" include-subpaths="true"/></grant-to></policy></cross-domain-access></access-policy>';
const prepared = preparePolicies({ 'http-flash': CROSSDOMAIN, 'http-silverlight': SILVERLIGHT });
if (!prepared.ok) throw new Error('fixture policies must be valid');
const policies = prepared.policies;

describe('real frameworks', () => {
  it('SRV-HTTP-1 SRV-HTTP-2 SRV-HTTP-3: Express serves both policies with their headers and passes everything else on', async () => {
    const app = express();
    app.use(expressPolicyMiddleware(policies));
    app.get('/app', (_req, res) => void res.send('app'));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const cd = await fetch(`${base}/crossdomain.xml`);
      expect(cd.status).toBe(200);
      expect(cd.headers.get('content-type')).toBe('text/x-cross-domain-policy');
      expect(cd.headers.get('x-permitted-cross-domain-policies')).toBe('master-only');
      expect(await cd.text()).toBe(CROSSDOMAIN);
      const sl = await fetch(`${base}/clientaccesspolicy.xml`);
      expect(sl.headers.get('content-type')).toBe('text/xml; charset=utf-8');
      expect(await sl.text()).toBe(SILVERLIGHT);
      const head = await fetch(`${base}/crossdomain.xml`, { method: 'HEAD' });
      expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(CROSSDOMAIN)));
      expect(await head.text()).toBe('');
      expect((await fetch(`${base}/crossdomain.xml`, { method: 'DELETE' })).status).toBe(405);
      expect(await (await fetch(`${base}/app`)).text()).toBe('app');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('SRV-HTTP-1 SRV-HTTP-2 SRV-HTTP-3: Fastify routes serve both policies with their headers, HEAD included', async () => {
    const app = Fastify();
    const handler = fastifyPolicyHandler(policies);
    app.get('/crossdomain.xml', handler);
    app.get('/clientaccesspolicy.xml', handler);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const cd = await fetch(`${base}/crossdomain.xml`);
      expect(cd.status).toBe(200);
      expect(cd.headers.get('content-type')).toBe('text/x-cross-domain-policy');
      expect(cd.headers.get('x-permitted-cross-domain-policies')).toBe('master-only');
      expect(await cd.text()).toBe(CROSSDOMAIN);
      const sl = await fetch(`${base}/clientaccesspolicy.xml?v=2`);
      expect(sl.headers.get('content-type')).toBe('text/xml; charset=utf-8');
      expect(await sl.text()).toBe(SILVERLIGHT);
      const head = await fetch(`${base}/crossdomain.xml`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toBe('text/x-cross-domain-policy');
      expect(await head.text()).toBe('');
      expect((await fetch(`${base}/other`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
