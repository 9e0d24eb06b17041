/**
 * The load and soak probe (`certify --load N`): N Flash-like (or Silverlight-like) connections at
 * a set concurrency, each counted only when the whole policy arrived, then one ordinary request.
 *
 * On loopback the source address rotates over 127.0.0.2–127.0.0.254: every closed connection
 * leaves a TIME_WAIT on one side, and one source address exhausts the 4-tuples to one port within
 * seconds — which would be the harness failing, not the server.
 *
 * @module
 */
import type { ClientProfile } from '../src/decision/types.js';
import { exchange, type ExchangeResult } from './client.js';
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
}

/** What a load probe measured. */
export interface LoadResult {
  connections: number;
  ok: number;
  failures: { empty: number; partial: number; reset: number; timeout: number; refused: number; error: number };
  elapsedMs: number;
  sourceAddresses: number;
  /** The final ordinary request. */
  after: string;
  afterOk: boolean;
}

/** The source address of connection `i` on loopback (127.0.0.2 … 127.0.0.254). */
export function rotatedSource(i: number): string {
  return `127.0.0.${2 + (i % 253)}`;
}

/** Runs the probe. Bounded: each connection has the per-exchange budget, and at most `concurrency` run at once. */
export async function loadProbe(o: LoadOptions): Promise<LoadResult> {
  const rotate = isIpv4Loopback(o.host);
  const failures = { empty: 0, partial: 0, reset: 0, timeout: 0, refused: 0, error: 0 };
  let ok = 0;
  let next = 0;
  const start = performance.now();
  const request = requestFor(o.client);
  const whole = (r: ExchangeResult): boolean =>
    (o.expectedBytes === undefined || r.bytes.length >= o.expectedBytes) &&
    (holdsCompletePolicy(socketPolicyText(r), o.client) || holdsCompletePolicy(r.bytes.toString('utf8'), o.client));
  const worker = async (): Promise<void> => {
    while (next < o.connections) {
      const i = next++;
      const r = await exchange({
        host: o.host,
        port: o.port,
        ...(rotate ? { localAddress: rotatedSource(i) } : {}),
        steps: [{ write: request }],
        timeoutMs: o.timeoutMs,
        maxBytes: o.maxBytes,
        nulGraceMs: 0,
        ...(o.expectedBytes !== undefined ? { stopAfterBytes: o.expectedBytes } : {}),
      });
      if (whole(r)) ok++;
      else if (r.endReason === 'refused') failures.refused++;
      else if (r.endReason === 'timeout' || r.endReason === 'connect-timeout') failures.timeout++;
      else if (r.bytes.length === 0 && r.endReason === 'reset') failures.reset++;
      else if (r.bytes.length === 0) failures.empty++;
      else if (r.endReason === 'error') failures.error++;
      else failures.partial++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, o.connections)) }, worker));
  const elapsedMs = Math.round(performance.now() - start);
  const after = await exchange({ host: o.host, port: o.port, steps: [{ write: request }], timeoutMs: o.timeoutMs, maxBytes: o.maxBytes, nulGraceMs: 0 });
  return {
    connections: o.connections,
    ok,
    failures,
    elapsedMs,
    sourceAddresses: rotate ? Math.min(253, o.connections) : 1,
    after: describeExchange(after),
    afterOk: whole(after),
  };
}
