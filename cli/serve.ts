/**
 * `xdpolicy serve` — the hardened reference policy server.
 *
 * ```
 * xdpolicy serve [--flash FILE] [--flash-port 843] [--silverlight FILE] [--silverlight-port 943]
 *                [--http-port N] [--crossdomain FILE] [--host ADDR] [--timeout MS]
 *                [--max-connections N] [--max-per-address N] [--user NAME] [--watch]
 *                [--log text|json] [--verbose]
 * ```
 * Exit status: 0 after a clean shutdown (SIGTERM/SIGINT), 1 when a listener cannot bind or
 * privileges cannot be dropped, 2 for a usage error (an unknown `--user` included: the command
 * line names what does not exist, before anything binds), an unreadable file or an invalid policy.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  checkPolicyServerOptions,
  DEFAULT_FLASH_PORT,
  DEFAULT_HOST,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  DEFAULT_SILVERLIGHT_PORT,
  DEFAULT_TIMEOUT_MS,
  PolicyServerStartError,
  startPolicyServer,
  type ListenerKind,
  type PolicyReload,
  type PolicyServerCounters,
  type PolicyServerEvent,
  type PolicyServerOptions,
  type PolicySlot,
  type RunningPolicyServer,
} from '../src/server/index.js';
import { UsageError, type CliIO } from './io.js';
import { choiceOption, integerOption, parseOptions, type OptionSpecs } from './options.js';
import { POLICY_FILE_LIMIT, readBoundedFile } from './read.js';

/** The help text of `xdpolicy serve`. */
export const SERVE_USAGE = `usage: xdpolicy serve [--flash FILE] [--flash-port 843] [--silverlight FILE] [--silverlight-port 943]
                      [--http-port N] [--crossdomain FILE] [--host ADDR] [--timeout MS]
                      [--max-connections N] [--max-per-address N] [--user NAME] [--watch]
                      [--log text|json] [--verbose]

Serves policy files: the Flash socket policy (answers <policy-file-request/>\\0 with the policy and
a NUL), the Silverlight socket policy (answers <policy-file-request/>), and over HTTP
/crossdomain.xml and /clientaccesspolicy.xml. Every policy is validated first.

  --flash FILE              Flash socket policy to serve (validated as the master on port 843)
  --flash-port N            Flash listener port (default 843; 0 picks a free port)
  --silverlight FILE        clientaccesspolicy.xml to serve
  --silverlight-port N      Silverlight listener port (default 943; 0 picks a free port)
  --http-port N             also serve /crossdomain.xml (--crossdomain FILE, else --flash FILE) and
                            /clientaccesspolicy.xml (--silverlight FILE) over HTTP on port N
  --crossdomain FILE        the URL policy for /crossdomain.xml, when it differs from --flash
  --host ADDR               address to bind (default ${DEFAULT_HOST}; 0.0.0.0 or :: for every interface)
  --timeout MS              deadline of every connection from accept to close (default ${DEFAULT_TIMEOUT_MS})
  --max-connections N       open connections per listener (default ${DEFAULT_MAX_CONNECTIONS})
  --max-per-address N       open connections per client address per listener (default ${DEFAULT_MAX_CONNECTIONS_PER_ADDRESS})
  --user NAME               after binding, drop to this user (and its groups); needs root
  --watch                   reload a policy when its file changes (as SIGHUP does)
  --log text|json           log format (default text)
  --verbose                 also log every connection, with its client address
  -h, --help                show this help

Sockets passed by systemd socket activation (LISTEN_FDS, named by LISTEN_FDNAMES flash, silverlight,
http, or taken in that order) are used instead of binding.
Policy files are read only as regular files (symbolic links followed) of at most 4 MiB.
Signals: SIGHUP reloads every policy (an invalid or unreadable one keeps the old), SIGUSR1 prints
the counters, SIGTERM/SIGINT stop accepting (after accepting what the kernel already queued), drain
and exit 0.
Exit status: 0 after shutdown; 1 when a port cannot be bound or privileges cannot be dropped to
--user (not started as root); 2 for a usage error (an unknown --user or one port given to two
listeners included), an unreadable file or an invalid policy.
`;

/** The parsed command line of `serve`. */
export interface ServeArgs {
  flash: string | null;
  flashPort: number;
  silverlight: string | null;
  silverlightPort: number;
  httpPort: number | null;
  crossdomain: string | null;
  host: string;
  timeoutMs: number;
  maxConnections: number;
  maxPerAddress: number;
  user: string | null;
  watch: boolean;
  log: 'text' | 'json';
  verbose: boolean;
}

