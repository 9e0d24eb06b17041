/**
 * Wire scenarios: the corpus's data-only description of what a client sends to a socket policy
 * server and what a conforming server does (`corpus/wire/<client>/<name>.wire.json`, described in
 * corpus/README.md). This module loads them and interprets each as a {@link CaseDefinition}.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCorpusDir, listFiles } from '../src/corpus/load.js';
import type { ClientProfile } from '../src/decision/types.js';
import { destroyTracked, LATE_HANDSHAKE_MS, lateHandshake, seconds, trackedConnect, type ExchangeResult, type SendStep } from './client.js';
import { describeExchange, countPolicies, holdsCompletePolicy, requestFor, socketPolicyText } from './probe.js';
import { verdict, type CaseContext, type CaseDefinition, type Phase, type RunOptions, type Verdict } from './model.js';

/** One step of a scenario's send script. */
export type WireSendStep =
  /** Bytes as text (each char one byte, latin1); `bytewise` writes one byte at a time, `delayMs` apart. */
  | { text: string; bytewise?: boolean; delayMs?: number }
  /** Bytes as hex. */
  | { hex: string }
  /** `count` copies of one character. */
  | { fill: string; count: number }
  /** Pause. */
  | { wait: number }
  /** Half-close (FIN) and keep reading. */
  | { halfClose: true }
  /** Reset the connection. */
  | { reset: true };

/** What a conforming server does in a scenario. */
export type WireExpectation =
  /** Sends a complete policy of the scenario's client format (ended by NUL or close). */
  | 'policy'
  /** Sends no policy (closing, or staying silent, are both fine). */
  | 'no-policy'
  /** Either sends a policy or closes, within the window: it never holds the connection silently. */
  | 'policy-or-close'
  /** Closes the connection within the window (what it sent does not matter here). */
  | 'close'
  /** Sends at most one policy on the connection. */
  | 'at-most-one-policy';

/** A scenario as stored in `*.wire.json`. */
export interface WireScenario {
  /** Stable ID, written out: `wire/<client>/<name>`. */
  id: string;
  title: string;
  /** Which request format the scenario speaks. */
  client: ClientProfile;
  /** The requirement it checks (spec/conformance.md or another chapter). */
  requirement: string;
  /** MUST cases always count; SHOULD cases count only under `--strict`. */
  level: 'MUST' | 'SHOULD';
  send: WireSendStep[];
  expect: WireExpectation;
  /**
   * Window for the expectation in ms. Default: the idle window (`--idle-window`) for `close` and
   * `policy-or-close`, which wait for the server's own timeout; `--timeout` for the others.
   */
  withinMs?: number;
  /** `idle`: the window is the run's idle window (for probes that wait for the server's own timeout). */
  window?: 'idle';
  /** Run the same script on this many connections at once; every one must meet `expect`. */
  connections?: number;
  /** Hold this many silent connections open while the scenario runs. */
  idleConnections?: number;
  /** Afterwards, one ordinary request must still get a policy (the server survived). */
  thenServes?: boolean;
  /** Why, with the source. */
  note?: string;
}

/** The requirement text quoted by each wire requirement ID (one line; spec/conformance.md has the rest). */
export const WIRE_REQUIREMENT_TEXT: Readonly<Record<string, string>> = {
  'WIRE-REQ-1': 'A Flash socket policy server MUST answer the 23-byte request <policy-file-request/>\\0 with its policy.',
  'WIRE-REQ-2': 'The server MUST accumulate the request across reads: a request split into several TCP segments MUST be answered.',
  'WIRE-REQ-3': 'A Silverlight socket policy server MUST answer the 22-byte request <policy-file-request/> (no NUL) with its policy.',
  'WIRE-REQ-4': 'Input that is not a policy request SHOULD be closed without a policy.',
  'WIRE-REQ-5': 'Whatever it receives, the server MUST either answer or close: it never holds a connection silently past its timeout.',
  'WIRE-REQ-6': 'The server SHOULD keep accumulating a slow request for at least 3 seconds, the time Flash itself waits.',
  'WIRE-REQ-7': 'The server SHOULD answer a request whose sender then half-closes its side of the connection.',
  'WIRE-CONN-1': 'The server SHOULD close idle and slow clients after a bounded time.',
  'WIRE-CONN-2': 'The server MUST answer many concurrent clients, each with the whole policy.',
  'WIRE-CONN-3': 'After a misbehaving client (reset, held-open idle connections), the server MUST still answer an ordinary request.',
  'WIRE-RESP-3': 'The server SHOULD close the connection after sending the policy, answering one request per connection.',
  'WIRE-CONN-4': 'Under a soak of many connections every client MUST get the whole policy, and the server MUST still answer afterwards.',
  'WIRE-CONN-5': 'When a client half-closes without a whole request, the server MUST close the connection: no request can follow.',
};

