/**
 * From what a target answered to a world snapshot (the `decide --world` format), and from there to
 * decisions: `--record` writes these worlds, the expectations case and the HTML decision matrix
 * decide over them, so every verdict can be reproduced offline with `xdpolicy decide --world`.
 *
 * @module
 */
import type { ClientProfile, Decision, DecisionRequest, ProfileName } from '../src/decision/types.js';
import { profilesOf } from '../src/profiles/index.js';
import type { WorldEnd, WorldResponse, WorldSnapshot } from '../src/world/world.js';
import type { Analyzers } from './analyze.js';
import type { EndReason, ExchangeResult } from './client.js';
import { expandPorts, ruleAppliesTo, ruleProfile, type Expectations } from './expect.js';
import type { HttpFetchResult } from './http.js';
import type { Prober } from './probe.js';
import type { Target } from './target.js';

/** How a socket exchange ended, in the world's terms (WIRE-HARNESS-4). */
function socketEnd(endReason: Exclude<EndReason, 'refused'>): WorldEnd {
  switch (endReason) {
    case 'closed':
      return 'close';
    case 'overflow':
      return 'limit';
    case 'reset':
    case 'client-reset':
    case 'error':
      return 'reset';
    // The budget ran out, or the harness stopped after the NUL grace (or an abort) while the
    // server still held the connection open.
    case 'timeout':
    case 'connect-timeout':
    case 'client-done':
      return 'timeout';
  }
}

// WIRE-HARNESS-4
/**
 * The world entry for a socket exchange: the bytes received and how the response ended, so that
 * a response the server never finished (no NUL and no close, a reset, the byte budget) is never
 * recorded as a complete answer. Each client's decision reads it by its own rule: Flash up to the
 * first NUL or the close (FLASH-SOCK-2), Silverlight up to the close (SL-SOCK-4).
 */
export function socketWorldResponse(r: ExchangeResult): WorldResponse {
  if (r.endReason === 'refused') return { body: '', error: 'refused' };
  const end = socketEnd(r.endReason);
  if (r.bytes.length === 0 && end !== 'close') return { body: '', error: end === 'reset' ? 'reset' : 'timeout' };
  const out: WorldResponse = { body: r.bytes.toString('utf8') };
  if (end !== 'close') out.end = end;
  return out;
}

// WIRE-HARNESS-4
/**
 * The world entry for an HTTP fetch: a response whose body did not complete (the budget ran out,
 * a reset, the byte budget) keeps its status and headers but says how it ended, so that no
 * decision reads a cut body as the policy.
 */
export function httpWorldResponse(r: HttpFetchResult): WorldResponse {
  if (r.outcome === 'refused') return { body: '', error: 'refused' };
  if (r.status === undefined) return { body: '', error: r.outcome === 'timeout' ? 'timeout' : r.outcome === 'reset' ? 'reset' : 'refused' };
  const out: WorldResponse = { body: r.body.toString('utf8'), status: r.status };
  const { 'content-type': contentType, ...rest } = r.headers;
  if (contentType !== undefined) out.contentType = contentType;
  const keep: Record<string, string> = {};
  for (const [k, v] of Object.entries(rest)) if (k === 'x-permitted-cross-domain-policies' || k === 'location') keep[k] = v;
  if (Object.keys(keep).length > 0) out.headers = keep;
  const end: WorldEnd = r.outcome === 'ok' ? 'close' : r.outcome === 'overflow' ? 'limit' : r.outcome === 'timeout' ? 'timeout' : 'reset';
  if (end !== 'close') out.end = end;
  return out;
}

/** The standard policy port of a client: 843 for Flash, 943 for Silverlight. */
export function standardPort(client: ClientProfile): number {
  return client === 'flash' ? 843 : 943;
}

/** A certified target, its client, and its prober, as the world builder needs them. */
export interface ProbedTarget {
  target: Target;
  client: ClientProfile;
  probe: Prober;
}

/** A location fetched beside an HTTP target because a decision of the run reads it. */
export interface ConsultedLocation {
  url: string;
  /** How it answered, for people (`HTTP 200, 120 bytes, Content-Type text/xml`). */
  answered: string;
}

/** The world of one target, and how it was made. */
export interface TargetWorld {
  world: WorldSnapshot;
  /** Set when a socket answer is also recorded at the client's standard port. */
  aliasedFrom?: string;
  /** Other locations of the target's root that the client's decisions read, fetched and recorded. */
  consulted?: ConsultedLocation[];
}

