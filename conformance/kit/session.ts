/**
 * Runs cases through an implementation over the stdio protocol (CONFORM-2, CONFORM-3): spawns the
 * command, writes one request line per case (at most `window` unanswered at a time), reads answer
 * lines in any order, times out a case its budget passes, and ends the run when the implementation
 * exits, closes its output, breaks the protocol or stops answering.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { protocolLine, readAnswer, requestOf } from './protocol.js';
import type { VectorCase } from './vectors.js';

/** What became of one case. */
export type CaseOutcome =
  | { kind: 'decision'; decision: 'allow' | 'deny'; ms: number }
  | { kind: 'skip'; why: string; ms: number }
  | { kind: 'error'; why: string; ms: number }
  | { kind: 'timeout'; ms: number; lateMs?: number }
  | { kind: 'unanswered' };

/** How the run ended. */
export type SessionEnd =
  /** Every case has an outcome. */
  | 'complete'
  /** The command could not be started. */
  | 'not-started'
  /** The implementation exited or closed its output with cases unanswered. */
  | 'crashed'
  /** An output line is not an answer, or answers no outstanding case. */
  | 'protocol'
  /** `stallLimit` cases in a row passed their budget with no answer in between. */
  | 'stalled';

/** Options of a run. */
export interface SessionOptions {
  /** The command and its arguments (see `splitCommand`). */
  command: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Time budget of a case, from the moment its line is written (default 5000 ms). */
  budgetMs?: number;
  /**
   * Start-up allowance (default 10000 ms): added to the budget of every case written before the
   * implementation's first answer, so a program that takes seconds to start (a JVM, an emulator
   * loading its runtime) is not timed out on its first window.
   */
  startupMs?: number;
  /** Cases written and not yet answered, at most (default 8). */
  window?: number;
  /** Cases in a row that pass their budget with no answer in between before the run stops (default 3). */
  stallLimit?: number;
  /** Longest answer line read, in bytes (default 1 MiB); a longer line is a protocol error. */
  maxLineBytes?: number;
}

/** The result of a run. */
export interface SessionResult {
  /** Outcome per case id, every case present. */
  outcomes: Map<string, CaseOutcome>;
  end: SessionEnd;
  /** Why the run ended before completing, for people. */
  problem: string | null;
  /** The last 4 KiB the implementation wrote to stderr. */
  stderrTail: string;
  /** Its exit status or signal, when it exited. */
  exit: { code: number | null; signal: string | null } | null;
  /** Wall time of the run, ms. */
  durationMs: number;
  /** Time spent in the runner's own code (encoding requests, reading answers), ms. */
  runnerMs: number;
}

const STDERR_TAIL = 4096;

/** The default start-up allowance (CONFORM-3). */
export const DEFAULT_STARTUP_MS = 10_000;

