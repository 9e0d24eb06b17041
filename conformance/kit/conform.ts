/**
 * `xdpolicy conform` as a library: runs vectors through an implementation (session.ts) and compares
 * each answer with the expectation of a profile (CONFORM-4): per requirement, grouped by spec
 * chapter; the disagreements with the reference's trace; the profile the implementation agrees with
 * best.
 *
 * @module
 */
import { decide } from '../../src/decision/decide.js';
import type { ClientProfile, Decision, ProfileName } from '../../src/decision/types.js';
import { matchCasePattern } from '../model.js';
import { DEFAULT_STARTUP_MS, runSession, type CaseOutcome, type SessionEnd, type SessionOptions } from './session.js';
import type { VectorCase, VectorFile, Verdict } from './vectors.js';

/** What a case came to. `untested`: the run ended before the case was answered. */
export type ConformStatus = 'pass' | 'fail' | 'skip' | 'error' | 'untested';

/** One case's result. */
export interface ConformCaseResult {
  id: string;
  requirements: string[];
  status: ConformStatus;
  /** The verdict of the profile compared with. */
  expected: Verdict;
  /** The implementation's verdict, when it gave one. */
  actual: Verdict | null;
  /** Why it skipped, the error it reported, or what the runner saw. */
  detail: string | null;
  /** How long the answer took from the request's line, ms (absent when unanswered). */
  ms?: number;
}

/** Counts per status. */
export interface StatusCounts {
  pass: number;
  fail: number;
  skip: number;
  error: number;
  untested: number;
}

/** A requirement's line of the report. */
export interface RequirementResult extends StatusCounts {
  id: string;
  title: string;
  /** Ids of its cases that failed or erred. */
  failing: string[];
}

/** A chapter of spec/ and its requirements, in spec order. */
export interface ChapterResult extends StatusCounts {
  chapter: string;
  spec: string;
  requirements: RequirementResult[];
}

/** A case where the implementation's verdict is not the profile's. */
export interface Disagreement {
  id: string;
  note: string;
  requirements: string[];
  request: { origin: string; target: string; loadPolicy: string[]; headers: string[]; method?: string };
  expected: Verdict;
  actual: Verdict;
  /** The compared profile's own decision of the case, as trace lines (`decide`). */
  referenceTrace: string[];
}

/** How often the implementation's verdicts are a profile's. */
export interface ProfileAgreement {
  profile: string;
  /** Cases it decided (allow/deny) that the profile has a verdict for. */
  compared: number;
  agree: number;
  /** `agree / compared` in percent, one decimal; 0 when nothing was compared. */
  percent: number;
}

/** The report of one run. */
export interface ConformReport {
  impl: string;
  client: ClientProfile;
  profile: string;
  /** Where the cases came from. */
  cases: string;
  filter: string | null;
  startedAt: string;
  durationMs: number;
  summary: StatusCounts & { total: number };
  chapters: ChapterResult[];
  disagreements: Disagreement[];
  results: ConformCaseResult[];
  /** Every profile of the vectors, best first. */
  agreement: ProfileAgreement[];
  /** How the run ended; `problem` says why when it ended early. */
  run: { end: SessionEnd; problem: string | null; stderrTail: string; exit: { code: number | null; signal: string | null } | null };
  /** The runner's own time per case, and the implementation's median answer time, ms. */
  timing: { runnerMsPerCase: number; implMedianMs: number | null; caseBudgetMs: number; startupMs: number };
  /** 0 every case agrees (skips allowed), 1 a case fails or errs, 3 the implementation could not be run to the end. */
  exitCode: 0 | 1 | 3;
}

/** Options of {@link runConform}. */
export interface ConformOptions extends Omit<SessionOptions, 'command'> {
  /** The implementation's command line as given (for the report) and as words. */
  impl: string;
  command: string[];
  vectors: VectorFile;
  /** Where the vectors came from, for the report. */
  casesSource: string;
  /** The profile whose verdicts are expected (default: the vectors' client, the reference). */
  profile?: string;
  /** Only the cases whose id matches (`matchCasePattern`: globs, comma-separated). */
  filter?: string;
}

