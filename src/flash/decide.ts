/**
 * Flash Player 10's decision procedure over a world snapshot (spec/flash/5–8): may a SWF loaded
 * from `origin` open a socket to, or load data from, `target`?
 *
 * The procedure is pure. What each policy location answered comes from the world; every location
 * consulted, what it answered, why its policy was used or ignored and the rule that matched go
 * into the trace, with the requirement IDs applied at each step. Anything that cannot be read
 * ends in deny (FLASH-URL-11).
 *
 * Functions are named after the steps of the procedure:
 * - sockets: {@link decideSocketConnection} → consult the master on 843 → apply its meta-policy →
 *   consult `loadPolicyFile` socket locations → consult the destination port;
 * - data loads: {@link decideDataLoad} → same origin → consult the master `/crossdomain.xml` →
 *   compute the meta-policy → consult `loadPolicyFile` URLs in scope → grant access and headers.
 *
 * A {@link FlashDecider} caches the fetch, parse and compile of each location, so that deciding
 * many requests over one world parses each policy once.
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';
import type { Decision, DecisionRequest, TraceEntry, TraceRule } from '../decision/types.js';
import {
  directoryOf,
  indexWorld,
  masterSocketLocation,
  masterUrlLocation,
  parseOriginUrl,
  parsePolicyLocation,
  parseTarget,
  resolveRedirect,
  socketLocationKey,
  type IndexedWorld,
  type OriginUrl,
  type SocketLocation,
  type SocketTarget,
  type UrlLocation,
  type UrlTarget,
} from '../world/locations.js';
import { responseHeader } from '../world/parse.js';
import { endedByClose, type WorldResponse, type WorldSnapshot } from '../world/world.js';
import {
  compileFlashPolicy,
  findAccessGrant,
  findHeaderGrants,
  HIGH_PORT_THRESHOLD,
  ruleOrigin,
  type CompiledAccessRule,
  type CompiledFlashPolicy,
  type CompiledHeaderRule,
  type RuleOrigin,
} from './compile.js';
import { effectiveMetaPolicy, mediaType, metaPolicyPermits, parseMetaPolicyHeader, type EffectiveMetaPolicy } from './meta.js';
import type { ElementSource, FlashPolicy } from './model.js';
import { parseFlashPolicy } from './parse.js';
import { extractSocketPolicyText } from './socket.js';

/** The most redirects followed for one policy location (a loop or a longer chain is unusable). */
export const MAX_POLICY_REDIRECTS = 5;

/** What fetching one policy location gave, after framing, status, type, parsing and compiling. */
export interface FetchedFlashPolicy {
  /** The location asked for. */
  requested: string;
  /** The location the policy finally came from (differs after a same-host redirect). */
  final: string;
  /** Short answer for the trace: `policy`, `invalid`, `missing`, `timeout`, `status 404`, … */
  answered: string;
  /** The compiled policy when the location served a usable one; otherwise `null`. */
  compiled: CompiledFlashPolicy | null;
  /** The response (after redirects), when there was one. */
  response: WorldResponse | undefined;
  /** Why the policy is unusable, when it is. */
  why: string;
  requirements: RequirementId[];
  diagnostics: Diagnostic[];
  /** For a URL location: the final location, for scope checks. */
  finalUrl?: UrlLocation;
}

/** Decides requests over one world, fetching, parsing and compiling each location at most once. */
export interface FlashDecider {
  /** Decides one request under the `flash` client profile. Never throws. */
  decide(request: DecisionRequest): Decision;
}

/** Creates a {@link FlashDecider} over a world snapshot (keys are normalised once here). */
export function createFlashDecider(world: WorldSnapshot): FlashDecider {
  const indexed = indexWorld(world);
  const cache = new Map<string, FetchedFlashPolicy>();
  const env: Env = {
    world: indexed,
    fetchSocket: (loc, master) => cached(cache, `s|${master ? 'm' : 'n'}|${loc.key}`, () => fetchSocketPolicy(indexed, loc, master)),
    fetchUrl: (loc, master) => cached(cache, `u|${master ? 'm' : 'n'}|${loc.key}`, () => fetchUrlPolicy(indexed, loc, master)),
  };
  return { decide: (request) => decideFlashRequest(request, env) };
}

/** Decides one request under the `flash` profile (Flash Player 10+, strict sockets). Pure; never throws. */
export function decideFlash(request: DecisionRequest, world: WorldSnapshot): Decision {
  return createFlashDecider(world).decide(request);
}

function cached(cache: Map<string, FetchedFlashPolicy>, key: string, make: () => FetchedFlashPolicy): FetchedFlashPolicy {
  let v = cache.get(key);
  if (v === undefined) cache.set(key, (v = make()));
  return v;
}

