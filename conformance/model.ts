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

/**
 * How a case ended. `warn` is a SHOULD-level failure outside `--strict`; `error` is the harness's
 * own failure; `untested` means the case could not be judged: the target stopped accepting (or
 * answering) before or while it ran, so what it saw says nothing about the case (WIRE-HARNESS-5).
 */
export type VerdictStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'error' | 'untested';

/**
 * The phases of a run against a socket target, in order (WIRE-HARNESS-5). Cases of one phase never
 * run beside cases of another, so a case that holds connections cannot starve an ordinary one:
 * - `ordinary`: the client's request, whole or split, and the checks of the answer;
 * - `odd-input`: input other than the request (garbage, near misses, oversize), started one at a
 *   time, each followed by the ordinary request, so a server that dies on one is caught at that case;
 * - `holding`: cases that hold connections open on purpose (idle, slow, half-closed clients, crowds);
 * - `soak`: the load probe, alone and last.
 */
export type Phase = 'ordinary' | 'odd-input' | 'holding' | 'soak';

/** The phases in the order they run. */
export const PHASES: readonly Phase[] = ['ordinary', 'odd-input', 'holding', 'soak'];

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
  /**
   * Aborted once the case's verdict is in, or when its budget or the run's runs out: every socket
   * the case opened through `probe` is destroyed then. Sockets a case opens itself must follow it.
   */
  signal: AbortSignal;
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
  /** The phase the case runs in (default `ordinary`). */
  readonly phase?: Phase;
  /** True for cases that open many connections at once: they run alone within their phase. */
  readonly crowd?: boolean;
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
  /** The phase it ran in. */
  phase: Phase;
  /** When the case started, in ms since the run started. */
  startMs: number;
  /** Wall time of the case in ms. */
  durationMs: number;
  /**
   * Set when the case failed beside other cases and was run again alone: what it saw the first
   * time. The verdict is the one it got alone (WIRE-HARNESS-5).
   */
  besideOthers?: { status: VerdictStatus; actual: string };
}

/** Options of one run, complete (defaults filled by {@link defaultRunOptions}). */
export interface RunOptions {
  /** Per-exchange budget in ms for ordinary probes (`--timeout`). */
  timeoutMs: number;
  /** Byte budget of one response: reading stops there (no unbounded buffer). */
  maxBytes: number;
  /**
   * How long certify waits for a server to close a connection by its own timeout (`--idle-window`):
   * the bound of WIRE-CONN-1 and WIRE-REQ-5, 30 s by default (WIRE-HARNESS-6).
   */
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

/** The default idle window: the bound on a server's own timeout that certify states and waits for. */
export const DEFAULT_IDLE_WINDOW_MS = 30_000;

/** The defaults: h2spec-like budgets, with room for Flash's 3-second wait. */
export function defaultRunOptions(overrides: Partial<RunOptions> = {}): RunOptions {
  const {
    timeoutMs = 4000,
    maxBytes = 256 * 1024,
    idleWindowMs = DEFAULT_IDLE_WINDOW_MS,
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
  untested(expected: string[], reason: string, details?: Record<string, unknown>): Verdict {
    return details ? { status: 'untested', expected, actual: reason, details } : { status: 'untested', expected, actual: reason };
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
