/**
 * The runner: plans which clients each target is certified for, runs the selected cases
 * concurrently under hard budgets, and returns a report value. Nothing is written onto the case
 * definitions and nothing here exits the process or prints: progress goes to a callback.
 *
 * @module
 */
import { dictionary, maxOf } from '../src/collections.js';
import type { ClientProfile } from '../src/decision/types.js';
import type { WorldResponse, WorldSnapshot } from '../src/world/world.js';
import type { Analyzers } from './analyze.js';
import { BUILTIN_CASES } from './cases.js';
import { matchCasePattern, verdict, type CaseDefinition, type CaseResult, type RunOptions, type Verdict } from './model.js';
import { createProber, describeExchange, holdsCompletePolicy, socketPolicyText, type Prober } from './probe.js';
import type { ExchangeResult } from './client.js';
import { clientFromPath, clientFromPort, type Target } from './target.js';
import { loadWireScenarios, wireCase } from './wire.js';
import { decisionMatrix, worldOf, type ConsultedLocation, type DecisionRow, type ProbedTarget, type TargetWorld } from './world.js';

/** A target with the clients it is certified for. */
export interface PlannedTarget {
  url: string;
  kind: Target['kind'];
  clients: ClientProfile[];
  /** How the clients were chosen, for the report. */
  clientReason: string;
  /** False when the target could not be tested at all (nothing listens, DNS, …). */
  reachable: boolean;
  error?: string;
}

/** One decision matrix of the report. */
export interface MatrixReport {
  target: string;
  client: ClientProfile;
  origins: string[];
  columns: string[];
  rows: DecisionRow[][];
  /** Set when the answer was evaluated as if served from the client's standard port. */
  aliasedFrom?: string;
  /** Other locations of the target's root the client's decisions read (fetched and recorded). */
  consulted?: ConsultedLocation[];
}

/** Counts of a run. */
export interface RunSummary {
  total: number;
  pass: number;
  fail: number;
  warn: number;
  skip: number;
  error: number;
}

/** Everything a run found; the JSON report is this value. */
export interface CertifyReport {
  tool: 'xdpolicy certify';
  startedAt: string;
  durationMs: number;
  strict: boolean;
  timeoutMs: number;
  targets: PlannedTarget[];
  results: CaseResult[];
  summary: RunSummary;
  /**
   * 0 every MUST case passed; 1 a case that counts failed; 3 a target could not be tested, or a
   * case of any level ended in a harness error (WIRE-HARNESS-1).
   */
  exitCode: 0 | 1 | 3;
  /** `--insecure`: TLS certificates were not verified. */
  insecure: boolean;
  /** Warnings about the run itself that every report format shows (e.g. an unauthenticated transport). */
  warnings: string[];
  /** The `decide --world` snapshot of what the targets answered (what `--record` writes). */
  world: WorldSnapshot;
  matrices: MatrixReport[];
}

/** Inputs of one run. */
export interface RunInput {
  targets: Target[];
  options: RunOptions;
  analyzers: Analyzers;
  /** `--client`: a client, `all`, or undefined to infer. */
  client?: ClientProfile | 'all';
  /** `--cases` pattern. */
  pattern?: string;
  /** The case definitions (default: the corpus's wire scenarios plus the built-in cases). */
  cases?: readonly CaseDefinition[];
  /** Called as each case ends (progress). */
  onResult?: (r: CaseResult) => void;
  /** Called once the targets are planned. */
  onPlan?: (t: PlannedTarget[]) => void;
}

/** Every case definition: the corpus's wire scenarios, then the built-in checks. */
export function allCases(corpusDir?: string): CaseDefinition[] {
  return [...loadWireScenarios(corpusDir).map(wireCase), ...BUILTIN_CASES];
}

/** How long the other request may take once one client's request got its policy (client inference). */
export const INFERENCE_GRACE_MS = 500;