interface Env {
  world: IndexedWorld;
  fetchSocket(loc: SocketLocation, master: boolean): FetchedFlashPolicy;
  fetchUrl(loc: UrlLocation, master: boolean): FetchedFlashPolicy;
}

/** Builds decisions: collects the trace and ends it with allow or deny. */
class DecisionBuilder {
  readonly trace: TraceEntry[] = [];
  constructor(private readonly request: DecisionRequest) {}

  /** Policies that were found but could not help, for the reason of a denial. */
  private readonly obstacles: { why: string; requirements: RequirementId[] }[] = [];

  add(entry: TraceEntry): void {
    this.trace.push(entry);
  }

  /** Adds a step that explains a denial: a policy found but ignored, or one that could not grant. */
  obstacle(entry: TraceEntry, requirements: RequirementId[] = entry.requirements): void {
    this.trace.push(entry);
    this.obstacles.push({ why: `${entry.location ? `${entry.location}: ` : ''}${entry.why}`, requirements });
  }

  /** Denies, explaining with the obstacles met on the way. */
  deny(reason: string, requirements: RequirementId[]): Decision {
    const why = this.obstacles.length ? `${reason} (${this.obstacles.map((o) => o.why).join('; ')})` : reason;
    return this.finish('deny', why, null, null, [...new Set([...requirements, ...this.obstacles.flatMap((o) => o.requirements)])]);
  }

  finish(decision: 'allow' | 'deny', reason: string, location: string | null, rule: TraceRule | null, requirements: RequirementId[]): Decision {
    this.trace.push({ step: decision, ...(location !== null ? { location } : {}), why: reason, ...(rule ? { rule } : {}), requirements });
    return {
      decision,
      client: 'flash',
      origin: String(this.request.origin),
      target: String(this.request.target),
      reason,
      decidedBy: { location, rule, requirements },
      trace: this.trace,
    };
  }
}

/** The rule as the trace names it: element, attributes as written, line and column. */
export function traceRule(element: string, source: ElementSource | undefined, fallback: Record<string, string>): TraceRule {
  return {
    element,
    attributes: source ? { ...source.raw } : fallback,
    line: source?.location.line ?? 0,
    column: source?.location.column ?? 0,
  };
}

function accessRuleOf(r: CompiledAccessRule): TraceRule {
  const fallback: Record<string, string> = { domain: r.rule.domain };
  if (r.rule.secure !== null) fallback.secure = String(r.rule.secure);
  return traceRule('allow-access-from', r.rule.source, fallback);
}

function headerRuleOf(r: CompiledHeaderRule): TraceRule {
  return traceRule('allow-http-request-headers-from', r.rule.source, { domain: r.rule.domain, headers: r.rule.headers.join(',') });
}

function describeRule(rule: TraceRule): string {
  const attrs = Object.entries(rule.attributes)
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ');
  return `<${rule.element}${attrs ? ` ${attrs}` : ''}/>${rule.line > 0 ? ` (line ${rule.line}, column ${rule.column})` : ''}`;
}

/** Entry point of the `flash` profile: reads the request, then runs the socket or data-load procedure. */
function decideFlashRequest(request: DecisionRequest, env: Env): Decision {
  const b = new DecisionBuilder(request);
  // FLASH-URL-12: a request that cannot be read is denied, never thrown.
  if (typeof request?.origin !== 'string' || typeof request?.target !== 'string') {
    return b.finish('deny', 'the request has no origin or target string; denied', null, null, ['FLASH-URL-12']);
  }
  const origin = parseOriginUrl(request.origin);
  if (!origin.ok) {
    b.add({ step: 'invalid-request', why: origin.reason, requirements: ['FLASH-URL-12'] });
    return b.finish('deny', `${origin.reason}; denied`, null, null, ['FLASH-URL-12']);
  }
  const target = parseTarget(request.target);
  if (!target.ok) {
    b.add({ step: 'invalid-request', why: target.reason, requirements: ['FLASH-URL-12'] });
    return b.finish('deny', `${target.reason}; denied`, null, null, ['FLASH-URL-12']);
  }
  const loadPolicy = Array.isArray(request.loadPolicy) ? request.loadPolicy : [];
  const headers = Array.isArray(request.headers) ? request.headers.map(String) : [];
  return target.value.kind === 'socket'
    ? decideSocketConnection(b, env, origin.value, target.value, loadPolicy)
    : decideDataLoad(b, env, origin.value, target.value, loadPolicy, headers);
}

// ---------------------------------------------------------------------------------------------
// Sockets (spec/flash/6-sockets.md)
// ---------------------------------------------------------------------------------------------