// CONFORM-3
/** Runs `cases` through the implementation `options.command`. Never rejects. */
export function runSession(cases: readonly VectorCase[], options: SessionOptions): Promise<SessionResult> {
  const budgetMs = options.budgetMs ?? 5000;
  const startupMs = options.startupMs ?? DEFAULT_STARTUP_MS;
  let answeredOnce = false;
  const window = Math.max(1, options.window ?? 8);
  const stallLimit = Math.max(1, options.stallLimit ?? 3);
  const maxLine = options.maxLineBytes ?? 1 << 20;
  const started = performance.now();
  let runnerMs = 0;
  const outcomes = new Map<string, CaseOutcome>(cases.map((c) => [c.id, { kind: 'unanswered' }]));
  const sentAt = new Map<string, number>();
  const timers = new Map<string, NodeJS.Timeout>();
  let next = 0;
  let pending = 0;
  let done = 0;
  let timeoutsInARow = 0;
  let stderrTail = '';
  let exit: SessionResult['exit'] = null;
  let finished = false;
  let closed = false;

  return new Promise<SessionResult>((resolveRun) => {
    let child: ReturnType<typeof spawn>;
    const finish = (end: SessionEnd, problem: string | null): void => {
      if (finished) return;
      finished = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      const result = (): SessionResult => ({ outcomes, end, problem, stderrTail, exit, durationMs: performance.now() - started, runnerMs });
      if (closed || child === undefined || child.pid === undefined) {
        resolveRun(result());
        return;
      }
      // Close its input and give it a moment to exit by itself; then stop it.
      child.stdin?.end();
      const kill = setTimeout(() => child.kill('SIGKILL'), end === 'complete' ? 2000 : 200);
      child.once('close', () => {
        clearTimeout(kill);
        resolveRun(result());
      });
      if (end !== 'complete') child.kill('SIGTERM');
    };

    const fill = (): void => {
      const t0 = performance.now();
      while (!finished && pending < window && next < cases.length) {
        const c = cases[next++]!;
        pending++;
        sentAt.set(c.id, performance.now());
        // CONFORM-3: until the implementation has answered once, its start-up is allowed for too.
        const ms = answeredOnce ? budgetMs : budgetMs + startupMs;
        timers.set(
          c.id,
          setTimeout(() => {
            timers.delete(c.id);
            outcomes.set(c.id, { kind: 'timeout', ms });
            pending--;
            done++;
            if (++timeoutsInARow >= stallLimit) {
              finish('stalled', `the implementation stopped answering: ${timeoutsInARow} cases in a row got no answer within ${answeredOnce || startupMs === 0 ? `${budgetMs} ms` : `${ms} ms (${budgetMs} ms and ${startupMs} ms for its start-up)`}`);
              return;
            }
            advance();
          }, ms),
        );
        child.stdin!.write(protocolLine(requestOf(c)));
      }
      runnerMs += performance.now() - t0;
    };
    const advance = (): void => {
      if (finished) return;
      if (done === cases.length) finish('complete', null);
      else fill();
    };

    const onLine = (line: string): void => {
      if (finished) return;
      const t0 = performance.now();
      const text = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (text.trim() === '') return;
      const read = readAnswer(text);
      if ('problem' in read) {
        finish('protocol', `the implementation wrote a line that is not an answer (${read.problem}): ${preview(text)}`);
        return;
      }
      const a = read.answer;
      const was = outcomes.get(a.id);
      const at = sentAt.get(a.id);
      if (was === undefined || at === undefined) {
        finish('protocol', `the implementation answered case ${JSON.stringify(a.id)}, which was not asked: ${preview(text)}`);
        return;
      }
      answeredOnce = true;
      const ms = performance.now() - at;
      if (was.kind === 'timeout' && was.lateMs === undefined) {
        // Too late: the case stays an error, and the report says when the answer came.
        outcomes.set(a.id, { ...was, lateMs: ms });
        return;
      }
      if (was.kind !== 'unanswered') {
        finish('protocol', `the implementation answered case ${JSON.stringify(a.id)} twice: ${preview(text)}`);
        return;
      }
      clearTimeout(timers.get(a.id));
      timers.delete(a.id);
      outcomes.set(a.id, 'decision' in a ? { kind: 'decision', decision: a.decision, ms } : 'skip' in a ? { kind: 'skip', why: a.skip, ms } : { kind: 'error', why: a.error, ms });
      timeoutsInARow = 0;
      pending--;
      done++;
      runnerMs += performance.now() - t0;
      advance();
    };

    try {
      child = spawn(options.command[0]!, options.command.slice(1), { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (err) {
      finish('not-started', `cannot run ${options.command[0]}: ${(err as Error).message}`);
      return;
    }
    child.on('error', (err: NodeJS.ErrnoException) => {
      // Spawning failed (no such command, not executable): nothing ran.
      if (child.pid === undefined) finish('not-started', `cannot run ${options.command[0]}: ${err.code === 'ENOENT' ? 'no such command' : err.message}`);
    });
    // A write to an implementation that exited: its exit says what happened.
    child.stdin!.on('error', () => {});
    child.stderr!.on('data', (d: Buffer) => {
      stderrTail = (stderrTail + d.toString('utf8')).slice(-STDERR_TAIL);
    });
    let buffered: Buffer[] = [];
    let bufferedBytes = 0;
    child.stdout!.on('data', (d: Buffer) => {
      let start = 0;
      for (let nl = d.indexOf(10); nl !== -1 && !finished; nl = d.indexOf(10, start)) {
        buffered.push(d.subarray(start, nl));
        const line = Buffer.concat(buffered).toString('utf8');
        buffered = [];
        bufferedBytes = 0;
        start = nl + 1;
        onLine(line);
      }
      if (finished) return;
      buffered.push(d.subarray(start));
      bufferedBytes += d.length - start;
      if (bufferedBytes > maxLine) finish('protocol', `the implementation wrote a line longer than ${maxLine} bytes`);
    });
    const ended = (why: string): void => {
      if (child.pid === undefined) return; // never started: the 'error' event says so
      if (done < cases.length) finish('crashed', `the implementation ${why} with ${cases.length - done} of ${cases.length} cases unanswered`);
    };
    // 'close': the process has exited and its output has been read to the end.
    child.on('close', (code, signal) => {
      closed = true;
      exit = { code, signal };
      ended(signal ? `was killed by ${signal}` : `exited with status ${code}`);
    });
    fill();
    if (cases.length === 0) finish('complete', null);
  });
}

function preview(line: string): string {
  return JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}…` : line);
}
