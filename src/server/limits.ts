/**
 * Connection accounting for the socket listeners: a total cap, a cap per client address (so that
 * one address cannot take every slot), and one deadline per connection enforced by a single
 * sweeping timer rather than a timer per socket.
 *
 * @module
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Limits of one listener. */
export interface ConnectionLimits {
  /** Most connections open at once on the listener. */
  maxConnections: number;
  /** Most connections open at once from one IPv4 address or one IPv6 /64. */
  maxConnectionsPerAddress: number;
  /** Every connection is closed this long after it was accepted, whatever it is doing. */
  timeoutMs: number;
}

/** The key a connection is counted under for the per-address cap. */
// SRV-LIMIT-2: an IPv6 host usually owns a whole /64, so its addresses are counted together.
export function addressKey(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined) return '?';
  // Fast path, taken for every IPv4 client: a dotted quad is its own key.
  if (!remoteAddress.includes(':')) return remoteAddress;
  if (remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.')) return remoteAddress.slice(7);
  if (isIP(remoteAddress) === 0) return remoteAddress;
  try {
    const addr = ipaddr.process(remoteAddress);
    if (addr.kind() === 'ipv4') return addr.toString();
    const parts = (addr as ipaddr.IPv6).parts;
    return `${parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64`;
  } catch {
    return remoteAddress;
  }
}

interface Tracked {
  key: string;
  deadline: number;
}

/** Why a connection was not admitted. */
export type AdmitRefusal = 'total' | 'per-address';

/**
 * Tracks live connections of type `C`. `admit` registers one (or says why not), `release` forgets
 * it; connections still open at their deadline are handed to `onExpire`.
 */
export class ConnectionTracker<C extends object> {
  readonly #live = new Map<C, Tracked>();
  readonly #perAddress = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #limits: ConnectionLimits;
  readonly #onExpire: (connection: C) => void;

  constructor(limits: ConnectionLimits, onExpire: (connection: C) => void) {
    this.#limits = limits;
    this.#onExpire = onExpire;
  }

  /** Connections currently open. */
  get size(): number {
    return this.#live.size;
  }

  /** Registers `connection` from `remoteAddress`, or returns why it is over a limit. */
  // SRV-LIMIT-1
  admit(connection: C, remoteAddress: string | undefined): AdmitRefusal | null {
    if (this.#live.size >= this.#limits.maxConnections) return 'total';
    const key = addressKey(remoteAddress);
    const count = this.#perAddress.get(key) ?? 0;
    // SRV-LIMIT-2
    if (count >= this.#limits.maxConnectionsPerAddress) return 'per-address';
    this.#perAddress.set(key, count + 1);
    // Admission order is deadline order (one timeout per listener), so the sweep can stop at
    // the first connection still within its time.
    this.#live.set(connection, { key, deadline: Date.now() + this.#limits.timeoutMs });
    this.#startSweeping();
    return null;
  }

  /** Forgets `connection` (idempotent). */
  release(connection: C): void {
    const t = this.#live.get(connection);
    if (!t) return;
    this.#live.delete(connection);
    const count = (this.#perAddress.get(t.key) ?? 1) - 1;
    if (count <= 0) this.#perAddress.delete(t.key);
    else this.#perAddress.set(t.key, count);
    if (this.#live.size === 0) this.#stopSweeping();
  }

  /** Every connection currently open, oldest first. */
  connections(): C[] {
    return [...this.#live.keys()];
  }

  /** Stops the timer (the tracker can be used again; the timer restarts on the next admit). */
  dispose(): void {
    this.#stopSweeping();
  }

  // SRV-TIME-1, SRV-LIMIT-3: one timer for the whole listener (no timer per idle connection); a
  // sweep costs one step per expired connection.
  #startSweeping(): void {
    if (this.#timer) return;
    const every = Math.max(10, Math.min(250, Math.floor(this.#limits.timeoutMs / 10)));
    this.#timer = setInterval(() => this.#sweep(), every);
    this.#timer.unref();
  }

  #stopSweeping(): void {
    if (!this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = null;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [connection, t] of this.#live) {
      if (t.deadline > now) break;
      this.release(connection);
      this.#onExpire(connection);
    }
  }
}