/** Fetches a socket policy location from the world: framing (FLASH-SOCK-2), then parse and compile. */
export function fetchSocketPolicy(world: IndexedWorld, loc: SocketLocation, master: boolean): FetchedFlashPolicy {
  const base = { requested: loc.key, final: loc.key, compiled: null, diagnostics: [] as Diagnostic[] };
  const response = world.get(loc.key);
  if (response === undefined) {
    return { ...base, answered: 'missing', response, why: 'nothing listens there (connection refused)', requirements: [] };
  }
  if (response.error !== undefined) {
    return { ...base, answered: response.error, response, why: `the connection failed (${response.error})`, requirements: [] };
  }
  // FLASH-SOCK-2
  const framed = extractSocketPolicyText(response.body);
  // FLASH-SOCK-2: without a NUL only the server's close ends the read; a response still open (or
  // reset, or cut at the recorder's limit) is what the player had read so far, not a policy.
  if (framed.terminatedBy === 'close' && !endedByClose(response)) {
    return { ...base, answered: `unfinished (${response.end})`, response, why: `no NUL arrived and the server did not close the connection (the response ended by ${response.end}): the player never finished reading a policy`, requirements: ['FLASH-SOCK-2'] };
  }
  if (framed.text === null) {
    return { ...base, answered: 'empty', response, why: 'the response was empty: no policy', requirements: ['FLASH-SOCK-2'] };
  }
  const { policy, diagnostics } = parseFlashPolicy(framed.text, { kind: 'socket', master });
  if (policy === null) {
    return { ...base, answered: 'invalid', response, diagnostics, why: `the policy is malformed and grants nothing (${firstError(diagnostics)})`, requirements: ['FLASH-XML-1'] };
  }
  const compiled = compileFlashPolicy(policy, { kind: 'socket', servedFromPort: loc.port });
  const requirements: RequirementId[] = ['FLASH-SOCK-2'];
  return { ...base, answered: 'policy', response, compiled, diagnostics, why: framed.terminatedBy === 'nul' ? 'a policy, terminated by NUL' : 'a policy, ended by the server closing the connection', requirements };
}

function firstError(diagnostics: Diagnostic[]): string {
  const d = diagnostics.find((x) => x.severity === 'error') ?? diagnostics[0];
  return d ? `${d.requirement}: ${d.message}` : 'rejected';
}

/** The outcome of asking one socket policy for a grant. */
function consultSocketPolicy(
  b: DecisionBuilder,
  fetched: FetchedFlashPolicy,
  origin: RuleOrigin,
  target: SocketTarget,
  role: string,
  requirements: RequirementId[],
): CompiledAccessRule | null {
  const compiled = fetched.compiled!;
  const servedFrom = compiled.context.servedFromPort ?? 0;
  // FLASH-SOCK-7
  if (servedFrom >= HIGH_PORT_THRESHOLD && target.port < HIGH_PORT_THRESHOLD) {
    b.obstacle(
      {
        step: 'no-match',
        location: fetched.final,
        used: false,
        why: `${role} is served from port ${servedFrom} (1024 or higher), so it can grant only ports 1024 and higher, not ${target.port}`,
        requirements: [...requirements, 'FLASH-SOCK-7'],
      },
      ['FLASH-SOCK-7'],
    );
    return null;
  }
  const grant = findAccessGrant(compiled, origin, target.port);
  if (grant) {
    b.add({ step: 'match', location: fetched.final, used: true, why: `${role} grants port ${target.port} to this origin`, rule: accessRuleOf(grant), requirements: [...requirements, ...grantRequirements(grant, true)] });
  } else {
    b.add({ step: 'no-match', location: fetched.final, used: false, why: `${role} has no allow-access-from granting port ${target.port} to this origin`, requirements: [...requirements, 'FLASH-PORT-5'] });
  }
  return grant;
}

/** The requirements a granting rule rests on: its domain form, `secure`, ports. */
function grantRequirements(r: CompiledAccessRule, socket: boolean): RequirementId[] {
  const dom: Record<string, RequirementId> = { any: 'FLASH-DOM-1', name: 'FLASH-DOM-2', suffix: 'FLASH-DOM-3', ip: 'FLASH-DOM-5', invalid: 'FLASH-DOM-6' };
  const out: RequirementId[] = [dom[r.pattern.kind]!];
  if (socket) out.push('FLASH-PORT-5', 'FLASH-SEC-3');
  else out.push('FLASH-URL-9');
  return out;
}

function fetchEntry(fetched: FetchedFlashPolicy, used: boolean, why: string, requirements: RequirementId[]): TraceEntry {
  const e: TraceEntry = { step: 'fetch', location: fetched.requested, answered: fetched.answered, used, why, requirements };
  if (fetched.diagnostics.length > 0) e.diagnostics = fetched.diagnostics;
  return e;
}

