/**
 * The reference policy server: Flash socket policies (843), Silverlight socket policies (943) and
 * `/crossdomain.xml` + `/clientaccesspolicy.xml` over HTTP, each validated before it is served,
 * bound exclusively, with deadlines, connection limits, atomic reload and a draining close.
 *
 * `xdpolicy serve` is a thin CLI over {@link startPolicyServer}; the inline responder
 * ({@link attachPolicyResponder}) and the HTTP handlers serve policies from an application's own
 * server.
 *
 * @module xdpolicy/server
 */
import * as http from 'node:http';
import * as net from 'node:net';
import { zeroCounters, type ListenerKind, type PolicyServerCounters, type PolicyServerEvent, type PolicyServerEventSink } from './events.js';
import { nodePolicyHandler, notFoundResponse } from './http.js';
import { ConnectionTracker, monotonicClock } from './limits.js';
import { preparePolicy, describeProblems, type PolicyProblem, type PolicySet, type PolicySlot, type PreparedPolicy } from './policies.js';
import { expireSocket, socketPolicyConnectionHandler, type SocketListenerContext } from './socket.js';
import type { PolicyWarning } from './validate.js';

// The public face of `xdpolicy/server`; the helpers of each module stay internal.
export type { ListenerKind, PolicyServerCounters, PolicyServerEvent, PolicyServerEventSink, RefusalReason } from './events.js';
export { FLASH_POLICY_REQUEST, SILVERLIGHT_POLICY_REQUEST } from './framing.js';
export {
  CROSSDOMAIN_PATH,
  CLIENTACCESSPOLICY_PATH,
  FLASH_POLICY_CONTENT_TYPE,
  SILVERLIGHT_POLICY_CONTENT_TYPE,
  permittedCrossDomainPolicies,
  policyHttpResponse,
  nodePolicyHandler,
  expressPolicyMiddleware,
  fastifyPolicyHandler,
} from './http.js';
export type { PolicySource, PolicyHttpResponse, FastifyLikeRequest, FastifyLikeReply } from './http.js';
export type { ConnectionLimits } from './limits.js';
export type { PolicySlot, PreparedPolicy, PolicySet, PolicyProblem } from './policies.js';
export type { PolicyCheck, PolicyWarning } from './validate.js';
export { attachPolicyResponder } from './inline.js';
export type { InlineResponderOptions, InlineResponderCounters, AttachedPolicyResponder } from './inline.js';

/** Default port of the Flash socket policy listener (the master socket policy port). */
export const DEFAULT_FLASH_PORT = 843;
/** Default port of the Silverlight socket policy listener. */
export const DEFAULT_SILVERLIGHT_PORT = 943;
/** Default deadline of a connection, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 5000;
/** Default cap on open connections per listener. */
export const DEFAULT_MAX_CONNECTIONS = 10_000;
/** Default cap on open connections per client address (IPv4 address or IPv6 /64) per listener. */
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;
/** Default address to bind: loopback, so that exposing the server is a deliberate choice. */
export const DEFAULT_HOST = '127.0.0.1';

/** Where a listener binds: a port (with the server's host), or an inherited listening descriptor. */
export interface Bindable {
  /** Port to bind; 0 picks a free port. */
  port?: number;
  /** An already listening socket to adopt instead (systemd socket activation passes fd 3, 4, …). */
  fd?: number;
}

/** Options of {@link startPolicyServer}. */
export interface PolicyServerOptions {
  /** The Flash socket policy text (served with a NUL appended); default port 843. */
  flash?: { policy: string } & Bindable;
  /** The Silverlight `clientaccesspolicy.xml` text; default port 943. */
  silverlight?: { policy: string } & Bindable;
  /**
   * The HTTP listener. `flashPolicy` is served at `/crossdomain.xml` (default: the Flash socket
   * policy's text), `silverlightPolicy` at `/clientaccesspolicy.xml` (default: the Silverlight one).
   */
  http?: { port: number; fd?: number; flashPolicy?: string; silverlightPolicy?: string };
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Deadline of every connection from accept to close, in ms (default 5000). */
  timeoutMs?: number;
  /** Cap on open connections per listener (default 10,000). */
  maxConnections?: number;
  /** Cap on open connections per client address per listener (default 64). */
  maxConnectionsPerAddress?: number;
  /** Receives every event (listening, served, refused, timeout, over-limit, reload, closed). */
  onEvent?: PolicyServerEventSink;
  /**
   * Whether `onEvent` also receives the events of single connections (served, refused, timeout,
   * over-limit; default true). Each names the client's address, which costs a system call per
   * connection: a caller that does not log connections turns them off. Counters count either way.
   */
  connectionEvents?: boolean;
}