const zero = (): StatusCounts => ({ pass: 0, fail: 0, skip: 0, error: 0, untested: 0 });

/** The cases of `vectors` to run: those the profile has a verdict for, and that match `filter`. */
export function selectCases(vectors: VectorFile, profile: string, filter?: string): VectorCase[] {
  return vectors.cases.filter((c) => c.expect[profile] !== undefined && (filter === undefined || matchCasePattern(c.id, filter)));
}

// CONFORM-4
/** A case's status from its outcome and the expected verdict. */
export function statusOf(outcome: CaseOutcome, expected: Verdict): { status: ConformStatus; actual: Verdict | null; detail: string | null } {
  switch (outcome.kind) {
    case 'decision':
      return { status: outcome.decision === expected ? 'pass' : 'fail', actual: outcome.decision, detail: null };
    case 'skip':
      return { status: 'skip', actual: null, detail: outcome.why };
    case 'error':
      return { status: 'error', actual: null, detail: `the implementation reported an error: ${outcome.why}` };
    case 'timeout':
      return { status: 'error', actual: null, detail: `no answer within ${outcome.ms} ms${outcome.lateMs !== undefined ? ` (it came after ${Math.round(outcome.lateMs)} ms)` : ''}` };
    case 'unanswered':
      return { status: 'untested', actual: null, detail: 'not answered: the run ended first' };
  }
}

/** A decision's trace, one line a step: `fetch xmlsocket://h:843 (policy, used): why [IDS]`. */
export function traceLines(d: Decision): string[] {
  return d.trace.map((t) => {
    const what = [t.answered, t.used === undefined ? undefined : t.used ? 'used' : 'not used'].filter((x) => x !== undefined).join(', ');
    return `${t.step}${t.location ? ` ${t.location}` : ''}${what ? ` (${what})` : ''}: ${t.why}${t.requirements.length ? ` [${t.requirements.join(', ')}]` : ''}`;
  });
}

/** The decision of `profile` for a case (our implementation of it): what the report shows as the profile's trace. */
export function referenceDecision(c: VectorCase, profile: string): Decision {
  return decide(
    { client: profile as ProfileName, origin: c.origin, target: c.target, loadPolicy: c.loadPolicy, headers: c.headers, ...(c.method !== undefined ? { method: c.method } : {}) },
    c.world,
  );
}

// CONFORM-4
/** Agreement of the implementation's verdicts with every profile of the vectors, best first. */
export function agreementOf(vectors: VectorFile, cases: readonly VectorCase[], results: ReadonlyMap<string, ConformCaseResult>): ProfileAgreement[] {
  const out: ProfileAgreement[] = [];
  for (const profile of Object.keys(vectors.profiles)) {
    let compared = 0;
    let agree = 0;
    for (const c of cases) {
      const actual = results.get(c.id)?.actual ?? null;
      const expected = c.expect[profile];
      if (actual === null || expected === undefined) continue;
      compared++;
      if (actual === expected) agree++;
    }
    out.push({ profile, compared, agree, percent: compared === 0 ? 0 : Math.round((agree / compared) * 1000) / 10 });
  }
  // Best first; on a tie, the profile listed first (the reference) wins.
  return out.map((a, i) => ({ a, i })).sort((x, y) => y.a.percent - x.a.percent || y.a.compared - x.a.compared || x.i - y.i).map((x) => x.a);
}