// FLASH-SOCK-3
/**
 * Socket connections (FLASH-SOCK-3 … FLASH-SOCK-8): every connection needs a socket policy, even
 * to the SWF's own host. The master on 843 first; then `loadPolicyFile` socket locations of the
 * target host; then the destination port — the last two only when the master's meta-policy
 * admits non-master policies.
 */
function decideSocketConnection(
  b: DecisionBuilder,
  env: Env,
  originUrl: OriginUrl,
  target: SocketTarget,
  loadPolicy: readonly unknown[],
): Decision {
  const origin = ruleOrigin(originUrl.host, originUrl.scheme);
  const requirementsBase: RequirementId[] = ['FLASH-SOCK-3'];

  // FLASH-SOCK-4: the master socket policy on port 843 of the target host.
  const masterLoc = masterSocketLocation(target.host);
  const master = env.fetchSocket(masterLoc, true);
  let meta: EffectiveMetaPolicy | null = null;
  if (master.compiled === null) {
    // FLASH-SOCK-5: no usable master (nothing listening, the 3-second wait expired, empty,
    // malformed): fall back as if port 843 did not exist, with the socket default `all`.
    const waited = master.answered === 'timeout' ? 'no answer within the 3-second wait' : master.why;
    b.add(fetchEntry(master, false, `master socket policy: ${waited}; no master, so fall back to the other locations`, [...requirementsBase, 'FLASH-SOCK-4', 'FLASH-SOCK-5', ...master.requirements]));
  } else {
    meta = effectiveMetaPolicy(master.compiled.policy, undefined, { kind: 'socket' });
    b.add(fetchEntry(master, true, 'master socket policy found on port 843', [...requirementsBase, 'FLASH-SOCK-4', ...master.requirements]));
    b.add({ step: 'meta-policy', location: masterLoc.key, why: meta.notes.join('; '), requirements: ['FLASH-SOCK-6', ...meta.requirements] });
    // FLASH-SOCK-6, FLASH-META-2
    if (meta.value === 'none') {
      return b.finish('deny', `the master socket policy ${masterLoc.key} declares meta-policy 'none': no socket connection to ${target.host} is allowed`, masterLoc.key, null, ['FLASH-SOCK-6', 'FLASH-META-2']);
    }
    const grant = consultSocketPolicy(b, master, origin, target, 'the master socket policy', ['FLASH-SOCK-4']);
    if (grant) return allowByRule(b, master.final, accessRuleOf(grant), ['FLASH-SOCK-4', ...grantRequirements(grant, true)], `the master socket policy grants port ${target.port}`);
    // FLASH-SOCK-6, FLASH-META-3
    if (meta.value === 'master-only') {
      return b.finish('deny', `the master socket policy ${masterLoc.key} does not grant port ${target.port}, and its meta-policy 'master-only' rules out every other socket policy`, masterLoc.key, null, ['FLASH-SOCK-6', 'FLASH-META-3']);
    }
  }

  const consulted = new Set<string>([masterLoc.key]);
  // FLASH-SOCK-8: socket policy locations named by Security.loadPolicyFile, in call order.
  for (const raw of loadPolicy) {
    const text = String(raw);
    const parsed = parsePolicyLocation(text);
    if (!parsed.ok || parsed.value.kind !== 'socket') {
      b.add({ step: 'ignore', location: text, used: false, why: parsed.ok ? 'a URL policy never authorizes a socket connection' : `not a policy location: ${parsed.reason}`, requirements: parsed.ok ? ['FLASH-SOCK-3'] : ['FLASH-SOCK-8'] });
      continue;
    }
    const loc = parsed.value;
    if (loc.host !== target.host) {
      b.add({ step: 'ignore', location: loc.key, used: false, why: `applies only to connections to ${loc.host}, not ${target.host}`, requirements: ['FLASH-SOCK-8'] });
      continue;
    }
    if (consulted.has(loc.key)) {
      b.add({ step: 'ignore', location: loc.key, used: false, why: 'already consulted', requirements: ['FLASH-SOCK-8'] });
      continue;
    }
    consulted.add(loc.key);
    const fetched = env.fetchSocket(loc, false);
    if (fetched.compiled === null) {
      const why = fetched.answered === 'timeout' ? 'no answer (loadPolicyFile waits without the 3-second limit, so this means no policy)' : fetched.why;
      b.add(fetchEntry(fetched, false, `loadPolicyFile socket policy: ${why}`, ['FLASH-SOCK-8', ...fetched.requirements]));
      continue;
    }
    b.add(fetchEntry(fetched, true, 'loadPolicyFile socket policy found', ['FLASH-SOCK-8', 'FLASH-SOCK-9', ...fetched.requirements]));
    const grant = consultSocketPolicy(b, fetched, origin, target, "the policy named by loadPolicyFile", ['FLASH-SOCK-8']);
    if (grant) return allowByRule(b, fetched.final, accessRuleOf(grant), ['FLASH-SOCK-8', ...grantRequirements(grant, true)], `the loadPolicyFile socket policy on port ${loc.port} grants port ${target.port}`);
  }

  // FLASH-SOCK-5: the destination port itself.
  const destKey = socketLocationKey(target.host, target.port);
  if (consulted.has(destKey)) {
    b.add({ step: 'ignore', location: destKey, used: false, why: 'the destination port was already consulted', requirements: ['FLASH-SOCK-5'] });
  } else {
    const dest = env.fetchSocket({ kind: 'socket', host: target.host, port: target.port, key: destKey }, false);
    if (dest.compiled === null) {
      b.add(fetchEntry(dest, false, `socket policy on the destination port: ${dest.why}`, ['FLASH-SOCK-5', ...dest.requirements]));
    } else {
      b.add(fetchEntry(dest, true, 'socket policy found on the destination port', ['FLASH-SOCK-5', 'FLASH-SOCK-9', ...dest.requirements]));
      const grant = consultSocketPolicy(b, dest, origin, target, 'the destination port policy', ['FLASH-SOCK-5']);
      if (grant) return allowByRule(b, dest.final, accessRuleOf(grant), ['FLASH-SOCK-5', ...grantRequirements(grant, true)], `the socket policy on the destination port grants port ${target.port}`);
    }
  }
  return b.deny(`no socket policy grants ${originUrl.href} a connection to ${target.host}:${target.port}`, ['FLASH-SOCK-3']);
}

