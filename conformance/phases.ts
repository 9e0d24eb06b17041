/**
 * How a run against one target unfolds (WIRE-HARNESS-5): phases that never overlap, a check that
 * the target still answers after each, cases that failed beside others run again alone, and a
 * budget for every step, computed before the run and enforced during it.
 *
 * 1. Before any case: the capacity probe. Seven silent connections are held open, then the exact
 *    request is sent. A server that answers it serves clients concurrently; one that answers only
 *    after certify lets the silent connections go serves one at a time, and every phase then runs
 *    its cases one at a time (a silent case would otherwise starve the others).
 * 2. The phases of {@link PHASES}: `ordinary` cases at once (`concurrency` at a time); `odd-input`
 *    started one after another, each followed by the ordinary request once its first byte is sent,
 *    so a server that dies on an input is caught right after it; `holding` cases at once, crowds alone;
 *    the `soak` alone and last.
 * 3. After each phase, the liveness check: the exact request again. A target that no longer
 *    answers (or no longer accepts) stopped at the time its vitals say, after the case that made
 *    its last good connection; every case that was still running then, and every later case, is
 *    `untested`, and the check itself fails (WIRE-CONN-3).
 * 4. A case that failed beside others because a connection of its own never completed its TCP
 *    handshake (a burst overflowing a small backlog), or that ended in a harness error, is run
 *    again alone once the phase is over; the verdict is the one it gets alone.
 *
 * @module
 */
import { setMaxListeners } from 'node:events';
import { maxOf } from '../src/collections.js';
import type { ClientProfile } from '../src/decision/types.js';
import { exchange, seconds, trackedConnect, destroyTracked, type ExchangeResult } from './client.js';
import { PHASES, verdict, type CaseDefinition, type CaseResult, type Phase, type RunOptions, type Verdict } from './model.js';
import { BASELINE_NUL_GRACE_MS, describeExchange, holdsCompletePolicy, requestFor, socketPolicyText, type Prober } from './probe.js';
import type { SocketLocation } from '../src/world/locations.js';
import type { Target } from './target.js';

/** Pause between an odd input's first byte and the check after it: time for a server to die of it. */
export const SETTLE_MS = 50;
/** The connections the capacity probe holds silent while it asks (the most an `ordinary` phase opens at once, less one). */
export const CAPACITY_HELD = 7;
/** Slack added to each computed bound (timers fire late on a loaded machine). */
const SLACK_MS = 1000;

/** What a phase is, for people. */
export const PHASE_TEXT: Record<Phase, string> = {
  ordinary: 'ordinary requests and checks of the answer',
  'odd-input': 'input other than the request',
  holding: 'connection-holding cases',
  soak: 'the soak',
};

/** How well a target responds to the exact request: it answers it, it only accepts connections, or it refuses them. */
export type Liveness = 'answers' | 'accepts' | 'down';

/**
 * Sends the exact request and returns the liveness it shows. A target that never answered it (its
 * reference is `accepts`) is asked only for the handshake: the exchange stops once connected.
 */