/** Chooses the clients of a target and checks it can be reached at all. */
export async function planTarget(target: Target, probe: Prober, client: ClientProfile | 'all' | undefined): Promise<PlannedTarget> {
  const base = { url: target.key, kind: target.kind } as const;
  let clients: ClientProfile[];
  let clientReason: string;
  if (client === 'all') {
    clients = ['flash', 'silverlight'];
    clientReason = '--client all';
  } else if (client) {
    clients = [client];
    clientReason = `--client ${client}`;
  } else if (target.kind === 'url') {
    const c = clientFromPath(target.path) ?? 'flash';
    clients = [c];
    clientReason = `inferred from the path ${target.path}`;
  } else {
    const c = clientFromPort(target.port);
    if (c) {
      clients = [c];
      clientReason = `inferred from port ${target.port}`;
    } else {
      // Both requests at once. Once one gets its policy, the other has a short grace and is then
      // abandoned: a server of one kind usually holds the other's request until its own timeout.
      const ac = new AbortController();
      const answered = (r: ExchangeResult, c: ClientProfile): boolean => holdsCompletePolicy(socketPolicyText(r), c) || holdsCompletePolicy(r.bytes.toString('utf8'), c);
      const fP = probe.baseline('flash', ac.signal);
      const sP = probe.baseline('silverlight', ac.signal);
      const first = await Promise.race([fP.then((r) => ({ c: 'flash' as const, r })), sP.then((r) => ({ c: 'silverlight' as const, r }))]);
      if (answered(first.r, first.c)) {
        const other = first.c === 'flash' ? sP : fP;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([other, new Promise((r) => (timer = setTimeout(r, INFERENCE_GRACE_MS)))]);
        clearTimeout(timer);
        ac.abort();
      }
      const [f, s] = await Promise.all([fP, sP]);
      const fOk = answered(f, 'flash');
      const sOk = answered(s, 'silverlight');
      clients = fOk && sOk ? ['flash', 'silverlight'] : sOk ? ['silverlight'] : ['flash'];
      clientReason =
        fOk && sOk
          ? `probed both requests on port ${target.port}: both answered`
          : fOk || sOk
            ? `probed both requests on port ${target.port}: only the ${sOk ? 'Silverlight' : 'Flash'} request got a ${sOk ? 'clientaccesspolicy' : 'cross-domain-policy'}`
            : `probed both requests on port ${target.port}: neither got a policy; certifying as Flash`;
    }
  }
  // Reachability: could the target be tested at all?
  if (target.kind === 'socket') {
    const r = await probe.baseline(clients[0]!);
    if (r.endReason === 'refused' || r.endReason === 'connect-timeout' || r.endReason === 'error') {
      return { ...base, clients, clientReason, reachable: false, error: describeExchange(r) };
    }
  } else {
    const r = await probe.http();
    if (r.status === undefined && r.outcome !== 'timeout') {
      const tls = target.scheme === 'https' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT/i.test(r.error ?? '');
      const hint = tls ? ': the certificate could not be verified; --insecure skips verification (and every report then says the transport was not authenticated)' : '';
      return { ...base, clients, clientReason, reachable: false, error: `${r.outcome}${r.error ? ` (${r.error})` : ''}${hint}` };
    }
  }
  return { ...base, clients, clientReason, reachable: true };
}