function allowByRule(b: DecisionBuilder, location: string, rule: TraceRule, requirements: RequirementId[], what: string): Decision {
  return b.finish('allow', `${what}: ${describeRule(rule)} at ${location}`, location, rule, requirements);
}

// ---------------------------------------------------------------------------------------------
// URL policies and data loads (spec/flash/7-meta-policies.md, 8-url-policies.md)
// ---------------------------------------------------------------------------------------------

// FLASH-URL-7
/** Whether a `Content-Type` is one a URL policy may be served with: `text/*`, `application/xml`, `application/xhtml+xml`. */
export function isAcceptedPolicyContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const t = mediaType(contentType);
  return (t.startsWith('text/') && t.length > 5) || t === 'application/xml' || t === 'application/xhtml+xml';
}

/**
 * Fetches a URL policy location from the world: redirects (FLASH-URL-8), status (FLASH-URL-6),
 * `none-this-response` (FLASH-META-7), content type (FLASH-URL-7), then parse and compile.
 */
export function fetchUrlPolicy(world: IndexedWorld, requested: UrlLocation, master: boolean): FetchedFlashPolicy {
  const requirements: RequirementId[] = [];
  let loc = requested;
  const seen = new Set<string>([loc.key]);
  const fail = (answered: string, why: string, reqs: RequirementId[], response?: WorldResponse, diagnostics: Diagnostic[] = []): FetchedFlashPolicy => ({
    requested: requested.key,
    final: loc.key,
    answered,
    compiled: null,
    response,
    why,
    requirements: [...requirements, ...reqs],
    diagnostics,
    finalUrl: loc,
  });
  let response: WorldResponse | undefined;
  for (let hops = 0; ; hops++) {
    response = world.get(loc.key);
    // FLASH-URL-6
    if (response === undefined) return fail('status 404', `${loc.key} is not there (404): no policy`, ['FLASH-URL-6']);
    if (response.error !== undefined) return fail(response.error, `the request failed (${response.error}): no policy`, ['FLASH-URL-6'], response);
    const status = response.status ?? 200;
    const redirectTo = status >= 300 && status < 400 ? responseHeader(response, 'location') : undefined;
    if (redirectTo === undefined) {
      if (status !== 200) return fail(`status ${status}`, `HTTP status ${status}, not 200: no policy`, ['FLASH-URL-6'], response);
      // FLASH-URL-6: a body that did not complete is a failed load, not a shorter policy.
      if (!endedByClose(response)) return fail(`unfinished (${response.end})`, `the response body did not complete (it ended by ${response.end}): no policy`, ['FLASH-URL-6'], response);
      break;
    }
    // FLASH-URL-8
    const next = resolveRedirect(loc, redirectTo);
    if (!next.ok) return fail('redirect', `${next.reason}: no policy`, ['FLASH-URL-8'], response);
    if (next.value.host !== requested.host) {
      return fail('redirect', `redirected to another host (${next.value.key}): the policy is unusable`, ['FLASH-URL-8'], response);
    }
    if (seen.has(next.value.key) || hops + 1 > MAX_POLICY_REDIRECTS) {
      return fail('redirect', `redirect loop or more than ${MAX_POLICY_REDIRECTS} redirects: no policy`, ['FLASH-URL-8'], response);
    }
    seen.add(next.value.key);
    requirements.push('FLASH-URL-8');
    loc = next.value;
  }
  // FLASH-META-7
  const xpcdp = responseHeader(response, 'x-permitted-cross-domain-policies');
  if (xpcdp !== undefined && parseMetaPolicyHeader(xpcdp).noneThisResponse) {
    return fail('none-this-response', 'the response says X-Permitted-Cross-Domain-Policies: none-this-response: not used as a policy', ['FLASH-META-7'], response);
  }
  // FLASH-URL-7
  if (!isAcceptedPolicyContentType(response.contentType)) {
    const got = response.contentType === undefined ? 'no Content-Type' : `Content-Type '${response.contentType}'`;
    return fail('content-type', `${got} is not an accepted policy type (text/*, application/xml, application/xhtml+xml): no policy`, ['FLASH-URL-7'], response);
  }
  const { policy, diagnostics } = parseFlashPolicy(response.body, { kind: 'url', scheme: loc.scheme, master });
  if (policy === null) {
    return fail('invalid', `the policy is malformed and grants nothing (${firstError(diagnostics)})`, ['FLASH-XML-1'], response, diagnostics);
  }
  const compiled = compileFlashPolicy(policy, { kind: 'url', scheme: loc.scheme });
  return {
    requested: requested.key,
    final: loc.key,
    answered: 'policy',
    compiled,
    response,
    why: loc.key === requested.key ? 'a policy' : `a policy, after a same-host redirect to ${loc.key}`,
    requirements: [...requirements, 'FLASH-URL-7'],
    diagnostics,
    finalUrl: loc,
  };
}