/** Groups the results by requirement and chapter, in the vectors' (spec) order. */
export function chaptersOf(vectors: VectorFile, results: readonly ConformCaseResult[]): ChapterResult[] {
  const rows = new Map<string, RequirementResult>();
  for (const [id, r] of Object.entries(vectors.requirements)) rows.set(id, { id, title: r.title, ...zero(), failing: [] });
  for (const res of results) {
    for (const id of res.requirements) {
      let row = rows.get(id);
      if (row === undefined) {
        // A requirement the file does not describe (a hand-written --cases file): its own chapter.
        row = { id, title: '', ...zero(), failing: [] };
        rows.set(id, row);
      }
      row[res.status]++;
      if (res.status === 'fail' || res.status === 'error') row.failing.push(res.id);
    }
  }
  const chapters = new Map<string, ChapterResult>();
  for (const row of rows.values()) {
    if (row.pass + row.fail + row.skip + row.error + row.untested === 0) continue;
    const info = vectors.requirements[row.id];
    const name = info?.chapter ?? 'Requirements not described by the vectors file';
    let ch = chapters.get(name);
    if (ch === undefined) {
      ch = { chapter: name, spec: info?.spec ?? '', ...zero(), requirements: [] };
      chapters.set(name, ch);
    }
    ch.requirements.push(row);
  }
  // A chapter's counts are of its cases, each once, however many of its requirements a case names.
  for (const ch of chapters.values()) {
    const ids = new Set(ch.requirements.map((r) => r.id));
    for (const res of results) if (res.requirements.some((id) => ids.has(id))) ch[res.status]++;
  }
  return [...chapters.values()];
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

// CONFORM-4
/** Runs the selected vectors through the implementation and builds the report. Never rejects. */
export async function runConform(options: ConformOptions): Promise<ConformReport> {
  const profile = options.profile ?? options.vectors.client;
  const cases = selectCases(options.vectors, profile, options.filter);
  const startedAt = new Date().toISOString();
  const session = await runSession(cases, options);
  const results: ConformCaseResult[] = [];
  const byId = new Map<string, ConformCaseResult>();
  const disagreements: Disagreement[] = [];
  for (const c of cases) {
    const expected = c.expect[profile]!;
    const outcome = session.outcomes.get(c.id) ?? { kind: 'unanswered' };
    const s = statusOf(outcome, expected);
    const result: ConformCaseResult = { id: c.id, requirements: c.requirements, expected, ...s };
    if ('ms' in outcome) result.ms = Math.round(outcome.ms * 1000) / 1000;
    results.push(result);
    byId.set(c.id, result);
    if (s.status === 'fail') {
      const request: Disagreement['request'] = { origin: c.origin, target: c.target, loadPolicy: c.loadPolicy, headers: c.headers };
      if (c.method !== undefined) request.method = c.method;
      disagreements.push({ id: c.id, note: c.note, requirements: c.requirements, request, expected, actual: s.actual!, referenceTrace: traceLines(referenceDecision(c, profile)) });
    }
  }
  const summary = { total: results.length, ...zero() };
  for (const r of results) summary[r.status]++;
  const exitCode = session.end !== 'complete' ? 3 : summary.fail + summary.error > 0 ? 1 : 0;
  const answered = results.filter((r) => r.ms !== undefined && r.status !== 'error').map((r) => r.ms!);
  return {
    impl: options.impl,
    client: options.vectors.client,
    profile,
    cases: options.casesSource,
    filter: options.filter ?? null,
    startedAt,
    durationMs: Math.round(session.durationMs),
    summary,
    chapters: chaptersOf(options.vectors, results),
    disagreements,
    results,
    agreement: agreementOf(options.vectors, cases, byId),
    run: { end: session.end, problem: session.problem, stderrTail: session.stderrTail, exit: session.exit },
    timing: { runnerMsPerCase: cases.length ? Math.round((session.runnerMs / cases.length) * 1000) / 1000 : 0, implMedianMs: median(answered), caseBudgetMs: options.budgetMs ?? 5000, startupMs: options.startupMs ?? DEFAULT_STARTUP_MS },
    exitCode,
  };
}