/** The text of a requirement ID for reports. */
export function requirementText(id: string): string {
  return WIRE_REQUIREMENT_TEXT[id] ?? id;
}

/** Loads every wire scenario (default: the package corpus). Throws naming the file on bad JSON. */
export function loadWireScenarios(corpusDir: string = defaultCorpusDir()): WireScenario[] {
  const dir = join(corpusDir, 'wire');
  let files: string[];
  try {
    files = listFiles(dir).filter((f) => f.endsWith('.wire.json'));
  } catch {
    return [];
  }
  return files.map((f) => {
    try {
      return JSON.parse(readFileSync(join(dir, f), 'utf8')) as WireScenario;
    } catch (err) {
      throw new Error(`corpus/wire/${f}: not valid JSON: ${(err as Error).message}`);
    }
  });
}

/** Checks a scenario's shape; returns the problems (empty when it is well formed). */
export function checkWireScenario(s: WireScenario): string[] {
  const problems: string[] = [];
  if (typeof s.id !== 'string' || !s.id.startsWith(`wire/${s.client}/`)) problems.push(`id '${s.id}' must start with wire/${s.client}/`);
  if (s.client !== 'flash' && s.client !== 'silverlight') problems.push(`client must be flash or silverlight`);
  if (s.level !== 'MUST' && s.level !== 'SHOULD') problems.push('level must be MUST or SHOULD');
  if (typeof s.requirement !== 'string' || !/^[A-Z]+(-[A-Z]+)*-\d+$/.test(s.requirement)) problems.push('requirement must be an ID like WIRE-REQ-1');
  if (!['policy', 'no-policy', 'policy-or-close', 'close', 'at-most-one-policy'].includes(s.expect)) problems.push(`unknown expect '${s.expect}'`);
  if (!Array.isArray(s.send)) problems.push('send must be an array');
  if (typeof s.title !== 'string' || s.title === '') problems.push('title is required');
  if (s.connections !== undefined && (!Number.isInteger(s.connections) || s.connections < 1 || s.connections > 500)) problems.push('connections must be 1..500');
  if (s.idleConnections !== undefined && (!Number.isInteger(s.idleConnections) || s.idleConnections < 1 || s.idleConnections > 500)) problems.push('idleConnections must be 1..500');
  return problems;
}

/** Turns a scenario's send script into client steps. */
export function compileSend(send: WireSendStep[]): SendStep[] {
  const steps: SendStep[] = [];
  for (const s of send) {
    if ('text' in s) {
      const bytes = Buffer.from(s.text, 'latin1');
      if (s.bytewise) {
        bytes.forEach((b, i) => {
          if (i > 0 && (s.delayMs ?? 0) > 0) steps.push({ wait: s.delayMs! });
          steps.push({ write: Buffer.from([b]) });
        });
      } else steps.push({ write: bytes });
    } else if ('hex' in s) steps.push({ write: Buffer.from(s.hex, 'hex') });
    else if ('fill' in s) steps.push({ write: Buffer.alloc(s.count, s.fill, 'latin1') });
    else if ('wait' in s) steps.push({ wait: s.wait });
    else if ('halfClose' in s) steps.push({ end: true });
    else if ('reset' in s) steps.push({ reset: true });
  }
  return steps;
}