/** One bound listener. */
export interface PolicyListener {
  kind: ListenerKind;
  /** `xmlsocket://host:port` for both socket listeners (the world's and certify's spelling), `http://host:port`. */
  url: string;
  host: string;
  port: number;
}

/** New policy texts for {@link RunningPolicyServer.reload}; what is absent stays as it is. */
export interface PolicyReload {
  flash?: string;
  silverlight?: string;
  http?: { flashPolicy?: string; silverlightPolicy?: string };
}

/** The outcome of a reload. On failure nothing changed. */
export type ReloadResult =
  | { ok: true; changed: PolicySlot[]; warnings: { slot: PolicySlot; warnings: PolicyWarning[] }[] }
  | { ok: false; problems: PolicyProblem[]; message: string };

/** A started server. */
export interface RunningPolicyServer {
  listeners: PolicyListener[];
  /** A snapshot of the counters. */
  counters(): PolicyServerCounters;
  /** The policies being served now. */
  policies(): PolicySet;
  /** Replaces policies atomically; an invalid one leaves every policy as it was and says why. */
  reload(next: PolicyReload): ReloadResult;
  /**
   * Stops accepting — after accepting the connections already waiting in the kernel's accept
   * queue, which closing at once would reset — lets connections in flight finish (at most their
   * deadline), then resolves.
   */
  close(): Promise<void>;
}

/** Why a server could not start. */
export class PolicyServerStartError extends Error {
  override name = 'PolicyServerStartError';
  /**
   * `invalid-policy`: a policy failed validation (see `problems`); `nothing-to-serve`: no listener
   * configured; `bind`: a listener could not bind (see `syscallCode`, such as EADDRINUSE or EACCES).
   */
  readonly code: 'invalid-policy' | 'nothing-to-serve' | 'invalid-option' | 'bind';
  readonly problems: PolicyProblem[];
  readonly listener: ListenerKind | null;
  readonly syscallCode: string | null;
  constructor(code: PolicyServerStartError['code'], message: string, extra: { problems?: PolicyProblem[]; listener?: ListenerKind; syscallCode?: string } = {}) {
    super(message);
    this.code = code;
    this.problems = extra.problems ?? [];
    this.listener = extra.listener ?? null;
    this.syscallCode = extra.syscallCode ?? null;
  }
}

/** The texts of each slot implied by the options (HTTP paths default to the socket policies). */
function slotTexts(options: PolicyServerOptions): Partial<Record<PolicySlot, string>> {
  const texts: Partial<Record<PolicySlot, string>> = {};
  if (options.flash) texts.flash = options.flash.policy;
  if (options.silverlight) texts.silverlight = options.silverlight.policy;
  if (options.http) {
    const f = options.http.flashPolicy ?? options.flash?.policy;
    const s = options.http.silverlightPolicy ?? options.silverlight?.policy;
    if (f !== undefined) texts['http-flash'] = f;
    if (s !== undefined) texts['http-silverlight'] = s;
  }
  return texts;
}

/**
 * Validates and prepares every policy the options name. Pure apart from encoding: use it to check
 * a configuration without binding anything (the CLI does, to exit 2 before touching the network).
 */
