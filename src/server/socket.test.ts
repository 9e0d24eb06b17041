import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { zeroCounters } from './events.js';
import { ConnectionTracker } from './limits.js';
import { socketPolicyConnectionHandler, type SocketListenerContext } from './socket.js';

/**
 * A stand-in for an accepted socket whose kernel buffer takes `accepts` bytes per write: what a
 * client with a small receive window looks like to the listener (hard to produce on loopback,
 * where the buffers take any policy within the size limit at once).
 */
class FakeSocket extends EventEmitter {
  remoteAddress = '127.0.0.9';
  writableLength = 0;
  written: Buffer[] = [];
  calls: string[] = [];
  constructor(private readonly accepts: number) {
    super();
  }
  write(b: Buffer): boolean {
    this.written.push(b);
    this.writableLength += Math.max(0, b.length - this.accepts);
    this.calls.push('write');
    return this.writableLength === 0;
  }
  end(): void {
    this.calls.push('end');
  }
  destroy(): void {
    this.calls.push('destroy');
  }
}

function listener(policy: Buffer) {
  const counters = zeroCounters();
  const ctx: SocketListenerContext = {
    protocol: 'flash',
    response: () => policy,
    counters,
    tracker: new ConnectionTracker<Socket>({ maxConnections: 10, maxConnectionsPerAddress: 10, timeoutMs: 60_000 }, () => {}, (socket) => socket.remoteAddress),
    emit: undefined,
  };
  return { handle: socketPolicyConnectionHandler(ctx), counters, ctx };
}

describe('socket listener response (with a stand-in socket)', () => {
  const policy = Buffer.from('<cross-domain-policy/>\0');
  const request = Buffer.from('<policy-file-request/>\0', 'latin1');

  it('SRV-FRAME-6: the response is one write of the prepared bytes, then a close once the kernel took it all', () => {
    const { handle, counters, ctx } = listener(policy);
    const s = new FakeSocket(Infinity);
    handle(s as unknown as Socket);
    s.emit('data', request);
    expect(s.written).toHaveLength(1);
    expect(s.written[0]).toBe(policy); // the prepared buffer itself: nothing copied per connection
    expect(s.calls).toEqual(['write', 'destroy']);
    expect(counters.served).toBe(1);
    ctx.tracker.dispose();
  });

  it('SRV-FRAME-6: when the kernel cannot take the whole response, the listener lets it drain (end) instead of closing at once', () => {
    const { handle, counters, ctx } = listener(policy);
    const s = new FakeSocket(5);
    handle(s as unknown as Socket);
    s.emit('data', request.subarray(0, 10));
    expect(s.calls).toEqual([]);
    s.emit('data', request.subarray(10));
    expect(s.calls).toEqual(['write', 'end']);
    expect(counters.served).toBe(1);
    ctx.tracker.dispose();
  });
});
