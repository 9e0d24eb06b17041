/**
 * Each purpose-built misbehaving server (conformance/test-support/misbehaving.ts) must get the right
 * verdict on every case, with and without a soak: the server conforms but for one defect, so every
 * case but the ones that defect breaks must pass (WIRE-HARNESS-5). Small windows keep the runs
 * short; nothing here asserts how fast anything is — only that every run stays within the bound it
 * stated, leaves no socket open, and runs its phases one after another.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadAnalyzers } from '../conformance/analyze.js';
import { openSocketCount } from '../conformance/client.js';
import { defaultRunOptions, PHASES, type CaseResult, type RunOptions, type VerdictStatus } from '../conformance/model.js';
import { textReport } from '../conformance/report.js';
import { allCases, runCertification, type CertifyReport } from '../conformance/run.js';
import { rightVerdict, startMisbehaving, type Misbehaviour, type MisbehavingOptions, type MisbehavingServer } from '../conformance/test-support/misbehaving.js';
import { testTarget } from '../conformance/test-support/servers.js';
import { maxOf, minOf } from '../src/collections.js';
import type { ClientProfile } from '../src/decision/types.js';

const started: MisbehavingServer[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

/**
 * The short windows of these tests: the servers' own timeout (3.5 s) sits inside the idle window
 * (5 s) and well past the 2.3 s drip (a loaded machine stretches the drip's timers).
 */
const SERVER_IDLE_MS = 3500;
const BASE: Partial<RunOptions> = { timeoutMs: 2000, idleWindowMs: 5000 };

interface Run {
  report: CertifyReport;
  server: MisbehavingServer;
  /** Sockets of the harness still open once the run resolved. */
  openAfter: number;
}

async function certifyServer(kind: Misbehaviour, client: ClientProfile, server: MisbehavingOptions, options: Partial<RunOptions>, pattern?: string): Promise<Run> {
  const s = await startMisbehaving(kind, { client, idleMs: SERVER_IDLE_MS, ...server });
  started.push(s);
  const report = await runCertification({
    targets: [testTarget(s.url)],
    client,
    options: defaultRunOptions({ ...BASE, ...options }),
    analyzers: await loadAnalyzers(),
    ...(pattern ? { pattern } : {}),
  });
  return { report, server: s, openAfter: openSocketCount({ host: '127.0.0.1', port: s.port }) };
}

/** Every case that applies to a socket target of `client` with these options. */
function applicable(client: ClientProfile, options: Partial<RunOptions>): string[] {
  const t = testTarget('xmlsocket://127.0.0.1:1');
  const o = defaultRunOptions({ ...BASE, ...options });
  return allCases().filter((d) => d.appliesTo(t, client) && (d.enabled ? d.enabled(o) : true)).map((d) => d.id);
}

/**
 * Asserts the verdict of every case: the right verdict of the server in the standard configuration
 * (`rightVerdict`), or, for a run outside it, `overrides` for the cases its defect decides and a
 * pass for every other (the expectations case skips: these runs have no --expect).
 */
function expectVerdicts(run: Run, client: ClientProfile, options: Partial<RunOptions>, overrides?: Record<string, VerdictStatus>): void {
  const { report } = run;
  const want = (r: CaseResult): VerdictStatus =>
    overrides ? (overrides[r.id] ?? (r.id.endsWith('/policy/expectations') ? 'skip' : 'pass')) : rightVerdict(run.server.kind, r);
  const got = report.results.map((r) => [r.id, r.verdict.status, r.verdict.actual]);
  const wanted = report.results.map((r) => [r.id, want(r), r.verdict.actual]);
  expect(got, textReport(report)).toEqual(wanted);
  // Every applicable case has a verdict, and the liveness check of each phase that ran.
  const ids = new Set(report.results.map((r) => r.id));
  for (const id of applicable(client, options)) expect(ids.has(id), id).toBe(true);
  for (const id of Object.keys(overrides ?? {})) expect(ids.has(id), id).toBe(true);
  // The run kept its promises: within its stated bound, no socket left open, phases one after another.
  expect(report.durationMs).toBeLessThanOrEqual(report.budget.ms);
  expect(run.openAfter).toBe(0);
  expect(report.socketsOpenAtEnd).toBe(0);
  const ran = PHASES.filter((p) => report.results.some((r) => r.phase === p && r.verdict.status !== 'untested' && !r.id.includes('/alive/')));
  for (let i = 1; i < ran.length; i++) {
    const before = report.results.filter((r) => r.phase === ran[i - 1] && !r.besideOthers && r.verdict.status !== 'untested');
    const after = report.results.filter((r) => r.phase === ran[i] && r.verdict.status !== 'untested' && !r.id.includes('/alive/'));
    const lastEnd = maxOf(before.map((r) => r.startMs + r.durationMs), 0);
    const firstStart = minOf(after.map((r) => r.startMs), 0);
    expect([ran[i], firstStart >= lastEnd - 1]).toEqual([ran[i], true]);
  }
}