export function preparePolicies(
  texts: Partial<Record<PolicySlot, string>>,
  flashPort: number = DEFAULT_FLASH_PORT,
  silverlightPort: number = DEFAULT_SILVERLIGHT_PORT,
): { ok: true; policies: PolicySet; warnings: { slot: PolicySlot; warnings: PolicyWarning[] }[] } | { ok: false; problems: PolicyProblem[] } {
  const policies: Partial<Record<PolicySlot, PreparedPolicy>> = {};
  const problems: PolicyProblem[] = [];
  const warnings: { slot: PolicySlot; warnings: PolicyWarning[] }[] = [];
  for (const [slot, text] of Object.entries(texts) as [PolicySlot, string][]) {
    const r = preparePolicy(slot, text, flashPort, silverlightPort);
    if (!r.ok) problems.push(r.problem);
    else {
      policies[slot] = r.policy;
      if (r.policy.warnings.length > 0) warnings.push({ slot, warnings: r.policy.warnings });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, policies, warnings };
}

/** Validates a server configuration without binding: the policies and the numeric options. */
export function checkPolicyServerOptions(options: PolicyServerOptions): ReturnType<typeof preparePolicies> | { ok: false; problems: []; message: string } {
  const bad = (name: string, v: number | undefined, min: number): string | null =>
    v === undefined || (Number.isInteger(v) && v >= min) ? null : `${name} must be an integer ≥ ${min} (got ${v})`;
  const port = (name: string, v: number | undefined): string | null =>
    v === undefined || (Number.isInteger(v) && v >= 0 && v <= 65535) ? null : `${name} must be a port number 0–65535 (got ${v})`;
  const message =
    bad('timeoutMs', options.timeoutMs, 1) ??
    bad('maxConnections', options.maxConnections, 1) ??
    bad('maxConnectionsPerAddress', options.maxConnectionsPerAddress, 1) ??
    port('flash.port', options.flash?.port) ??
    port('silverlight.port', options.silverlight?.port) ??
    port('http.port', options.http?.port);
  if (message) return { ok: false, problems: [], message };
  return preparePolicies(slotTexts(options), options.flash?.port ?? DEFAULT_FLASH_PORT, options.silverlight?.port ?? DEFAULT_SILVERLIGHT_PORT);
}

const remoteAddressOf = (socket: net.Socket): string | undefined => socket.remoteAddress;

function formatUrl(kind: ListenerKind, host: string, port: number): string {
  const scheme = kind === 'http' ? 'http' : 'xmlsocket';
  const h = net.isIPv6(host) ? `[${host}]` : host;
  return `${scheme}://${h}:${port}`;
}

interface ListenerRuntime {
  kind: ListenerKind;
  server: net.Server;
  tracker: ConnectionTracker<net.Socket>;
}

// SRV-BIND-1: `exclusive: true` and no reusePort: the port is never shared with another socket,
// another process, or a cluster worker; a taken port is an error, not a silent co-tenant.
function listen(server: net.Server, kind: ListenerKind, host: string, bind: Bindable, defaultPort: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const where = bind.fd !== undefined ? `inherited descriptor ${bind.fd}` : `${host}:${bind.port ?? defaultPort}`;
      const why =
        err.code === 'EADDRINUSE'
          ? 'the port is already in use by another socket (the server never shares a port)'
          : err.code === 'EACCES'
            ? 'permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE; see README "Serving on 843/943 without root")'
            : err.message;
      // SRV-BIND-2
      reject(new PolicyServerStartError('bind', `cannot listen for ${kind} on ${where}: ${why}`, { listener: kind, syscallCode: err.code ?? 'unknown' }));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    if (bind.fd !== undefined) server.listen({ fd: bind.fd, exclusive: true });
    else server.listen({ port: bind.port ?? defaultPort, host, exclusive: true, backlog: 1024 });
  });
}

/** The most turns of the event loop a close spends accepting queued connections (see below). */
const ACCEPT_QUEUE_TURNS = 4096;

/** One turn of the event loop: resolves in the next check phase (setImmediate). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Keeps the listeners open until their kernel accept queues are empty; resolves then.
 *
 * Closing a listening socket makes the kernel reset every connection still in its accept queue:
 * connections whose handshake it completed, whose clients may have sent their request already,
 * that the process simply had not accepted yet. libuv (1.46, Node 20) accepts one connection per
 * listener each time a poll finds the listener readable, and a poll finds it readable as long as
 * its queue is not empty (epoll is level-triggered). Between two check-phase callbacks there is
 * exactly one poll (a pending callback makes it return at once), so: turn after turn, until a
 * whole poll passes in which no listener accepted anything — every queue was empty then. That
 * poll has also read what the last connections accepted had sent, so the HTTP listener sees
 * their requests in progress rather than idle connections to close.
 *
 * Bounded: under a load that never lets a queue empty, at most {@link ACCEPT_QUEUE_TURNS} turns
 * (Linux's default somaxconn, the most a queue holds unless raised: every connection queued when
 * close() was called has been accepted by then) and at most `timeoutMs`.
 */
// SRV-OPS-2
async function acceptWhatIsQueued(acceptedSoFar: () => number, timeoutMs: number): Promise<void> {
  const until = monotonicClock() + timeoutMs;
  await nextTurn();
  let before = acceptedSoFar();
  for (let turn = 0; turn < ACCEPT_QUEUE_TURNS && monotonicClock() < until; turn++) {
    await nextTurn();
    const now = acceptedSoFar();
    if (now === before) return;
    before = now;
  }
}