export async function askAlive(probe: Prober, client: ClientProfile, reference: Liveness, observe: (r: ExchangeResult) => void, signal: AbortSignal): Promise<{ level: Liveness; r: ExchangeResult }> {
  const enough = new AbortController();
  const stop = (): void => enough.abort();
  signal.addEventListener('abort', stop, { once: true });
  try {
    const r = await probe.exchange([{ write: requestFor(client) }], { nulGraceMs: 100, observe, signal: enough.signal, ...(reference === 'answers' ? {} : { onConnect: stop }) });
    return { level: livenessOf(r, client), r };
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** The liveness an exchange of the exact request shows. */
export function livenessOf(r: ExchangeResult, client: ClientProfile): Liveness {
  if (!r.connected) return 'down';
  return holdsCompletePolicy(socketPolicyText(r), client) || holdsCompletePolicy(r.bytes.toString('utf8'), client) ? 'answers' : 'accepts';
}

const RANK: Record<Liveness, number> = { down: 0, accepts: 1, answers: 2 };

/** How a target stopped: when, and after which case. */
export interface Death {
  /** `accepting`: connections are refused or never complete; `answering`: they complete but get no answer. */
  stopped: 'accepting' | 'answering';
  /** When it was first seen, in ms since the run started. */
  atMs: number;
  /** The case of the last good connection (accepted, or answered), or null when none was made. */
  afterCase: string | null;
  /** When that last good connection was made, in ms since the run started. */
  lastGoodMs: number;
  /** The sentence the reports print. */
  text: string;
}

/**
 * The target's vitals: every connection of the run, reduced to the last one accepted, the last one
 * answered and the first failure after them, each with the case that made it.
 */
export class Vitals {
  private lastConnect: { ms: number; caseId: string } | null = null;
  private lastAnswer: { ms: number; caseId: string } | null = null;
  private firstDown: { ms: number; caseId: string } | null = null;

  constructor(private readonly t0: number) {}

  /** Milliseconds since the run started. */
  now(): number {
    return performance.now() - this.t0;
  }

  /** Records one ended exchange of `caseId`. */
  record(caseId: string, r: ExchangeResult): void {
    const start = this.now() - r.endMs;
    if (r.connected && r.connectMs !== undefined) {
      const at = start + r.connectMs;
      if (!this.lastConnect || at > this.lastConnect.ms) this.lastConnect = { ms: at, caseId };
      if (this.firstDown && this.firstDown.ms < at) this.firstDown = null;
    }
    if (r.firstByteMs !== undefined) {
      const at = start + r.firstByteMs;
      if (!this.lastAnswer || at > this.lastAnswer.ms) this.lastAnswer = { ms: at, caseId };
    }
    if (!r.connected && (r.endReason === 'refused' || r.endReason === 'connect-timeout' || r.endReason === 'error')) {
      if ((!this.lastConnect || start > this.lastConnect.ms) && (!this.firstDown || start < this.firstDown.ms)) this.firstDown = { ms: start, caseId };
    }
  }

  /** An observer for the exchanges of `caseId`. */
  observer(caseId: string): (r: ExchangeResult) => void {
    return (r) => this.record(caseId, r);
  }

  /**
   * How the target stopped, given the liveness check that found it so at `checkMs`. `culprit` is the
   * case right after which the target was found stopped, when the runner knows it (odd input is
   * checked after each case); otherwise the case of the last good connection is named.
   */
  death(level: Liveness, checkMs: number, now: string, culprit?: string): Death {
    if (level === 'down') {
      const last = this.lastConnect && culprit ? { ...this.lastConnect, caseId: culprit } : this.lastConnect;
      const atMs = this.firstDown?.ms ?? checkMs;
      const after = last ? `, after case ${last.caseId} (the last connection it accepted, at t=${seconds(last.ms)})` : '';
      return { stopped: 'accepting', atMs, afterCase: last?.caseId ?? null, lastGoodMs: last?.ms ?? 0, text: `target stopped accepting at t=${seconds(atMs)}${after}; now: ${now}` };
    }
    const last = this.lastAnswer;
    const after = culprit ? `, after case ${culprit}${last ? ` (its last answer was at t=${seconds(last.ms)})` : ''}` : last ? `, after case ${last.caseId} (the last answer it sent, at t=${seconds(last.ms)})` : '';
    return { stopped: 'answering', atMs: checkMs, afterCase: culprit ?? last?.caseId ?? null, lastGoodMs: last?.ms ?? 0, text: `target stopped answering: it accepts connections but the ordinary request got no policy at t=${seconds(checkMs)}${after}; now: ${now}` };
  }
}

/** How a target serves clients, from the capacity probe. */
export interface ServingMode {
  mode: 'concurrent' | 'serial';
  /** What the probe saw, for the report. */
  detail: string;
}

// WIRE-HARNESS-5
/**
 * The capacity probe: holds {@link CAPACITY_HELD} silent connections (opened one after another, so
 * no burst overflows a small backlog), then sends the exact request. Answered before the server
 * closed any of the silent ones: it serves clients concurrently. Otherwise the silent connections
 * are reset, and an answer that comes then means it serves one connection at a time.
 */
export async function probeCapacity(target: SocketLocation, client: ClientProfile, options: RunOptions, observe: (r: ExchangeResult) => void, signal: AbortSignal): Promise<ServingMode> {
  const held: import('node:net').Socket[] = [];
  let firstServerClose: number | null = null;
  const t0 = performance.now();
  try {
    for (let i = 0; i < CAPACITY_HELD && !signal.aborted; i++) {
      const s = trackedConnect(target.host, target.port);
      s.on('error', () => {});
      s.on('data', () => {});
      s.once('close', () => {
        firstServerClose ??= performance.now() - t0;
      });
      const ok = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), options.timeoutMs);
        s.once('connect', () => {
          clearTimeout(timer);
          resolve(true);
        });
        s.once('close', () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      if (!ok) {
        destroyTracked(s);
        break;
      }
      held.push(s);
    }
    // The server gets the timeout from the moment the request's handshake completes: a SYN dropped
    // by a full backlog delays the connection, which is not serving one client at a time.
    let timer: NodeJS.Timeout | undefined;
    let release!: (v: null) => void;
    const released = new Promise<null>((r) => (release = r));
    const asked = exchange({
      host: target.host,
      port: target.port,
      steps: [{ write: requestFor(client) }],
      timeoutMs: 3 * options.timeoutMs,
      maxBytes: options.maxBytes,
      nulGraceMs: 0,
      signal,
      observe,
      onConnect: () => (timer = setTimeout(() => release(null), options.timeoutMs)),
    });
    const early = await Promise.race([asked, released]);
    clearTimeout(timer);
    const answeredAt = (r: ExchangeResult): number => performance.now() - t0 - r.endMs + (r.firstByteMs ?? r.endMs);
    if (early && livenessOf(early, client) === 'answers' && (firstServerClose === null || answeredAt(early) < firstServerClose)) {
      return { mode: 'concurrent', detail: `answered the ordinary request while ${held.length} silent connections were held open: it serves clients concurrently` };
    }
    for (const s of held.splice(0)) destroyTracked(s, true);
    const r = early ?? (await asked);
    if (livenessOf(r, client) === 'answers') {
      return { mode: 'serial', detail: `answered the ordinary request only once the ${CAPACITY_HELD} silent connections ahead of it were closed: it serves one connection at a time, so every phase runs its cases one at a time` };
    }
    return { mode: 'concurrent', detail: `inconclusive (the ordinary request got no policy: ${describeExchange(r)}); cases run concurrently` };
  } finally {
    for (const s of held) destroyTracked(s, true);
  }
}

/** The phase of a case definition. */
export function phaseOf(def: CaseDefinition): Phase {
  return def.phase ?? 'ordinary';
}

/** A bound on one phase, with the parts that make it. */
export interface PhaseBudget {
  phase: Phase;
  cases: number;
  ms: number;
}

/** The computed bound on one target's run. */
export interface TargetBudget {
  target: string;
  ms: number;
  phases: PhaseBudget[];
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const max = (xs: readonly number[]): number => xs.reduce((a, b) => Math.max(a, b), 0);

/**
 * The bound on a liveness check: the exact request within the timeout and the grace after its NUL,
 * per client.
 */
function checkBound(options: RunOptions, clients: number): number {
  return clients * (options.timeoutMs + BASELINE_NUL_GRACE_MS + SLACK_MS);
}

// WIRE-HARNESS-5
/**
 * A bound on each phase of one target, whatever the server does: cases run concurrently take at
 * most (sum of budgets / concurrency + the largest budget) — any list schedule does — and a case run
 * alone its own budget. A phase is bounded by the larger of running all its cases one at a time
 * (a server that serves one connection at a time) and running them concurrently plus the reruns
 * alone (which start only while less time than the longest case has passed, so they add at most two
 * of the largest budgets). Every case is bounded by
 * its own budget (a case that overruns is stopped), so the bound holds by construction.
 */
export function targetBudget(target: Target, clients: number, defsByPhase: ReadonlyMap<Phase, readonly CaseDefinition[]>, options: RunOptions): TargetBudget {
  const socket = target.kind === 'socket';
  const phases: PhaseBudget[] = [];
  for (const phase of PHASES) {
    const defs = defsByPhase.get(phase) ?? [];
    if (defs.length === 0) continue;
    const b = defs.map((d) => d.budgetMs(options) + SLACK_MS);
    let ms: number;
    if (phase === 'soak') ms = sum(b);
    else if (phase === 'odd-input') {
      const per = SETTLE_MS + checkBound(options, 1);
      const serial = sum(b) + defs.length * per;
      const concurrent = defs.length * (options.timeoutMs + per) + max(b);
      ms = Math.max(serial, concurrent + 2 * max(b));
    } else if (phase === 'holding') {
      const single = defs.map((d, i) => (d.crowd ? 0 : b[i]!));
      const crowds = sum(defs.map((d, i) => (d.crowd ? b[i]! : 0)));
      ms = Math.max(sum(b), 3 * max(single) + crowds);
    } else {
      const concurrent = defs.length <= options.concurrency ? max(b) : sum(b) / options.concurrency + max(b);
      ms = Math.max(sum(b), concurrent + 2 * max(b));
    }
    // The liveness checks after the phase and after its reruns.
    if (socket) ms += 2 * checkBound(options, clients);
    phases.push({ phase, cases: defs.length, ms: Math.ceil(ms) });
  }
  // Planning (both requests on an unknown port, then a baseline per client), the capacity probe,
  // and for URL targets the locations fetched beside them (WIRE-HARNESS-3: three rounds at most).
  const plan = (clients + 1) * (options.timeoutMs + BASELINE_NUL_GRACE_MS + SLACK_MS);
  const capacity = socket ? (CAPACITY_HELD + 3) * options.timeoutMs + SLACK_MS : 3 * options.timeoutMs + SLACK_MS;
  return { target: target.key, ms: plan + capacity + sum(phases.map((p) => p.ms)), phases };
}

/** `1 min 05 s`, `12 s`, `850 ms`: a budget for people. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** One case to run on one target for one client. */
export interface Job {
  def: CaseDefinition;
  target: Target;
  client: ClientProfile;
}

/** What running a job produced. */
export interface Ran {
  result: CaseResult;
  /** A connection of the case was refused or never completed its handshake. */
  connectFailed: boolean;
  /** When the case ended, in ms since the run started. */
  endMs: number;
}

/** Runs one job; the runner supplies it (it builds the case context). */
export type JobRunner = (job: Job, hooks: { onFirstWrite?: () => void; alone: boolean; signal?: AbortSignal }) => Promise<Ran>;

/** Runs `tasks` with at most `limit` at once. */
export async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
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

/** Everything the phase runner needs about one target. */
export interface TargetPhasesInput {
  target: Target;
  /** The clients of the target, with how each answered the exact request before any case. */
  clients: { client: ClientProfile; reference: Liveness }[];
  jobs: Job[];
  options: RunOptions;
  mode: ServingMode;
  vitals: Vitals;
  /** The target's root prober (its baselines were made while planning). */
  probe: Prober;
  /** Aborted when the target's budget runs out. */
  signal: AbortSignal;
  runJob: JobRunner;
  /** Makes the result of a job that did not run (or whose run cannot be trusted). */
  untested: (job: Job, reason: string, startMs: number, seen?: Verdict) => CaseResult;
  onResult?: (r: CaseResult) => void;
}

/** The liveness check's result as a case result (`<client>/alive/after-<phase>`). */
function aliveResult(target: Target, client: ClientProfile, phase: Phase, startMs: number, durationMs: number, v: Verdict): CaseResult {
  return {
    id: `${client}/alive/after-${phase}`,
    desc: `After the ${PHASE_TEXT[phase]}, the exact request is still answered as it was before any case`,
    requirement: 'After clients that misbehave (odd input, resets, silent or slow connections, a soak) the server MUST still answer an ordinary request.',
    requirementIds: ['WIRE-CONN-3', 'WIRE-HARNESS-5'],
    strict: false,
    target: target.key,
    client,
    verdict: v,
    slow: false,
    phase,
    startMs: Math.round(startMs),
    durationMs: Math.round(durationMs),
  };
}

// WIRE-HARNESS-5
/** Runs every phase of one target. Resolves with the results in phase order; never rejects for anything a server does. */
export async function runTargetPhases(input: TargetPhasesInput): Promise<CaseResult[]> {
  const { target, options, vitals, runJob, signal } = input;
  const socket = target.kind === 'socket';
  const serial = input.mode.mode === 'serial';
  const out: CaseResult[] = [];
  let death: Death | null = null;
  let deadCheckId = '';

  // WIRE-HARNESS-5: the exact request again, for each client, after a phase; it must be answered as
  // well as before any case (answered, or at least accepted when it never was answered).
  const check = async (phase: Phase, culprit?: string): Promise<{ results: CaseResult[]; death: Death | null }> => {
    const results: CaseResult[] = [];
    let found: Death | null = null;
    for (const { client, reference } of input.clients) {
      const id = `${client}/alive/after-${phase}`;
      const startMs = vitals.now();
      const { level, r } = await askAlive(input.probe, client, reference, vitals.observer(id), signal);
      const expected = [reference === 'answers' ? 'the ordinary request answered with a policy, as before the first case' : 'the connection accepted, as before the first case'];
      let v: Verdict;
      const seen = reference === 'answers' ? describeExchange(r) : 'the handshake completed (the target never answered the ordinary request, so only its handshake is checked)';
      if (RANK[level] >= RANK[reference]) v = verdict.pass(expected, `at t=${seconds(startMs)}: ${seen}`);
      else {
        found ??= vitals.death(level, startMs, describeExchange(r), culprit);
        v = verdict.fail(expected, found.text, { stopped: found.stopped, atMs: Math.round(found.atMs), afterCase: found.afterCase });
      }
      results.push(aliveResult(target, client, phase, startMs, vitals.now() - startMs, v));
    }
    return { results, death: found };
  };

  for (const phase of PHASES) {
    const jobs = input.jobs.filter((j) => phaseOf(j.def) === phase);
    if (jobs.length === 0) continue;
    if (death || signal.aborted) {
      const reason = death ? `not tested: the ${death.text.split(';')[0]} (see ${deadCheckId})` : 'not tested: the run\'s budget ran out before this case';
      for (const j of jobs) out.push(emit(input, input.untested(j, reason, vitals.now())));
      continue;
    }
    const { ran, culprit } = await runPhase(input, phase, jobs);
    if (!socket) {
      for (const r of ran) out.push(emit(input, r.result));
      continue;
    }
    let checked = await check(phase, culprit);
    if (checked.death) {
      death = checked.death;
      deadCheckId = checked.results.find((r) => r.verdict.status === 'fail')!.id;
      const reason = `not tested: the ${death.text.split(';')[0]}; this case was still running then (see ${deadCheckId})`;
      // The soak's own verdict stands: counting what dies under load is its job.
      for (const r of ran) out.push(emit(input, phase !== 'soak' && r.endMs > death.lastGoodMs ? input.untested(jobOf(jobs, r), reason, r.result.startMs, r.result.verdict) : r.result));
      for (const r of checked.results) out.push(emit(input, r));
      continue;
    }
    // WIRE-HARNESS-5: a case that failed beside others because one of its connections never got
    // through (or that ended in a harness error) is run again alone; its verdict is the one alone.
    const again = serial || phase === 'soak' ? [] : ran.filter((r) => r.result.verdict.status !== 'pass' && r.result.verdict.status !== 'skip' && (r.connectFailed || r.result.verdict.status === 'error') && !jobOf(jobs, r).def.crowd);
    if (again.length > 0) {
      // The reruns stop starting once they have taken as long as the longest case of the phase.
      const until = performance.now() + Math.max(maxOf(ran.map((r) => r.result.durationMs), 0), 1000);
      for (const r of again) {
        if (performance.now() > until || signal.aborted) break;
        const alone = await runJob(jobOf(jobs, r), { alone: true });
        alone.result.besideOthers = { status: r.result.verdict.status, actual: r.result.verdict.actual };
        ran[ran.indexOf(r)] = alone;
      }
      checked = await check(phase);
      if (checked.death) {
        death = checked.death;
        deadCheckId = checked.results.find((r) => r.verdict.status === 'fail')!.id;
      }
    }
    for (const r of ran) out.push(emit(input, r.result));
    for (const r of checked.results) out.push(emit(input, r));
  }
  return out;
}

function emit(input: TargetPhasesInput, r: CaseResult): CaseResult {
  input.onResult?.(r);
  return r;
}

/** The job a result came from (results keep the job's case ID, client and target). */
function jobOf(jobs: readonly Job[], r: Ran): Job {
  return jobs.find((j) => j.def.id === r.result.id && j.client === r.result.client)!;
}

/**
 * Runs the jobs of one phase as the phase prescribes. `culprit` is set when the odd-input phase saw
 * the target stop right after one of its cases.
 */
async function runPhase(input: TargetPhasesInput, phase: Phase, jobs: Job[]): Promise<{ ran: Ran[]; culprit?: string }> {
  const { options, runJob, signal } = input;
  const serial = input.mode.mode === 'serial';
  if (phase === 'ordinary') return { ran: await pool(jobs.map((j) => () => runJob(j, { alone: serial })), serial ? 1 : options.concurrency) };
  if (phase === 'soak') return { ran: await pool(jobs.map((j) => () => runJob(j, { alone: true })), 1) };
  if (phase === 'holding') {
    const singles = jobs.filter((j) => !j.def.crowd);
    const crowds = jobs.filter((j) => j.def.crowd);
    const a = await pool(singles.map((j) => () => runJob(j, { alone: serial })), serial ? 1 : singles.length);
    const b = await pool(crowds.map((j) => () => runJob(j, { alone: true })), 1);
    // Back in definition order.
    return { ran: jobs.map((j) => (j.def.crowd ? b[crowds.indexOf(j)]! : a[singles.indexOf(j)]!)) };
  }
  // odd-input: start one case, wait for its first byte to be sent (or its end; in serial mode its
  // end), let the server react, check that it still answers, then start the next.
  const running: Promise<Ran>[] = [];
  // Stops the cases still waiting once the target is gone: what they see then is the death.
  const gone = new AbortController();
  setMaxListeners(0, gone.signal);
  let stop = false;
  let culprit: string | undefined;
  for (const j of jobs) {
    if (stop || signal.aborted) {
      running.push(Promise.resolve({ result: input.untested(j, 'not tested: the target stopped accepting connections before this case', input.vitals.now()), connectFailed: false, endMs: input.vitals.now() }));
      continue;
    }
    let sent!: () => void;
    const firstByte = new Promise<void>((r) => (sent = r));
    const p = runJob(j, { onFirstWrite: sent, alone: serial, signal: gone.signal });
    running.push(p);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([serial ? p : Promise.race([firstByte, p]), new Promise((r) => (timer = setTimeout(r, options.timeoutMs)))]);
    clearTimeout(timer);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    // The ordinary request, not a bare connect: the kernel completes handshakes for a process that
    // has not read the odd input yet, but the process answers this only after handling that input
    // (it was readable first), so a server that dies of it is caught here, at this case.
    const { client, reference } = input.clients[0]!;
    const { level } = await askAlive(input.probe, client, reference, input.vitals.observer(j.def.id), signal);
    if (RANK[level] < RANK[reference]) {
      stop = true;
      culprit = j.def.id;
      gone.abort();
    }
  }
  const ran = await Promise.all(running);
  return culprit ? { ran, culprit } : { ran };
}