/** How many times FLASH-URL-13 percent-decodes a path; an escape still left after that is refused. */
export const MAX_PATH_DECODE_ROUNDS = 3;

/** What a decoding server could read in a path that the URL parser did not (FLASH-URL-13). */
export interface EncodedPathEscape {
  /** `separator`: an encoded `/` or `\`; `dot-segment`: a segment that decodes to `.` or `..`; `depth`: still encoded after {@link MAX_PATH_DECODE_ROUNDS} rounds. */
  kind: 'separator' | 'dot-segment' | 'depth';
  /** The path as it reads after the decoding round that showed it. */
  decoded: string;
}

const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;

function countSeparators(path: string): number {
  let n = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0x2f || c === 0x5c) n++;
  }
  return n;
}

// FLASH-URL-13
/**
 * Whether a (URL-normalised) request path reads differently to a server that percent-decodes it,
 * once or again: a decoding round that yields a new `/` or `\` (`..%2f`, `%5c`, `%252f`) or a
 * `.`/`..` segment (`%252e%252e`), or an escape still left after {@link MAX_PATH_DECODE_ROUNDS}
 * rounds. `null` when decoding changes no segment boundary and makes no dot segment.
 */
export function encodedPathEscape(path: string): EncodedPathEscape | null {
  const separators = countSeparators(path);
  let current = path;
  for (let round = 0; round < MAX_PATH_DECODE_ROUNDS; round++) {
    if (!PERCENT_ESCAPE.test(current)) return null;
    // One round of percent-decoding, byte for byte; only '/', '\\' and '.' matter here.
    const next = current.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (countSeparators(next) > separators) return { kind: 'separator', decoded: next };
    if (next.split(/[/\\]/).some((segment) => segment === '.' || segment === '..')) return { kind: 'dot-segment', decoded: next };
    current = next;
  }
  return PERCENT_ESCAPE.test(current) ? { kind: 'depth', decoded: current } : null;
}

const ESCAPE_WHY: Readonly<Record<EncodedPathEscape['kind'], string>> = {
  separator: 'holds an encoded "/" or "\\"',
  'dot-segment': 'holds an encoded "." or ".." segment',
  depth: `is still percent-encoded after ${MAX_PATH_DECODE_ROUNDS} rounds of decoding`,
};

