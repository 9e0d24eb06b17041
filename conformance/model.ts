/**
 * The case model of the conformance harness, after h2spec: a case is immutable data plus a
 * closure. `run` returns a {@link Verdict}; nothing about a run is ever written back onto the
 * definition, so the same definitions can be run against many targets, concurrently.
 *
 * @module
 */
import type { ClientProfile } from '../src/decision/types.js';
import type { Target } from './target.js';
import type { Prober } from './probe.js';
import type { Analyzers } from './analyze.js';
import type { WorldSnapshot } from '../src/world/world.js';

/** How a case ended. `warn` is a SHOULD-level failure outside `--strict`; `error` is the harness's own failure. */
export type VerdictStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

/** What a case found: h2spec's `TestError{Expected, Actual}` made a value for every outcome. */
export interface Verdict {
  status: VerdictStatus;
  /** What a conforming server does (one line each; any of them passes). */
  expected: string[];
  /** What this server did. */
  actual: string;
  /** Extra facts for the report (timings, byte counts, findings). */
  details?: Record<string, unknown>;
}

/** Everything a case may use while it runs: the target, the probe helpers, the run's options. */
export interface CaseContext {
  target: Target;
  /** The client profile the case is run for (a target certified for both runs each case twice). */
  client: ClientProfile;
  probe: Prober;
  options: RunOptions;
  /** The library functions the checks use (parsers, lint, decide). */
  analyzers: Analyzers;
  /** The world snapshot this target's answer makes (see `world.ts`), memoised. */
  world(): Promise<WorldSnapshot>;
}

/** An immutable case definition. */
export interface CaseDefinition {
  /** Stable, written-out ID such as `wire/flash/split-bytewise` or `flash/response/nul-terminator`. */
  readonly id: string;
  /** What the probe does, for people. */
  readonly desc: string;
  /** The requirement text (MUST/SHOULD), quoted from spec/conformance.md or the source it cites. */
  readonly requirement: string;
  /** Requirement IDs of spec/ the case checks. */
  readonly requirementIds: readonly string[];
  /** True for SHOULD-level cases: their failures count only under `--strict`. */
  readonly strict: boolean;
  /** Which targets the case applies to. */
  readonly appliesTo: (target: Target, client: ClientProfile) => boolean;
  /** True for deliberate timeout probes (they wait on purpose; reported apart in timings). */
  readonly slow?: boolean;
  /** Whether the case is part of a run with these options (e.g. load probes need `--load`). */
  readonly enabled?: (options: RunOptions) => boolean;
  /** The hard time budget of the whole case in ms, given the run's options. */
  readonly budgetMs: (options: RunOptions) => number;
  /** Runs the case; may return `fail` or `pass` and the runner maps SHOULD failures to `warn`. */
  readonly run: (ctx: CaseContext) => Promise<Verdict>;
}

/** One case's result on one target. */
export interface CaseResult {
  id: string;
  desc: string;
  requirement: string;
  requirementIds: string[];
  strict: boolean;
  target: string;
  client: ClientProfile;
  verdict: Verdict;
  /** True for deliberate timeout probes. */
  slow: boolean;
  /** Wall time of the case in ms. */
  durationMs: number;
}

/** Options of one run, complete (defaults filled by {@link defaultRunOptions}). */
export interface RunOptions {
  /** Per-exchange budget in ms for ordinary probes (`--timeout`). */
  timeoutMs: number;
  /** Byte budget of one response: reading stops there (no unbounded buffer). */
  maxBytes: number;
  /** How long a deliberate idle/slow probe waits for the server to close it. */
  idleWindowMs: number;
  /** `--strict`: SHOULD failures count. */
  strict: boolean;
  /** How many cases run at once. */
  concurrency: number;
  /** `--load N` connections (0: no load probe). */
  load: number;
  /** Concurrency of the load probe. */
  loadConcurrency: number;
  /** The operator's expectations (`--expect`), if any. */
  expectations: import('./expect.js').Expectations | null;
  /**
   * `--insecure`: TLS certificates of https targets are not verified (self-signed test servers).
   * Every report then warns that the transport was not authenticated.
   */
  insecure: boolean;
}

/** The defaults: h2spec-like budgets, with room for Flash's 3-second wait. */
export function defaultRunOptions(overrides: Partial<RunOptions> = {}): RunOptions {
  const {
    timeoutMs = 4000,
    maxBytes = 256 * 1024,
    idleWindowMs = 10_000,
    strict = false,
    concurrency = 8,
    load = 0,
    loadConcurrency = 50,
    expectations = null,
    insecure = false,
  } = overrides;
  return { timeoutMs, maxBytes, idleWindowMs, strict, concurrency, load, loadConcurrency, expectations, insecure };
}

/** Helpers that build verdicts, so every report reads alike. */
export const verdict = {
  pass(expected: string[], actual: string, details?: Record<string, unknown>): Verdict {
    return details ? { status: 'pass', expected, actual, details } : { status: 'pass', expected, actual };
  },
  fail(expected: string[], actual: string, details?: Record<string, unknown>): Verdict {
    return details ? { status: 'fail', expected, actual, details } : { status: 'fail', expected, actual };
  },
  skip(reason: string): Verdict {
    return { status: 'skip', expected: [], actual: reason };
  },
  error(expected: string[], actual: string): Verdict {
    return { status: 'error', expected, actual };
  },
};

/** True when a case ID matches a `--cases` pattern: an ID prefix, or a glob with `*` and `?`. */
export function matchCasePattern(id: string, pattern: string): boolean {
  return pattern
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .some((p) => {
      if (!/[*?]/.test(p)) return id === p || id.startsWith(p.endsWith('/') ? p : `${p}/`) || id.startsWith(p);
      const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      return re.test(id);
    });
}
