/**
 * What makes a certify report trustworthy, item by item (issue 14): the cancellable soak
 * (WIRE-CONN-4), output paths checked before the run (WIRE-HARNESS-1), the stated budget and the
 * reruns alone (WIRE-HARNESS-5), `--idle-window` (WIRE-HARNESS-6), lines that mean what they say —
 * "tested as", an endless answer, JUnit warnings and times, the decision matrix (WIRE-HARNESS-8) —
 * and the Silverlight twin of every Flash wire case (WIRE-CONN-5, WIRE-CONN-3).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAnalyzers } from '../conformance/analyze.js';
import { openSocketCount } from '../conformance/client.js';
import { parseExpectations } from '../conformance/expect.js';
import { defaultRunOptions, verdict, type CaseDefinition, type CaseResult } from '../conformance/model.js';
import { runTargetPhases, Vitals, type Job, type JobRunner } from '../conformance/phases.js';
import { createProber } from '../conformance/probe.js';
import { junitReport, textReport } from '../conformance/report.js';
import { exitCodeOf, runCertification, type CertifyReport } from '../conformance/run.js';
import type { Target } from '../conformance/target.js';
import { startFixture, testTarget, type Fixture } from '../conformance/test-support/servers.js';
import { loadWireScenarios, wirePhase, type WireScenario } from '../conformance/wire.js';
import { main } from '../cli/main.js';
import { checkOutputs } from '../cli/output.js';
import { captureIO } from '../cli/test-support/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-trust-'));
let good: Fixture;
let silent: Fixture;
let onConnect: Fixture;
beforeAll(async () => {
  [good, silent, onConnect] = await Promise.all([startFixture('good', { idleMs: 1500 }), startFixture('silent'), startFixture('on-connect')]);
});
afterAll(async () => {
  await Promise.all([good.close(), silent.close(), onConnect.close()]);
});

async function certify(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO(dir);
  const code = await main(['certify', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

/** A loopback server that counts the connections it accepted (and answers none). */
async function counting(): Promise<{ url: string; accepted: () => number; close: () => Promise<void> }> {
  let n = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    n++;
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `xmlsocket://127.0.0.1:${(server.address() as { port: number }).port}`,
    accepted: () => n,
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

describe('--load can be stopped: a server that answers nobody has failed (WIRE-CONN-4)', () => {
  it('fails (exit 1) after 100 identical failures in a row, destroys every socket, and ends within the budget it printed first', async () => {
    const r = await certify([silent.url, '--client', 'flash', '--cases', 'load/', '--load', '2000', '--timeout', '1000', '--json', '-']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as CertifyReport;
    const soak = report.results.find((x) => x.id === 'load/flash/soak')!;
    expect(soak.verdict.status).toBe('fail');
    const d = soak.verdict.details as { stoppedEarly: { inARow: number; kind: string }; attempted: number; abandoned: number; ok: number };
    expect(d.stoppedEarly).toMatchObject({ inARow: 100, kind: 'timeout' });
    expect(d.attempted).toBeLessThan(2000);
    expect(d.ok).toBe(0);
    expect(soak.verdict.actual).toMatch(/stopped early after 100 identical failures in a row \(connected but got no whole answer within 1\.00 s\)/);
    expect(report.socketsOpenAtEnd).toBe(0);
    expect(openSocketCount(testTarget(silent.url))).toBe(0);
    expect(report.durationMs).toBeLessThanOrEqual(report.budget.ms);
    // The bound is printed before anything is sent, then the plan, then the cases as they end.
    const [budgetAt, planAt, firstCaseAt] = [r.err.indexOf('budget: this run ends within'), r.err.indexOf(': tested as Flash'), r.err.indexOf('  FAIL load/flash/soak')];
    expect([budgetAt >= 0, planAt > budgetAt, firstCaseAt > planAt]).toEqual([true, true, true]);
    expect(report.diagnoses.map((x) => x.cause)).toEqual(['no-answer']);
  });
});

describe('output paths are checked before the run (WIRE-HARNESS-1)', () => {
  it('a report path that cannot be written is exit 2, and nothing is sent to the target', async () => {
    const target = await counting();
    mkdirSync(join(dir, 'a-directory'), { recursive: true });
    try {
      for (const [args, message] of [
        [['--html', '/nonexistent/dir/x.html'], /cannot write --html \/nonexistent\/dir\/x\.html: the directory \/nonexistent\/dir does not exist/],
        [['--junit', '/nonexistent/dir/x.xml'], /cannot write --junit/],
        [['--json', 'a-directory'], /cannot write --json a-directory: a-directory is a directory/],
        [['--record', '/nonexistent/w.json'], /cannot write --record/],
        [['--junit', 'same.xml', '--html', 'same.xml'], /--junit and --html name the same file same\.xml/],
      ] as const) {
        const r = await certify([target.url, '--client', 'flash', ...args]);
        expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
        expect(r.err).toMatch(message);
      }
      expect(target.accepted()).toBe(0);
      expect(checkOutputs([{ flag: '--json', file: 'fresh.json' }, { flag: '--html', file: '/dev/null' }, { flag: '--junit', file: '/dev/null' }], dir)).toBeNull();
    } finally {
      await target.close();
    }
  });

  it('a report that cannot be written after the run is exit 3; a failed run stays exit 1', async () => {
    const ok = await certify([good.url, '--client', 'flash', '--cases', 'wire/flash/exact-request', '--timeout', '1000', '--json', '/dev/full']);
    expect(ok.code).toBe(3);
    expect(ok.err).toMatch(/cannot write --json \/dev\/full: ENOSPC/);
    expect(ok.err).toMatch(/exit 3: a report could not be written/);
    const failed = await certify([onConnect.url, '--client', 'flash', '--cases', 'flash/response/waits-for-request', '--timeout', '1000', '--record', '/dev/full']);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/cannot write --record \/dev\/full/);
  });
});

describe('--idle-window (WIRE-HARNESS-6)', () => {
  it('is checked like the other durations, and the run states it', async () => {
    const bad = await certify([good.url, '--idle-window', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--idle-window 'soon' is not a whole number from 100 to 600000/);
    const r = await certify([good.url, '--client', 'flash', '--cases', 'wire/flash/idle', '--idle-window', '3000', '--timeout', '1000']);
    expect(r.err).toMatch(/idle window 3000 ms/);
    expect(r.code).toBe(0);
    // The fixture closes at 1.5 s: the verdict says when, not "nothing more until the budget ran out".
    expect(r.err).toMatch(/PASS wire\/flash\/idle/);
    const json = await certify([good.url, '--client', 'flash', '--cases', 'wire/flash/idle', '--idle-window', '3000', '--timeout', '1000', '--json', '-']);
    const idle = (JSON.parse(json.out) as CertifyReport).results.find((x) => x.id === 'wire/flash/idle')!;
    expect(idle.verdict.actual).toMatch(/then the server closed at 1\.\d\d s/);
    expect(idle.verdict.expected).toEqual(['the server closes the connection (by its own timeout at the latest) within 3.00 s']);
  });
});

describe('cases run again alone (WIRE-HARNESS-5)', () => {
  const caseOf = (id: string, run: CaseDefinition['run']): CaseDefinition => ({ id, desc: id, requirement: 'test', requirementIds: ['WIRE-HARNESS-5'], strict: false, appliesTo: () => true, budgetMs: () => 3000, run });

  it('a case whose own connection never completed beside others is run again alone, and the verdict is the one alone', async () => {
    // The job runner is scripted (whether a handshake fails is the kernel's to decide, not a test's);
    // the phase runner and its liveness checks are the real ones, against a real fixture.
    const target = testTarget(good.url);
    const options = defaultRunOptions({ timeoutMs: 1000 });
    const flaky = caseOf('test/flaky-connect', async () => verdict.pass([], ''));
    const steady = caseOf('test/steady-fail', async () => verdict.pass([], ''));
    const calls: string[] = [];
    const result = (job: Job, status: 'pass' | 'fail', actual: string): CaseResult => ({ id: job.def.id, desc: '', requirement: '', requirementIds: [], strict: false, target: target.key, client: job.client, verdict: { status, expected: [], actual }, slow: false, phase: 'ordinary', startMs: 0, durationMs: 10 });
    const runJob: JobRunner = async (job, hooks) => {
      calls.push(`${job.def.id}${hooks.alone ? ' alone' : ''}`);
      if (job.def.id === 'test/steady-fail') return { result: result(job, 'fail', 'the server said no'), connectFailed: false, endMs: 0 };
      const first = calls.filter((c) => c.startsWith('test/flaky-connect')).length === 1;
      return first ? { result: result(job, 'fail', 'no connection'), connectFailed: true, endMs: 0 } : { result: result(job, 'pass', 'connected'), connectFailed: false, endMs: 0 };
    };
    const results = await runTargetPhases({
      target,
      clients: [{ client: 'flash', reference: 'answers' }],
      jobs: [flaky, steady].map((def) => ({ def, target, client: 'flash' as const })),
      options,
      mode: { mode: 'concurrent', detail: '' },
      vitals: new Vitals(performance.now()),
      probe: createProber(target, options),
      signal: new AbortController().signal,
      runJob,
      untested: (job) => result(job, 'fail', 'untested'),
    });
    expect(calls).toEqual(['test/flaky-connect', 'test/steady-fail', 'test/flaky-connect alone']);
    const f = results.find((x) => x.id === 'test/flaky-connect')!;
    expect([f.verdict.status, f.besideOthers]).toEqual(['pass', { status: 'fail', actual: 'no connection' }]);
    // A failure of the server's own (no connection failure) is not run again.
    expect(results.find((x) => x.id === 'test/steady-fail')!.besideOthers).toBeUndefined();
    expect(results.map((x) => x.id)).toEqual(['test/flaky-connect', 'test/steady-fail', 'flash/alive/after-ordinary']);
  });

  it('an untested case is "could not test" (exit 3) unless a case failed', () => {
    const t = { url: 'x', kind: 'socket' as const, clients: ['flash' as const], clientReason: '', reachable: true };
    const res = (status: 'pass' | 'fail' | 'untested'): CaseResult => ({ id: 'c', desc: '', requirement: '', requirementIds: [], strict: false, target: 'x', client: 'flash', verdict: { status, expected: [], actual: '' }, slow: false, phase: 'ordinary', startMs: 0, durationMs: 0 });
    expect(exitCodeOf([t], [res('pass'), res('untested')])).toBe(3);
    expect(exitCodeOf([t], [res('fail'), res('untested')])).toBe(1);
  });
});

describe('a target that stops answering is named after the odd input that did it (WIRE-HARNESS-5, WIRE-CONN-3)', () => {
  it('accepts but no longer answers after its first bad request: the check says so, and every later case is untested', async () => {
    // Answers the exact request until it reads anything else; then it accepts and stays silent.
    let silentNow = false;
    const sockets = new Set<Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
      let buf = '';
      s.on('data', (c) => {
        buf += c.toString('latin1');
        if (silentNow) return;
        if (buf === '<policy-file-request/>\u0000') s.end(`${'<?xml version="1.0"?>\n<cross-domain-policy><allow-access-from domain="www.example.com" to-ports="4502"/></cross-domain-policy>'}\u0000`);
        else if (!'<policy-file-request/>\u0000'.startsWith(buf)) silentNow = true;
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `xmlsocket://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const r = await runCertification({ targets: [testTarget(url)], client: 'flash', options: defaultRunOptions({ timeoutMs: 1000, idleWindowMs: 1500 }), analyzers: await loadAnalyzers() });
      const alive = r.results.find((x) => x.id === 'flash/alive/after-odd-input')!;
      expect(alive.verdict.status).toBe('fail');
      expect(alive.verdict.actual).toMatch(/^target stopped answering: it accepts connections but the ordinary request got no policy at t=\d+\.\d\d s, after case wire\/flash\/binary-garbage/);
      expect(r.results.filter((x) => x.phase === 'holding').every((x) => x.verdict.status === 'untested')).toBe(true);
      expect(r.results.filter((x) => x.phase === 'ordinary').every((x) => ['pass', 'skip'].includes(x.verdict.status))).toBe(true);
      expect(r.exitCode).toBe(1);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('report lines mean what they say (WIRE-HARNESS-8)', () => {
  it('a target is "tested as" a client, never "certified for", even when it is not certified', async () => {
    const r = await certify([onConnect.url, '--client', 'flash', '--cases', 'flash/response/waits-for-request', '--timeout', '1000']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/target xmlsocket:\/\/127\.0\.0\.1:\d+: tested as Flash \(--client flash\)/);
    expect(r.out + r.err).not.toMatch(/certified for/);
  });

  it('an endless answer is no policy "exceeded 262,144 bytes", not the parse error of where it was cut (WIRE-POL-1)', async () => {
    const stream = await startFixture('stream');
    try {
      const r = await runCertification({ targets: [testTarget(stream.url)], client: 'flash', pattern: 'flash/policy/', options: defaultRunOptions({ timeoutMs: 1000 }), analyzers: await loadAnalyzers() });
      const valid = r.results.find((x) => x.id === 'flash/policy/valid')!;
      expect(valid.verdict.actual).toBe('no policy: the answer exceeded 262,144 bytes (the byte budget) with no NUL and no close, and the server was still sending');
      expect(r.results.find((x) => x.id === 'flash/policy/lint')!.verdict.status).toBe('skip');
      expect(r.diagnoses.map((d) => d.cause)).toEqual(['endless-answer']);
    } finally {
      await stream.close();
    }
  });

  it('JUnit: a warning is a passing case that says so (never <skipped>), and a suite\'s time is the wall time it spanned', async () => {
    // The fixture closes at 1.5 s, before the 2.3 s drip ends: a SHOULD failure, a warning.
    const r = await runCertification({
      targets: [testTarget(good.url)],
      client: 'flash',
      pattern: 'wire/flash/drip-within-wait,wire/flash/exact-request,wire/flash/split-halves',
      options: defaultRunOptions({ timeoutMs: 1000 }),
      analyzers: await loadAnalyzers(),
    });
    expect(r.results.find((x) => x.id === 'wire/flash/drip-within-wait')!.verdict.status).toBe('warn');
    const xml = junitReport(r);
    expect(xml).not.toMatch(/<skipped/);
    expect(xml).toMatch(/<testcase classname="[^"]+" name="wire\/flash\/drip-within-wait: [^"]*" time="[\d.]+">\s*<system-out>[^<]*<\/system-out>\s*<system-err>WARNING: SHOULD not met \(counts only under --strict\)/);
    expect(xml).toMatch(/<property name="should-warnings" value="1"\/>/);
    // Two cases that ran side by side for a second each: the suite took one second, not two.
    const side: CertifyReport = {
      ...r,
      results: r.results.slice(0, 2).map((x, i) => ({ ...x, id: `side/${i}`, startMs: 500, durationMs: 1000, verdict: { status: 'pass' as const, expected: [], actual: '' } })),
      summary: { ...r.summary, total: 2 },
      durationMs: 1700,
    };
    expect(junitReport(side)).toMatch(/<testsuite name="[^"]+" tests="2" failures="0" errors="0" skipped="0" time="1\.000">/);
    expect(junitReport(side)).toMatch(/<testsuites name="xdpolicy certify" [^>]* time="1\.700">/);
  });

  it('the decision matrix probes the ports and origins the policy and --expect name, plus the standard ones; matrix replaces an axis', async () => {
    const policy = '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="www.game.example" to-ports="5000-5010"/>\n</cross-domain-policy>\n';
    const served = await startFixture('policy', { policy });
    try {
      const run = async (expectations: ReturnType<typeof parseExpectations>) =>
        runCertification({ targets: [testTarget(served.url)], client: 'flash', pattern: 'flash/policy/valid', options: defaultRunOptions({ timeoutMs: 1000, expectations: 'error' in expectations ? null : expectations }), analyzers: await loadAnalyzers() });
      const plain = (await run({ accept: [], rules: [] })).matrices[0]!;
      for (const port of ['4999', '5000', '5010', '5011', '80', '843', '4502', '8080']) expect(plain.columns).toContain(port);
      expect(plain.columns.map(Number)).toEqual([...plain.columns.map(Number)].sort((a, b) => a - b));
      expect(plain.origins).toContain('http://www.game.example/app.swf');
      expect(plain.origins).toContain('http://evil.example/attack.swf');
      const cell = (m: typeof plain, origin: string, port: string) => m.rows[m.origins.indexOf(origin)]![m.columns.indexOf(port)]!.decision;
      expect(cell(plain, 'http://www.game.example/app.swf', '5000')).toBe('allow');
      expect(cell(plain, 'http://www.game.example/app.swf', '5010')).toBe('allow');
      expect(cell(plain, 'http://www.game.example/app.swf', '4999')).toBe('deny');
      expect(cell(plain, 'http://www.game.example/app.swf', '5011')).toBe('deny');
      expect(cell(plain, 'http://evil.example/attack.swf', '5000')).toBe('deny');
      const ruled = (await run(parseExpectations(JSON.stringify({ rules: [{ client: 'flash', origins: ['http://partner.example/x.swf'], ports: [6000], expect: 'deny' }] })))).matrices[0]!;
      expect(ruled.columns).toContain('6000');
      expect(ruled.columns).toContain('5000');
      expect(ruled.origins).toContain('http://partner.example/x.swf');
      const chosen = (await run(parseExpectations(JSON.stringify({ rules: [], matrix: { ports: [5005], origins: ['http://www.game.example/app.swf'] } })))).matrices[0]!;
      expect([chosen.columns, chosen.origins, chosen.rows[0]![0]!.decision]).toEqual([['5005'], ['http://www.game.example/app.swf'], 'allow']);
    } finally {
      await served.close();
    }
  });

  it('a matrix in --expect is checked: an unknown axis, a bad port or a bad origin is an error naming it', () => {
    expect(parseExpectations(JSON.stringify({ rules: [], matrix: { colours: [1] } }))).toEqual({ error: 'matrix.colours is not a matrix axis (origins, ports, paths)' });
    expect(parseExpectations(JSON.stringify({ rules: [], matrix: { ports: ['9-2'] } }))).toEqual({ error: expect.stringMatching(/^matrix\.ports: '9-2'/) });
    expect(parseExpectations(JSON.stringify({ rules: [], matrix: { origins: ['nope'] } }))).toEqual({ error: expect.stringMatching(/^matrix\.origins: 'nope' is not a URL/) });
    expect(parseExpectations(JSON.stringify({ rules: [], matrix: { ports: [4502, '5000-5010'], paths: ['/data.xml'] } }))).not.toHaveProperty('error');
  });
});

describe('every Flash wire case has a Silverlight twin (WIRE-CONN-5, WIRE-CONN-3)', () => {
  const scenarios = loadWireScenarios();
  const ids = new Set(scenarios.map((s) => s.id));
  /** Flash cases whose Silverlight twin has another name, and the one case without a twin (and why). */
  const TWIN: Record<string, string> = {
    'wrong-case': 'mixed-case',
    'p-then-garbage': 'garbage',
    'request-without-nul': 'request-with-nul',
    'split-before-nul': 'split-before-last',
  };
  const NO_TWIN: Record<string, string> = { 'flash7-request': 'Flash 7\'s <cross-domain-request/> has no Silverlight counterpart: Silverlight never sent another request' };

  it('names a twin for each Flash case, or says why there is none', () => {
    const missing = scenarios
      .filter((s) => s.client === 'flash')
      .map((s) => s.id.slice('wire/flash/'.length))
      .filter((name) => !NO_TWIN[name] && !ids.has(`wire/silverlight/${TWIN[name] ?? name}`));
    expect(missing).toEqual([]);
  });

  it('the half-close and idle-crowd twins hold the server to the same MUST as Flash', () => {
    const get = (id: string): WireScenario => scenarios.find((s) => s.id === id)!;
    for (const name of ['half-close-without-request', 'idle-crowd']) {
      const [f, s] = [get(`wire/flash/${name}`), get(`wire/silverlight/${name}`)];
      expect([name, s.level, s.requirement, s.expect]).toEqual([name, f.level, f.requirement, f.expect]);
    }
    expect(get('wire/silverlight/half-close-without-request').requirement).toBe('WIRE-CONN-5');
  });

  it('puts each scenario in its phase: the request (whole or split) ordinary, held connections holding, the rest odd input', () => {
    const phase = (id: string): string => wirePhase(scenarios.find((s) => s.id === id)!);
    expect(['wire/flash/exact-request', 'wire/flash/split-halves', 'wire/silverlight/split-before-last', 'wire/flash/half-close-after-request'].map(phase)).toEqual(['ordinary', 'ordinary', 'ordinary', 'ordinary']);
    expect(['wire/flash/idle', 'wire/flash/slowloris', 'wire/flash/request-without-nul', 'wire/flash/many-concurrent', 'wire/silverlight/idle-crowd', 'wire/silverlight/drip-within-wait'].map(phase)).toEqual(['holding', 'holding', 'holding', 'holding', 'holding', 'holding']);
    expect(['wire/flash/wrong-case', 'wire/flash/reset-mid-request', 'wire/silverlight/request-with-nul', 'wire/flash/trailing-whitespace'].map(phase)).toEqual(['odd-input', 'odd-input', 'odd-input', 'odd-input']);
  });
});
