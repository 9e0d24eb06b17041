/**
 * certify over client profiles (issue 16, WIRE-HARNESS-8): the decision matrix per profile of what
 * the server answered, the "accepted by" summary in every report format, and `--expect` rules
 * naming any profile.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAnalyzers } from '../conformance/analyze.js';
import { parseExpectations, type Expectations } from '../conformance/expect.js';
import { defaultRunOptions } from '../conformance/model.js';
import { htmlReport, jsonReport, junitReport, textReport } from '../conformance/report.js';
import { runCertification, type CertifyReport } from '../conformance/run.js';
import { testTarget } from '../conformance/test-support/servers.js';
import { decisionMatrix, type ProbedTarget } from '../conformance/world.js';
import { decide } from '../src/decision/decide.js';
import { parseCertifyTarget } from '../conformance/target.js';

/** A crossdomain.xml whose root is never closed: Flash Player rejects it, Lightspark reads its `*` rule. */
const BROKEN_ANY = '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="*"/>\n';
const CALLER = 'http://unrelated.example/app.swf';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/crossdomain.xml') {
      res.writeHead(200, { 'content-type': 'text/x-cross-domain-policy' });
      res.end(BROKEN_ANY);
    } else {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>not found</h1>');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function certify(expectations: Expectations | null): Promise<CertifyReport> {
  return runCertification({ targets: [testTarget(`${base}/crossdomain.xml`)], options: defaultRunOptions({ timeoutMs: 1500, expectations }), analyzers: await loadAnalyzers() });
}

describe('certify: client profiles (WIRE-HARNESS-8)', () => {
  it('decides the matrix under every profile of the family and says which accept the answer', async () => {
    const expectations: Expectations = {
      accept: [],
      rules: [
        { client: 'lightspark', origins: [CALLER], urls: ['/data.xml'], expect: 'allow' },
        { client: 'flash', origins: [CALLER], urls: ['/data.xml'], expect: 'deny' },
      ],
    };
    const r = await certify(expectations);
    const m = r.matrices.find((x) => x.client === 'flash')!;
    expect(m.profiles.map((p) => p.profile)).toEqual(expect.arrayContaining(['flash9', 'lightspark']));
    const byName = new Map(m.accepted.map((a) => [a.profile, a]));
    expect(m.accepted[0]!.profile).toBe('flash');
    expect(byName.get('flash')).toMatchObject({ accepted: false, allowed: 0 });
    expect(byName.get('lightspark')).toMatchObject({ accepted: true });
    expect(byName.get('lightspark')!.allowed).toBeGreaterThan(0);
    expect(byName.get('lightspark')!.differs).toBe(byName.get('lightspark')!.allowed);
    // --expect rules name any profile and are decided under it.
    const exp = r.results.find((x) => x.id === 'flash/policy/expectations')!;
    expect(exp.verdict.status).toBe('pass');
    expect((exp.verdict.details as { decisions: { client: string; decision: string }[] }).decisions.map((d) => `${d.client} ${d.decision}`)).toEqual(['lightspark allow', 'flash deny']);

    const text = textReport(r);
    expect(text).toMatch(/crossdomain\.xml \(flash\): accepted by lightspark; not by flash(, flash9)?/);
    expect(text).toMatch(/lightspark: accepts it; \d+ of \d+ allowed; differs from flash in \d+/);
    expect(JSON.parse(jsonReport(r)).matrices[0].accepted[0]).toMatchObject({ profile: 'flash', accepted: false });
    const junit = junitReport(r);
    expect(junit).toContain('<property name="accepted-by" value="lightspark"/>');
    expect(junit).toMatch(/<property name="profile\.lightspark" value="lightspark: accepts it; /);
    const html = htmlReport(r);
    expect(html).toContain('<h4>Client × origin × path</h4>');
    expect(html).toMatch(/<td class="differ" data-profiles="flash=deny [^"]*lightspark=allow/);
    expect(html).toMatch(/<li class="acc"><b>lightspark<\/b>: accepts it/);
  });

  it('--expect: a rule names any profile; an unknown name is refused with the list', () => {
    expect(parseExpectations(JSON.stringify({ rules: [{ client: 'lightspark', origins: [CALLER], ports: [5000], expect: 'deny' }] }))).not.toHaveProperty('error');
    expect(parseExpectations(JSON.stringify({ rules: [{ client: 'netscape', origins: [CALLER], ports: [5000], expect: 'deny' }] }))).toEqual({ error: expect.stringContaining('rules[0].client must be all or a client profile (flash, flash9, lightspark') });
  });

  it('a matrix reads the world through one decider, and its cells are what decide() answers one by one', async () => {
    const analyzers = await loadAnalyzers();
    let deciders = 0;
    let asked = 0;
    const counting = {
      ...analyzers,
      decider(world: Parameters<typeof analyzers.decider>[0]) {
        deciders++;
        const inner = analyzers.decider(world)!;
        return (request: Parameters<NonNullable<typeof inner>>[0]) => (asked++, inner(request));
      },
    };
    const world = { 'xmlsocket://game.example.com:843': { body: '<cross-domain-policy><allow-access-from domain="*.example.com" to-ports="5000-5010"/></cross-domain-policy>\0' } };
    const parsed = parseCertifyTarget('xmlsocket://game.example.com:843');
    if (!parsed.ok) throw new Error(parsed.reason);
    const p = { target: parsed.value, client: 'flash', probe: {} } as unknown as ProbedTarget;
    const m = decisionMatrix(counting, world, p, null);
    const cells = m.origins.length * m.columns.length;
    expect(deciders).toBe(1);
    expect(asked).toBe(cells * (1 + m.profiles.length));
    for (const [i, origin] of m.origins.entries()) {
      for (const [j, port] of m.columns.entries()) {
        expect(m.rows[i]![j]!.decision).toBe(decide({ client: 'flash', origin, target: `socket://game.example.com:${port}` }, world).decision);
        for (const pm of m.profiles) expect(pm.rows[i]![j]!.decision).toBe(decide({ client: pm.profile, origin, target: `socket://game.example.com:${port}` }, world).decision);
      }
    }
  });
});