/** What {@link worldOf} needs to find the locations a client's decisions read beside the target. */
export interface WorldDiscovery {
  analyzers: Analyzers;
  expectations: Expectations | null;
}

/** At most this many locations are fetched beside one HTTP target (bounded, same root only). */
export const MAX_CONSULTED_LOCATIONS = 4;

/** `href` of a URL, or the text itself when it is not one (for comparing world keys). */
function normalUrl(text: string): string {
  try {
    return new URL(text).href;
  } catch {
    return text;
  }
}

/** One line for a consulted location's answer. */
function describeFetch(r: HttpFetchResult): string {
  if (r.status === undefined) return `${r.outcome}${r.error ? ` (${r.error})` : ''}`;
  return `HTTP ${r.status}, ${r.body.length}${r.truncated ? '+' : ''} bytes, Content-Type ${r.headers['content-type'] ?? '(none)'}`;
}

/**
 * The locations of `root` (an origin) that the run's decisions for this target read and the world
 * does not hold yet. The decision function is asked, not re-implemented: the matrix and the
 * expectations are decided over the world so far, and every `fetch` step of their traces names a
 * location the client reads. So Silverlight's `crossdomain.xml` fallback (SL-HTTP-6) is found
 * exactly when `clientaccesspolicy.xml` yields no policy (missing, not 200, a refused content
 * type, invalid), and never when it yields one (SL-HTTP-7).
 */
// WIRE-HARNESS-3: fetch what the run's decisions read, found by asking the decision function.
export function locationsToConsult(p: ProbedTarget, world: WorldSnapshot, discovery: WorldDiscovery): string[] {
  const read = new Set<string>();
  const recording: Analyzers = {
    ...discovery.analyzers,
    decider(w) {
      const inner = discovery.analyzers.decider(w);
      if (inner === null) return null;
      return (request) => {
        const d = inner(request);
        for (const t of d.trace) if (t.step === 'fetch' && t.location !== undefined) read.add(normalUrl(t.location));
        return d;
      };
    },
  };
  decisionMatrix(recording, world, p, discovery.expectations);
  if (discovery.expectations) decideExpectations(recording, world, p, discovery.expectations);
  const root = new URL(p.target.key).origin;
  const have = new Set(Object.keys(world).map(normalUrl));
  return [...read].filter((u) => !have.has(u) && /^https?:/.test(u) && new URL(u).origin === root).sort();
}

/**
 * The world one target's answer makes. A socket answer is recorded at its own location and, when
 * the target is not on the client's standard port, also at the standard port of the same host —
 * so decisions follow the policy as it will be deployed (on 843 or 943), and `decide --world`
 * reproduces them from the recorded file alone. `aliasesTaken` lists locations another target of
 * the run really answered, which are never overwritten.
 *
 * An HTTP target's world holds its own answer and, with `discovery`, every other location of the
 * same root that the client's decisions read (see {@link locationsToConsult}), each fetched once:
 * what `--record` writes is then what the client would have seen.
 */
export async function worldOf(p: ProbedTarget, aliasesTaken: ReadonlySet<string> = new Set(), discovery?: WorldDiscovery): Promise<TargetWorld> {
  const { target, client, probe } = p;
  if (target.kind === 'url') {
    const world: WorldSnapshot = { [target.key]: httpWorldResponse(await probe.http()) };
    if (!discovery) return { world };
    const consulted: ConsultedLocation[] = [];
    // A fetched location can lead to another (a redirect within the root): a few rounds, bounded.
    for (let round = 0; round < 3 && consulted.length < MAX_CONSULTED_LOCATIONS; round++) {
      const more = locationsToConsult(p, world, discovery).slice(0, MAX_CONSULTED_LOCATIONS - consulted.length);
      if (more.length === 0) break;
      const answers = await Promise.all(more.map((u) => probe.httpAt(u)));
      more.forEach((u, i) => {
        world[u] = httpWorldResponse(answers[i]!);
        consulted.push({ url: u, answered: describeFetch(answers[i]!) });
      });
    }
    return consulted.length > 0 ? { world, consulted } : { world };
  }
  const entry = socketWorldResponse(await probe.baseline(client));
  const world: WorldSnapshot = { [target.key]: entry };
  const std = `xmlsocket://${target.host}:${standardPort(client)}`;
  if (target.port !== standardPort(client) && !aliasesTaken.has(std)) {
    world[std] = entry;
    return { world, aliasedFrom: target.key };
  }
  return { world };
}