/** How long a script itself takes (its waits), so budgets start counting after it. */
function scriptMs(steps: SendStep[]): number {
  return steps.reduce((t, s) => t + ('wait' in s ? s.wait : 0), 0);
}

// WIRE-HARNESS-6
/**
 * The expectation window of a scenario. A server's own timeout is judged by when it closed, against
 * the idle window (the stated bound, `--idle-window`), never against certify's per-probe timeout:
 * `close` and `policy-or-close` wait that long.
 */
export function windowMs(s: WireScenario, options: RunOptions): number {
  return s.withinMs ?? (s.expect === 'close' || s.expect === 'policy-or-close' || s.window === 'idle' ? options.idleWindowMs : options.timeoutMs);
}

const EXPECTED_TEXT: Record<WireExpectation, (s: WireScenario, ms: number) => string> = {
  policy: (s) => `a complete <${s.client === 'flash' ? 'cross-domain-policy' : 'access-policy'}> policy, ended by a NUL or the server's close`,
  'no-policy': () => 'no policy (the connection closed, or left silent)',
  'policy-or-close': (_s, ms) => `a policy, or the server's close (by its own timeout at the latest) within ${seconds(ms)}`,
  close: (_s, ms) => `the server closes the connection (by its own timeout at the latest) within ${seconds(ms)}`,
  'at-most-one-policy': () => 'at most one policy on the connection',
};

/** The bytes a scenario writes, all together (its requests and its junk). */
function writtenBytes(steps: readonly SendStep[]): Buffer {
  return Buffer.concat(steps.flatMap((s) => ('write' in s ? [s.write] : [])));
}

/**
 * The phase of a scenario (WIRE-HARNESS-5): `holding` when it holds its connection on purpose (it
 * waits for the server's close, sends slowly, sends only part of the request, or opens a crowd);
 * `ordinary` when it sends the client's request, whole or split; `odd-input` otherwise.
 */
export function wirePhase(s: WireScenario): Phase {
  const steps = compileSend(s.send);
  const bytes = writtenBytes(steps);
  const request = requestFor(s.client);
  const resets = steps.some((x) => 'reset' in x);
  if (s.expect === 'close' || s.window === 'idle' || isCrowd(s) || scriptMs(steps) > 1500) return 'holding';
  if (!resets && bytes.length < request.length && request.subarray(0, bytes.length).equals(bytes)) return 'holding';
  if (!resets && bytes.equals(request)) return 'ordinary';
  return 'odd-input';
}

/** True for scenarios that open many connections at once (they run alone). */
function isCrowd(s: WireScenario): boolean {
  return (s.connections ?? 1) > 1 || (s.idleConnections ?? 0) > 0;
}

// WIRE-HARNESS-6: a hold is reported with the window it was judged by; a close carries its time (describeExchange).
/** Grades one connection's result against the scenario's expectation; null means it met it. */
export function gradeWire(s: WireScenario, r: ExchangeResult, within?: number): string | null {
  if (r.endReason === 'refused' || r.endReason === 'connect-timeout' || r.endReason === 'error') return describeExchange(r);
  const held = `${r.bytes.length}${r.truncated ? '+' : ''} bytes received, and the server never closed the connection within ${seconds(within ?? r.endMs)}`;
  const text = socketPolicyText(r);
  const all = r.bytes.toString('utf8');
  const complete = holdsCompletePolicy(text, s.client) || (r.endReason === 'closed' && holdsCompletePolicy(all, s.client));
  switch (s.expect) {
    case 'policy':
      return complete ? null : describeExchange(r);
    case 'no-policy':
      return countPolicies(all, s.client) === 0 ? null : `a policy was sent: ${describeExchange(r)}`;
    case 'policy-or-close':
      // A script that resets the connection itself has nothing to wait for.
      if (complete || ['closed', 'reset', 'client-done', 'client-reset'].includes(r.endReason)) return null;
      return r.endReason === 'timeout' ? `no policy: ${held}` : describeExchange(r);
    case 'close':
      if (r.endReason === 'closed' || r.endReason === 'reset') return null;
      return r.endReason === 'timeout' ? held : describeExchange(r);
    case 'at-most-one-policy':
      return countPolicies(all, s.client) <= 1 ? null : `${countPolicies(all, s.client)} policies were sent: ${describeExchange(r)}`;
  }
}