/** Runs `run` under a hard budget: a case that overruns gets an `error` verdict, never a hang. */
async function withBudget(def: CaseDefinition, run: () => Promise<Verdict>, budgetMs: number): Promise<Verdict> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<Verdict>((resolve) => {
    timer = setTimeout(() => resolve(verdict.error([def.requirement], `the case overran its ${budgetMs} ms budget`)), budgetMs);
  });
  try {
    return await Promise.race([
      run().catch((err: unknown) => verdict.error([def.requirement], `harness error: ${err instanceof Error ? err.message : String(err)}`)),
      overrun,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `tasks` with at most `limit` at once. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return out;
}

/** Counts the statuses of a list of results. */
export function summarize(results: readonly CaseResult[]): RunSummary {
  const s: RunSummary = { total: results.length, pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const r of results) s[r.verdict.status]++;
  return s;
}

// WIRE-HARNESS-1
/**
 * The exit status a run maps to. A target that cannot be reached is 3. A failure that counts is 1:
 * the server is known not to conform, whatever else happened. Otherwise a harness error in any
 * case — MUST or SHOULD, strict or not — is 3, "could not test" (testssl.sh's harness-side codes,
 * sslyze's ERROR attempts): an `error` is never a statement about the server (every server
 * behaviour gets pass, fail or warn), so it means the run did not measure what it reports, and
 * claiming "certified" over it would hide a broken or overloaded harness.
 */
export function exitCodeOf(targets: readonly PlannedTarget[], results: readonly CaseResult[]): 0 | 1 | 3 {
  if (targets.length === 0 || targets.some((t) => !t.reachable)) return 3;
  if (results.some((r) => r.verdict.status === 'fail')) return 1;
  if (results.some((r) => r.verdict.status === 'error')) return 3;
  return 0;
}

// WIRE-HARNESS-2
/** The warnings about the run itself that every report format carries. */
export function runWarnings(targets: readonly Target[], options: RunOptions): string[] {
  const warnings: string[] = [];
  if (options.insecure) {
    const https = targets.filter((t) => t.kind === 'url' && t.scheme === 'https').map((t) => t.key);
    warnings.push(
      https.length > 0
        ? `--insecure: TLS certificates were NOT verified for ${https.join(', ')}; the transport was not authenticated, so what was certified may not be what the real host serves`
        : '--insecure was given, but no target uses https: it had no effect',
    );
  }
  return warnings;
}

/** Runs a certification. Resolves with the report; never rejects for anything a server does. */
export async function runCertification(input: RunInput): Promise<CertifyReport> {
  const { targets, options, analyzers } = input;
  const started = new Date();
  const t0 = performance.now();
  const defs = (input.cases ?? allCases()).filter((d) => (d.enabled ? d.enabled(options) : true) && (!input.pattern || matchCasePattern(d.id, input.pattern)));

  const probers = targets.map((t) => createProber(t, options));
  const planned = await Promise.all(targets.map((t, i) => planTarget(t, probers[i]!, input.client)));
  input.onPlan?.(planned);

  const socketUrls = new Set(targets.filter((t) => t.kind === 'socket').map((t) => t.key));
  const worldMemo = new Map<string, Promise<TargetWorld>>();
  const worldFor = (p: ProbedTarget): Promise<TargetWorld> => {
    const key = `${p.target.key}|${p.client}`;
    let w = worldMemo.get(key);
    if (!w) {
      w = worldOf(p, socketUrls, { analyzers, expectations: options.expectations });
      worldMemo.set(key, w);
    }
    return w;
  };

  type Job = { def: CaseDefinition; target: Target; client: ClientProfile; probe: Prober };
  const jobs: Job[] = [];
  targets.forEach((target, i) => {
    const plan = planned[i]!;
    if (!plan.reachable) return;
    for (const client of plan.clients) {
      for (const def of defs) if (def.appliesTo(target, client)) jobs.push({ def, target, client, probe: probers[i]! });
    }
  });

  const runJob = async (job: Job): Promise<CaseResult> => {
    const start = performance.now();
    const budget = job.def.budgetMs(options);
    const p: ProbedTarget = { target: job.target, client: job.client, probe: job.probe };
    let v = await withBudget(
      job.def,
      () => job.def.run({ target: job.target, client: job.client, probe: job.probe, options, analyzers, world: async () => (await worldFor(p)).world }),
      budget,
    );
    // SHOULD-level failures count only under --strict; otherwise they are warnings.
    if (v.status === 'fail' && job.def.strict && !options.strict) v = { ...v, status: 'warn' };
    const result: CaseResult = {
      id: job.def.id,
      desc: job.def.desc,
      requirement: job.def.requirement,
      requirementIds: [...job.def.requirementIds],
      strict: job.def.strict,
      target: job.target.key,
      client: job.client,
      verdict: v,
      slow: job.def.slow === true,
      durationMs: Math.round(performance.now() - start),
    };
    input.onResult?.(result);
    return result;
  };

  // Deliberate timeout probes all start at once, outside the pool, so they overlap each other and
  // everything else; the ordinary cases share the pool.
  const slow = jobs.filter((j) => j.def.slow);
  const quick = jobs.filter((j) => !j.def.slow);
  const [slowResults, quickResults] = await Promise.all([Promise.all(slow.map(runJob)), pool(quick.map((j) => () => runJob(j)), options.concurrency)]);
  const order = new Map(jobs.map((j, i) => [j, i]));
  const byJob = new Map<Job, CaseResult>();
  slow.forEach((j, i) => byJob.set(j, slowResults[i]!));
  quick.forEach((j, i) => byJob.set(j, quickResults[i]!));
  const results = [...byJob.entries()].sort((a, b) => order.get(a[0])! - order.get(b[0])!).map(([, r]) => r);

  // The recorded world and the decision matrices, from the same memoised probes.
  const world: WorldSnapshot = {};
  const matrices: MatrixReport[] = [];
  for (const [i, target] of targets.entries()) {
    const plan = planned[i]!;
    if (!plan.reachable) continue;
    for (const client of plan.clients) {
      const p: ProbedTarget = { target, client, probe: probers[i]! };
      const w = await worldFor(p);
      Object.assign(world, w.world);
      const m = decisionMatrix(analyzers, w.world, p, options.expectations);
      const entry: MatrixReport = { target: target.key, client, ...m };
      if (w.aliasedFrom) entry.aliasedFrom = w.aliasedFrom;
      if (w.consulted) entry.consulted = w.consulted;
      matrices.push(entry);
    }
  }

  return {
    tool: 'xdpolicy certify',
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    strict: options.strict,
    timeoutMs: options.timeoutMs,
    targets: planned,
    results,
    summary: summarize(results),
    exitCode: exitCodeOf(planned, results),
    insecure: options.insecure,
    warnings: runWarnings(targets, options),
    world,
    matrices,
  };
}

/**
 * Combines the reports of runs made side by side (certify's bundled server runs its Flash and
 * Silverlight targets as two groups) into one report. The summary and the exit status are
 * computed over the combined targets and results by {@link summarize} and {@link exitCodeOf}, so
 * the precedence of exit statuses lives in one place. In the recorded world a later report's
 * answer for a location wins.
 */
export function mergeReports(reports: readonly CertifyReport[]): CertifyReport {
  const [first] = reports;
  if (!first) throw new Error('mergeReports needs at least one report');
  if (reports.length === 1) return first;
  const targets = reports.flatMap((r) => r.targets);
  const results = reports.flatMap((r) => r.results);
  const world = dictionary<WorldResponse>();
  for (const r of reports) for (const [location, response] of Object.entries(r.world)) world[location] = response;
  return {
    ...first,
    durationMs: maxOf(reports.map((r) => r.durationMs), 0),
    targets,
    results,
    summary: summarize(results),
    exitCode: exitCodeOf(targets, results),
    warnings: [...new Set(reports.flatMap((r) => r.warnings))],
    world,
    matrices: reports.flatMap((r) => r.matrices),
  };
}
