/**
 * Connection accounting for the socket listeners: a total cap, a cap per client address (so that
 * one address cannot take every slot), and one deadline per connection enforced by a single
 * sweeping timer rather than a timer per socket. Deadlines run on a monotonic clock, never the
 * wall clock (SRV-TIME-2).
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

/**
 * What the tracker reads the time from, in milliseconds. Only differences matter: the origin is
 * the clock's own.
 */
export type Clock = () => number;

/**
 * The default clock: `performance.now()`, monotonic. The wall clock (`Date.now()`) can be stepped
 * back or forward (NTP, an operator, a VM resumed): stepped back an hour, it would let every open
 * connection outlive its deadline by that hour.
 */
// SRV-TIME-2
export const monotonicClock: Clock = () => performance.now();

/** One admitted connection: what {@link ConnectionTracker.admit} returns and {@link ConnectionTracker.release} takes back. */
export interface TrackedConnection<C> {
  readonly connection: C;
  /** When the connection expires, on the tracker's clock (ms). */
  readonly deadline: number;
}

/**
 * The tracker's record of a connection. Records are linked into a list in admission order, which
 * is also deadline order (every connection of a listener gets the same timeout), so admitting,
 * releasing and expiring are O(1) with no hash lookup per connection.
 */
interface Entry<C> extends TrackedConnection<C> {
  /** The per-address key, computed the first time the address is needed, then kept. */
  key: string | undefined;
  /** The counting period this connection is counted in (0: not counted). */
  countedIn: number;
  prev: Entry<C> | null;
  next: Entry<C> | null;
  /** Still in the list (release is idempotent). */
  live: boolean;
}

/** Why a connection was not admitted. */
export type AdmitRefusal = 'total' | 'per-address';

/**
 * Tracks live connections of type `C`. `admit` registers one (or says why not), `release` forgets
 * it; connections still open at their deadline are handed to `onExpire`.
 *
 * Per-address counting is lazy (SRV-LIMIT-2). A connection can only be refused for its address
 * when that address already holds `maxConnectionsPerAddress` connections, which needs at least that
 * many open on the listener. Below that the counts could never refuse anyone, so they are not
 * kept, and the client address (a `getpeername` system call and a string per connection in
 * Node) is not even asked for. The first admission that finds the listener at the cap starts a
 * counting period: every open connection is counted then, and every admission after it, until
 * the listener falls below half the cap (the gap keeps a listener hovering at the cap from
 * recounting on every connection). An address asked for once is kept on its record, so a
 * connection never costs more than one address lookup.
 */
export class ConnectionTracker<C extends object> {
  #head: Entry<C> | null = null;
  #tail: Entry<C> | null = null;
  #size = 0;
  readonly #perAddress = new Map<string, number>();
  /** The counting period in progress (0: none); each period gets a new number. */
  #counting = 0;
  #periods = 0;
  #timer: NodeJS.Timeout | null = null;
  readonly #limits: ConnectionLimits;
  readonly #onExpire: (connection: C) => void;
  readonly #remoteAddressOf: (connection: C) => string | undefined;
  readonly #now: Clock;

  /**
   * `remoteAddressOf` gives a connection's client address; it is called only while per-address
   * counting is on, at most once per connection. `clock` is where deadlines are read from
   * (default {@link monotonicClock}; tests pass their own).
   */
  constructor(limits: ConnectionLimits, onExpire: (connection: C) => void, remoteAddressOf: (connection: C) => string | undefined, clock: Clock = monotonicClock) {
    this.#limits = limits;
    this.#onExpire = onExpire;
    this.#remoteAddressOf = remoteAddressOf;
    this.#now = clock;
  }

  /** Connections currently open. */
  get size(): number {
    return this.#size;
  }

  /** Whether per-address counting is on (see the class comment). */
  get countingPerAddress(): boolean {
    return this.#counting !== 0;
  }

  /** How many open connections are counted under `remoteAddress`'s key (0 when counting is off). */
  countFor(remoteAddress: string | undefined): number {
    return this.#counting === 0 ? 0 : (this.#perAddress.get(addressKey(remoteAddress)) ?? 0);
  }

  /** Registers `connection`, or returns why it is over a limit. */
  // SRV-LIMIT-1
  admit(connection: C): TrackedConnection<C> | AdmitRefusal {
    if (this.#size >= this.#limits.maxConnections) return 'total';
    const entry: Entry<C> = {
      connection,
      // SRV-TIME-1, SRV-TIME-2
      deadline: this.#now() + this.#limits.timeoutMs,
      key: undefined,
      countedIn: 0,
      prev: this.#tail,
      next: null,
      live: true,
    };
    // SRV-LIMIT-2
    if (this.#counting === 0 && this.#size >= this.#limits.maxConnectionsPerAddress) this.#startCounting();
    if (this.#counting !== 0) {
      const key = this.#keyOf(entry);
      const count = this.#perAddress.get(key) ?? 0;
      if (count >= this.#limits.maxConnectionsPerAddress) return 'per-address';
      this.#perAddress.set(key, count + 1);
      entry.countedIn = this.#counting;
    }
    // Admission order is deadline order (one timeout per listener), so appending keeps the list
    // sorted by deadline and the sweep can stop at the first connection still within its time.
    if (this.#tail) this.#tail.next = entry;
    else this.#head = entry;
    this.#tail = entry;
    this.#size++;
    this.#startSweeping();
    return entry;
  }

  /** Forgets a connection (idempotent). */
  release(connection: TrackedConnection<C>): void {
    const entry = connection as Entry<C>;
    if (!entry.live) return;
    entry.live = false;
    if (entry.prev) entry.prev.next = entry.next;
    else this.#head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.#tail = entry.prev;
    entry.prev = entry.next = null;
    this.#size--;
    if (this.#counting !== 0) {
      if (entry.countedIn === this.#counting) {
        const key = entry.key!;
        const count = this.#perAddress.get(key)! - 1;
        if (count <= 0) this.#perAddress.delete(key);
        else this.#perAddress.set(key, count);
      }
      if (this.#size * 2 < this.#limits.maxConnectionsPerAddress) this.#stopCounting();
    }
    if (this.#size === 0) this.#stopSweeping();
  }

  /** Every connection currently open, oldest first. */
  connections(): C[] {
    const all: C[] = [];
    for (let e = this.#head; e; e = e.next) all.push(e.connection);
    return all;
  }

  /** Stops the timer (the tracker can be used again; the timer restarts on the next admit). */
  dispose(): void {
    this.#stopSweeping();
  }

  #keyOf(entry: Entry<C>): string {
    return (entry.key ??= addressKey(this.#remoteAddressOf(entry.connection)));
  }

  #startCounting(): void {
    this.#counting = ++this.#periods;
    for (let e = this.#head; e; e = e.next) {
      const key = this.#keyOf(e);
      this.#perAddress.set(key, (this.#perAddress.get(key) ?? 0) + 1);
      e.countedIn = this.#counting;
    }
  }

  #stopCounting(): void {
    // Records counted in this period keep their countedIn; the next period has a new number, so
    // they are recounted from scratch then rather than decremented against the wrong period.
    this.#counting = 0;
    this.#perAddress.clear();
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
    // SRV-TIME-2
    const now = this.#now();
    while (this.#head && this.#head.deadline <= now) {
      const expired = this.#head;
      this.release(expired);
      this.#onExpire(expired.connection);
    }
  }
}
