/**
 * Inline mode: answer a Flash policy request that arrives on an application's own port (what
 * socket.io's flash transport did with npm policyfile), before the application sees the
 * connection, and hand every other connection to the application untouched.
 *
 * The responder intercepts the server's `connection` event. It reads until the first byte that
 * cannot belong to `<policy-file-request/>\0`; a connection that turns out not to be a policy
 * request is given back its bytes (`unshift`) and then emitted to the application's own
 * `connection` listeners, exactly as if nothing had happened. A request split across reads is
 * still recognised, unlike policyfile's `once('data')` (SRV-INLINE-1).
 *
 * Suited to protocols where the client speaks first (HTTP, WebSocket, most custom protocols): a
 * connection that sends nothing is handed to the application after `timeoutMs`.
 *
 * While the responder holds a connection it keeps the dedicated server's deadline (SRV-INLINE-3):
 * absolute from accept, on the monotonic clock, enforced by one sweeping timer — so neither a
 * client dripping its request nor one that never closes its side after the answer holds an
 * application socket past `timeoutMs`.
 *
 * @module
 */
import type { Server, Socket } from 'node:net';
import type { PolicyServerEventSink } from './events.js';
import { FLASH_POLICY_REQUEST, matchRequestChunk } from './framing.js';
import type { PolicySource } from './http.js';
import { ConnectionTracker, type TrackedConnection } from './limits.js';

/** Options of {@link attachPolicyResponder}. */
export interface InlineResponderOptions {
  /** Where the Flash socket policy comes from (slot `flash`; prepare it for the application's port). */
  policies: PolicySource;
  /**
   * The deadline of every connection the responder examines, counted from accept, however often
   * bytes arrive (default 5000 ms). By then a connection that sent nothing has been handed to the
   * application, and one that began a policy request has been closed, answered or not.
   */
  timeoutMs?: number;
  /** Receives `served`, `refused` and `timeout` events (kind `flash`). */
  onEvent?: PolicyServerEventSink;
}

/** Counters of an inline responder. */
export interface InlineResponderCounters {
  served: number;
  refused: number;
  timedOut: number;
  /** Connections given to the application. */
  handedOver: number;
}

/** A responder attached to a server. */
export interface AttachedPolicyResponder {
  counters(): InlineResponderCounters;
  /** Stops intercepting new connections (connections being examined finish normally). */
  detach(): void;
}

type Emit = Server['emit'];

// What the deadline does to a connection the responder still holds, stored on the socket.
const kOnDeadline = Symbol('xdpolicy.inlineDeadline');
type InlineSocket = Socket & { [kOnDeadline]?: () => void };

/**
 * Attaches a Flash policy responder to `server` (a `net.Server`, or an `http`/`https` server, which
 * are `net.Server`s). Call it before `listen`, or at any time: it applies to later connections.
 */
// SRV-INLINE-1
export function attachPolicyResponder(server: Server, options: InlineResponderOptions): AttachedPolicyResponder {
  const timeoutMs = options.timeoutMs ?? 5000;
  const emit = options.onEvent;
  const counters: InlineResponderCounters = { served: 0, refused: 0, timedOut: 0, handedOver: 0 };
  const originalEmit: Emit = server.emit;
  const current = () => (typeof options.policies === 'function' ? options.policies() : options.policies);
  let attached = true;
  // SRV-INLINE-3: the dedicated listeners' tracker, without their caps (the application's server
  // has its own): it only keeps each connection's deadline.
  const tracker = new ConnectionTracker<InlineSocket>(
    { maxConnections: Infinity, maxConnectionsPerAddress: Infinity, timeoutMs },
    (socket) => socket[kOnDeadline]?.(),
    () => undefined,
  );

  const deliver = (socket: Socket) => (originalEmit as (this: Server, event: string, ...args: unknown[]) => boolean).call(server, 'connection', socket);

  const examine = (socket: InlineSocket) => {
    let matched = 0;
    let answered = false;
    // Never a refusal: the tracker has no caps.
    const tracked = tracker.admit(socket) as TrackedConnection<InlineSocket>;
    const release = () => tracker.release(tracked);
    const finish = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
    };
    // SRV-INLINE-2: not a policy request. Give back what was read and let the application have it;
    // from then on the connection, and its lifetime, are the application's.
    const handOver = (bytes: Buffer | null) => {
      socket.pause();
      finish();
      release();
      socket.off('close', release);
      delete socket[kOnDeadline];
      if (bytes && bytes.length > 0) socket.unshift(bytes);
      counters.handedOver++;
      deliver(socket);
      // A stream already flowing ignores a new 'data' listener's implicit resume; resume
      // explicitly when the application listens for data, so the unshifted bytes reach it.
      if (socket.listenerCount('data') > 0 && socket.isPaused()) socket.resume();
    };
    const refuse = (timedOut: boolean) => {
      finish();
      if (timedOut) counters.timedOut++;
      else counters.refused++;
      if (timedOut) emit?.({ type: 'timeout', kind: 'flash', remoteAddress: socket.remoteAddress, served: false });
      else emit?.({ type: 'refused', kind: 'flash', remoteAddress: socket.remoteAddress, reason: 'excess' });
      socket.destroy();
    };
    function onData(chunk: Buffer) {
      const progress = matchRequestChunk(FLASH_POLICY_REQUEST, matched, chunk);
      switch (progress.state) {
        case 'partial':
          matched = progress.matched;
          return;
        case 'mismatch':
          handOver(matched === 0 ? chunk : Buffer.concat([FLASH_POLICY_REQUEST.subarray(0, matched), chunk]));
          return;
        case 'excess':
          refuse(false);
          return;
        case 'complete': {
          finish();
          const bytes = current().flash?.bytes;
          if (!bytes) {
            counters.refused++;
            socket.destroy();
            return;
          }
          counters.served++;
          emit?.({ type: 'served', kind: 'flash', remoteAddress: socket.remoteAddress });
          answered = true;
          // SRV-INLINE-3: close once the policy and our FIN are written, without waiting for the
          // client's FIN (an HTTP server allows half-open sockets, which a client that never
          // closes would hold forever); the deadline closes a client that does not even read.
          socket.once('finish', () => socket.destroy());
          socket.end(bytes);
          return;
        }
      }
    }
    function onEnd() {
      // The client closed before the request was complete or anything else was seen.
      if (matched > 0) refuse(false);
      else {
        finish();
        socket.destroy();
      }
    }
    // SRV-INLINE-3, SRV-TIME-1: the deadline is absolute; bytes arriving do not extend it.
    function onDeadline() {
      if (answered) socket.destroy();
      else if (matched > 0) refuse(true);
      else handOver(null);
    }
    socket[kOnDeadline] = onDeadline;
    socket.on('error', () => {});
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.once('close', release);
  };

  const interceptingEmit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'connection' && attached) {
      examine(args[0] as Socket);
      return true;
    }
    return originalEmit.apply(this, [event, ...args] as Parameters<Emit>);
  } as Emit;
  server.emit = interceptingEmit;

  return {
    counters: () => ({ ...counters }),
    detach: () => {
      attached = false;
      if (server.emit === interceptingEmit) server.emit = originalEmit;
    },
  };
}