/** The options of `serve` (every one is in the usage line). */
export const SERVE_OPTIONS = {
  flash: { type: 'string' },
  'flash-port': { type: 'string' },
  silverlight: { type: 'string' },
  'silverlight-port': { type: 'string' },
  'http-port': { type: 'string' },
  crossdomain: { type: 'string' },
  host: { type: 'string' },
  timeout: { type: 'string' },
  'max-connections': { type: 'string' },
  'max-per-address': { type: 'string' },
  user: { type: 'string' },
  watch: { type: 'boolean' },
  log: { type: 'string' },
  verbose: { type: 'boolean' },
} as const satisfies OptionSpecs;

/** Parses `serve`'s arguments; throws {@link UsageError} on a usage error. */
export function parseServeArgs(args: string[]): ServeArgs | 'help' {
  const { values: v, help } = parseOptions(args, SERVE_OPTIONS, { usage: SERVE_USAGE });
  if (help) return 'help';
  const out: ServeArgs = {
    flash: v.flash ?? null,
    flashPort: integerOption('--flash-port', v['flash-port'], 0, 65535, DEFAULT_FLASH_PORT),
    silverlight: v.silverlight ?? null,
    silverlightPort: integerOption('--silverlight-port', v['silverlight-port'], 0, 65535, DEFAULT_SILVERLIGHT_PORT),
    httpPort: integerOption('--http-port', v['http-port'], 0, 65535) ?? null,
    crossdomain: v.crossdomain ?? null,
    host: v.host ?? DEFAULT_HOST,
    timeoutMs: integerOption('--timeout', v.timeout, 1, 3_600_000, DEFAULT_TIMEOUT_MS),
    maxConnections: integerOption('--max-connections', v['max-connections'], 1, 1_000_000, DEFAULT_MAX_CONNECTIONS),
    maxPerAddress: integerOption('--max-per-address', v['max-per-address'], 1, 1_000_000, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS),
    user: v.user ?? null,
    watch: v.watch ?? false,
    log: choiceOption('--log', v.log, ['text', 'json'] as const) ?? 'text',
    verbose: v.verbose ?? false,
  };
  if (out.crossdomain && out.httpPort === null) throw new UsageError('--crossdomain needs --http-port');
  // SRV-VALID-2: no built-in policy. `--crossdomain FILE --http-port N` alone serves HTTP policies only.
  if (!out.flash && !out.silverlight && !out.crossdomain) {
    throw new UsageError(`nothing to serve: give --flash FILE, --silverlight FILE, or --crossdomain FILE with --http-port N\n\n${SERVE_USAGE}`);
  }
  // Two listeners on one port: the second bind would fail as "already in use" as though another
  // process held it; it is the command line that is wrong. (Port 0 picks a free port for each.)
  const ports: [string, number | null][] = [
    ['--flash-port', out.flash ? out.flashPort : null],
    ['--silverlight-port', out.silverlight ? out.silverlightPort : null],
    ['--http-port', out.httpPort],
  ];
  const byPort = new Map<number, string>();
  for (const [option, port] of ports) {
    if (port === null || port === 0) continue;
    const other = byPort.get(port);
    if (other !== undefined) throw new UsageError(`${other} and ${option} are both port ${port}: each listener needs a port of its own`);
    byPort.set(port, option);
  }
  return out;
}

/** Which file feeds which policy slot. */
function slotFiles(a: ServeArgs): Partial<Record<PolicySlot, string>> {
  const files: Partial<Record<PolicySlot, string>> = {};
  if (a.flash) files.flash = a.flash;
  if (a.silverlight) files.silverlight = a.silverlight;
  if (a.httpPort !== null) {
    const f = a.crossdomain ?? a.flash;
    if (f) files['http-flash'] = f;
    if (a.silverlight) files['http-silverlight'] = a.silverlight;
  }
  return files;
}

/**
 * Listening descriptors passed by systemd socket activation (sd_listen_fds): fd 3 onwards when
 * LISTEN_PID is this process. Named by LISTEN_FDNAMES when the names are listener kinds, else
 * assigned to the configured listeners in the order flash, silverlight, http.
 */
