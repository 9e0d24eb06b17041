/**
 * Test clients for the policy server: a raw socket client that sends chosen chunks and collects
 * everything until the server closes (bounded by a deadline), and helpers for loopback addresses.
 */
import * as net from 'node:net';

/** What a raw client saw. */
export interface ClientResult {
  bytes: Buffer;
  /** How the connection ended: the server closed it (FIN or reset), or our deadline fired. */
  end: 'closed' | 'reset' | 'deadline' | 'refused';
  error?: string;
}

/** Options of {@link rawExchange}. */
export interface ExchangeOptions {
  port: number;
  host?: string;
  localAddress?: string;
  /** Chunks to send, each in its own write, `gapMs` apart. */
  chunks?: (Buffer | string)[];
  gapMs?: number;
  /** Give up after this long (default 5000 ms). */
  deadlineMs?: number;
  /** Close as soon as a NUL byte arrives (what Flash Player does). */
  stopAtNul?: boolean;
}

/** Connects, sends `chunks`, collects the reply until the server closes or the deadline. */
export function rawExchange(o: ExchangeOptions): Promise<ClientResult> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let settled = false;
    const socket = net.connect({ port: o.port, host: o.host ?? '127.0.0.1', localAddress: o.localAddress });
    const done = (end: ClientResult['end'], error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      resolve({ bytes: Buffer.concat(parts), end, ...(error ? { error } : {}) });
    };
    const deadline = setTimeout(() => done('deadline'), o.deadlineMs ?? 5000);
    socket.on('data', (d) => {
      parts.push(d);
      if (o.stopAtNul && d.includes(0)) done('closed');
    });
    socket.on('end', () => done('closed'));
    socket.on('close', () => done('closed'));
    socket.on('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'refused' : 'reset', e.code ?? e.message));
    socket.on('connect', async () => {
      const chunks = o.chunks ?? [];
      for (let i = 0; i < chunks.length; i++) {
        if (settled) return;
        if (i > 0 && o.gapMs) await new Promise((r) => setTimeout(r, o.gapMs));
        if (settled || socket.destroyed) return;
        socket.write(chunks[i]!);
      }
    });
  });
}

/** Opens a connection that sends nothing; resolves once connected. */
export function idleSocket(port: number, localAddress: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** The i-th loopback address from 127.0.0.2 (wrapping over 127.0.0.2–127.0.0.254). */
export function loopback(i: number): string {
  return `127.0.0.${2 + (i % 253)}`;
}

/** Polls `predicate` every 10 ms until it holds or `ms` pass; returns whether it held. */
export async function waitFor(predicate: () => boolean, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return predicate();
}