const causes = (r: CertifyReport): string[] => r.diagnoses.map((d) => `${d.level} ${d.cause}`);
const resultOf = (r: CertifyReport, id: string) => r.results.find((x) => x.id === id)!;

describe.concurrent('every case gets the right verdict against each misbehaving server (WIRE-HARNESS-5)', () => {
  it('a backlog of 5: only the burst of 50 fails, diagnosed as a small backlog (WIRE-CONN-2, WIRE-HARNESS-7)', { timeout: 120_000 }, async () => {
    const run = await certifyServer('backlog', 'flash', {}, {});
    expectVerdicts(run, 'flash', {});
    expect(run.report.results.filter((r) => r.verdict.status === 'fail').map((r) => r.id)).toEqual(['wire/flash/many-concurrent']);
    expect(run.report.targets[0]!.serving?.mode).toBe('concurrent');
    expect(causes(run.report)).toEqual(['MUST small-backlog']);
    expect(resultOf(run.report, 'wire/flash/many-concurrent').verdict.actual).toMatch(/never completed the TCP handshake|only after a SYN retransmission/);
    expect(run.report.exitCode).toBe(1);
  });

  it('a backlog of 5 under --load: the soak fails alone and last, and no ordinary case fails beside it (WIRE-CONN-4)', { timeout: 120_000 }, async () => {
    const options = { load: 300, loadConcurrency: 50 };
    const run = await certifyServer('backlog', 'flash', {}, options);
    expectVerdicts(run, 'flash', options);
    expect(run.report.results.filter((r) => r.verdict.status === 'fail').map((r) => r.id)).toEqual(['wire/flash/many-concurrent', 'load/flash/soak']);
    const soak = resultOf(run.report, 'load/flash/soak').verdict.details as { failures: Record<string, number>; lateHandshakes: number };
    expect(soak.failures['unconnected']! + soak.lateHandshakes).toBeGreaterThan(0);
    expect(causes(run.report)).toEqual(['MUST small-backlog']);
  });

  it('a one-at-a-time accept loop: found by the capacity probe, cases run one at a time, only the idle crowd fails (WIRE-CONN-3)', { timeout: 120_000 }, async () => {
    const run = await certifyServer('one-at-a-time', 'flash', {}, {});
    expectVerdicts(run, 'flash', {});
    expect(run.report.results.filter((r) => r.verdict.status === 'fail').map((r) => r.id)).toEqual(['wire/flash/idle-crowd']);
    expect(run.report.targets[0]!.serving?.mode).toBe('serial');
    expect(causes(run.report)).toEqual(['MUST one-at-a-time']);
    expect(run.report.diagnoses[0]!.notes.join(' ')).toMatch(/serves one connection at a time/);
  });

  it('a server that dies after N connections: certified without a soak, caught by the soak with the time and the case (WIRE-CONN-4, WIRE-CONN-3)', { timeout: 120_000 }, async () => {
    const quiet = await certifyServer('dies-after', 'flash', { dieAfter: 400 }, {});
    expectVerdicts(quiet, 'flash', {});
    expect(quiet.report.exitCode).toBe(0);
    const options = { load: 600, loadConcurrency: 20 };
    const run = await certifyServer('dies-after', 'flash', { dieAfter: 400 }, options);
    expectVerdicts(run, 'flash', options);
    expect(run.report.results.filter((r) => r.verdict.status === 'fail').map((r) => r.id)).toEqual(['load/flash/soak', 'flash/alive/after-soak']);
    expect(resultOf(run.report, 'flash/alive/after-soak').verdict.actual).toMatch(/^target stopped accepting at t=\d+\.\d\d s, after case load\/flash\/soak/);
    const soak = resultOf(run.report, 'load/flash/soak').verdict;
    expect(soak.actual).toMatch(/stopped early after 100 identical failures in a row \(refused\)/);
    await vi.waitFor(() => expect(run.server.exited()).toBe(true), { timeout: 5000 });
    expect(causes(run.report)).toEqual(['MUST stops-accepting']);
  });

  it('a server that closes idle clients at its own timeout: judged by when it closed, against the idle window (WIRE-HARNESS-6, WIRE-CONN-1, WIRE-REQ-5)', { timeout: 120_000 }, async () => {
    const wide = await certifyServer('idle-closer', 'flash', {}, {});
    expectVerdicts(wide, 'flash', {});
    expect(wide.report.exitCode).toBe(0);
    expect(resultOf(wide.report, 'wire/flash/idle').verdict.actual).toMatch(/then the server closed at 3\.\d\d s/);
    expect(resultOf(wide.report, 'wire/flash/flash7-request').verdict.actual).toMatch(/closed at 3\.\d\d s/);
    // A window shorter than the server's timeout is a stricter bound: the same closes now come too late.
    const narrow = await certifyServer('idle-closer', 'flash', {}, { idleWindowMs: 1500 });
    expectVerdicts(narrow, 'flash', { idleWindowMs: 1500 }, {
      'wire/flash/idle': 'warn',
      'wire/flash/slowloris': 'warn',
      'wire/flash/request-without-nul': 'fail',
      'wire/flash/flash7-request': 'fail',
      'wire/flash/oversize-64k': 'fail',
    });
    expect(resultOf(narrow.report, 'wire/flash/idle').verdict.actual).toMatch(/never closed the connection within 1\.50 s/);
    expect(causes(narrow.report)).toEqual(['MUST no-timeout', 'MUST reads-without-bound']);
  });

  it('a half-close spinner (Silverlight): the new half-close case fails it; idle and slow clients warn (WIRE-CONN-5, WIRE-CONN-1)', { timeout: 120_000 }, async () => {
    const options = { idleWindowMs: 2000 };
    const run = await certifyServer('half-close-spinner', 'silverlight', { idleMs: null }, options);
    expectVerdicts(run, 'silverlight', options);
    expect(run.report.results.filter((r) => r.verdict.status !== 'pass' && r.verdict.status !== 'skip').map((r) => `${r.verdict.status} ${r.id}`)).toEqual([
      'fail wire/silverlight/half-close-without-request',
      'warn wire/silverlight/idle',
      'warn wire/silverlight/slowloris',
    ]);
    expect(resultOf(run.report, 'wire/silverlight/half-close-without-request').verdict.actual).toMatch(/never closed the connection within 3\.00 s/);
    expect(causes(run.report)).toEqual(['MUST ignores-half-close', 'SHOULD no-timeout']);
  });

  it('a process that exits on the first bad request: named after that case; every later case untested, never passed (WIRE-HARNESS-5, WIRE-CONN-3)', { timeout: 120_000 }, async () => {
    const run = await certifyServer('exits-on-bad-request', 'flash', {}, {});
    expectVerdicts(run, 'flash', {});
    expect(run.report.results.filter((r) => r.phase === 'ordinary').every((r) => ['pass', 'skip'].includes(r.verdict.status))).toBe(true);
    expect(run.report.results.filter((r) => r.phase !== 'ordinary').map((r) => r.verdict.status)).toEqual([
      ...run.report.results.filter((r) => r.phase === 'odd-input' && !r.id.includes('/alive/')).map(() => 'untested'),
      'fail',
      ...run.report.results.filter((r) => r.phase === 'holding').map(() => 'untested'),
    ]);
    const alive = resultOf(run.report, 'flash/alive/after-odd-input');
    expect(alive.verdict.actual).toMatch(/^target stopped accepting at t=\d+\.\d\d s, after case wire\/flash\/binary-garbage /);
    // The idle case did not pass on a dead process's close.
    expect(resultOf(run.report, 'wire/flash/idle').verdict.actual).toMatch(/^not tested: the target stopped accepting/);
    await vi.waitFor(() => expect(run.server.exited()).toBe(true), { timeout: 5000 });
    expect(causes(run.report)).toEqual(['MUST stops-accepting']);
    expect(run.report.exitCode).toBe(1);
  });

  it('a server that reads once: the three splits fail as one root cause, first in the report, with the exact request passing beside them (WIRE-REQ-2, WIRE-HARNESS-7)', { timeout: 120_000 }, async () => {
    const run = await certifyServer('single-read', 'flash', {}, {});
    expectVerdicts(run, 'flash', {});
    expect(causes(run.report)).toEqual(['MUST single-read-framing']);
    const d = run.report.diagnoses[0]!;
    expect(d.cases.map((c) => c.id)).toEqual(['wire/flash/split-before-nul', 'wire/flash/split-bytewise', 'wire/flash/split-halves', 'wire/flash/drip-within-wait']);
    expect(d.notes).toEqual(['wire/flash/exact-request passed: the same request in one write is answered']);
    // First in the report: before the targets, the table and the case-by-case details.
    const text = textReport(run.report);
    expect(text.trimStart()).toMatch(/^Diagnosis: 1 root cause behind 4 failing or warning cases\n\n1\. \[MUST\] Your server answers only a request that arrives in one read/);
    expect(text.indexOf('Diagnosis:')).toBeLessThan(text.indexOf('target xmlsocket://'));
  });

  it('the Silverlight idle crowd finds a one-at-a-time Silverlight server (WIRE-CONN-3)', { timeout: 60_000 }, async () => {
    const run = await certifyServer('one-at-a-time', 'silverlight', {}, {}, 'wire/silverlight/idle-crowd,wire/silverlight/exact-request');
    expect(run.report.results.map((r) => [r.id, r.verdict.status])).toEqual([
      ['wire/silverlight/exact-request', 'pass'],
      ['silverlight/alive/after-ordinary', 'pass'],
      ['wire/silverlight/idle-crowd', 'fail'],
      ['silverlight/alive/after-holding', 'pass'],
    ]);
  });
});