// SRV-BIND-3
export function inheritedListenFds(env: Record<string, string | undefined>, pid: number, wanted: ListenerKind[]): Partial<Record<ListenerKind, number>> {
  if (env.LISTEN_PID !== String(pid)) return {};
  const count = Number(env.LISTEN_FDS ?? '0');
  if (!Number.isInteger(count) || count < 1) return {};
  const names = (env.LISTEN_FDNAMES ?? '').split(':');
  const out: Partial<Record<ListenerKind, number>> = {};
  const named = names.some((n) => n === 'flash' || n === 'silverlight' || n === 'http');
  for (let i = 0; i < count; i++) {
    const fd = 3 + i;
    if (named) {
      const n = names[i];
      if ((n === 'flash' || n === 'silverlight' || n === 'http') && wanted.includes(n)) out[n] = fd;
    } else {
      const kind = wanted[i];
      if (kind) out[kind] = fd;
    }
  }
  return out;
}

interface Logger {
  line(event: string, fields: Record<string, unknown>, text: string): void;
}

// SRV-OPS-4
function makeLogger(io: CliIO, format: 'text' | 'json'): Logger {
  return {
    line(event, fields, text) {
      if (format === 'json') io.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
      else io.stdout.write(`${text}\n`);
    },
  };
}

function countersText(c: PolicyServerCounters): string {
  return `counters served=${c.served} refused=${c.refused} timed-out=${c.timedOut} over-limit=${c.overLimit} accepted=${c.accepted} open=${c.open} reloads=${c.reloads} reloads-rejected=${c.reloadsRejected}`;
}

function logEvent(log: Logger, e: PolicyServerEvent): void {
  switch (e.type) {
    case 'listening':
      // SRV-OPS-1
      log.line('listening', { kind: e.kind, url: e.url, host: e.host, port: e.port }, `listening ${e.kind} ${e.url}`);
      return;
    case 'reload':
      if (e.ok) log.line('reload', { ok: true, changed: e.changed }, e.changed.length ? `reloaded ${e.changed.join(', ')}` : 'reload: no policy changed');
      else log.line('reload', { ok: false, message: e.message }, `reload refused, ${e.message}`);
      return;
    case 'error':
      log.line('error', { kind: e.kind, message: e.message }, `error ${e.kind ?? ''} ${e.message}`);
      return;
    case 'closing':
      log.line('closing', {}, 'closing: no longer accepting, draining connections in flight');
      return;
    case 'closed':
      return;
    default:
      // A connection's events: they arrive only with --verbose (connectionEvents below).
      log.line(e.type, { ...e }, `${e.type} ${e.kind} ${e.remoteAddress ?? '?'}${'reason' in e ? ` ${e.reason}` : ''}${'limit' in e ? ` ${e.limit}` : ''}`);
  }
}

/** Reads `/etc/passwd` for NAME's uid and primary gid (what getpwnam(3) returns for local users). */
function lookupUser(name: string): { uid: number; gid: number } | null {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return null;
  }
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f.length >= 4) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  if (/^\d+$/.test(name)) return { uid: Number(name), gid: Number(name) };
  return null;
}

/** Drops root for `user` (supplementary groups, then gid, then uid); returns an error message or null. */
// SRV-BIND-3
function dropPrivileges(user: string, ids: { uid: number; gid: number }): string | null {
  try {
    const initgroups = (process as { initgroups?: (user: string, extraGroup: number) => void }).initgroups;
    if (typeof initgroups === 'function' && !/^\d+$/.test(user)) initgroups.call(process, user, ids.gid);
    else process.setgroups?.([ids.gid]);
    process.setgid?.(ids.gid);
    process.setuid?.(ids.uid);
  } catch (err) {
    return `cannot drop privileges to '${user}': ${(err as Error).message} (only root can change user)`;
  }
  if (process.getuid?.() !== ids.uid || process.getgid?.() !== ids.gid) return `privileges not dropped to '${user}'`;
  return null;
}

/** What --watch compares to see that a file changed. */
function stampOf(st: { ino: number; size: number; mtimeMs: number }): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

