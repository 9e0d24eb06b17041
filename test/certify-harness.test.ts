/**
 * The harness's own promises (spec/conformance.md, "The harness itself"): Silverlight's
 * crossdomain.xml fallback fetched and recorded exactly when clientaccesspolicy.xml yields no
 * policy (WIRE-HARNESS-3), the meta-policy header checked against the parser's model rather than
 * the raw text (WIRE-HTTP-3), `--insecure` for self-signed HTTPS reported in every report format
 * (WIRE-HARNESS-2), and harness errors of any level exiting 3 (WIRE-HARNESS-1).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAnalyzers } from '../conformance/analyze.js';
import { defaultRunOptions, type CaseDefinition } from '../conformance/model.js';
import { htmlReport, jsonReport, junitReport, textReport } from '../conformance/report.js';
import { exitCodeOf, mergeReports, runCertification, summarize, type CertifyReport, type PlannedTarget } from '../conformance/run.js';
import { FIXTURE_FLASH_POLICY, FIXTURE_SILVERLIGHT_POLICY, testTarget } from '../conformance/test-support/servers.js';
import { main } from '../cli/main.js';
import { decide } from '../src/decision/decide.js';
import type { Expectations } from '../conformance/expect.js';
import { captureIO } from '../cli/test-support/capture.js';

/** A loopback HTTP server answering from a path → response table, counting requests per path. */
interface Site {
  base: string;
  hits: Map<string, number>;
  close(): Promise<void>;
}
type Route = { status: number; type?: string; headers?: Record<string, string>; body: string };

