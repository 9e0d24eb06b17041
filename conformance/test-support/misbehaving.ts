/**
 * Misbehaving policy servers for the harness's own tests (loopback only, test-only code). Each is
 * a conforming server except for one defect seen in a real one, so that every certify case has one
 * right verdict against it:
 *
 * - `backlog`: `listen(5)` and a slow accept loop (each connection costs a few milliseconds of
 *   blocked loop, as a thread per connection does): a burst of clients overflows the backlog and
 *   the kernel drops their SYNs (Adobe's `flashpolicyd.py`).
 * - `one-at-a-time`: serves one connection at a time; the others wait in the backlog, and its
 *   timeout starts only when a connection's turn comes (ZeroC Ice's PolicyServer).
 * - `dies-after`: the process exits on its N-th connection (Erlang `efps`, whose accept loop died
 *   under load).
 * - `idle-closer`: reads NUL-terminated lines, answers a line that contains `policy-file-request`,
 *   ignores every other line, and closes each connection when its timeout (default 10 s) runs out,
 *   whatever it is doing (Ruby `flashpolicyd`).
 * - `half-close-spinner`: reads exactly the request's length, compares without case, has no
 *   timeout, and on the client's half-close before a whole request loops on the zero-byte read and
 *   never closes (Microsoft's Silverlight sample, Moonlight's `sockpol`). The real servers spin at
 *   100 % CPU; this one yields a millisecond between turns so the tests stay quick.
 * - `exits-on-bad-request`: the process exits on the first byte that does not match the request
 *   (a PHP demo server).
 * - `single-read`: compares only the first read with the request and closes on anything else, so
 *   a request split over reads is lost (Adobe's `flashpolicyd.py`, npm `policyfile` inline, webbit).
 *
 * Each runs in its own process ({@link startMisbehaving}): a blocked accept loop or an exit must not
 * touch the harness that certifies it. `misbehaving-main.ts` is the entry point.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Phase, VerdictStatus } from '../model.js';
import { FIXTURE_FLASH_POLICY, FIXTURE_SILVERLIGHT_POLICY } from './servers.js';

/** The misbehaviours, one per real server they model. */
export type Misbehaviour = 'backlog' | 'one-at-a-time' | 'dies-after' | 'idle-closer' | 'half-close-spinner' | 'exits-on-bad-request' | 'single-read';

/** Every misbehaviour, in the order the tests and the script run them. */
export const MISBEHAVIOURS: readonly Misbehaviour[] = ['backlog', 'one-at-a-time', 'dies-after', 'idle-closer', 'half-close-spinner', 'exits-on-bad-request', 'single-read'];

/** The client each server is certified as in the tests and the script (the spinner is Microsoft's Silverlight sample). */
export const CLIENT_OF: Record<Misbehaviour, 'flash' | 'silverlight'> = {
  backlog: 'flash',
  'one-at-a-time': 'flash',
  'dies-after': 'flash',
  'idle-closer': 'flash',
  'half-close-spinner': 'silverlight',
  'exits-on-bad-request': 'flash',
  'single-read': 'flash',
};

/**
 * The right verdict of a case against a misbehaving server, in the standard configuration: the
 * server's own timeout lies between 2.5 s (past the 2.3 s drip) and the idle window, the run has no
 * --expect, and a soak (when there is one) makes more connections than `dieAfter`. Every case the
 * defect does not touch passes; from the spec, not from running the harness:
 * - backlog: the burst of 50 overflows a backlog of 5 (WIRE-CONN-2), and so does a soak (WIRE-CONN-4);
 * - one-at-a-time: 100 silent connections ahead of a client starve it (WIRE-CONN-3);
 * - dies-after: the soak reaches its N-th connection (WIRE-CONN-4), after which it answers nothing;
 * - idle-closer: closing at its own timeout, inside the idle window, conforms (WIRE-CONN-1, WIRE-REQ-5);
 * - half-close-spinner: never closes after a half-close (WIRE-CONN-5, MUST) nor an idle or slow
 *   client (WIRE-CONN-1, SHOULD: warnings);
 * - exits-on-bad-request: dies on the first odd input (WIRE-CONN-3): the check after that phase
 *   fails, and everything from then on is untested;
 * - single-read: a request split over reads is lost (WIRE-REQ-2), a dripped one too (WIRE-REQ-6, SHOULD).
 */
