/**
 * The load and soak probe (`certify --load N`): N Flash-like (or Silverlight-like) connections at
 * a set concurrency, each counted only when the whole policy arrived, then one ordinary request.
 *
 * It can be cancelled, and it stops on its own once the verdict is known: after
 * {@link identicalFailureLimit} failures of one kind in a row (a server that answers nobody, or
 * that died) no more connections are started, and every connection still open is destroyed at
 * once (WIRE-CONN-4, WIRE-HARNESS-5).
 *
 * On loopback the source address rotates over 127.0.0.2–127.0.0.254: every closed connection
 * leaves a TIME_WAIT on one side, and one source address exhausts the 4-tuples to one port within
 * seconds — which would be the harness failing, not the server.
 *
 * @module
 */
import { setMaxListeners } from 'node:events';
import type { ClientProfile } from '../src/decision/types.js';
import { exchange, lateHandshake, type ExchangeOptions, type ExchangeResult, type SendStep } from './client.js';
import { describeExchange, holdsCompletePolicy, requestFor, socketPolicyText } from './probe.js';
import { isIpv4Loopback } from './target.js';

/** Options of one load probe. */
export interface LoadOptions {
  host: string;
  port: number;
  client: ClientProfile;
  connections: number;
  concurrency: number;
  timeoutMs: number;
  maxBytes: number;
  /** The size of a whole answer (from the baseline), when known: a connection may stop once it is in. */
  expectedBytes?: number | undefined;
  /** Stops the probe: no connection is started after, and every open one is destroyed. */
  signal?: AbortSignal;
  /** Sees every connection as it ends (the target's vitals). */
  observe?: (r: ExchangeResult) => void;
  /** Stop after this many failures of one kind in a row (default {@link identicalFailureLimit}). */
  stopAfterIdentical?: number;
  /** How a connection is made (default: a plain exchange; certify passes the case's prober). */
  send?: (steps: SendStep[], overrides: Partial<Omit<ExchangeOptions, 'host' | 'port' | 'steps'>>) => Promise<ExchangeResult>;
}

/** The ways a soak connection can fail. */
export type LoadFailure = 'unconnected' | 'refused' | 'timeout' | 'reset' | 'empty' | 'partial' | 'error';

/** What a load probe measured. */
export interface LoadResult {
  /** Connections asked for (`--load`). */
  connections: number;
  /** Connections started (fewer when the probe stopped early). */
  attempted: number;
  ok: number;
  /**
   * Failed connections by kind: `unconnected` never completed the TCP handshake, `timeout` connected
   * and got no whole answer in time, `empty` closed with nothing, `partial` closed mid-answer.
   */
  failures: Record<LoadFailure, number>;
  /**
   * Failed connections that completed their handshake only after a SYN retransmission (a full
   * listen backlog; counted among the failures above, usually as `timeout`).
   */
  lateHandshakes: number;
  /** Connections still open when the probe stopped early (destroyed then, neither ok nor failed). */
  abandoned: number;
  /** Set when the probe stopped early: after how many identical failures in a row, of which kind. */
  stoppedEarly?: { kind: LoadFailure; inARow: number; atConnection: number; atMs: number };
  /** When the first refused connection came, in ms since the probe started (the server stopped accepting). */
  firstRefusedMs?: number;
  elapsedMs: number;
  sourceAddresses: number;
  /** The final ordinary request. */
  after: string;
  afterOk: boolean;
}

// WIRE-CONN-4
/** How many failures of one kind in a row end a soak early: twice the concurrency, and at least 100. */
export function identicalFailureLimit(concurrency: number): number {
  return Math.max(100, 2 * concurrency);
}

/** The kind of a failed soak connection. */
function failureKind(r: ExchangeResult): LoadFailure {
  if (r.endReason === 'refused') return 'refused';
  if (r.endReason === 'connect-timeout') return 'unconnected';
  if (r.endReason === 'timeout') return 'timeout';
  if (r.bytes.length === 0 && r.endReason === 'reset') return 'reset';
  if (r.bytes.length === 0) return 'empty';
  if (r.endReason === 'error') return 'error';
  return 'partial';
}