async function startSite(routes: Record<string, Route>, make: (l: RequestListener) => Server = (l) => createHttpServer(l), scheme = 'http'): Promise<Site> {
  const hits = new Map<string, number>();
  const server = make((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const r = routes[path] ?? { status: 404, type: 'text/html', body: '<h1>not found</h1>' };
    res.writeHead(r.status, { ...(r.type ? { 'content-type': r.type } : {}), ...(r.headers ?? {}) });
    res.end(r.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `${scheme}://127.0.0.1:${(server.address() as { port: number }).port}`,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

const WIDE_CROSSDOMAIN = '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="*"/>\n</cross-domain-policy>\n';
/** A valid clientaccesspolicy.xml that admits one domain only: it grants the caller nothing. */
const NARROW_CAP = FIXTURE_SILVERLIGHT_POLICY.replace('<grant-to>', '<grant-to><resource path="/" include-subpaths="true"/>');
const CALLER = 'http://other.example/app.xap';

async function certifySl(base: string, expectations: Expectations | null = null): Promise<CertifyReport> {
  return runCertification({
    targets: [testTarget(`${base}/clientaccesspolicy.xml`)],
    options: defaultRunOptions({ timeoutMs: 1500, expectations }),
    analyzers: await loadAnalyzers(),
  });
}
const statusOf = (r: CertifyReport, id: string): string | undefined => r.results.find((x) => x.id === id)?.verdict.status;
const allowData: Expectations = { accept: [], rules: [{ client: 'silverlight', origins: [CALLER], urls: ['/data.xml'], expect: 'allow' }] };

describe('Silverlight crossdomain.xml fallback in the recorded world (WIRE-HARNESS-3, SL-HTTP-6, SL-HTTP-7)', () => {
  it('clientaccesspolicy.xml 404 and crossdomain.xml domain="*": the fallback is fetched, recorded, and the decisions allow', async () => {
    const site = await startSite({ '/crossdomain.xml': { status: 200, type: 'text/x-cross-domain-policy', body: WIDE_CROSSDOMAIN } });
    try {
      const r = await certifySl(site.base, allowData);
      expect(r.targets[0]!.clients).toEqual(['silverlight']);
      // The target itself is missing: that is still the status case's failure.
      expect(statusOf(r, 'http/status')).toBe('fail');
      const fallback = `${site.base}/crossdomain.xml`;
      expect(r.world[fallback]).toMatchObject({ status: 200, contentType: 'text/x-cross-domain-policy', body: WIDE_CROSSDOMAIN });
      expect(r.world[`${site.base}/clientaccesspolicy.xml`]).toMatchObject({ status: 404 });
      expect(site.hits.get('/crossdomain.xml')).toBe(1);
      // What Silverlight would decide: allowed through the fallback, and the expectation agrees.
      expect(statusOf(r, 'silverlight/policy/expectations')).toBe('pass');
      const m = r.matrices.find((x) => x.client === 'silverlight')!;
      expect(m.consulted?.map((c) => c.url)).toEqual([fallback]);
      expect(m.rows.flat().every((c) => c.decision === 'allow')).toBe(true);
      expect(textReport(r)).toContain(`also read ${fallback}`);
      // Reproducible offline from the recorded world alone (what --record writes).
      const replay = decide({ client: 'silverlight', origin: CALLER, target: `${site.base}/data.xml` }, JSON.parse(JSON.stringify(r.world)));
      expect(replay.decision).toBe('allow');
      expect(replay.decidedBy.location).toBe(fallback);
    } finally {
      await site.close();
    }
  });

  it('a clientaccesspolicy.xml with a refused Content-Type also falls back (SL-HTTP-4, SL-HTTP-6)', async () => {
    const site = await startSite({
      '/clientaccesspolicy.xml': { status: 200, type: 'application/octet-stream', body: NARROW_CAP },
      '/crossdomain.xml': { status: 200, type: 'text/xml', body: WIDE_CROSSDOMAIN },
    });
    try {
      const r = await certifySl(site.base, allowData);
      expect(site.hits.get('/crossdomain.xml')).toBe(1);
      expect(r.world[`${site.base}/crossdomain.xml`]).toMatchObject({ status: 200 });
      expect(statusOf(r, 'silverlight/policy/expectations')).toBe('pass');
    } finally {
      await site.close();
    }
  });

  it('a valid clientaccesspolicy.xml that grants nothing stops the fallback: crossdomain.xml is never fetched (SL-HTTP-7)', async () => {
    const site = await startSite({
      '/clientaccesspolicy.xml': { status: 200, type: 'text/xml', body: NARROW_CAP },
      '/crossdomain.xml': { status: 200, type: 'text/xml', body: WIDE_CROSSDOMAIN },
    });
    try {
      const r = await certifySl(site.base, allowData);
      expect(site.hits.get('/crossdomain.xml')).toBeUndefined();
      expect(Object.keys(r.world)).toEqual([`${site.base}/clientaccesspolicy.xml`]);
      expect(r.matrices[0]!.consulted).toBeUndefined();
      // The other.example caller is denied, as Silverlight would: the expectation of allow fails.
      expect(statusOf(r, 'silverlight/policy/expectations')).toBe('fail');
    } finally {
      await site.close();
    }
  });
});

describe('the meta-policy header is checked against the parsed site-control (WIRE-HTTP-3)', () => {
  const policy = (inner: string): string => `<?xml version="1.0"?>\n<cross-domain-policy>\n${inner}\n  <allow-access-from domain="www.example.com"/>\n</cross-domain-policy>\n`;
  let site: Site;
  beforeAll(async () => {
    site = await startSite({
      // A regex would read 'all' from the comment and call the header a contradiction.
      '/commented/crossdomain.xml': {
        status: 200,
        type: 'text/x-cross-domain-policy',
        headers: { 'x-permitted-cross-domain-policies': 'master-only' },
        body: policy(`  <!-- was: <site-control permitted-cross-domain-policies="all"/> -->\n  <site-control\n      permitted-cross-domain-policies = 'master-only' />`),
      },
      // A regex would read 'master-only' from the comment and miss the real contradiction.
      '/hidden/crossdomain.xml': {
        status: 200,
        type: 'text/x-cross-domain-policy',
        headers: { 'x-permitted-cross-domain-policies': 'master-only' },
        body: policy(`  <!-- <site-control permitted-cross-domain-policies="master-only"/> -->\n  <site-control permitted-cross-domain-policies='all'/>`),
      },
      '/unknown/crossdomain.xml': {
        status: 200,
        type: 'text/x-cross-domain-policy',
        headers: { 'x-permitted-cross-domain-policies': 'master-only, everything' },
        body: policy('  <site-control permitted-cross-domain-policies="master-only"/>'),
      },
    });
  });
  afterAll(() => site.close());
  const check = async (path: string, strict = true): Promise<{ status: string | undefined; actual: string }> => {
    const r = await runCertification({
      targets: [testTarget(`${site.base}${path}`)],
      pattern: 'http/meta-policy-header',
      options: defaultRunOptions({ timeoutMs: 1500, strict }),
      analyzers: await loadAnalyzers(),
    });
    const c = r.results.find((x) => x.id === 'http/meta-policy-header')!;
    return { status: c.verdict.status, actual: c.verdict.actual };
  };

  it('a site-control inside a comment is no declaration; single quotes and spaces around = are read', async () => {
    const ok = await check('/commented/crossdomain.xml');
    expect(ok.status).toBe('pass');
    expect(ok.actual).toMatch(/site-control 'master-only'/);
    const bad = await check('/hidden/crossdomain.xml');
    expect(bad.status).toBe('fail');
    expect(bad.actual).toMatch(/site-control says 'all'.*in force: 'master-only'/);
    expect((await check('/hidden/crossdomain.xml', false)).status).toBe('warn');
  });

  it('an unknown header item fails, as the library reads it (FLASH-META-6)', async () => {
    const r = await check('/unknown/crossdomain.xml');
    expect(r.status).toBe('fail');
    expect(r.actual).toMatch(/unknown value 'everything'/);
  });
});


/** A self-signed key and certificate for 127.0.0.1, made with openssl; null when openssl is missing. */
function selfSigned(dir: string): { key: string; cert: string } | null {
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore', timeout: 20_000 });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return null;
  }
}

describe('--insecure for a self-signed HTTPS target (WIRE-HARNESS-2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-tls-'));
  const pair = selfSigned(dir);
  if (!pair) console.warn('SKIPPED: WIRE-HARNESS-2 --insecure tests need the openssl command to make a self-signed certificate; none found');
  let site: Site | undefined;
  beforeAll(async () => {
    if (!pair) return;
    site = await startSite(
      { '/crossdomain.xml': { status: 200, type: 'text/x-cross-domain-policy', body: FIXTURE_FLASH_POLICY } },
      (l) => createHttpsServer({ key: pair.key, cert: pair.cert }, l),
      'https',
    );
  });
  afterAll(() => site?.close());

  it.skipIf(!pair)('without --insecure the target could not be tested (exit 3) and the message names --insecure', async () => {
    const io = captureIO(dir);
    const code = await main(['certify', `${site!.base}/crossdomain.xml`], io);
    expect(code).toBe(3);
    expect(io.out()).toMatch(/could not be tested: .*certificate.*--insecure/);
  });

  it.skipIf(!pair)('with --insecure it is certified, and every report format warns that the transport was not authenticated', async () => {
    const io = captureIO(dir);
    const code = await main(['certify', `${site!.base}/crossdomain.xml`, '--insecure', '--json', 'r.json', '--junit', 'r.xml', '--html', 'r.html'], io);
    expect(io.out()).toMatch(/^WARNING: --insecure: TLS certificates were NOT verified .*not authenticated/m);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as CertifyReport;
    expect(json.insecure).toBe(true);
    expect(json.warnings.join(' ')).toMatch(/not authenticated/);
    expect(json.results.find((x) => x.id === 'http/status')!.verdict.status).toBe('pass');
    const junit = readFileSync(join(dir, 'r.xml'), 'utf8');
    expect(junit).toMatch(/<properties>\s*<property name="warning" value="--insecure: TLS certificates were NOT verified[^"]*not authenticated/);
    expect(junit).toMatch(/<\/testcase>\s*<system-err>WARNING: --insecure/);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/<p class="warning"><b>WARNING:<\/b> --insecure: TLS certificates were NOT verified/);
  });

  it('--insecure is in the help, and a run without it carries no warning', async () => {
    const io = captureIO(dir);
    expect(await main(['certify', '--help'], io)).toBe(0);
    expect(io.out()).toMatch(/--insecure\s+do not verify TLS certificates/);
    const plain = await runCertification({ targets: [], options: defaultRunOptions(), analyzers: await loadAnalyzers() });
    expect(plain.warnings).toEqual([]);
    for (const text of [textReport(plain), jsonReport(plain), junitReport(plain), htmlReport(plain)]) expect(text).not.toMatch(/not authenticated/);
  });
});

