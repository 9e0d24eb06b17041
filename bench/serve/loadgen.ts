/**
 * The load generators of bench/serve. {@link runCLoad} drives bench/c/loadgen.c (the default:
 * epoll and non-blocking sockets, a few µs of CPU per connection whichever server answers);
 * {@link runLoad} is the Node generator it replaced, kept for comparison (`--node-loadgen`).
 *
 * Both are a Flash-like client run with several sockets at once. Each
 * connection connects, sends the 23-byte `<policy-file-request/>\0` and counts as a success only
 * when the whole expected policy arrived (ended by its NUL, or by the server's close for servers
 * that send none). Source addresses rotate over 127.0.0.2–127.0.0.254: with one source address the
 * server's TIME_WAIT states exhaust the 4-tuples to one port within seconds.
 */
import { execFile } from 'node:child_process';
import * as net from 'node:net';
import { pushAll } from '../../src/collections.js';

const REQUEST = Buffer.from('<policy-file-request/>\0', 'latin1');

/** Figures of one load run. */
export interface LoadResult {
  /** Connections that received the whole policy. */
  ok: number;
  /** Connections that ended any other way (reset, nothing, a partial or wrong answer, timeout). */
  failed: number;
  /** Failures by kind. */
  failures: Record<string, number>;
  /** Wall-clock seconds the run lasted. */
  seconds: number;
  /** Successful connections per second. */
  rate: number;
  /** Latency percentiles of successful connections, ms (connect to last byte). */
  p50: number;
  p99: number;
  /** CPU time (user + system, µs) the C generator process used; absent for the Node generator. */
  generatorCpuUs?: number;
}

/** Options of one load run. */
export interface LoadOptions {
  port: number;
  /** The policy text the server should send (with or without a NUL after it). */
  policy: Buffer;
  /** Connections in flight at once. */
  concurrency: number;
  /** Stop starting connections after this long (ms) ... */
  durationMs?: number;
  /** ... or after this many connections, whichever comes first. */
  connections?: number;
  /** A connection that has not finished after this long is a failure (ms). */
  timeoutMs?: number;
  /** The policy's file, so that the C generator compares the bytes, not only their count. */
  policyFile?: string;
}

let addressCursor = 0;
/** The next source address in 127.0.0.2–127.0.0.254. */
export function nextSourceAddress(): string {
  addressCursor = (addressCursor + 1) % 253;
  return `127.0.0.${2 + addressCursor}`;
}

function oneConnection(port: number, expected: Buffer, expectedWithNul: Buffer, timeoutMs: number, done: (failure: string | null, ms: number) => void): void {
  const t0 = process.hrtime.bigint();
  const parts: Buffer[] = [];
  let length = 0;
  let finished = false;
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: nextSourceAddress() });
  const finish = (failure: string | null) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.destroy();
    done(failure, Number(process.hrtime.bigint() - t0) / 1e6);
  };
  const timer = setTimeout(() => finish('timeout'), timeoutMs);
  socket.setNoDelay(true);
  socket.write(REQUEST);
  socket.on('data', (d: Buffer) => {
    parts.push(d);
    length += d.length;
    if (length > expectedWithNul.length) return finish('too-long');
    if (d[d.length - 1] === 0) {
      // The NUL ends the policy, as it does for Flash Player.
      finish(Buffer.concat(parts).equals(expectedWithNul) ? null : 'wrong-bytes');
    }
  });
  socket.on('end', () => {
    if (length === 0) return finish('closed-empty');
    const got = Buffer.concat(parts);
    finish(got.equals(expected) || got.equals(expectedWithNul) ? null : 'partial');
  });
  socket.on('error', (e: NodeJS.ErrnoException) => finish(length === 0 ? (e.code ?? 'error') : `${e.code ?? 'error'}-after-data`));
  socket.on('close', () => finish(length === 0 ? 'closed-empty' : 'partial'));
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs the load until the duration or the connection count is reached; resolves with the figures. */
export function runLoad(o: LoadOptions): Promise<LoadResult> {
  const expected = o.policy[o.policy.length - 1] === 0 ? o.policy.subarray(0, -1) : o.policy;
  const expectedWithNul = Buffer.concat([expected, Buffer.alloc(1)]);
  const timeoutMs = o.timeoutMs ?? 5000;
  const until = o.durationMs !== undefined ? Date.now() + o.durationMs : Infinity;
  const limit = o.connections ?? Infinity;
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let started = 0;
  let inFlight = 0;
  const t0 = Date.now();
  return new Promise((resolve) => {
    const startOne = () => {
      if (Date.now() >= until || started >= limit) {
        if (inFlight === 0) {
          const seconds = (Date.now() - t0) / 1000;
          latencies.sort((a, b) => a - b);
          const failed = Object.values(failures).reduce((a, b) => a + b, 0);
          resolve({ ok: latencies.length, failed, failures, seconds, rate: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
        }
        return;
      }
      started++;
      inFlight++;
      oneConnection(o.port, expected, expectedWithNul, timeoutMs, (failure, ms) => {
        inFlight--;
        if (failure) failures[failure] = (failures[failure] ?? 0) + 1;
        else latencies.push(ms);
        startOne();
      });
    };
    for (let i = 0; i < o.concurrency; i++) startOne();
  });
}

/** Opens `count` connections that send nothing; resolves when all are connected. */
export async function openIdleSockets(port: number, count: number): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, () => new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1', localAddress: nextSourceAddress() });
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    }));
    pushAll(sockets, await Promise.all(batch));
  }
  for (const s of sockets) s.on('error', () => {});
  return sockets;
}

/**
 * Runs one load with the C generator at `bin` (bench/c/loadgen.c, built by
 * `buildCLoadGenerator`) in its own process, which inherits this process's core; resolves with
 * its figures. The run is bounded by the generator itself (duration or connections, plus one
 * connection timeout); a generator that fails or prints no result rejects.
 */
export function runCLoad(bin: string, o: LoadOptions): Promise<LoadResult> {
  const withoutNul = o.policy[o.policy.length - 1] === 0 ? o.policy.length - 1 : o.policy.length;
  const timeoutMs = o.timeoutMs ?? 5000;
  const durationMs = o.durationMs ?? 0x7fffffff;
  const args = [o.port, withoutNul + 1, o.concurrency, durationMs, o.connections ?? 0, timeoutMs].map(String);
  if (o.policyFile) args.push(o.policyFile);
  // A kill-switch above the generator's own bound, should it ever hang.
  const killAfter = (o.durationMs ?? 600_000) + timeoutMs + 30_000;
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: killAfter, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`C load generator failed: ${error.message} ${stderr}`));
      try {
        const j = JSON.parse(stdout.trim()) as { ok: number; failed: number; failures: Record<string, number>; seconds: number; p50: number; p99: number; cpu_us: number };
        const pct = (x: number) => (x < 0 ? NaN : x);
        resolve({ ok: j.ok, failed: j.failed, failures: j.failures, seconds: j.seconds, rate: j.ok / j.seconds, p50: pct(j.p50), p99: pct(j.p99), generatorCpuUs: j.cpu_us });
      } catch {
        reject(new Error(`C load generator printed no result: ${stdout} ${stderr}`));
      }
    });
  });
}
