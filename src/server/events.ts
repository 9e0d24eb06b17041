/**
 * What a running policy server reports: counters and events. The library only emits them; the
 * CLI decides how they are printed (text or JSON lines).
 *
 * @module
 */

/** The kinds of listener. */
export type ListenerKind = 'flash' | 'silverlight' | 'http';

/** Running totals of one server (or one inline responder). */
export interface PolicyServerCounters {
  /** Connections (socket) or requests (HTTP) answered with a policy. */
  served: number;
  /** Closed without a policy: wrong bytes, extra bytes, closed early, HTTP 404/405. */
  refused: number;
  /** Closed because the exchange did not finish within the timeout. */
  timedOut: number;
  /** Closed at once because a connection limit was reached. */
  overLimit: number;
  /** Connections accepted (admitted within the limits). */
  accepted: number;
  /** Connections open now. */
  open: number;
  /** Reloads that replaced at least one policy. */
  reloads: number;
  /** Reloads refused because a new policy was invalid. */
  reloadsRejected: number;
}

/** A zeroed counter record. */
export function zeroCounters(): PolicyServerCounters {
  return { served: 0, refused: 0, timedOut: 0, overLimit: 0, accepted: 0, open: 0, reloads: 0, reloadsRejected: 0 };
}

/** Why a connection was refused. */
export type RefusalReason = 'mismatch' | 'excess' | 'closed-early' | 'not-found' | 'method';

/** Something that happened in a policy server. */
export type PolicyServerEvent =
  | { type: 'listening'; kind: ListenerKind; url: string; port: number; host: string }
  | { type: 'served'; kind: ListenerKind; remoteAddress: string | undefined }
  | { type: 'refused'; kind: ListenerKind; remoteAddress: string | undefined; reason: RefusalReason }
  | { type: 'timeout'; kind: ListenerKind; remoteAddress: string | undefined; served: boolean }
  | { type: 'over-limit'; kind: ListenerKind; remoteAddress: string | undefined; limit: 'total' | 'per-address' }
  | { type: 'reload'; ok: true; changed: string[] }
  | { type: 'reload'; ok: false; message: string }
  | { type: 'error'; kind: ListenerKind | null; message: string }
  | { type: 'closing' }
  | { type: 'closed'; counters: PolicyServerCounters };

/** Receives events; must not throw. */
export type PolicyServerEventSink = (event: PolicyServerEvent) => void;
