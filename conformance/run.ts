/**
 * The runner: plans which clients each target is certified for, runs the selected cases
 * concurrently under hard budgets, and returns a report value. Nothing is written onto the case
 * definitions and nothing here exits the process or prints: progress goes to a callback.
 *
 * @module
 */
import { setMaxListeners } from 'node:events';
import { dictionary, maxOf } from '../src/collections.js';
import type { ClientProfile } from '../src/decision/types.js';
import { diagnose, type Diagnosis } from './diagnose.js';
import type { WorldResponse, WorldSnapshot } from '../src/world/world.js';
import type { Analyzers } from './analyze.js';
import { BUILTIN_CASES } from './cases.js';
import { matchCasePattern, PHASES, verdict, type CaseDefinition, type CaseResult, type Phase, type RunOptions, type Verdict } from './model.js';
import { createProber, describeExchange, holdsCompletePolicy, socketPolicyText, type Prober } from './probe.js';
import { openSocketCount, type ExchangeResult } from './client.js';
import { clientFromPath, clientFromPort, type Target } from './target.js';
import { livenessOf, phaseOf, probeCapacity, runTargetPhases, targetBudget, Vitals, type Job, type JobRunner, type Ran, type ServingMode, type TargetBudget } from './phases.js';
import { loadWireScenarios, wireCase } from './wire.js';
import { decisionMatrix, worldOf, type AcceptedBy, type ConsultedLocation, type DecisionRow, type ProbedTarget, type ProfileMatrix, type TargetWorld } from './world.js';

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
  /** How a socket target serves clients, from the capacity probe (WIRE-HARNESS-5). */
  serving?: ServingMode;
}

/** One decision matrix of the report. */
export interface MatrixReport {
  target: string;
  client: ClientProfile;
  origins: string[];
  columns: string[];
  rows: DecisionRow[][];
  /** The same cells under every other profile of the client's family (spec/profiles.md). */
  profiles: ProfileMatrix[];
  /** Which profiles accept what the server answered, and what each then grants (the reference first). */
  accepted: AcceptedBy[];
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
  untested: number;
}

/** The bound on a run, computed before it starts and enforced during it (WIRE-HARNESS-5). */
export interface RunBudget {
  /** The whole run: targets run side by side, so the largest of theirs. */
  ms: number;
  targets: TargetBudget[];
}

/** Everything a run found; the JSON report is this value. */
export interface CertifyReport {
  tool: 'xdpolicy certify';
  startedAt: string;
  durationMs: number;
  strict: boolean;
  timeoutMs: number;
  /** The idle window: how long certify waited for a server to close a connection by its own timeout. */
  idleWindowMs: number;
  /** The run's stated bound (printed at its start). */
  budget: RunBudget;
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
  /** Sockets to the run's socket targets still open when the report was made (0: none left behind). */
  socketsOpenAtEnd: number;
  /** The failures and warnings grouped by root cause, each with a fix hint (WIRE-HARNESS-7). */
  diagnoses: Diagnosis[];
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
  /** Called before anything is sent, with the run's bound. */
  onBudget?: (b: RunBudget) => void;
}