/** One decision of an expectation or of the matrix. */
export interface DecisionRow {
  /** The client profile decided under (a family's reference, or a profile of it). */
  client: ProfileName;
  origin: string;
  target: string;
  expected?: 'allow' | 'deny';
  decision: 'allow' | 'deny' | 'unavailable';
  reason: string;
  decidedBy?: string | null;
  /** Whether the client read a policy from what was served (a `fetch` step that answered `policy`). */
  readPolicy?: boolean;
}

/** Decides one request; `unavailable` when this build has no decision function. */
export function decideRow(decideIn: ((request: DecisionRequest) => Decision) | null, client: ProfileName, origin: string, target: string): DecisionRow {
  if (decideIn === null) return { client, origin, target, decision: 'unavailable', reason: 'no decision function in this build' };
  let d: Decision;
  try {
    d = decideIn({ client, origin, target });
  } catch (err) {
    return { client, origin, target, decision: 'unavailable', reason: `decide threw: ${String(err)}` };
  }
  return { client, origin, target, decision: d.decision, reason: d.reason, decidedBy: d.decidedBy.location, readPolicy: d.trace.some((t) => t.step === 'fetch' && t.answered === 'policy') };
}

/** The decision targets an expectation rule names for one certified target. */
export function ruleTargets(target: Target, rule: { ports?: (number | string)[]; urls?: string[] }): string[] {
  if (target.kind === 'socket') {
    if (!rule.ports) return [];
    const ports = expandPorts(rule.ports);
    if ('error' in ports) return [];
    return ports.map((port) => `socket://${target.host}:${port}`);
  }
  if (!rule.urls) return [];
  return rule.urls.map((u) => {
    try {
      return new URL(u, target.key).href;
    } catch {
      return u;
    }
  });
}

/** Every expectation that applies to this target and client, decided. */
export function decideExpectations(analyzers: Analyzers, world: WorldSnapshot, p: ProbedTarget, expectations: Expectations): DecisionRow[] {
  const rows: DecisionRow[] = [];
  const decideIn = analyzers.decider(world);
  for (const rule of expectations.rules) {
    if (!ruleAppliesTo(rule, p.client)) continue;
    for (const t of ruleTargets(p.target, rule)) {
      for (const origin of rule.origins) rows.push({ ...decideRow(decideIn, ruleProfile(rule, p.client), origin, t), expected: rule.expect });
    }
  }
  return rows;
}

/** The standard matrix origins: a local, a named http and https, and a hostile caller. */
export const DEFAULT_MATRIX_ORIGINS = ['http://localhost/app.swf', 'http://www.example.com/app.swf', 'https://www.example.com/app.swf', 'http://evil.example/attack.swf'];
/** The standard matrix ports: low, high, the policy ports and Silverlight's window edges. */
export const DEFAULT_MATRIX_PORTS = [80, 443, 843, 943, 1023, 1024, 4502, 4534, 8080];
/** The standard matrix paths for URL targets. */
export const DEFAULT_MATRIX_PATHS = ['/data.xml', '/api/v1/data.json', '/private/secret.txt'];
/** At most this many origins (rows) and columns in one matrix. */
export const MAX_MATRIX_ORIGINS = 16;
export const MAX_MATRIX_COLUMNS = 40;

/** `xs` without repeats, in first-seen order. */
function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** What the served policy names (its ports, origins, paths), read from the world the matrix is decided over. */
function servedAxes(analyzers: Analyzers, world: WorldSnapshot, p: ProbedTarget): { ports: number[]; origins: string[]; paths: string[] } {
  const entry = world[p.target.key];
  if (!entry || entry.error !== undefined) return { ports: [], origins: [], paths: [] };
  // Flash reads a socket answer up to its NUL (FLASH-SOCK-2); the rest is not the policy.
  const text = p.target.kind === 'socket' && p.client === 'flash' ? entry.body.split('\u0000')[0]! : entry.body;
  const context = p.target.kind === 'socket'
    ? { kind: 'socket' as const, master: true, servedFrom: p.target.key }
    : { kind: 'url' as const, scheme: p.target.scheme, master: true, servedFrom: p.target.key };
  return analyzers.policyAxes(text, p.client, context) ?? { ports: [], origins: [], paths: [] };
}

// WIRE-HARNESS-8
/**
 * The origin × port (or path) decision matrix of one target and client. Its axes are the ports,
 * origins (and for URL targets the paths) that the served policy and the expectations name, plus
 * the standard ones — so a policy granting 5000–5010 shows 4999, 5000, 5010 and 5011, and the
 * origins it admits. The expectations' `matrix` replaces an axis outright when the operator gives one.
 */