/**
 * Starts the listeners the options name, after validating every policy (SRV-VALID-1). Rejects with
 * a {@link PolicyServerStartError} when a policy is invalid or a port cannot be bound; then
 * nothing stays bound.
 */
export async function startPolicyServer(options: PolicyServerOptions): Promise<RunningPolicyServer> {
  const host = options.host ?? DEFAULT_HOST;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const limits = {
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
    timeoutMs,
  };
  const emit = options.onEvent;
  // The sink for per-connection events (see PolicyServerOptions.connectionEvents).
  const emitConnection = options.connectionEvents === false ? undefined : emit;
  if (!options.flash && !options.silverlight && !options.http) {
    // SRV-VALID-2: no built-in policy, least of all a wide-open one.
    throw new PolicyServerStartError('nothing-to-serve', 'nothing to serve: give a Flash policy, a Silverlight policy or an HTTP listener');
  }
  const checked = checkPolicyServerOptions(options);
  if (!checked.ok) {
    if ('message' in checked) throw new PolicyServerStartError('invalid-option', checked.message);
    throw new PolicyServerStartError('invalid-policy', `refusing to serve an invalid policy:\n${describeProblems(checked.problems)}`, { problems: checked.problems });
  }
  if (options.http && !checked.policies['http-flash'] && !checked.policies['http-silverlight']) {
    throw new PolicyServerStartError('nothing-to-serve', 'the HTTP listener has no policy to serve');
  }
  const flashPort = options.flash?.port ?? DEFAULT_FLASH_PORT;
  let policies: PolicySet = checked.policies;
  const counters = zeroCounters();
  const runtimes: ListenerRuntime[] = [];

  const makeSocketListener = (protocol: 'flash' | 'silverlight'): ListenerRuntime => {
    const ctx: SocketListenerContext = {
      protocol,
      response: () => policies[protocol]?.bytes,
      counters,
      tracker: undefined as unknown as ConnectionTracker<net.Socket>,
      emit: emitConnection,
    };
    ctx.tracker = new ConnectionTracker<net.Socket>(limits, (socket) => expireSocket(ctx, socket), remoteAddressOf);
    const server = net.createServer({ allowHalfOpen: false, pauseOnConnect: false });
    server.on('connection', socketPolicyConnectionHandler(ctx));
    return { kind: protocol, server, tracker: ctx.tracker };
  };

  const makeHttpListener = (): ListenerRuntime => {
    const answer = nodePolicyHandler(() => policies);
    const tracker = new ConnectionTracker<net.Socket>(limits, (socket) => {
      counters.timedOut++;
      emitConnection?.({ type: 'timeout', kind: 'http', remoteAddress: socket.remoteAddress, served: false });
      socket.destroy();
    }, remoteAddressOf);
    const server = http.createServer({ requestTimeout: timeoutMs, headersTimeout: timeoutMs, keepAliveTimeout: Math.min(timeoutMs, 5000) }, (req, res) => {
      if (answer(req, res)) {
        if (res.statusCode === 200) {
          counters.served++;
          emitConnection?.({ type: 'served', kind: 'http', remoteAddress: req.socket.remoteAddress });
        } else {
          counters.refused++;
          emitConnection?.({ type: 'refused', kind: 'http', remoteAddress: req.socket.remoteAddress, reason: 'method' });
        }
        return;
      }
      const r = notFoundResponse(() => policies);
      res.writeHead(r.status, r.headers);
      res.end(req.method === 'HEAD' ? undefined : r.body);
      counters.refused++;
      emitConnection?.({ type: 'refused', kind: 'http', remoteAddress: req.socket.remoteAddress, reason: 'not-found' });
    });
    server.on('connection', (socket: net.Socket) => {
      socket.on('error', () => {});
      // SRV-LIMIT-1, SRV-LIMIT-2
      const tracked = tracker.admit(socket);
      if (typeof tracked === 'string') {
        counters.overLimit++;
        emitConnection?.({ type: 'over-limit', kind: 'http', remoteAddress: socket.remoteAddress, limit: tracked });
        socket.destroy();
        return;
      }
      counters.accepted++;
      socket.once('close', () => tracker.release(tracked));
    });
    return { kind: 'http', server, tracker };
  };

  if (options.flash) runtimes.push(makeSocketListener('flash'));
  if (options.silverlight) runtimes.push(makeSocketListener('silverlight'));
  if (options.http) runtimes.push(makeHttpListener());

  const binds: Record<ListenerKind, [Bindable, number]> = {
    flash: [options.flash ?? {}, DEFAULT_FLASH_PORT],
    silverlight: [options.silverlight ?? {}, DEFAULT_SILVERLIGHT_PORT],
    http: [options.http ?? {}, 0],
  };
  try {
    for (const rt of runtimes) {
      const [bind, def] = binds[rt.kind];
      await listen(rt.server, rt.kind, host, bind, def);
    }
  } catch (err) {
    // All or nothing: release whatever did bind.
    await Promise.all(runtimes.map((rt) => new Promise<void>((r) => (rt.server.listening ? rt.server.close(() => r()) : r()))));
    throw err;
  }

  const listeners: PolicyListener[] = runtimes.map((rt) => {
    const addr = rt.server.address() as net.AddressInfo;
    const l: PolicyListener = { kind: rt.kind, host: addr.address, port: addr.port, url: formatUrl(rt.kind, addr.address, addr.port) };
    rt.server.on('error', (err) => emit?.({ type: 'error', kind: rt.kind, message: err.message }));
    return l;
  });
  for (const l of listeners) emit?.({ type: 'listening', kind: l.kind, url: l.url, port: l.port, host: l.host });

  const snapshot = (): PolicyServerCounters => ({ ...counters, open: runtimes.reduce((n, rt) => n + rt.tracker.size, 0) });

  // SRV-RELOAD-1, SRV-RELOAD-2
  const reload = (next: PolicyReload): ReloadResult => {
    const texts: Partial<Record<PolicySlot, string>> = {};
    if (next.flash !== undefined) texts.flash = next.flash;
    if (next.silverlight !== undefined) texts.silverlight = next.silverlight;
    if (next.http?.flashPolicy !== undefined) texts['http-flash'] = next.http.flashPolicy;
    if (next.http?.silverlightPolicy !== undefined) texts['http-silverlight'] = next.http.silverlightPolicy;
    const unknown = (Object.keys(texts) as PolicySlot[]).filter((slot) => policies[slot] === undefined);
    if (unknown.length > 0) {
      counters.reloadsRejected++;
      const message = `no listener serves ${unknown.join(', ')}; a reload replaces policies, it does not add listeners`;
      emit?.({ type: 'reload', ok: false, message });
      return { ok: false, problems: [], message };
    }
    const prepared = preparePolicies(texts, flashPort, options.silverlight?.port ?? DEFAULT_SILVERLIGHT_PORT);
    if (!prepared.ok) {
      counters.reloadsRejected++;
      const message = `kept the previous policies: ${describeProblems(prepared.problems)}`;
      emit?.({ type: 'reload', ok: false, message });
      return { ok: false, problems: prepared.problems, message };
    }
    const changed = (Object.keys(prepared.policies) as PolicySlot[]).filter((slot) => policies[slot]?.text !== prepared.policies[slot]?.text);
    // One assignment: a response reads `policies` once, so it is wholly old or wholly new.
    policies = { ...policies, ...prepared.policies };
    if (changed.length > 0) counters.reloads++;
    emit?.({ type: 'reload', ok: true, changed });
    return { ok: true, changed, warnings: prepared.warnings };
  };

  let closing: Promise<void> | null = null;
  // SRV-OPS-2
  const close = (): Promise<void> => {
    closing ??= (async () => {
      emit?.({ type: 'closing' });
      // Every connection accepted or refused over a limit passed through a 'connection' event.
      await acceptWhatIsQueued(() => counters.accepted + counters.overLimit, timeoutMs);
      const drained = runtimes.map(
        (rt) =>
          new Promise<void>((resolve) => {
            rt.server.close(() => resolve());
            if (rt.server instanceof http.Server) rt.server.closeIdleConnections();
          }),
      );
      // Connections in flight have at most their deadline left; then the sweep closes them. The
      // extra second covers the sweep's granularity.
      const force = setTimeout(() => {
        for (const rt of runtimes) for (const s of rt.tracker.connections()) s.destroy();
      }, timeoutMs + 1000);
      force.unref();
      await Promise.all(drained);
      clearTimeout(force);
      for (const rt of runtimes) rt.tracker.dispose();
      emit?.({ type: 'closed', counters: snapshot() });
    })();
    return closing;
  };

  return { listeners, counters: snapshot, policies: () => policies, reload, close };
}