/** Runs `xdpolicy serve`; resolves with the exit status when the server has stopped. */
export async function runServe(args: string[], io: CliIO): Promise<number> {
  const a = parseServeArgs(args);
  if (a === 'help') {
    io.stdout.write(SERVE_USAGE);
    return 0;
  }
  // A user that does not exist is a mistake on the command line: said before anything is read or bound.
  const userIds = a.user ? lookupUser(a.user) : null;
  if (a.user && !userIds) throw new UsageError(`--user '${a.user}': no such user`);
  const files = slotFiles(a);
  const names: Partial<Record<PolicySlot, string>> = {};
  const readStamps = new Map<string, string>();
  // SRV-RELOAD-3: only regular files, bounded, read asynchronously (at start and on every reload),
  // so a policy replaced by a FIFO or a link to /dev/zero is refused instead of stalling the
  // listeners; the reason is logged and the old policies stay.
  const readAll = async (): Promise<{ texts: Partial<Record<PolicySlot, string>> } | { error: string }> => {
    const texts: Partial<Record<PolicySlot, string>> = {};
    for (const [slot, file] of Object.entries(files) as [PolicySlot, string][]) {
      names[slot] = file;
      const path = resolve(io.cwd, file);
      const read = await readBoundedFile(path, POLICY_FILE_LIMIT, { regularOnly: true });
      if (!read.ok) return { error: `cannot read ${file}: ${read.reason}` };
      // The stamp is the fstat taken before reading: a write racing with the read then shows up
      // as a change to --watch.
      readStamps.set(path, stampOf(read.stat));
      texts[slot] = read.text;
    }
    return { texts };
  };
  const first = await readAll();
  if ('error' in first) {
    io.stderr.write(`xdpolicy serve: ${first.error}\n`);
    return 2;
  }
  const texts = first.texts;
  const wanted: ListenerKind[] = [];
  if (a.flash) wanted.push('flash');
  if (a.silverlight) wanted.push('silverlight');
  if (a.httpPort !== null) wanted.push('http');
  const fds = inheritedListenFds(io.env, process.pid, wanted);

  const log = makeLogger(io, a.log);
  // SRV-OPS-4: what is wrong with a policy, at start or on reload, as the rest of the log: a
  // `file:line:column: severity: message [IDs]` line on stderr, or under --log json an event
  // "policy" with the same fields.
  const policyLine = (slot: PolicySlot, severity: string, d: { line: number; column: number; message: string; requirement?: string; id?: string }): void => {
    const file = names[slot] ?? slot;
    if (a.log === 'json') {
      log.line('policy', { file, slot, line: d.line, column: d.column, severity, ...(d.id !== undefined ? { id: d.id } : {}), ...(d.requirement !== undefined ? { requirement: d.requirement } : {}), message: d.message }, '');
      return;
    }
    const tags = [d.id, d.requirement].filter((t, i, all): t is string => t !== undefined && all.indexOf(t) === i).join(', ');
    const label = severity === 'error' || severity === 'warning' ? severity : `warning (${severity})`;
    io.stderr.write(`${file}:${d.line}:${d.column}: ${label}: ${d.message}${tags ? ` [${tags}]` : ''}\n`);
  };
  const options: PolicyServerOptions = {
    host: a.host,
    timeoutMs: a.timeoutMs,
    maxConnections: a.maxConnections,
    maxConnectionsPerAddress: a.maxPerAddress,
    onEvent: (e) => logEvent(log, e),
    // Without --verbose no connection is logged, so none needs its client address looked up.
    connectionEvents: a.verbose,
  };
  if (texts.flash !== undefined) options.flash = { policy: texts.flash, port: a.flashPort, ...(fds.flash !== undefined ? { fd: fds.flash } : {}) };
  if (texts.silverlight !== undefined) options.silverlight = { policy: texts.silverlight, port: a.silverlightPort, ...(fds.silverlight !== undefined ? { fd: fds.silverlight } : {}) };
  if (a.httpPort !== null) {
    options.http = { port: a.httpPort, ...(fds.http !== undefined ? { fd: fds.http } : {}) };
    if (texts['http-flash'] !== undefined) options.http.flashPolicy = texts['http-flash'];
    if (texts['http-silverlight'] !== undefined) options.http.silverlightPolicy = texts['http-silverlight'];
  }

  // SRV-VALID-1: validate everything before touching the network.
  const checked = checkPolicyServerOptions(options);
  if (!checked.ok) {
    if ('message' in checked) {
      io.stderr.write(`xdpolicy serve: ${checked.message}\n`);
      return 2;
    }
    for (const p of checked.problems) for (const e of p.errors) policyLine(p.slot, 'error', e);
    io.stderr.write('xdpolicy serve: refusing to serve an invalid policy\n');
    return 2;
  }
  for (const w of checked.warnings) for (const x of w.warnings) policyLine(w.slot, x.severity, x);

  // The listening lines go out while the server starts; a supervisor may signal as soon as it
  // reads them. Signals arriving before the handlers below are installed are held and replayed,
  // so none takes its default action (SIGHUP and SIGTERM would kill, SIGUSR1 would start the
  // inspector).
  const early: NodeJS.Signals[] = [];
  const hold = (signal: NodeJS.Signals) => early.push(signal);
  const held: NodeJS.Signals[] = ['SIGHUP', 'SIGUSR1', 'SIGTERM', 'SIGINT'];
  for (const sig of held) process.on(sig, hold);
  const release = () => {
    for (const sig of held) process.off(sig, hold);
  };
  let server: RunningPolicyServer;
  try {
    server = await startPolicyServer(options);
  } catch (err) {
    release();
    if (err instanceof PolicyServerStartError) {
      io.stderr.write(`xdpolicy serve: ${err.message}\n`);
      // SRV-BIND-2
      return err.code === 'bind' ? 1 : 2;
    }
    throw err;
  }
  if (a.user && userIds) {
    const problem = dropPrivileges(a.user, userIds);
    if (problem) {
      release();
      io.stderr.write(`xdpolicy serve: ${problem}\n`);
      await server.close();
      return 1;
    }
    log.line('user', { user: a.user, uid: userIds.uid, gid: userIds.gid }, `running as ${a.user} (uid ${userIds.uid}, gid ${userIds.gid})`);
  }

  // SRV-RELOAD-1, SRV-RELOAD-2
  const reloadOnce = async (): Promise<void> => {
    const again = await readAll();
    if ('error' in again) {
      log.line('reload', { ok: false, message: again.error }, `reload refused, ${again.error}; kept the previous policies`);
      return;
    }
    const next: PolicyReload = {};
    if (again.texts.flash !== undefined) next.flash = again.texts.flash;
    if (again.texts.silverlight !== undefined) next.silverlight = again.texts.silverlight;
    if (again.texts['http-flash'] !== undefined || again.texts['http-silverlight'] !== undefined) {
      next.http = {};
      if (again.texts['http-flash'] !== undefined) next.http.flashPolicy = again.texts['http-flash'];
      if (again.texts['http-silverlight'] !== undefined) next.http.silverlightPolicy = again.texts['http-silverlight'];
    }
    const r = server.reload(next);
    if (!r.ok) {
      // The library's message names slots; say which file instead.
      for (const p of r.problems) for (const e of p.errors) policyLine(p.slot, 'error', e);
    }
  };
  // One reload at a time: a request arriving during one (SIGHUP while --watch reloads) runs once
  // after it, so the last reload always reads the files as they are now.
  let reloading: Promise<void> | null = null;
  let reloadAgain = false;
  const reloadFromFiles = (): void => {
    if (reloading) {
      reloadAgain = true;
      return;
    }
    reloading = (async () => {
      do {
        reloadAgain = false;
        try {
          await reloadOnce();
        } catch (err) {
          log.line('reload', { ok: false, message: (err as Error).message }, `reload refused, ${(err as Error).message}; kept the previous policies`);
        }
      } while (reloadAgain);
      reloading = null;
    })();
  };

  // --watch: poll each file against the stat taken when it was last read, so a change made
  // at any moment after the read (even before the first poll) is seen. Polling also survives
  // editors that replace a file by renaming a new one over it.
  let poller: NodeJS.Timeout | null = null;
  if (a.watch) {
    const stamp = async (path: string): Promise<string> => {
      try {
        return stampOf(await stat(path));
      } catch {
        return 'missing';
      }
    };
    const paths = [...new Set(Object.values(files))].map((f) => resolve(io.cwd, f));
    const seen = new Map(paths.map((p) => [p, readStamps.get(p) ?? 'missing']));
    let polling = false;
    poller = setInterval(() => {
      if (polling) return;
      polling = true;
      void (async () => {
        let changed = false;
        for (const p of paths) {
          const now = await stamp(p);
          if (now !== seen.get(p)) {
            seen.set(p, now);
            changed = true;
          }
        }
        polling = false;
        if (changed) reloadFromFiles();
      })();
    }, 250);
    poller.unref();
  }

  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const onHup = () => reloadFromFiles();
    // SRV-OPS-3
    const onUsr1 = () => {
      const c = server.counters();
      log.line('counters', { ...c }, countersText(c));
    };
    // SRV-OPS-2
    const onTerm = () => {
      if (stopping) return;
      stopping = true;
      if (poller) clearInterval(poller);
      void server.close().then(() => {
        process.off('SIGHUP', onHup);
        process.off('SIGUSR1', onUsr1);
        process.off('SIGTERM', onTerm);
        process.off('SIGINT', onTerm);
        const c = server.counters();
        log.line('counters', { ...c, final: true }, countersText(c));
        log.line('stopped', {}, 'stopped');
        resolveExit(0);
      });
    };
    process.on('SIGHUP', onHup);
    process.on('SIGUSR1', onUsr1);
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onTerm);
    release();
    for (const sig of early) (sig === 'SIGHUP' ? onHup : sig === 'SIGUSR1' ? onUsr1 : onTerm)();
  });
}
