/**
 * The socket client that meets hostile servers. One exchange is one TCP connection with hard
 * budgets: a total time budget, a byte budget (reading stops there; nothing grows without bound),
 * and a short grace after the terminating NUL. Whatever the server does — streams forever, never
 * answers, drips a byte a second, resets, answers garbage — the exchange resolves with a result
 * that says what happened; it never rejects and never hangs.
 *
 * @module
 */
import { connect, type Socket } from 'node:net';
import { connectHost } from './target.js';

/** One step of what the client sends. Steps run in order. */
export type SendStep =
  /** Write these bytes. */
  | { write: Buffer }
  /** Pause this many ms. */
  | { wait: number }
  /** Half-close: send FIN, keep reading. */
  | { end: true }
  /** Abort the connection with a reset. */
  | { reset: true };

/** How an exchange ended. */
export type EndReason =
  /** The server closed the connection (FIN). */
  | 'closed'
  /** The connection was reset (RST, EPIPE). */
  | 'reset'
  /** The time budget ran out with the connection still open. */
  | 'timeout'
  /** The byte budget ran out: the client stopped reading and closed. */
  | 'overflow'
  /** The client ended it after the NUL grace, the server still holding it open. */
  | 'client-done'
  /** The client reset it on purpose (a `reset` step). */
  | 'client-reset'
  /** Nothing listens (ECONNREFUSED). */
  | 'refused'
  /** No connection within the budget. */
  | 'connect-timeout'
  /** Any other socket error (DNS, unreachable, …); see `error`. */
  | 'error';

/** What one exchange observed. Times are ms since the connection attempt started. */
export interface ExchangeResult {
  /** Bytes received, at most the byte budget. */
  bytes: Buffer;
  /** True when more bytes arrived than the budget allowed (they were not kept). */
  truncated: boolean;
  connected: boolean;
  endReason: EndReason;
  /** The error code or message for `error`, `reset`, `refused`. */
  error?: string;
  connectMs?: number;
  firstByteMs?: number;
  /** When the last `write` step completed (the request was sent). */
  requestSentMs?: number;
  /** When the first NUL byte arrived. */
  nulMs?: number;
  /** When the exchange ended. */
  endMs: number;
  /** Bytes that arrived before the first `write` step started. */
  bytesBeforeFirstWrite: number;
  /** Whether a write failed (the server closed or reset while we were sending). */
  writeFailed: boolean;
}

/** Options of one exchange. */
export interface ExchangeOptions {
  host: string;
  port: number;
  /** Source address to bind (load probes rotate it over 127.0.0.0/8). */
  localAddress?: string;
  steps: SendStep[];
  /** Hard budget for the whole exchange, connection included. */
  timeoutMs: number;
  /** Byte budget of the response. */
  maxBytes: number;
  /** After the NUL arrives and every step ran, wait this long for the server's close, then stop. */
  nulGraceMs?: number;
  /** Stop as soon as this many bytes are in and every step ran (load probes: a known policy size). */
  stopAfterBytes?: number;
  /** Ends the exchange early (`client-done`) when aborted. */
  signal?: AbortSignal;
  /** Called once the first `write` step has been handed to the socket (or the exchange ended without one). */
  onFirstWrite?: () => void;
  /** Called with the result as the exchange ends (the harness's record of the target's vitals). */
  observe?: (result: ExchangeResult) => void;
  /** Called when the TCP handshake completes. */
  onConnect?: () => void;
}

/** Sockets of the harness not destroyed yet, with where they go: every exchange and held connection registers here. */
const openSockets = new Map<Socket, string>();

/**
 * How many of the harness's sockets to `host:port` (or to anywhere) are open now: 0 once every
 * verdict is in, since each case's sockets are destroyed with its verdict (WIRE-HARNESS-5).
 */
export function openSocketCount(to?: { host: string; port: number }): number {
  if (!to) return openSockets.size;
  const key = `${to.host}:${to.port}`;
  let n = 0;
  for (const where of openSockets.values()) if (where === key) n++;
  return n;
}

/** Opens a socket the harness tracks; it leaves the registry when destroyed or closed. */
export function trackedConnect(host: string, port: number, localAddress?: string): Socket {
  const socket = connect({ host: connectHost(host), port, ...(localAddress ? { localAddress } : {}) });
  openSockets.set(socket, `${host}:${port}`);
  socket.once('close', () => openSockets.delete(socket));
  return socket;
}

/** Destroys a tracked socket now (with a reset when `reset`), and drops it from the registry. */
export function destroyTracked(socket: Socket, reset = false): void {
  // A socket still connecting is destroyed: a reset would wait for a handshake that may never come.
  if (reset && !socket.destroyed && !socket.connecting) socket.resetAndDestroy();
  else socket.destroy();
  openSockets.delete(socket);
}