// WIRE-CONN-2, WIRE-HARNESS-7: a handshake that never completed (a full backlog) is told apart from a connection never answered.
/** How each of a crowd's failed connections went: never connected, connected and got nothing, … */
export function failedConnections(s: WireScenario, results: readonly ExchangeResult[], within: number): Record<'unconnected' | 'lateHandshake' | 'refused' | 'unanswered' | 'partial' | 'closedEmpty' | 'reset' | 'other', number> {
  const kinds = { unconnected: 0, lateHandshake: 0, refused: 0, unanswered: 0, partial: 0, closedEmpty: 0, reset: 0, other: 0 };
  for (const r of results) {
    if (gradeWire(s, r, within) === null) continue;
    if (r.endReason === 'connect-timeout') kinds.unconnected++;
    else if (lateHandshake(r)) kinds.lateHandshake++;
    else if (r.endReason === 'refused') kinds.refused++;
    else if (r.endReason === 'reset' && r.bytes.length === 0) kinds.reset++;
    else if (r.endReason === 'timeout' && r.bytes.length === 0) kinds.unanswered++;
    else if (r.endReason === 'closed' && r.bytes.length === 0) kinds.closedEmpty++;
    else if (r.bytes.length > 0) kinds.partial++;
    else kinds.other++;
  }
  return kinds;
}

const KIND_TEXT: Record<keyof ReturnType<typeof failedConnections>, string> = {
  unconnected: 'never completed the TCP handshake (the server\'s listen backlog was full and its SYNs were dropped)',
  lateHandshake: `completed the handshake only after a SYN retransmission (${LATE_HANDSHAKE_MS} ms or more: the listen backlog was full) and got no policy in time`,
  refused: 'were refused',
  unanswered: 'connected but got no byte',
  partial: 'got part of an answer',
  closedEmpty: 'were closed with nothing sent',
  reset: 'were reset with nothing sent',
  other: 'failed otherwise',
};

