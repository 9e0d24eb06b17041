/**
 * The benchmark harness shared by every suite: a suite is a `bench/*.bench.ts` module exporting
 * `suite: BenchSuite`; `bench/run.ts` finds them, runs them in name order, prints one table and
 * writes docs/benchmarks.md.
 *
 * Speed targets are ratios against a baseline measured in the same run, or absolute rates; the
 * machines are shared, so every measurement is the best of several rounds.
 */

/** One measured figure. */
export interface BenchFigure {
  /** What was measured, e.g. `compiled decision, 10,000 rules`. */
  label: string;
  value: number;
  /** `ops/s`, `µs/op`, `×`, … */
  unit: string;
}

/** One target with its verdict. */
export interface BenchTarget {
  /** The target as people read it, e.g. `≥ 1,000,000 decisions/s`. */
  target: string;
  /** The measured figure, formatted. */
  measured: string;
  pass: boolean;
}

/** What a suite reports. */
export interface BenchResult {
  figures: BenchFigure[];
  targets: BenchTarget[];
  /** Notes for the docs (how it was measured). */
  notes?: string[];
}

/** A benchmark suite. */
export interface BenchSuite {
  name: string;
  run(): Promise<BenchResult> | BenchResult;
}

/** A sink the optimiser cannot see through. */
export let blackhole: unknown = null;
/** Stores a value so the work producing it is not eliminated. */
export function consume(v: unknown): void {
  blackhole = v;
}

/** CPU time (user + system) this process has used, in nanoseconds. */
function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/**
 * Measures `fn` (which performs `opsPerCall` operations per call): calls it repeatedly for about
 * `roundMs` milliseconds of CPU time per round, `rounds` times, and returns the best rate in ops/s.
 *
 * Rates are per CPU second of this process (`process.cpuUsage`), not per wall-clock second: the
 * benchmark machines are shared and often run many processes per core, and wall time would measure
 * the scheduler rather than the code. Ratios between suites' figures stay meaningful either way.
 */
export function measure(fn: () => void, opsPerCall = 1, options: { rounds?: number; roundMs?: number; warmupMs?: number } = {}): number {
  const { rounds = 5, roundMs = 200, warmupMs = 100 } = options;
  const runFor = (ms: number): { ops: number; ns: number } => {
    const start = cpuNs();
    const deadline = start + ms * 1e6;
    let calls = 0;
    let now = start;
    while (now < deadline) {
      for (let i = 0; i < 64; i++) fn();
      calls += 64;
      now = cpuNs();
    }
    return { ops: calls * opsPerCall, ns: now - start };
  };
  runFor(warmupMs);
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const { ops, ns } = runFor(roundMs);
    best = Math.max(best, (ops * 1e9) / ns);
  }
  return best;
}

/** Formats a number with thousands separators and `digits` decimals. */
export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * The decision-speed targets of issues 2 and 3, from the compiled rates (decisions/s by rule
 * count) and the linear-scan rates measured in the same run: ≥ 1,000,000 decisions/s at 10,000
 * rules, 10,000 rules costing ≤ 2× of 10, and ≥ 50× the linear scan at 10,000.
 */
export function decisionTargets(rate: Record<number, number>, linearRate: Record<number, number>): BenchTarget[] {
  const r10 = rate[10] as number;
  const r10k = rate[10000] as number;
  const speedup = r10k / (linearRate[10000] as number);
  return [
    { target: '≥ 1,000,000 compiled decisions/s (10,000 rules)', measured: `${fmt(r10k)}/s`, pass: r10k >= 1_000_000 },
    { target: 'cost at 10,000 rules ≤ 2× cost at 10 rules', measured: `${fmt(r10 / r10k, 2)}×`, pass: r10 / r10k <= 2 },
    { target: '≥ 50× the linear scan at 10,000 rules', measured: `${fmt(speedup, 0)}×`, pass: speedup >= 50 },
  ];
}

/** A deterministic generator (mulberry32), so every run measures the same policies. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