// FLASH-URL-3, FLASH-URL-4, FLASH-URL-13
/** Whether a URL policy at `policy` covers `target`: same scheme, host and port, and within its directory subtree. */
export function policyCoversTarget(policy: UrlLocation, target: UrlTarget): { covers: boolean; why: string; requirement: RequirementId } {
  if (policy.scheme !== target.scheme || policy.host !== target.host || policy.port !== target.port) {
    return { covers: false, why: `a policy at ${policy.key} applies only to ${policy.scheme}://${policy.host}:${policy.port}, not to ${target.scheme}://${target.host}:${target.port}`, requirement: 'FLASH-URL-3' };
  }
  const dir = directoryOf(policy.path);
  if (!target.path.startsWith(dir)) {
    return { covers: false, why: `a policy at ${policy.key} applies only below ${dir}, not to ${target.path}`, requirement: 'FLASH-URL-4' };
  }
  // FLASH-URL-13: below the root, a path that a decoding server may read as another directory is
  // not in scope (fail closed; Flash's own behaviour is unverified).
  if (dir !== '/') {
    const escape = encodedPathEscape(target.path);
    if (escape !== null) {
      return { covers: false, why: `a policy at ${policy.key} applies only below ${dir}; ${target.path} ${ESCAPE_WHY[escape.kind]} (decoded: ${JSON.stringify(escape.decoded)}), which a server that decodes it may serve from outside ${dir}`, requirement: 'FLASH-URL-13' };
    }
  }
  return { covers: true, why: `covers ${target.path} (below ${dir})`, requirement: 'FLASH-URL-4' };
}

/**
 * Data loads (FLASH-URL-*): same origin needs no policy; otherwise the master `/crossdomain.xml`
 * sets the meta-policy and may grant; `loadPolicyFile` URLs in scope may grant when the
 * meta-policy honours them; request headers each need an `allow-http-request-headers-from`.
 */