export function rightVerdict(kind: Misbehaviour, c: { id: string; phase: Phase }): VerdictStatus {
  const name = c.id.split('/').pop()!;
  if (name === 'expectations') return 'skip';
  switch (kind) {
    case 'backlog':
      return name === 'many-concurrent' || c.id.startsWith('load/') ? 'fail' : 'pass';
    case 'one-at-a-time':
      return name === 'idle-crowd' ? 'fail' : 'pass';
    case 'dies-after':
      return c.phase === 'soak' ? 'fail' : 'pass';
    case 'idle-closer':
      return 'pass';
    case 'half-close-spinner':
      return name === 'half-close-without-request' ? 'fail' : name === 'idle' || name === 'slowloris' ? 'warn' : 'pass';
    case 'exits-on-bad-request':
      if (c.phase === 'ordinary') return 'pass';
      return c.id.endsWith('/alive/after-odd-input') ? 'fail' : 'untested';
    case 'single-read':
      return /^split-/.test(name) ? 'fail' : name === 'drip-within-wait' ? 'warn' : 'pass';
  }
}

/** Options of one misbehaving server. */
export interface MisbehavingOptions {
  /** The request it answers: Flash's 23 bytes (with NUL) or Silverlight's 22. Default flash. */
  client?: 'flash' | 'silverlight';
  /** Port on 127.0.0.1 (0: a free one). */
  port?: number;
  /**
   * Absolute per-connection timeout in ms, from the moment the server starts serving the
   * connection (`null`: none). Defaults: `idle-closer` 10,000; `half-close-spinner` none; the others 2,000.
   */
  idleMs?: number | null;
  /** `dies-after`: the process exits when this connection arrives (default 1,000). */
  dieAfter?: number;
  /** `backlog`: the listen backlog (default 5). */
  backlog?: number;
  /** `backlog`: how long each accepted connection blocks the loop, in ms (default 3). */
  acceptCostMs?: number;
}

const REQUEST = { flash: '<policy-file-request/>\u0000', silverlight: '<policy-file-request/>' } as const;
const ANSWER = { flash: `${FIXTURE_FLASH_POLICY}\u0000`, silverlight: FIXTURE_SILVERLIGHT_POLICY } as const;

/** Blocks the event loop for `ms` (a thread being created, a GIL being taken). */
function block(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Serves one connection the conforming way, except where `kind` says otherwise. `done` is called
 * once the connection is over (the one-at-a-time server then takes the next).
 */
function serve(kind: Misbehaviour, socket: Socket, o: Required<Omit<MisbehavingOptions, 'port'>>, done: () => void): void {
  const request = REQUEST[o.client];
  const answer = ANSWER[o.client];
  let buf = '';
  let finished = false;
  const timers: NodeJS.Timeout[] = [];
  const finish = (): void => {
    if (finished) return;
    finished = true;
    for (const t of timers) clearTimeout(t);
    done();
  };
  socket.on('close', finish);
  socket.on('error', () => socket.destroy());
  if (o.idleMs !== null) timers.push(setTimeout(() => socket.destroy(), o.idleMs));

  if (kind === 'idle-closer') {
    // Ruby flashpolicyd: `gets` up to each NUL, answer a line that mentions the request, ignore the rest.
    socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      const complete = o.client === 'flash' ? buf.split('\u0000').slice(0, -1) : [buf];
      if (complete.some((line) => line.includes('policy-file-request'))) socket.end(answer);
    });
    socket.on('end', () => socket.destroy());
    return;
  }

  if (kind === 'half-close-spinner') {
    // Microsoft's sample: read exactly the request's length, compare without case, no timeout.
    socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      if (buf.length < request.length) return;
      if (buf.slice(0, request.length).toLowerCase() === request.toLowerCase()) socket.end(answer);
      else socket.destroy();
      socket.removeAllListeners('data');
    });
    socket.on('end', () => {
      if (socket.writableEnded) return;
      // The zero-byte read re-arms the receive, for ever: the connection is never closed.
      const spin = (): void => {
        if (socket.destroyed) return;
        socket.read(0);
        timers.push(setTimeout(spin, 1));
      };
      spin();
    });
    return;
  }

  if (kind === 'single-read') {
    // One read, compared whole (after flashpolicyd.py's strip of whitespace).
    socket.once('data', (chunk: Buffer) => (chunk.toString('latin1').trim() === request.trim() ? socket.end(answer) : socket.destroy()));
    socket.on('end', () => socket.destroy());
    return;
  }

  socket.on('data', (chunk: Buffer) => {
    buf += chunk.toString('latin1');
    if (buf.startsWith(request)) {
      socket.end(answer);
      socket.removeAllListeners('data');
    } else if (!request.startsWith(buf)) {
      if (kind === 'exits-on-bad-request') process.exit(1);
      socket.destroy();
    }
  });
  socket.on('end', () => socket.destroy());
}