describe('harness errors are "could not test" at every level (WIRE-HARNESS-1)', () => {
  const caseOf = (id: string, strict: boolean, run: CaseDefinition['run']): CaseDefinition => ({
    id,
    desc: id,
    requirement: 'test',
    requirementIds: ['WIRE-HARNESS-1'],
    strict,
    appliesTo: () => true,
    budgetMs: () => 2000,
    run,
  });
  const pass = caseOf('test/must-pass', false, async () => ({ status: 'pass', expected: ['x'], actual: 'x' }));
  const mustFail = caseOf('test/must-fail', false, async () => ({ status: 'fail', expected: ['x'], actual: 'y' }));
  const shouldError = caseOf('test/should-error', true, async () => {
    throw new Error('the harness broke');
  });
  let site: Site;
  beforeAll(async () => {
    site = await startSite({ '/crossdomain.xml': { status: 200, type: 'text/x-cross-domain-policy', body: FIXTURE_FLASH_POLICY } });
  });
  afterAll(() => site.close());
  const run = async (cases: CaseDefinition[], strict: boolean): Promise<CertifyReport> =>
    runCertification({ targets: [testTarget(`${site.base}/crossdomain.xml`)], cases, options: defaultRunOptions({ timeoutMs: 1500, strict }), analyzers: await loadAnalyzers() });

  it('a SHOULD case that ends in a harness error exits 3, with or without --strict', async () => {
    for (const strict of [false, true]) {
      const r = await run([pass, shouldError], strict);
      expect(r.results.find((x) => x.id === 'test/should-error')!.verdict.status).toBe('error');
      expect([strict, r.exitCode]).toEqual([strict, 3]);
      expect(textReport(r)).toMatch(/NOT TESTED: 1 case\(s\) ended in a harness error/);
    }
    expect((await run([pass], false)).exitCode).toBe(0);
  });

  it('a MUST failure takes precedence over a harness error: exit 1', async () => {
    expect((await run([mustFail, shouldError], false)).exitCode).toBe(1);
  });

  it('exitCodeOf: unreachable 3, fail 1, error 3 whatever the level, else 0', () => {
    const t: PlannedTarget = { url: 'x', kind: 'url', clients: ['flash'], clientReason: '', reachable: true };
    const res = (status: 'pass' | 'fail' | 'error', strict: boolean) => ({ id: 'c', desc: '', requirement: '', requirementIds: [], strict, target: 'x', client: 'flash' as const, verdict: { status, expected: [], actual: '' }, slow: false, phase: 'ordinary' as const, startMs: 0, durationMs: 0 });
    expect(exitCodeOf([t], [res('pass', false), res('pass', true)])).toBe(0);
    expect(exitCodeOf([t], [res('error', true)])).toBe(3);
    expect(exitCodeOf([t], [res('error', false)])).toBe(3);
    expect(exitCodeOf([t], [res('error', true), res('fail', false)])).toBe(1);
    expect(exitCodeOf([{ ...t, reachable: false }], [res('fail', false)])).toBe(3);
  });

  it('mergeReports: the combined report gets its summary and exit status from summarize and exitCodeOf', () => {
    const t: PlannedTarget = { url: 'x', kind: 'url', clients: ['flash'], clientReason: '', reachable: true };
    const res = (status: 'pass' | 'fail' | 'error') => ({ id: 'c', desc: '', requirement: '', requirementIds: [], strict: false, target: 'x', client: 'flash' as const, verdict: { status, expected: [], actual: '' }, slow: false, phase: 'ordinary' as const, startMs: 0, durationMs: 0 });
    const report = (targets: PlannedTarget[], results: ReturnType<typeof res>[], world = {}): CertifyReport => ({
      tool: 'xdpolicy certify', startedAt: '', durationMs: results.length, strict: false, timeoutMs: 1, idleWindowMs: 1, budget: { ms: 10, targets: [] }, targets, results,
      summary: summarize(results), exitCode: exitCodeOf(targets, results), insecure: false, warnings: ['w'], socketsOpenAtEnd: 0, diagnoses: [], world, matrices: [],
    });
    const failing = report([t], [res('pass'), res('fail')], { 'xmlsocket://a:843': { body: 'old' } });
    const erring = report([t], [res('error')], { 'xmlsocket://a:843': { body: 'new' } });
    const unreachable = report([{ ...t, reachable: false }], []);
    const merged = mergeReports([failing, erring]);
    expect(merged.exitCode).toBe(1);
    expect(merged.summary).toEqual({ total: 3, pass: 1, fail: 1, warn: 0, skip: 0, error: 1, untested: 0 });
    expect(merged.world).toEqual({ 'xmlsocket://a:843': { body: 'new' } });
    expect(merged.warnings).toEqual(['w']);
    expect(mergeReports([failing, unreachable]).exitCode).toBe(3);
    expect(mergeReports([report([t], [res('pass')]), erring]).exitCode).toBe(3);
    expect(mergeReports([erring])).toBe(erring);
  });
});
