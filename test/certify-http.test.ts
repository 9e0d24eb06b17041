/**
 * URL-policy targets (status, Content-Type, meta-policy header, redirects), the lint case through
 * an injected analyzer, and the Silverlight no-NUL check — each against loopback fixtures.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAnalyzers, type Analyzers } from '../conformance/analyze.js';
import { defaultRunOptions } from '../conformance/model.js';
import { runCertification, type CertifyReport } from '../conformance/run.js';
import { FIXTURE_FLASH_POLICY, FIXTURE_SILVERLIGHT_POLICY, testTarget } from '../conformance/test-support/servers.js';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createHttpServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/crossdomain.xml') {
      res.writeHead(200, { 'content-type': 'text/x-cross-domain-policy', 'x-permitted-cross-domain-policies': 'master-only' });
      res.end(FIXTURE_FLASH_POLICY.replace('<cross-domain-policy>', '<cross-domain-policy>\n  <site-control permitted-cross-domain-policies="master-only"/>'));
    } else if (url === '/html/crossdomain.xml') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-permitted-cross-domain-policies': 'all' });
      res.end(FIXTURE_FLASH_POLICY.replace('<cross-domain-policy>', '<cross-domain-policy>\n  <site-control permitted-cross-domain-policies="master-only"/>'));
    } else if (url === '/bare-text/crossdomain.xml') {
      res.writeHead(200, { 'content-type': 'text/' });
      res.end(FIXTURE_FLASH_POLICY);
    } else if (url === '/away/crossdomain.xml') {
      res.writeHead(302, { location: 'http://elsewhere.example/crossdomain.xml' });
      res.end();
    } else if (url === '/here/crossdomain.xml') {
      res.writeHead(301, { location: '/crossdomain.xml' });
      res.end();
    } else if (url === '/clientaccesspolicy.xml') {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(FIXTURE_SILVERLIGHT_POLICY);
    } else {
      res.writeHead(404);
      res.end('not here');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function certify(url: string, strict = false, analyzers?: Analyzers): Promise<CertifyReport> {
  return runCertification({
    targets: [testTarget(url)],
    options: defaultRunOptions({ timeoutMs: 1000, strict }),
    analyzers: analyzers ?? (await loadAnalyzers()),
  });
}
const statusOf = (r: CertifyReport, id: string): string | undefined => r.results.find((x) => x.id === id)?.verdict.status;

describe('URL policy targets', () => {
  it('a well-served /crossdomain.xml passes status, Content-Type, header and redirect checks (WIRE-HTTP-1, WIRE-HTTP-2, WIRE-HTTP-3, WIRE-HTTP-4)', async () => {
    const r = await certify(`${base}/crossdomain.xml`, true);
    expect(r.targets[0]!.clients).toEqual(['flash']);
    for (const id of ['http/status', 'http/content-type', 'http/content-type-exact', 'http/meta-policy-header', 'http/no-cross-host-redirect', 'http/no-redirect', 'flash/policy/valid']) {
      expect([id, statusOf(r, id)]).toEqual([id, 'pass']);
    }
    expect(r.exitCode).toBe(0);
    expect(r.world[`${base}/crossdomain.xml`]).toMatchObject({ status: 200, contentType: 'text/x-cross-domain-policy', headers: { 'x-permitted-cross-domain-policies': 'master-only' } });
  });

  it('an unacceptable Content-Type fails (MUST) and a header that contradicts site-control warns (WIRE-HTTP-2, WIRE-HTTP-3)', async () => {
    const r = await certify(`${base}/html/crossdomain.xml`);
    expect(statusOf(r, 'http/content-type')).toBe('fail');
    expect(statusOf(r, 'http/meta-policy-header')).toBe('warn');
    expect(r.results.find((x) => x.id === 'http/meta-policy-header')!.verdict.actual).toMatch(/site-control says 'master-only'/);
    expect(r.exitCode).toBe(1);
  });

  it('WIRE-HTTP-2 asks the client\'s own rule (FLASH-URL-7): Content-Type "text/" has no subtype, so it fails as it is no policy to the client', async () => {
    const r = await certify(`${base}/bare-text/crossdomain.xml`);
    expect(statusOf(r, 'http/content-type')).toBe('fail');
    expect(r.results.find((x) => x.id === 'http/content-type')!.verdict.actual).toContain('Content-Type text/');
  });

  it('a cross-host redirect fails; a same-host one passes the MUST case and warns the SHOULD one (WIRE-HTTP-4)', async () => {
    const away = await certify(`${base}/away/crossdomain.xml`);
    expect(statusOf(away, 'http/no-cross-host-redirect')).toBe('fail');
    expect(statusOf(away, 'http/status')).toBe('fail');
    const here = await certify(`${base}/here/crossdomain.xml`);
    expect(statusOf(here, 'http/no-cross-host-redirect')).toBe('pass');
    expect(statusOf(here, 'http/no-redirect')).toBe('warn');
  });

  it('a 404 fails the status case (WIRE-HTTP-1) and /clientaccesspolicy.xml is certified for Silverlight', async () => {
    const missing = await certify(`${base}/nothing/crossdomain.xml`);
    expect(statusOf(missing, 'http/status')).toBe('fail');
    const sl = await certify(`${base}/clientaccesspolicy.xml`);
    expect(sl.targets[0]!.clients).toEqual(['silverlight']);
    expect(statusOf(sl, 'silverlight/policy/valid')).toBe('pass');
    expect(statusOf(sl, 'http/content-type')).toBe('pass');
  });

  it('a refused HTTP target could not be tested at all: exit 3', async () => {
    const probe = createNetServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const r = await certify(`http://127.0.0.1:${port}/crossdomain.xml`);
    expect(r.exitCode).toBe(3);
    expect(r.targets[0]!.reachable).toBe(false);
  });
});

describe('the lint case (WIRE-POL-2), through an injected linter', () => {
  it('fails on a high finding, passes when the operator accepts it, and skips without a linter', async () => {
    const real = await loadAnalyzers();
    const withLint = (findings: { id: string; severity: string; message: string }[]): Analyzers => ({ ...real, lint: () => findings });
    const high = [{ id: 'LINT-TEST-WIDE-OPEN', severity: 'high', message: 'grants every origin' }];
    const failing = await certify(`${base}/crossdomain.xml`, false, withLint(high));
    expect(statusOf(failing, 'flash/policy/lint')).toBe('fail');
    expect(failing.results.find((x) => x.id === 'flash/policy/lint')!.verdict.actual).toMatch(/LINT-TEST-WIDE-OPEN/);
    const accepted = await runCertification({
      targets: [testTarget(`${base}/crossdomain.xml`)],
      options: defaultRunOptions({ timeoutMs: 1000, expectations: { accept: ['LINT-TEST-WIDE-OPEN'], rules: [] } }),
      analyzers: withLint(high),
    });
    expect(statusOf(accepted, 'flash/policy/lint')).toBe('pass');
    const low = await certify(`${base}/crossdomain.xml`, false, withLint([{ id: 'LINT-TEST-STYLE', severity: 'low', message: 'style' }]));
    expect(statusOf(low, 'flash/policy/lint')).toBe('pass');
    const none = await certify(`${base}/crossdomain.xml`, false, { ...real, lint: () => null });
    expect(statusOf(none, 'flash/policy/lint')).toBe('skip');
  });
});

describe('Silverlight socket answers (WIRE-RESP-6, WIRE-REQ-3)', () => {
  it('an answer with a NUL warns (SHOULD) and fails under --strict; the 22-byte request is answered', async () => {
    const real = await loadAnalyzers();
    const srv = createNetServer((s) => {
      s.on('error', () => {});
      let buf = '';
      s.on('data', (c) => {
        buf += c.toString('latin1');
        if (buf.startsWith('<policy-file-request/>')) s.end(`${FIXTURE_SILVERLIGHT_POLICY}\u0000`);
      });
      s.setTimeout(1000, () => s.destroy());
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const url = `xmlsocket://127.0.0.1:${(srv.address() as { port: number }).port}`;
    try {
      const run = (strict: boolean) =>
        runCertification({
          targets: [testTarget(url)],
          client: 'silverlight',
          pattern: 'silverlight/response/no-nul,wire/silverlight/exact-request',
          options: defaultRunOptions({ timeoutMs: 1000, strict }),
          analyzers: real,
        });
      const lax = await run(false);
      expect(statusOf(lax, 'silverlight/response/no-nul')).toBe('warn');
      expect(statusOf(lax, 'wire/silverlight/exact-request')).toBe('pass');
      expect(lax.exitCode).toBe(0);
      const strict = await run(true);
      expect(statusOf(strict, 'silverlight/response/no-nul')).toBe('fail');
      expect(strict.exitCode).toBe(1);
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });
});