export function decisionMatrix(analyzers: Analyzers, world: WorldSnapshot, p: ProbedTarget, expectations: Expectations | null): { origins: string[]; columns: string[]; rows: DecisionRow[][]; profiles: ProfileMatrix[]; accepted: AcceptedBy[] } {
  const served = servedAxes(analyzers, world, p);
  const rules = (expectations?.rules ?? []).filter((r) => ruleAppliesTo(r, p.client));
  const named = unique([...served.origins, ...rules.flatMap((r) => r.origins)]);
  const origins = expectations?.matrix?.origins ?? unique([...DEFAULT_MATRIX_ORIGINS, ...named]).slice(0, Math.max(MAX_MATRIX_ORIGINS, DEFAULT_MATRIX_ORIGINS.length));
  let targets: string[];
  let columns: string[];
  if (p.target.kind === 'socket') {
    const explicit = expectations?.matrix?.ports ? expandPorts(expectations.matrix.ports) : null;
    let ports: number[];
    if (explicit && !('error' in explicit)) ports = explicit.slice(0, MAX_MATRIX_COLUMNS);
    else {
      const ruled = rules.flatMap((r) => {
        const e = r.ports ? expandPorts(r.ports) : [];
        return 'error' in e ? [] : e.length > 8 ? [e[0]!, e[e.length - 1]!] : e;
      });
      // What the policy and the expectations name first; the standard ports fill what is left.
      const wanted = unique([...served.ports, ...ruled]).slice(0, MAX_MATRIX_COLUMNS);
      ports = unique([...wanted, ...DEFAULT_MATRIX_PORTS]).slice(0, Math.max(MAX_MATRIX_COLUMNS, wanted.length)).sort((a, b) => a - b);
    }
    columns = ports.map(String);
    targets = ports.map((port) => `socket://${p.target.host}:${port}`);
  } else {
    const explicit = expectations?.matrix?.paths;
    columns = explicit ?? unique([...DEFAULT_MATRIX_PATHS, ...served.paths, ...rules.flatMap((r) => r.urls ?? [])]).slice(0, MAX_MATRIX_COLUMNS);
    targets = columns.map((c) => {
      try {
        return new URL(c, p.target.key).href;
      } catch {
        return c;
      }
    });
  }
  // One decider for the whole matrix: the world is read once per profile, not once per cell.
  const decideIn = analyzers.decider(world);
  const rows = origins.map((o) => targets.map((t) => decideRow(decideIn, p.client, o, t)));
  // The same cells under every other profile of the family (spec/profiles.md).
  const profiles = profilesOf(p.client)
    .filter((name) => name !== p.client)
    .map((profile) => ({ profile, rows: origins.map((o) => targets.map((t) => decideRow(decideIn, profile, o, t))) }));
  return { origins, columns, rows, profiles, accepted: acceptedBy(p.client, rows, profiles) };
}

/** One profile's decisions over the matrix's cells. */
export interface ProfileMatrix {
  profile: ProfileName;
  rows: DecisionRow[][];
}

/** Whether a client accepts what the server answered, and what it then grants over the matrix. */
export interface AcceptedBy {
  profile: ProfileName;
  /** It read a policy from the answer in at least one cell's decision. */
  accepted: boolean;
  /** Cells allowed, of `cells`. */
  allowed: number;
  cells: number;
  /** Cells where it decides otherwise than the family's reference (0 for the reference). */
  differs: number;
  /** When not accepted: the reason its first decision gives. */
  why?: string;
}

// WIRE-HARNESS-8
/** The "accepted by" summary of a matrix: the reference first, then every other profile of the family. */
export function acceptedBy(reference: ProfileName, rows: readonly DecisionRow[][], profiles: readonly ProfileMatrix[]): AcceptedBy[] {
  const summary = (profile: ProfileName, cells: readonly DecisionRow[][]): AcceptedBy => {
    const flat = cells.flat();
    const base = rows.flat();
    const out: AcceptedBy = {
      profile,
      accepted: flat.some((c) => c.readPolicy === true),
      allowed: flat.filter((c) => c.decision === 'allow').length,
      cells: flat.length,
      differs: flat.filter((c, i) => c.decision !== base[i]?.decision).length,
    };
    if (!out.accepted && flat[0] !== undefined) out.why = flat[0].reason;
    return out;
  };
  return [summary(reference, rows), ...profiles.map((m) => summary(m.profile, m.rows))];
}