/** Starts a misbehaving server in this process; resolves with its port. Used by `misbehaving-main.ts`. */
export async function runMisbehaving(kind: Misbehaviour, options: MisbehavingOptions = {}): Promise<{ port: number; server: Server }> {
  const o: Required<Omit<MisbehavingOptions, 'port'>> = {
    client: options.client ?? 'flash',
    idleMs: options.idleMs !== undefined ? options.idleMs : kind === 'idle-closer' ? 10_000 : kind === 'half-close-spinner' ? null : 2000,
    dieAfter: options.dieAfter ?? 1000,
    backlog: options.backlog ?? 5,
    acceptCostMs: options.acceptCostMs ?? 3,
  };
  let accepted = 0;
  const queue: Socket[] = [];
  let busy = false;
  const next = (): void => {
    busy = false;
    while (queue.length > 0) {
      const s = queue.shift()!;
      if (s.destroyed) continue;
      busy = true;
      serve(kind, s, o, next);
      s.resume();
      return;
    }
  };
  // The spinner keeps its side open on the client's FIN, as a .NET socket does (Node would end it).
  const server = createServer({ pauseOnConnect: kind === 'one-at-a-time', allowHalfOpen: kind === 'half-close-spinner' }, (socket) => {
    accepted++;
    if (kind === 'dies-after' && accepted >= o.dieAfter) process.exit(0);
    if (kind === 'backlog') block(o.acceptCostMs);
    if (kind === 'one-at-a-time') {
      // Waiting its turn: not read, not timed. A reset while waiting just drops it from the line.
      socket.on('error', () => socket.destroy());
      queue.push(socket);
      if (!busy) next();
      return;
    }
    serve(kind, socket, o, () => {});
  });
  await new Promise<void>((resolve) => server.listen({ port: options.port ?? 0, host: '127.0.0.1', backlog: kind === 'backlog' ? o.backlog : 511 }, resolve));
  return { port: (server.address() as { port: number }).port, server };
}

/** A misbehaving server running in a child process. */
export interface MisbehavingServer {
  kind: Misbehaviour;
  port: number;
  url: string;
  /** True once the process has exited (on its own, or by {@link close}). */
  exited(): boolean;
  /** Stops the process (SIGKILL) and waits for it. */
  close(): Promise<void>;
}

/** Starts a misbehaving server in its own process (via tsx) and waits until it listens. */
export async function startMisbehaving(kind: Misbehaviour, options: MisbehavingOptions = {}): Promise<MisbehavingServer> {
  const entry = fileURLToPath(new URL('./misbehaving-main.ts', import.meta.url));
  // tsx's loader by absolute URL, so the child starts whatever the working directory.
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', loader, entry, kind, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${kind} server did not start within 20 s`)), 20_000);
    let text = '';
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      const m = /LISTENING (\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void gone.then(() => {
      clearTimeout(timer);
      reject(new Error(`the ${kind} server exited before listening`));
    });
  });
  return {
    kind,
    port,
    url: `xmlsocket://127.0.0.1:${port}`,
    exited: () => exited,
    close: async () => {
      if (!exited) child.kill('SIGKILL');
      await gone;
    },
  };
}