/** The source address of connection `i` on loopback (127.0.0.2 … 127.0.0.254). */
export function rotatedSource(i: number): string {
  return `127.0.0.${2 + (i % 253)}`;
}

/**
 * Runs the probe. Bounded: each connection has the per-exchange budget, at most `concurrency` run
 * at once, and the probe ends within ceil(connections / concurrency) budgets plus one (the final
 * request), sooner when it stops early or is cancelled.
 */
export async function loadProbe(o: LoadOptions): Promise<LoadResult> {
  const rotate = isIpv4Loopback(o.host);
  const failures: Record<LoadFailure, number> = { unconnected: 0, refused: 0, timeout: 0, reset: 0, empty: 0, partial: 0, error: 0 };
  const limit = o.stopAfterIdentical ?? identicalFailureLimit(o.concurrency);
  // Aborted when the verdict is known (or the caller cancels): every open connection is destroyed.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const cancel = (): void => stop.abort();
  o.signal?.addEventListener('abort', cancel, { once: true });
  if (o.signal?.aborted) stop.abort();
  let ok = 0;
  let next = 0;
  let abandoned = 0;
  let lateHandshakes = 0;
  let run: { kind: LoadFailure; count: number } | null = null;
  let stoppedEarly: LoadResult['stoppedEarly'];
  let firstRefusedMs: number | undefined;
  const start = performance.now();
  const request = requestFor(o.client);
  const whole = (r: ExchangeResult): boolean =>
    (o.expectedBytes === undefined || r.bytes.length >= o.expectedBytes) &&
    (holdsCompletePolicy(socketPolicyText(r), o.client) || holdsCompletePolicy(r.bytes.toString('utf8'), o.client));
  const send = o.send ?? ((steps, overrides) => exchange({ host: o.host, port: o.port, steps, timeoutMs: o.timeoutMs, maxBytes: o.maxBytes, ...overrides }));
  const worker = async (): Promise<void> => {
    while (next < o.connections && !stop.signal.aborted) {
      const i = next++;
      const r = await send([{ write: request }], {
        ...(rotate ? { localAddress: rotatedSource(i) } : {}),
        timeoutMs: o.timeoutMs,
        maxBytes: o.maxBytes,
        nulGraceMs: 0,
        signal: stop.signal,
        ...(o.observe ? { observe: o.observe } : {}),
        ...(o.expectedBytes !== undefined ? { stopAfterBytes: o.expectedBytes } : {}),
      });
      if (stop.signal.aborted && r.endReason === 'client-done' && !whole(r)) {
        abandoned++;
        continue;
      }
      if (whole(r)) {
        ok++;
        run = null;
        continue;
      }
      const kind = failureKind(r);
      failures[kind]++;
      if (lateHandshake(r)) lateHandshakes++;
      if (kind === 'refused') firstRefusedMs ??= Math.round(performance.now() - start - r.endMs);
      run = run?.kind === kind ? { kind, count: run.count + 1 } : { kind, count: 1 };
      if (run.count >= limit && !stop.signal.aborted) {
        stoppedEarly = { kind, inARow: run.count, atConnection: i + 1, atMs: Math.round(performance.now() - start) };
        stop.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, o.connections)) }, worker));
  } finally {
    o.signal?.removeEventListener('abort', cancel);
  }
  const elapsedMs = Math.round(performance.now() - start);
  const after = await send([{ write: request }], { timeoutMs: o.timeoutMs, maxBytes: o.maxBytes, nulGraceMs: 0, ...(o.signal ? { signal: o.signal } : {}), ...(o.observe ? { observe: o.observe } : {}) });
  const result: LoadResult = {
    connections: o.connections,
    attempted: next,
    ok,
    failures,
    lateHandshakes,
    abandoned,
    elapsedMs,
    sourceAddresses: rotate ? Math.min(253, next) : 1,
    after: describeExchange(after),
    afterOk: whole(after),
  };
  if (stoppedEarly) result.stoppedEarly = stoppedEarly;
  if (firstRefusedMs !== undefined) result.firstRefusedMs = firstRefusedMs;
  return result;
}