/** Interprets a scenario as a case definition. */
export function wireCase(s: WireScenario): CaseDefinition {
  const steps = compileSend(s.send);
  const slow = s.expect === 'close' || s.window === 'idle' || (s.withinMs ?? 0) > 4000 || scriptMs(steps) > 1500;
  const budget = (o: RunOptions): number => (s.expect === 'close' ? 0 : scriptMs(steps)) + windowMs(s, o) + (s.idleConnections ? Math.min(o.timeoutMs, IDLE_CROWD_CONNECT_MS) : 0) + (s.thenServes ? o.timeoutMs : 0) + 2000;
  return {
    id: s.id,
    desc: s.title,
    requirement: requirementText(s.requirement),
    requirementIds: [s.requirement],
    strict: s.level === 'SHOULD',
    slow,
    phase: wirePhase(s),
    crowd: isCrowd(s),
    appliesTo: (target, client) => target.kind === 'socket' && client === s.client,
    budgetMs: budget,
    async run(ctx: CaseContext): Promise<Verdict> {
      const within = windowMs(s, ctx.options);
      const expected = [EXPECTED_TEXT[s.expect](s, within)];
      const overrides = {
        // A `close` window counts from the connection: a client dripping bytes must not extend it.
        timeoutMs: s.expect === 'close' ? within : scriptMs(steps) + within,
        // `close` and `at-most-one-policy` watch the connection to its end; the others stop at the NUL.
        nulGraceMs: s.expect === 'close' || s.expect === 'at-most-one-policy' ? within : 300,
      };
      const idle = await holdIdle(ctx, s.idleConnections ?? 0);
      try {
        const n = s.connections ?? 1;
        const results = await Promise.all(Array.from({ length: n }, () => ctx.probe.exchange(steps, overrides)));
        const failures = results.map((r) => gradeWire(s, r, overrides.timeoutMs)).filter((x): x is string => x !== null);
        const details: Record<string, unknown> = { expect: s.expect, connections: n, bytes: results[0]?.bytes.length, endReason: results[0]?.endReason, endMs: results[0]?.endMs };
        if (idle.opened !== undefined) details['idleOpened'] = idle.opened;
        if (n > 1) details['failed'] = failedConnections(s, results, overrides.timeoutMs);
        if (failures.length > 0) {
          let actual = failures[0]!;
          if (n > 1) {
            const kinds = failedConnections(s, results, overrides.timeoutMs);
            const parts = (Object.keys(kinds) as (keyof typeof kinds)[]).filter((k) => kinds[k] > 0).map((k) => `${kinds[k]} ${KIND_TEXT[k]}`);
            actual = `${failures.length} of ${n} connections failed: ${parts.join('; ')}`;
          }
          if (idle.opened !== undefined) actual += ` (${idle.opened} of ${s.idleConnections} silent connections were held open meanwhile)`;
          return verdict.fail(expected, actual, details);
        }
        if (s.thenServes) {
          const after = await ctx.probe.exchange([{ write: requestFor(s.client) }], { nulGraceMs: 100 });
          const ok = holdsCompletePolicy(socketPolicyText(after), s.client) || holdsCompletePolicy(after.bytes.toString('utf8'), s.client);
          expected.push('afterwards, an ordinary request still gets the policy');
          if (!ok) return verdict.fail(expected, `afterwards: ${describeExchange(after)}`, details);
        }
        const held = idle.opened !== undefined ? ` while ${idle.opened} silent connections were held open` : '';
        return verdict.pass(expected, n === 1 ? `${describeExchange(results[0]!)}${held}` : `all ${n} connections met it`, details);
      } finally {
        idle.release();
      }
    },
  };
}

/** The source address of the idle crowd on loopback. */
export const IDLE_CROWD_ADDRESS = '127.0.0.66';
/** How long the idle crowd has to connect before the real client asks. */
export const IDLE_CROWD_CONNECT_MS = 1000;

/**
 * Opens `n` silent connections and keeps them until released (at the latest when the case's signal
 * aborts). Connections that have not completed their handshake when the real client is about to
 * ask are destroyed: their SYN retransmissions would otherwise race the real client's, and a full
 * backlog is `many-concurrent`'s finding, not this case's.
 */
async function holdIdle(ctx: CaseContext, n: number): Promise<{ release(): void; opened?: number }> {
  if (n === 0 || ctx.target.kind !== 'socket') return { release() {} };
  const { host, port } = ctx.target;
  // On loopback the crowd comes from its own address (127.0.0.66), as an attacker's would: a server
  // that caps connections per address (the reference server does) must still serve everyone else.
  const from = /^127\./.test(host) ? IDLE_CROWD_ADDRESS : undefined;
  const sockets = Array.from({ length: n }, () => {
    const s = trackedConnect(host, port, from);
    s.on('error', () => {});
    s.on('data', () => {});
    return s;
  });
  const release = (): void => sockets.forEach((s) => destroyTracked(s));
  ctx.signal.addEventListener('abort', release, { once: true });
  const wait = Math.min(ctx.options.timeoutMs, IDLE_CROWD_CONNECT_MS);
  await Promise.all(sockets.map((s) => new Promise<void>((r) => {
    const t = setTimeout(r, wait);
    s.once('connect', () => { clearTimeout(t); r(); });
    s.once('close', () => { clearTimeout(t); r(); });
  })));
  let opened = 0;
  for (const s of sockets) {
    if (s.connecting || s.destroyed) destroyTracked(s);
    else opened++;
  }
  return { release, opened };
}