/** Runs one exchange. Resolves on every path; never rejects. */
export function exchange(options: ExchangeOptions): Promise<ExchangeResult> {
  const { host, port, localAddress, steps, timeoutMs, maxBytes, nulGraceMs = 500, stopAfterBytes, signal, onFirstWrite, observe, onConnect } = options;
  const start = performance.now();
  const since = (): number => Math.round((performance.now() - start) * 10) / 10;
  return new Promise<ExchangeResult>((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let truncated = false;
    let connected = false;
    let done = false;
    let stepsDone = false;
    let firstWriteStarted = false;
    let bytesBeforeFirstWrite = 0;
    let writeFailed = false;
    let connectMs: number | undefined;
    let firstByteMs: number | undefined;
    let requestSentMs: number | undefined;
    let nulMs: number | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const stepTimers = new Set<NodeJS.Timeout>();

    let socket: Socket;
    let firstWriteSignalled = false;
    const firstWrite = (): void => {
      if (firstWriteSignalled) return;
      firstWriteSignalled = true;
      onFirstWrite?.();
    };
    const finish = (endReason: EndReason, error?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(budgetTimer);
      signal?.removeEventListener('abort', onAbort);
      if (graceTimer) clearTimeout(graceTimer);
      for (const t of stepTimers) clearTimeout(t);
      socket.removeAllListeners('data');
      // A quiet close: never wait for the peer; destroy releases the descriptor at once.
      destroyTracked(socket);
      const result: ExchangeResult = {
        bytes: Buffer.concat(chunks, received),
        truncated,
        connected,
        endReason,
        endMs: since(),
        bytesBeforeFirstWrite,
        writeFailed,
      };
      if (error !== undefined) result.error = error;
      if (connectMs !== undefined) result.connectMs = connectMs;
      if (firstByteMs !== undefined) result.firstByteMs = firstByteMs;
      if (requestSentMs !== undefined) result.requestSentMs = requestSentMs;
      if (nulMs !== undefined) result.nulMs = nulMs;
      observe?.(result);
      firstWrite();
      resolve(result);
    };
    const budgetTimer = setTimeout(() => finish(connected ? 'timeout' : 'connect-timeout'), timeoutMs);
    const onAbort = (): void => finish('client-done');
    signal?.addEventListener('abort', onAbort, { once: true });

    const armGrace = (): void => {
      if (done || !stepsDone) return;
      if (stopAfterBytes !== undefined && received >= stopAfterBytes) {
        finish('client-done');
        return;
      }
      if (nulMs !== undefined && graceTimer === undefined) graceTimer = setTimeout(() => finish('client-done'), nulGraceMs);
    };

    socket = trackedConnect(host, port, localAddress);
    if (signal?.aborted) queueMicrotask(onAbort);
    socket.setNoDelay(true);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? err.message;
      if (code === 'ECONNREFUSED') finish('refused', code);
      else if (code === 'ECONNRESET' || code === 'EPIPE') finish('reset', code);
      else finish('error', code);
    });
    socket.on('end', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      if (firstByteMs === undefined) firstByteMs = since();
      if (!firstWriteStarted) bytesBeforeFirstWrite += chunk.length;
      if (nulMs === undefined && chunk.includes(0)) nulMs = since();
      const room = maxBytes - received;
      if (chunk.length > room) {
        if (room > 0) {
          chunks.push(chunk.subarray(0, room));
          received += room;
        }
        truncated = true;
        finish('overflow');
        return;
      }
      chunks.push(chunk);
      received += chunk.length;
      armGrace();
    });
    socket.on('connect', () => {
      connected = true;
      connectMs = since();
      onConnect?.();
      void runSteps();
    });

    const pause = (ms: number): Promise<void> =>
      new Promise((r) => {
        const t = setTimeout(() => {
          stepTimers.delete(t);
          r();
        }, ms);
        stepTimers.add(t);
      });
    const runSteps = async (): Promise<void> => {
      for (const step of steps) {
        if (done) return;
        if ('wait' in step) {
          await pause(step.wait);
        } else if ('write' in step) {
          firstWriteStarted = true;
          const ok = await new Promise<boolean>((r) => {
            if (socket.destroyed || !socket.writable) return r(false);
            socket.write(step.write, (err) => r(!err));
          });
          if (!ok) {
            writeFailed = true;
            // The server went away mid-request; keep what it sent, let 'close'/'error' end it.
            return;
          }
          requestSentMs = since();
          firstWrite();
        } else if ('end' in step) {
          socket.end();
        } else if ('reset' in step) {
          destroyTracked(socket, true);
          finish('client-reset');
          return;
        }
      }
      stepsDone = true;
      armGrace();
    };
  });
}

/**
 * A handshake that took a SYN retransmission (the first retransmission comes after 1 s): the
 * server's accept queue was full and the kernel dropped the SYN. Such a connection can look
 * connected to the client while the server never accepted it (its final ACK was dropped too).
 */
export const LATE_HANDSHAKE_MS = 900;

/** True when a connection completed its handshake only after a SYN retransmission. */
export function lateHandshake(r: ExchangeResult): boolean {
  return r.connected && (r.connectMs ?? 0) >= LATE_HANDSHAKE_MS;
}

/** Milliseconds as seconds for reports: `10.03 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** The 23-byte Flash request: `<policy-file-request/>` followed by one NUL (FLASH-SOCK-1). */
export const FLASH_REQUEST = Buffer.from('<policy-file-request/>\u0000', 'latin1');
/** The 22-byte Silverlight request: `<policy-file-request/>`, no NUL (Moonlight `GetPolicyStream`). */
export const SILVERLIGHT_REQUEST = Buffer.from('<policy-file-request/>', 'latin1');

/** Splits a socket response into the policy (before the first NUL) and what followed the NUL. */
export function splitAtNul(bytes: Buffer): { policy: Buffer; hasNul: boolean; afterNul: Buffer } {
  const i = bytes.indexOf(0);
  if (i < 0) return { policy: bytes, hasNul: false, afterNul: Buffer.alloc(0) };
  return { policy: bytes.subarray(0, i), hasNul: true, afterNul: bytes.subarray(i + 1) };
}

/** A short printable rendering of bytes for reports: escapes controls, cuts at `max` bytes. */
export function showBytes(bytes: Buffer, max = 80): string {
  const head = bytes.subarray(0, max).toString('latin1');
  const shown = head.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0) return '\\0';
    if (code === 10) return '\\n';
    if (code === 13) return '\\r';
    if (code === 9) return '\\t';
    return `\\x${code.toString(16).padStart(2, '0')}`;
  });
  return `"${shown}"${bytes.length > max ? `… (${bytes.length} bytes)` : ''}`;
}
