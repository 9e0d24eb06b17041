import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addressKey, ConnectionTracker, type TrackedConnection } from './limits.js';

interface Conn {
  id: number;
  address: string;
}

const trackers: ConnectionTracker<Conn>[] = [];
afterEach(() => {
  for (const t of trackers.splice(0)) t.dispose();
  vi.useRealTimers();
});

function tracker(maxConnections: number, maxConnectionsPerAddress: number, timeoutMs = 60_000, onExpire: (c: Conn) => void = () => {}) {
  const lookups: number[] = [];
  const t = new ConnectionTracker<Conn>({ maxConnections, maxConnectionsPerAddress, timeoutMs }, onExpire, (c) => {
    lookups.push(c.id);
    return c.address;
  });
  trackers.push(t);
  return { t, lookups };
}

/**
 * The limits as SRV-LIMIT-1 and SRV-LIMIT-2 state them, with every count kept all the time (an
 * IPv6 client counted by its /64, as addressKey says).
 */
class NaiveLimits {
  readonly open = new Map<number, string>();
  constructor(
    readonly max: number,
    readonly perAddress: number,
  ) {}
  admit(c: Conn): 'total' | 'per-address' | null {
    if (this.open.size >= this.max) return 'total';
    let same = 0;
    for (const a of this.open.values()) if (addressKey(a) === addressKey(c.address)) same++;
    if (same >= this.perAddress) return 'per-address';
    this.open.set(c.id, c.address);
    return null;
  }
  release(id: number): void {
    this.open.delete(id);
  }
}

describe('connection tracker', () => {
  it('SRV-LIMIT-1 SRV-LIMIT-2: admits and refuses exactly as the naive counts do, for any admit/release sequence', () => {
    const op = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('admit' as const), address: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', '2001:db8::1', '2001:db8::2') }), weight: 3 },
      { arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }), weight: 2 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 200 }), (max, perAddress, ops) => {
        const { t, lookups } = tracker(max, perAddress);
        const naive = new NaiveLimits(max, perAddress);
        const open: TrackedConnection<Conn>[] = [];
        let id = 0;
        for (const o of ops) {
          if (o.kind === 'admit') {
            const c = { id: id++, address: o.address };
            const expected = naive.admit(c);
            const got = t.admit(c);
            if (typeof got === 'string') expect(got).toBe(expected);
            else {
              expect(expected).toBeNull();
              open.push(got);
            }
          } else if (open.length > 0) {
            const [gone] = open.splice(o.pick % open.length, 1);
            t.release(gone!);
            t.release(gone!); // idempotent
            naive.release(gone!.connection.id);
          }
          expect(t.size).toBe(naive.open.size);
        }
        // No connection's address is ever looked up twice.
        expect(new Set(lookups).size).toBe(lookups.length);
        expect(t.connections().map((c) => c.id)).toEqual([...naive.open.keys()]);
      }),
      { numRuns: 500 },
    );
  });

  it('SRV-LIMIT-2: below the per-address cap no client address is looked up; at the cap every open connection is counted', () => {
    const { t, lookups } = tracker(100, 4);
    const fromA = [0, 1, 2, 3].map((id) => t.admit({ id, address: '10.0.0.1' }));
    expect(fromA.every((r) => typeof r !== 'string')).toBe(true);
    expect(lookups).toEqual([]);
    expect(t.countingPerAddress).toBe(false);
    // The fifth admission finds 4 open: address A could now be at its cap, so counting starts.
    expect(t.admit({ id: 4, address: '10.0.0.1' })).toBe('per-address');
    expect(t.countingPerAddress).toBe(true);
    expect(lookups).toEqual([0, 1, 2, 3, 4]);
    expect(t.countFor('10.0.0.1')).toBe(4);
    const fromB = t.admit({ id: 5, address: '10.0.0.2' });
    expect(typeof fromB).toBe('object');
    expect(t.countFor('10.0.0.2')).toBe(1);
  });

  it('SRV-LIMIT-2: counting stops below half the cap and restarts without looking an address up twice', () => {
    const { t, lookups } = tracker(100, 4);
    const open = [0, 1, 2, 3, 4].map((id) => t.admit({ id, address: `10.0.0.${id}` }) as TrackedConnection<Conn>);
    expect(t.countingPerAddress).toBe(true);
    for (const c of open.slice(0, 3)) t.release(c); // 2 open: 2 × 2 is not below 4
    expect(t.countingPerAddress).toBe(true);
    t.release(open[3]!); // 1 open
    expect(t.countingPerAddress).toBe(false);
    expect(t.countFor('10.0.0.4')).toBe(0);
    const more = [5, 6, 7].map((id) => t.admit({ id, address: '10.0.0.4' }));
    expect(more.every((r) => typeof r !== 'string')).toBe(true);
    // 4 open, 4 of them from 10.0.0.4: counting restarts and the fifth from it is refused.
    expect(t.admit({ id: 8, address: '10.0.0.4' })).toBe('per-address');
    expect(lookups.filter((id) => id === 4)).toEqual([4]);
  });

  it('SRV-TIME-1: connections past their deadline are expired oldest first, and released', () => {
    vi.useFakeTimers();
    const expired: number[] = [];
    const { t } = tracker(100, 100, 1000, (c) => expired.push(c.id));
    t.admit({ id: 1, address: 'a' });
    vi.advanceTimersByTime(400);
    const second = t.admit({ id: 2, address: 'a' }) as TrackedConnection<Conn>;
    t.admit({ id: 3, address: 'a' });
    t.release(second);
    vi.advanceTimersByTime(700); // id 1 is past its deadline, id 3 is not
    expect(expired).toEqual([1]);
    expect(t.size).toBe(1);
    vi.advanceTimersByTime(500);
    expect(expired).toEqual([1, 3]);
    expect(t.size).toBe(0);
  });

  it('SRV-TIME-2: the wall clock stepped back an hour does not move a deadline', () => {
    // Fake timers move Date and performance together; setSystemTime then steps only the wall
    // clock, as NTP or an operator would.
    vi.useFakeTimers();
    const expired: number[] = [];
    const { t } = tracker(100, 100, 1000, (c) => expired.push(c.id));
    t.admit({ id: 1, address: 'a' });
    vi.setSystemTime(Date.now() - 3_600_000);
    t.admit({ id: 2, address: 'a' });
    vi.advanceTimersByTime(1200);
    expect(expired).toEqual([1, 2]);
    expect(t.size).toBe(0);
  });

  it('SRV-TIME-2: deadlines are read from the clock the tracker is given', () => {
    vi.useFakeTimers();
    let now = 5_000;
    const expired: number[] = [];
    const t = new ConnectionTracker<Conn>({ maxConnections: 10, maxConnectionsPerAddress: 10, timeoutMs: 1000 }, (c) => expired.push(c.id), (c) => c.address, () => now);
    trackers.push(t);
    const first = t.admit({ id: 1, address: 'a' }) as TrackedConnection<Conn>;
    expect(first.deadline).toBe(6_000);
    vi.advanceTimersByTime(5000); // the sweep runs, but on this clock no time has passed
    expect(expired).toEqual([]);
    now = 6_000;
    vi.advanceTimersByTime(100);
    expect(expired).toEqual([1]);
  });
});