/** The result of one job. */
function resultOf(job: Job, v: Verdict, startMs: number, durationMs: number): CaseResult {
  return {
    id: job.def.id,
    desc: job.def.desc,
    requirement: job.def.requirement,
    requirementIds: [...job.def.requirementIds],
    strict: job.def.strict,
    target: job.target.key,
    client: job.client,
    verdict: v,
    slow: job.def.slow === true,
    phase: phaseOf(job.def),
    startMs: Math.round(startMs),
    durationMs: Math.round(durationMs),
  };
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
    // Every client's baseline is made now, alone, before any case: the cases and the liveness
    // checks compare against it, and nothing beside it can have disturbed it.
    for (const c of clients.slice(1)) await probe.baseline(c);
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

/**
 * Runs `run` under a hard budget: a case that overruns gets an `error` verdict, never a hang; so
 * does a case still running when `signal` (the run's own budget) is aborted.
 */
async function withBudget(def: CaseDefinition, run: () => Promise<Verdict>, budgetMs: number, signal: AbortSignal): Promise<Verdict> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const overrun = new Promise<Verdict>((resolve) => {
    timer = setTimeout(() => resolve(verdict.error([def.requirement], `the case overran its ${budgetMs} ms budget`)), budgetMs);
    onAbort = () => resolve(verdict.error([def.requirement], 'the case was stopped: the run\'s budget ran out, or the target stopped accepting'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([
      run().catch((err: unknown) => verdict.error([def.requirement], `harness error: ${err instanceof Error ? err.message : String(err)}`)),
      overrun,
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** Counts the statuses of a list of results. */
export function summarize(results: readonly CaseResult[]): RunSummary {
  const s: RunSummary = { total: results.length, pass: 0, fail: 0, warn: 0, skip: 0, error: 0, untested: 0 };
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
  // A case left untested (the run's budget ran out) is "could not test" too (WIRE-HARNESS-5).
  if (results.some((r) => r.verdict.status === 'error' || r.verdict.status === 'untested')) return 3;
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

  // The clients each target may be certified for, before planning decides: the bound must hold for any.
  const mayTest = (t: Target): ClientProfile[] => {
    if (input.client === 'all') return ['flash', 'silverlight'];
    if (input.client) return [input.client];
    const c = t.kind === 'url' ? (clientFromPath(t.path) ?? 'flash') : clientFromPort(t.port);
    return c ? [c] : ['flash', 'silverlight'];
  };
  const byPhase = (t: Target, clients: readonly ClientProfile[]): Map<Phase, CaseDefinition[]> => {
    const m = new Map<Phase, CaseDefinition[]>(PHASES.map((p) => [p, []]));
    for (const c of clients) for (const d of defs) if (d.appliesTo(t, c)) m.get(phaseOf(d))!.push(d);
    return m;
  };
  const targetBudgets = targets.map((t) => targetBudget(t, mayTest(t).length, byPhase(t, mayTest(t)), options));
  const budget: RunBudget = { ms: targetBudgets.reduce((a, b) => Math.max(a, b.ms), 0), targets: targetBudgets };
  input.onBudget?.(budget);

  const vitals = targets.map(() => new Vitals(t0));
  const probers = targets.map((t, i) => createProber(t, options, { observe: vitals[i]!.observer('planning') }));
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

  const runTarget = async (target: Target, i: number): Promise<CaseResult[]> => {
    const plan = planned[i]!;
    if (!plan.reachable) return [];
    const probe = probers[i]!;
    const vital = vitals[i]!;
    // WIRE-HARNESS-5: the stated bound, enforced: past it, whatever still runs is stopped (it never should be).
    const deadline = new AbortController();
    setMaxListeners(0, deadline.signal);
    const timer = setTimeout(() => deadline.abort(), Math.max(0, targetBudgets[i]!.ms - (performance.now() - t0)));
    try {
      const clients = await Promise.all(plan.clients.map(async (client) => ({ client, reference: target.kind === 'socket' ? livenessOf(await probe.baseline(client), client) : ('answers' as const) })));
      let mode: ServingMode = { mode: 'concurrent', detail: 'a URL target' };
      if (target.kind === 'socket') {
        const first = clients[0]!;
        mode = first.reference === 'answers'
          ? await probeCapacity(target, first.client, options, vital.observer('capacity probe'), deadline.signal)
          : { mode: 'concurrent', detail: 'not probed: the ordinary request gets no policy, so there is nothing for other clients to block' };
        plan.serving = mode;
      }
      const jobs: Job[] = [];
      for (const client of plan.clients) for (const def of defs) if (def.appliesTo(target, client)) jobs.push({ def, target, client });
      const runJob: JobRunner = async (job, hooks) => {
        const ac = new AbortController();
        // A crowd case's exchanges each listen to it.
        setMaxListeners(0, ac.signal);
        const stop = (): void => ac.abort();
        deadline.signal.addEventListener('abort', stop, { once: true });
        hooks.signal?.addEventListener('abort', stop, { once: true });
        let connectFailed = false;
        const caseProbe = probe.forCase({
          signal: ac.signal,
          observe: (r) => {
            vital.record(job.def.id, r);
            if (!r.connected && (r.endReason === 'refused' || r.endReason === 'connect-timeout')) connectFailed = true;
          },
          ...(hooks.onFirstWrite ? { onFirstWrite: hooks.onFirstWrite } : {}),
        });
        const startMs = vital.now();
        const p: ProbedTarget = { target: job.target, client: job.client, probe };
        let v = await withBudget(
          job.def,
          () => job.def.run({ target: job.target, client: job.client, probe: caseProbe, options, analyzers, signal: ac.signal, world: async () => (await worldFor(p)).world }),
          job.def.budgetMs(options),
          ac.signal,
        );
        // The verdict is in: every socket the case opened is destroyed now.
        ac.abort();
        deadline.signal.removeEventListener('abort', stop);
        hooks.signal?.removeEventListener('abort', stop);
        // SHOULD-level failures count only under --strict; otherwise they are warnings.
        if (v.status === 'fail' && job.def.strict && !options.strict) v = { ...v, status: 'warn' };
        const endMs = vital.now();
        return { result: resultOf(job, v, startMs, endMs - startMs), connectFailed, endMs } satisfies Ran;
      };
      return await runTargetPhases({
        target,
        clients,
        jobs,
        options,
        mode,
        vitals: vital,
        probe,
        signal: deadline.signal,
        runJob,
        untested: (job, reason, startMs, seen) => resultOf(job, verdict.untested([], reason, seen ? { seen: { status: seen.status, actual: seen.actual } } : undefined), startMs, 0),
        ...(input.onResult ? { onResult: input.onResult } : {}),
      });
    } finally {
      clearTimeout(timer);
    }
  };
  const perTarget = await Promise.all(targets.map(runTarget));
  const results = perTarget.flat();

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
    idleWindowMs: options.idleWindowMs,
    budget,
    targets: planned,
    results,
    summary: summarize(results),
    exitCode: exitCodeOf(planned, results),
    insecure: options.insecure,
    warnings: runWarnings(targets, options),
    socketsOpenAtEnd: targets.reduce((n, t) => n + (t.kind === 'socket' ? openSocketCount(t) : 0), 0),
    diagnoses: diagnose(results, (url) => planned.find((t) => t.url === url)?.serving),
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
    // The groups ran side by side: the run's bound is the larger of theirs.
    budget: { ms: maxOf(reports.map((r) => r.budget.ms), 0), targets: reports.flatMap((r) => r.budget.targets) },
    summary: summarize(results),
    exitCode: exitCodeOf(targets, results),
    warnings: [...new Set(reports.flatMap((r) => r.warnings))],
    socketsOpenAtEnd: reports.reduce((n, r) => n + r.socketsOpenAtEnd, 0),
    diagnoses: diagnose(results, (url) => targets.find((t) => t.url === url)?.serving),
    world,
    matrices: reports.flatMap((r) => r.matrices),
  };
}