function decideDataLoad(
  b: DecisionBuilder,
  env: Env,
  originUrl: OriginUrl,
  target: UrlTarget,
  loadPolicy: readonly unknown[],
  headers: readonly string[],
): Decision {
  // FLASH-URL-2
  if (originUrl.scheme === target.scheme && originUrl.host === target.host && originUrl.port === target.port) {
    b.add({ step: 'same-origin', why: `the SWF and ${target.href} share scheme, host and port: no policy is needed`, requirements: ['FLASH-URL-2'] });
    return b.finish('allow', `same origin: ${target.scheme}://${target.host}:${target.port} loads its own data without a policy`, null, null, ['FLASH-URL-2']);
  }
  const origin = ruleOrigin(originUrl.host, originUrl.scheme);

  // FLASH-URL-1: the master policy, at /crossdomain.xml of the target's scheme, host and port.
  const masterLoc = masterUrlLocation(target);
  const master = env.fetchUrl(masterLoc, true);
  let meta: EffectiveMetaPolicy;
  if (master.compiled === null) {
    meta = effectiveMetaPolicy(null, undefined, { kind: 'url', scheme: target.scheme });
    b.obstacle(fetchEntry(master, false, `master policy: ${master.why}`, ['FLASH-URL-1', ...master.requirements]), master.requirements);
  } else {
    meta = effectiveMetaPolicy(master.compiled.policy, master.response ? responseHeader(master.response, 'x-permitted-cross-domain-policies') : undefined, { kind: 'url', scheme: target.scheme });
    b.add(fetchEntry(master, true, `master policy: ${master.why}`, ['FLASH-URL-1', ...master.requirements]));
  }
  b.add({ step: 'meta-policy', location: masterLoc.key, why: meta.notes.join('; '), requirements: meta.requirements.length ? meta.requirements : ['FLASH-META-1'] });
  // FLASH-META-2
  if (meta.value === 'none') {
    return b.finish('deny', `the master policy ${masterLoc.key} declares meta-policy 'none': no policy file of ${target.host} is honoured`, masterLoc.key, null, ['FLASH-META-2']);
  }

  // Candidate policies in the order the player consults them: the master, then loadPolicyFile URLs.
  const honoured: FetchedFlashPolicy[] = [];
  if (master.compiled !== null) {
    const scope = policyCoversTarget(master.finalUrl!, target);
    if (scope.covers) honoured.push(master);
    else b.obstacle({ step: 'ignore', location: master.final, used: false, why: scope.why, requirements: [scope.requirement, 'FLASH-URL-8'] });
  }

  let accessGrant: { fetched: FetchedFlashPolicy; rule: CompiledAccessRule } | null = null;
  const headerGrants: (({ fetched: FetchedFlashPolicy; rule: CompiledHeaderRule }) | null)[] = headers.map(() => null);
  const satisfied = (): boolean => accessGrant !== null && headerGrants.every((g) => g !== null);
  const consult = (fetched: FetchedFlashPolicy, role: string): void => {
    const compiled = fetched.compiled!;
    if (accessGrant === null) {
      const grant = findAccessGrant(compiled, origin);
      if (grant) {
        accessGrant = { fetched, rule: grant };
        b.add({ step: 'match', location: fetched.final, used: true, why: `${role} grants access to this origin`, rule: accessRuleOf(grant), requirements: grantRequirements(grant, false) });
      } else {
        const secureNote = originUrl.scheme !== 'https' && compiled.context.scheme === 'https';
        const entry: TraceEntry = { step: 'no-match', location: fetched.final, used: false, why: `${role} has no allow-access-from matching this origin${secureNote ? ' (over HTTPS, secure defaults to true: a non-HTTPS SWF needs secure="false")' : ''}`, requirements: secureNote ? ['FLASH-URL-9', 'FLASH-SEC-2'] : ['FLASH-URL-9'] };
        if (secureNote) b.obstacle(entry, ['FLASH-SEC-2']);
        else b.add(entry);
      }
    }
    const pending = headers.map((h, i) => (headerGrants[i] === null ? h : null));
    if (pending.some((h) => h !== null)) {
      const found = findHeaderGrants(compiled, origin, pending.map((h) => h ?? ''));
      found.forEach((g, i) => {
        if (pending[i] !== null && g !== null) {
          headerGrants[i] = { fetched, rule: g };
          b.add({ step: 'match', location: fetched.final, used: true, why: `${role} allows sending header ${headers[i]}`, rule: headerRuleOf(g), requirements: ['FLASH-URL-10', 'FLASH-SEC-4'] });
        }
      });
    }
  };

  for (const fetched of honoured) consult(fetched, 'the master policy');

  // FLASH-URL-5: loadPolicyFile URLs, honoured only as the meta-policy allows.
  for (const raw of loadPolicy) {
    if (satisfied()) break;
    const text = String(raw);
    const parsed = parsePolicyLocation(text);
    if (!parsed.ok || parsed.value.kind !== 'url') {
      b.add({ step: 'ignore', location: text, used: false, why: parsed.ok ? 'a socket policy never authorizes a data load' : `not a policy location: ${parsed.reason}`, requirements: ['FLASH-URL-5'] });
      continue;
    }
    const loc = parsed.value;
    const scope = policyCoversTarget(loc, target);
    if (!scope.covers) {
      b.obstacle({ step: 'ignore', location: loc.key, used: false, why: scope.why, requirements: [scope.requirement, 'FLASH-URL-5'] }, [scope.requirement]);
      continue;
    }
    if (loc.key === masterLoc.key) {
      b.add({ step: 'ignore', location: loc.key, used: false, why: 'this is the master policy, already consulted', requirements: ['FLASH-URL-5'] });
      continue;
    }
    const fetched = env.fetchUrl(loc, false);
    if (fetched.compiled === null) {
      b.add(fetchEntry(fetched, false, `loadPolicyFile policy: ${fetched.why}`, ['FLASH-URL-5', ...fetched.requirements]));
      continue;
    }
    const permit = metaPolicyPermits(meta.value, { master: false, contentType: fetched.response?.contentType, path: fetched.finalUrl!.path });
    if (!permit.permitted) {
      b.obstacle(fetchEntry(fetched, false, `loadPolicyFile policy ignored: ${permit.why}`, ['FLASH-URL-5', permit.requirement]), [permit.requirement]);
      continue;
    }
    const rescope = policyCoversTarget(fetched.finalUrl!, target);
    if (!rescope.covers) {
      b.obstacle(fetchEntry(fetched, false, `loadPolicyFile policy ignored after its redirect: ${rescope.why}`, ['FLASH-URL-8', rescope.requirement]));
      continue;
    }
    b.add(fetchEntry(fetched, true, `loadPolicyFile policy honoured: ${permit.why}; ${rescope.why}`, ['FLASH-URL-5', permit.requirement, 'FLASH-META-8', ...fetched.requirements]));
    consult(fetched, `the policy at ${fetched.final}`);
  }

  const grant = accessGrant as { fetched: FetchedFlashPolicy; rule: CompiledAccessRule } | null;
  if (grant === null) {
    return b.deny(`no policy in scope grants ${originUrl.href} access to ${target.href}`, ['FLASH-URL-9', 'FLASH-URL-11']);
  }
  const missing = headers.filter((_, i) => headerGrants[i] === null);
  if (missing.length > 0) {
    return b.finish('deny', `access is granted by ${grant.fetched.final}, but no policy in scope allows sending header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, grant.fetched.final, null, ['FLASH-URL-10']);
  }
  const rule = accessRuleOf(grant.rule);
  return allowByRule(b, grant.fetched.final, rule, grantRequirements(grant.rule, false), `${grant.fetched === master ? 'the master policy' : 'the policy'} grants access`);
}
