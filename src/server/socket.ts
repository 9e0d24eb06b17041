/**
 * The dedicated socket policy listeners (Flash on 843, Silverlight on 943): read the exact
 * request, answer with the policy in one write, close; refuse anything else at the first wrong
 * byte; close whatever has not finished by its deadline.
 *
 * Per connection the server keeps one small state record (how many request bytes matched, and
 * whether the policy went out); the request bytes themselves are never buffered.
 *
 * @module
 */
import type { Socket } from 'node:net';
import type { PolicyServerCounters, PolicyServerEventSink } from './events.js';
import { matchRequestChunk, policyRequestFor, type SocketPolicyProtocol } from './framing.js';
import type { ConnectionTracker, TrackedConnection } from './limits.js';

/** What a socket listener needs from the server that owns it. */
export interface SocketListenerContext {
  protocol: SocketPolicyProtocol;
  /** The bytes to send now (policy, plus NUL for Flash); read at response time so reloads apply. */
  response: () => Buffer | undefined;
  counters: PolicyServerCounters;
  tracker: ConnectionTracker<Socket>;
  /**
   * Receives one event per connection (served, refused, timeout, over-limit), or undefined for
   * none: each event names the client's address, which costs a `getpeername` per connection.
   */
  emit: PolicyServerEventSink | undefined;
}

const enum Phase {
  Reading,
  Answered,
  Refused,
}

interface ConnectionState {
  matched: number;
  phase: Phase;
  tracked: TrackedConnection<Socket>;
}

// The state lives on the socket itself, under a symbol: one property store per connection, and
// no WeakMap (whose entries cost a hash lookup per event and extra work in every GC).
const kState = Symbol('xdpolicy.socketPolicyState');
type PolicySocket = Socket & { [kState]?: ConnectionState };

function ignoreError(): void {
  // A reset or broken pipe from a client is that client's problem; 'close' follows and cleans up.
}

/** Called by the tracker when a connection reaches its deadline. */
export function expireSocket(ctx: SocketListenerContext, socket: Socket): void {
  const state = (socket as PolicySocket)[kState];
  // SRV-TIME-1
  if (state && state.phase === Phase.Reading) {
    ctx.counters.timedOut++;
    ctx.emit?.({ type: 'timeout', kind: ctx.protocol, remoteAddress: socket.remoteAddress, served: false });
  }
  socket.destroy();
}

/** Returns the `connection` listener of a socket policy listener. */
export function socketPolicyConnectionHandler(ctx: SocketListenerContext): (socket: Socket) => void {
  const expected = policyRequestFor(ctx.protocol);
  const trailingNul = ctx.protocol === 'silverlight';

  function refuse(socket: Socket, state: ConnectionState, reason: 'mismatch' | 'excess' | 'closed-early'): void {
    state.phase = Phase.Refused;
    ctx.counters.refused++;
    ctx.emit?.({ type: 'refused', kind: ctx.protocol, remoteAddress: socket.remoteAddress, reason });
    socket.destroy();
  }

  function onData(this: PolicySocket, chunk: Buffer): void {
    const state = this[kState];
    if (!state || state.phase !== Phase.Reading) return; // after the answer, input is ignored
    const progress = matchRequestChunk(expected, state.matched, chunk, trailingNul);
    switch (progress.state) {
      case 'partial':
        // SRV-FRAME-3: a request split over any number of reads is still the request.
        state.matched = progress.matched;
        return;
      case 'complete': {
        const bytes = ctx.response();
        if (!bytes) {
          refuse(this, state, 'mismatch');
          return;
        }
        state.phase = Phase.Answered;
        ctx.counters.served++;
        ctx.emit?.({ type: 'served', kind: ctx.protocol, remoteAddress: this.remoteAddress });
        // SRV-FRAME-6: one write, then close. The bytes are prepared once per policy (reload
        // swaps them), so nothing is copied or allocated here.
        this.write(bytes);
        if (this.writableLength === 0) {
          // The kernel took the whole response at once (the usual case): close now rather than
          // shut down and wait for the client's FIN. The kernel still delivers what it holds and
          // then sends the FIN, as a blocking server's close() does, and the connection costs
          // no shutdown, no further wake-up and no further read.
          this.destroy();
        } else {
          // A client with a small receive window: let the rest drain, then close.
          this.end();
        }
        return;
      }
      case 'mismatch':
        // SRV-FRAME-3
        refuse(this, state, 'mismatch');
        return;
      case 'excess':
        // SRV-FRAME-5
        refuse(this, state, 'excess');
        return;
    }
  }

  function onEnd(this: PolicySocket): void {
    const state = this[kState];
    if (state && state.phase === Phase.Reading) refuse(this, state, 'closed-early');
  }

  function onClose(this: PolicySocket): void {
    const state = this[kState];
    if (state) ctx.tracker.release(state.tracked);
    ctx.counters.open = ctx.tracker.size;
  }

  return (socket: PolicySocket) => {
    socket.on('error', ignoreError);
    // SRV-LIMIT-1, SRV-LIMIT-2
    const tracked = ctx.tracker.admit(socket);
    if (typeof tracked === 'string') {
      ctx.counters.overLimit++;
      ctx.emit?.({ type: 'over-limit', kind: ctx.protocol, remoteAddress: socket.remoteAddress, limit: tracked });
      socket.destroy();
      return;
    }
    ctx.counters.accepted++;
    ctx.counters.open = ctx.tracker.size;
    socket[kState] = { matched: 0, phase: Phase.Reading, tracked };
    // No setNoDelay: the answer is one write with nothing unacknowledged before it, which Nagle
    // never delays, and the setsockopt would cost a system call per connection.
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onClose);
  };
}
