/**
 * The `silverlight` client profile of the decision function (spec/silverlight/6-http.md,
 * 7-flash-subset.md, 8-sockets.md): Silverlight 4/5 in the browser, without elevated trust.
 *
 * Pure: what each policy location answered comes from the world snapshot. Each location is
 * fetched, parsed and compiled at most once per {@link createSilverlightDecider}; a compiled policy
 * indexes its `allow-from` elements by the shape of their domains, so the cost of a decision does
 * not grow with the number of rules that cannot match the caller. Never throws: a request that
 * cannot be read is denied with a trace entry saying why (fail closed).
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';
import type { Decision, DecisionRequest, TraceEntry, TraceRule } from '../decision/types.js';
import { endedByClose, type WorldResponse, type WorldSnapshot } from '../world/world.js';
import { classifyDomainUri, defaultPort, matchDomainPattern, parseCaller, type SilverlightCaller, type SilverlightDomainPattern } from './domains.js';
import { parseSilverlightFlashSubset, SILVERLIGHT_ACCEPTED_META_POLICIES } from './flash-subset.js';
import { disallowedHeaders, isHeaderAllowed, isMethodAllowed } from './headers.js';
import {
  SILVERLIGHT_MAX_SOCKET_PORT,
  SILVERLIGHT_MIN_SOCKET_PORT,
  SILVERLIGHT_POLICY_PORT,
  type SilverlightAllowFrom,
  type SilverlightElementSource,
  type SilverlightFlashSubset,
  type SilverlightPolicy,
  type SilverlightPolicyEntry,
  type SilverlightSocketResource,
} from './model.js';
import { parseSilverlightPolicy } from './parse.js';
import { findForbiddenPathSequence, isWholeSiteGrant, localRequestPath, matchResourcePath, rawRequestPath, unresolvedRequestPath } from './paths.js';

/** A Silverlight decider over one world (same shape as the Flash one). */
export interface SilverlightDecider {
  /** Decides one request with the `silverlight` profile. Pure; never throws. */
  decide(request: DecisionRequest): Decision;
}

/** One `allow-from` of a compiled policy, with its position for document order. */
export interface CompiledAllowFrom {
  policyIndex: number;
  allowFromIndex: number;
  entry: SilverlightPolicyEntry;
  allowFrom: SilverlightAllowFrom;
  /** The domain (as written) that put it in this index bucket. */
  uri: string;
  domainSource: SilverlightElementSource | undefined;
  /**
   * The TCP ports its `<policy>` grants, as bits of `port - 4502` (bit 32, port 4534, in
   * `portsHigh`): a refused port is answered without walking the grant objects.
   */
  portsLow: number;
  portsHigh: number;
}

/** The socket-port bits of a `<policy>` (see {@link CompiledAllowFrom.portsLow}). */
function portBits(entry: SilverlightPolicyEntry): { portsLow: number; portsHigh: number } {
  let portsLow = 0;
  let portsHigh = 0;
  for (const gt of entry.grantTo) {
    for (const r of gt.socketResources) {
      for (let p = Math.max(r.from, SILVERLIGHT_MIN_SOCKET_PORT); p <= Math.min(r.to, SILVERLIGHT_MAX_SOCKET_PORT); p++) {
        const bit = p - SILVERLIGHT_MIN_SOCKET_PORT;
        if (bit < 32) portsLow |= 1 << bit;
        else portsHigh = 1;
      }
    }
  }
  return { portsLow, portsHigh };
}

function grantsPort(a: CompiledAllowFrom, port: number): boolean {
  const bit = port - SILVERLIGHT_MIN_SOCKET_PORT;
  if (bit < 0 || bit > 32) return false;
  return bit < 32 ? (a.portsLow & (1 << bit)) !== 0 : a.portsHigh !== 0;
}

/** The index of one scheme and port: exact roots, exact applications and subdomain suffixes. */
export interface OriginBuckets {
  /** Exact roots, keyed by host. */
  root: Map<string, CompiledAllowFrom[]>;
  /** Exact applications, keyed by host, then path. */
  application: Map<string, Map<string, CompiledAllowFrom[]>>;
  /** `scheme://*.suffix[:port]`, keyed by suffix. */
  subdomains: Map<string, CompiledAllowFrom[]>;
  /** The label counts of the suffixes in `subdomains`: only caller suffixes of these lengths are looked up. */
  suffixLabels: Set<number>;
}

/** A policy with its `allow-from` elements indexed by the shape of their domains. */
export interface CompiledSilverlightPolicy {
  policy: SilverlightPolicy;
  /** `*`. */
  any: CompiledAllowFrom[];
  /** `file:///`. */
  file: CompiledAllowFrom[];
  /** `http://*` / `https://*`, keyed by scheme. */
  scheme: Map<string, CompiledAllowFrom[]>;
  /** Everything naming a host, by scheme, then by port. */
  byOrigin: { http: Map<number, OriginBuckets>; https: Map<number, OriginBuckets> };
  /** Whether the policy is the whole-site grant exempt from SL-PATH-5 (SL-PATH-6). */
  wholeSite: boolean;
  /**
   * A 65,536-bit membership filter over every host and suffix key of `byOrigin`. With thousands
   * of rules a `Map` miss costs cache misses; most callers miss, and the filter (8 KiB, stays in
   * cache) answers most misses without touching the maps.
   */
  hostFilter: Uint32Array;
}

/** A 16-bit hash of a key from its length and a few of its characters (for the host filter). */
function hostHash(key: string): number {
  const n = key.length;
  let h = Math.imul(n, 0x9e3779b1);
  h = Math.imul(h ^ key.charCodeAt(0), 0x85ebca6b);
  h = Math.imul(h ^ key.charCodeAt(n >> 1), 0xc2b2ae35);
  h = Math.imul(h ^ key.charCodeAt(n - 1), 0x27d4eb2f);
  h = Math.imul(h ^ key.charCodeAt(n >> 2), 0x165667b1);
  return (h ^ (h >>> 16)) & 0xffff;
}

function filterAddHost(filter: Uint32Array, key: string): void {
  const h = hostHash(key);
  filter[h >>> 5] = (filter[h >>> 5] as number) | (1 << (h & 31));
}

function filterMayHaveHost(filter: Uint32Array, key: string): boolean {
  const h = hostHash(key);
  return ((filter[h >>> 5] as number) & (1 << (h & 31))) !== 0;
}

function bucketsFor(c: CompiledSilverlightPolicy, scheme: 'http' | 'https', port: number): OriginBuckets {
  const ports = c.byOrigin[scheme];
  let b = ports.get(port);
  if (b === undefined) {
    b = { root: new Map(), application: new Map(), subdomains: new Map(), suffixLabels: new Set() };
    ports.set(port, b);
  }
  return b;
}

function labelCount(host: string): number {
  let n = 1;
  for (let i = host.indexOf('.'); i >= 0; i = host.indexOf('.', i + 1)) n++;
  return n;
}

/** Indexes a policy's `allow-from` elements by domain shape (document order kept in every bucket). */
export function compileSilverlightPolicy(policy: SilverlightPolicy): CompiledSilverlightPolicy {
  const c: CompiledSilverlightPolicy = { policy, any: [], file: [], scheme: new Map(), byOrigin: { http: new Map(), https: new Map() }, wholeSite: isWholeSiteGrant(policy), hostFilter: new Uint32Array(2048) };
  policy.policies.forEach((entry, policyIndex) => {
    entry.allowFrom.forEach((allowFrom, allowFromIndex) => {
      let item: CompiledAllowFrom | null = null;
      for (const d of allowFrom.domains) {
        const p: SilverlightDomainPattern = classifyDomainUri(d.uri);
        if (p.kind === 'never') continue;
        // One item per allow-from, so a bucket never holds the same allow-from twice in a row.
        item ??= { policyIndex, allowFromIndex, entry, allowFrom, uri: d.uri, domainSource: d.source, ...portBits(entry) };
        const it: CompiledAllowFrom = item.uri === d.uri ? item : { ...item, uri: d.uri, domainSource: d.source };
        switch (p.kind) {
          case 'any':
            if (c.any[c.any.length - 1]?.allowFrom !== allowFrom) c.any.push(it);
            break;
          case 'file':
            if (c.file[c.file.length - 1]?.allowFrom !== allowFrom) c.file.push(it);
            break;
          case 'scheme':
            pushOnce(c.scheme, p.scheme, it);
            break;
          case 'root':
            pushOnce(bucketsFor(c, p.scheme, p.port).root, p.host, it);
            filterAddHost(c.hostFilter, p.host);
            break;
          case 'application': {
            const apps = bucketsFor(c, p.scheme, p.port).application;
            let byPath = apps.get(p.host);
            if (byPath === undefined) apps.set(p.host, (byPath = new Map()));
            pushOnce(byPath, p.path, it);
            filterAddHost(c.hostFilter, p.host);
            break;
          }
          case 'subdomains': {
            const b = bucketsFor(c, p.scheme, p.port);
            pushOnce(b.subdomains, p.suffix, it);
            b.suffixLabels.add(labelCount(p.suffix));
            filterAddHost(c.hostFilter, p.suffix);
            break;
          }
        }
      }
    });
  });
  return c;
}

/** Appends unless the bucket's last item is the same `allow-from` (document order is kept). */
function pushOnce(map: Map<string, CompiledAllowFrom[]>, key: string, value: CompiledAllowFrom): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (list[list.length - 1]?.allowFrom !== value.allowFrom) list.push(value);
}

/** Reused by {@link admittingAllowFroms}, which never calls out while filling it. */
const SCRATCH: CompiledAllowFrom[][] = [];
const EMPTY: readonly CompiledAllowFrom[] = [];

/** The non-empty buckets that may admit `caller`; each is in document order. */
function candidateBuckets(c: CompiledSilverlightPolicy, caller: SilverlightCaller, out: CompiledAllowFrom[][]): void {
  if (c.any.length > 0) out.push(c.any);
  if (caller.scheme === 'file') {
    if (c.file.length > 0) out.push(c.file);
    return;
  }
  // SL-DOM-3: scheme wildcards only on the scheme's default port.
  if (caller.port === defaultPort(caller.scheme)) {
    const s = c.scheme.get(caller.scheme);
    if (s !== undefined) out.push(s);
  }
  const b = c.byOrigin[caller.scheme].get(caller.port);
  if (b === undefined) return;
  const filter = c.hostFilter;
  const hostMaybe = filterMayHaveHost(filter, caller.host);
  const root = hostMaybe ? b.root.get(caller.host) : undefined;
  if (root !== undefined) out.push(root);
  if (hostMaybe && b.application.size > 0) {
    const app = b.application.get(caller.host)?.get(caller.path);
    if (app !== undefined) out.push(app);
  }
  // SL-DOM-7: every proper dot-suffix of the caller's host (dot boundary, never the host itself).
  if (b.subdomains.size > 0) {
    const host = caller.host;
    let labels = labelCount(host);
    const suffixes = caller.suffixes;
    if (suffixes !== undefined) {
      // Suffixes precomputed by parseCaller: no string is built per decision.
      for (const suffix of suffixes) {
        labels--;
        if (!b.suffixLabels.has(labels) || !filterMayHaveHost(filter, suffix)) continue;
        const sub = b.subdomains.get(suffix);
        if (sub !== undefined) out.push(sub);
      }
    } else {
      for (let i = host.indexOf('.'); i >= 0; i = host.indexOf('.', i + 1)) {
        labels--;
        if (!b.suffixLabels.has(labels)) continue;
        const suffix = host.slice(i + 1);
        if (!filterMayHaveHost(filter, suffix)) continue;
        const sub = b.subdomains.get(suffix);
        if (sub !== undefined) out.push(sub);
      }
    }
  }
}

/**
 * The `allow-from` elements admitting `caller`, in document order, each once (SL-DOM-2 … SL-DOM-10).
 */
export function admittingAllowFroms(c: CompiledSilverlightPolicy, caller: SilverlightCaller): readonly CompiledAllowFrom[] {
  const buckets = SCRATCH;
  buckets.length = 0;
  candidateBuckets(c, caller, buckets);
  if (buckets.length === 0) return EMPTY;
  // The common case: one bucket, already in document order (returned as is; callers only read it).
  if (buckets.length === 1) return buckets[0] as CompiledAllowFrom[];
  const unique = new Map<SilverlightAllowFrom, CompiledAllowFrom>();
  for (const list of buckets) for (const f of list) if (!unique.has(f.allowFrom)) unique.set(f.allowFrom, f);
  return [...unique.values()].sort((a, b) => a.policyIndex - b.policyIndex || a.allowFromIndex - b.allowFromIndex);
}

/** A socket grant: the admitting `allow-from` and the `socket-resource` covering the port. */
export interface SilverlightSocketGrant {
  allowFrom: CompiledAllowFrom;
  resource: SilverlightSocketResource;
}

/**
 * The first (document order) grant of `port` to `caller` in a compiled policy (SL-SOCK-10): an
 * `allow-from` admitting the caller and a tcp `socket-resource` of the same `<policy>` covering
 * the port. Uses the domain index, so rules that cannot admit the caller cost nothing.
 */
export function findSocketGrant(c: CompiledSilverlightPolicy, caller: SilverlightCaller, port: number): SilverlightSocketGrant | null {
  for (const a of admittingAllowFroms(c, caller)) {
    if (!grantsPort(a, port)) continue;
    for (const gt of a.entry.grantTo) {
      for (const s of gt.socketResources) if (port >= s.from && port <= s.to) return { allowFrom: a, resource: s };
    }
  }
  return null;
}

/** The same rules as a flat list with classified domains: the baseline `findSocketGrantLinear` scans. */
export interface LinearSilverlightPolicy {
  rules: { pattern: SilverlightDomainPattern; item: CompiledAllowFrom }[];
}

/** Classifies every domain once, in document order (for the linear baseline of the benchmark). */
export function prepareLinearSilverlight(policy: SilverlightPolicy): LinearSilverlightPolicy {
  const rules: LinearSilverlightPolicy['rules'] = [];
  policy.policies.forEach((entry, policyIndex) => {
    entry.allowFrom.forEach((allowFrom, allowFromIndex) => {
      const bits = portBits(entry);
      for (const d of allowFrom.domains) rules.push({ pattern: classifyDomainUri(d.uri), item: { policyIndex, allowFromIndex, entry, allowFrom, uri: d.uri, domainSource: d.source, ...bits } });
    });
  });
  return { rules };
}

/** {@link findSocketGrant} by scanning every rule (the benchmark's baseline; same answers). */
export function findSocketGrantLinear(linear: LinearSilverlightPolicy, caller: SilverlightCaller, port: number): SilverlightSocketGrant | null {
  for (const { pattern, item } of linear.rules) {
    if (!matchDomainPattern(pattern, caller)) continue;
    for (const gt of item.entry.grantTo) {
      for (const s of gt.socketResources) if (port >= s.from && port <= s.to) return { allowFrom: item, resource: s };
    }
  }
  return null;
}

/** Whether a `Content-Type` is one Silverlight accepts for a policy file (SL-HTTP-4). */
export function isAcceptedPolicyContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const media = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return (media.startsWith('text/') && media.length > 5) || media === 'application/xml';
}

type Fetched<T> =
  | { ok: true; policy: T; diagnostics: Diagnostic[]; response: WorldResponse }
  | { ok: false; answered: string; why: string; requirements: RequirementId[]; diagnostics?: Diagnostic[] };

/** Finds a location in the world, tolerating case and default-port differences in the keys. */
function makeLookup(world: WorldSnapshot): (key: string) => WorldResponse | undefined {
  let normalized: Map<string, WorldResponse> | null = null;
  return (key) => {
    const direct = Object.prototype.hasOwnProperty.call(world, key) ? world[key] : undefined;
    if (direct !== undefined) return direct;
    if (normalized === null) {
      normalized = new Map();
      for (const [k, v] of Object.entries(world)) {
        const n = normalizeLocation(k);
        if (n !== null && !normalized.has(n)) normalized.set(n, v);
      }
    }
    const n = normalizeLocation(key);
    return n === null ? undefined : normalized.get(n);
  };
}

/** `scheme://host[:port]/path` with scheme and host lowercase and default HTTP(S) ports dropped. */
export function normalizeLocation(key: string): string | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(key);
  if (!m) return null;
  const scheme = (m[1] as string).toLowerCase();
  let authority = (m[2] as string).toLowerCase();
  const path = m[3] === '' ? (scheme === 'xmlsocket' ? '' : '/') : (m[3] as string);
  if (scheme === 'http' && authority.endsWith(':80')) authority = authority.slice(0, -3);
  if (scheme === 'https' && authority.endsWith(':443')) authority = authority.slice(0, -4);
  return `${scheme}://${authority}${path}`;
}

/** Parses `socket://host:port`; the host normalised by the WHATWG host parser. */
function parseSocketTarget(target: string): { host: string; port: number } | null {
  const m = /^socket:\/\/([^/?#]+):([0-9]{1,5})\/?$/i.exec(target);
  if (!m) return null;
  try {
    const u = new URL(`http://${m[1] as string}/`);
    if (u.username !== '' || u.password !== '' || u.port !== '') return null;
    const port = Number(m[2]);
    if (port < 1 || port > 65535) return null;
    return { host: u.hostname, port };
  } catch {
    return null;
  }
}

function parseHttpTarget(target: string): URL | null {
  if (!/^https?:\/\//i.test(target)) return null;
  try {
    const u = new URL(target);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

function ruleOf(element: string, source: SilverlightElementSource | undefined): TraceRule | null {
  if (source === undefined) return null;
  return { element, attributes: { ...source.raw }, line: source.location.line, column: source.location.column };
}

function hostPort(host: string, port: number, scheme: 'http' | 'https'): string {
  return port === defaultPort(scheme) ? host : `${host}:${port}`;
}

/**
 * Creates a decider for the `silverlight` profile over `world`, caching the fetch, parse and
 * compile work of each policy location.
 */
export function createSilverlightDecider(world: WorldSnapshot): SilverlightDecider {
  const lookup = makeLookup(world);
  const slCache = new Map<string, Fetched<CompiledSilverlightPolicy>>();
  const flashCache = new Map<string, Fetched<SilverlightFlashSubset>>();

  function fetchHttp<T>(location: string, cache: Map<string, Fetched<T>>, parse: (text: string) => { policy: T | null; diagnostics: Diagnostic[] }, parseRequirement: RequirementId): Fetched<T> {
    const hit = cache.get(location);
    if (hit !== undefined) return hit;
    let result: Fetched<T>;
    const r = lookup(location);
    if (r === undefined) {
      // SL-HTTP-3
      result = { ok: false, answered: 'status 404', why: 'nothing is served there (404)', requirements: ['SL-HTTP-3'] };
    } else if (r.error !== undefined) {
      result = { ok: false, answered: r.error, why: `the connection failed (${r.error})`, requirements: ['SL-HTTP-3'] };
    } else if ((r.status ?? 200) !== 200) {
      result = { ok: false, answered: `status ${r.status}`, why: `the response status is ${r.status}, not 200 (redirects are not followed)`, requirements: ['SL-HTTP-3'] };
    } else if (!endedByClose(r)) {
      // SL-HTTP-3: a body that did not complete is a failed download, not a shorter policy.
      result = { ok: false, answered: `unfinished (${r.end})`, why: `the response body did not complete (it ended by ${r.end})`, requirements: ['SL-HTTP-3'] };
    } else if (!isAcceptedPolicyContentType(r.contentType)) {
      result = { ok: false, answered: 'content-type', why: `Content-Type ${r.contentType === undefined ? '(none)' : JSON.stringify(r.contentType)} is not text/* or application/xml`, requirements: ['SL-HTTP-4'] };
    } else {
      const p = parse(r.body);
      if (p.policy === null) {
        const first = p.diagnostics.find((d) => d.severity === 'error');
        result = { ok: false, answered: 'invalid', why: `the file is invalid${first ? `: ${first.message}` : ''}`, requirements: [parseRequirement, ...(first ? [first.requirement] : [])], diagnostics: p.diagnostics };
      } else {
        result = { ok: true, policy: p.policy, diagnostics: p.diagnostics, response: r };
      }
    }
    cache.set(location, result);
    return result;
  }

  const parseCompiled = (text: string): { policy: CompiledSilverlightPolicy | null; diagnostics: Diagnostic[] } => {
    const p = parseSilverlightPolicy(text);
    return { policy: p.policy === null ? null : compileSilverlightPolicy(p.policy), diagnostics: p.diagnostics };
  };

  function decide(request: DecisionRequest): Decision {
    const origin = typeof request?.origin === 'string' ? request.origin : String(request?.origin);
    const target = typeof request?.target === 'string' ? request.target : String(request?.target);
    const trace: TraceEntry[] = [];
    const finish = (decision: 'allow' | 'deny', why: string, requirements: RequirementId[], location: string | null = null, rule: TraceRule | null = null): Decision => {
      const entry: TraceEntry = { step: decision, why, requirements };
      if (location !== null) entry.location = location;
      if (rule !== null) entry.rule = rule;
      trace.push(entry);
      return { decision, client: 'silverlight', origin, target, reason: why, decidedBy: { location, rule, requirements }, trace };
    };

    // SL-DOM-1: the caller is the XAP's URL.
    const caller = parseCaller(origin);
    if (caller === null) return finish('deny', `the origin ${JSON.stringify(origin)} is not an http, https or file URL of a XAP; denied`, ['SL-DOM-1']);

    if (/^socket:/i.test(target)) {
      const sock = parseSocketTarget(target);
      if (sock === null) return finish('deny', `the target ${JSON.stringify(target)} is not socket://host:port; denied`, ['SL-SOCK-1']);
      return decideSocket(caller, sock, trace, finish);
    }
    const url = parseHttpTarget(target);
    // SL-HTTP-10
    if (url === null) return finish('deny', `the target ${JSON.stringify(target)} is neither socket://host:port nor an http(s) URL; denied`, ['SL-HTTP-10']);
    return decideHttp(request, caller, url, target, trace, finish);
  }

  type Finish = (decision: 'allow' | 'deny', why: string, requirements: RequirementId[], location?: string | null, rule?: TraceRule | null) => Decision;

  function decideSocket(caller: SilverlightCaller, sock: { host: string; port: number }, trace: TraceEntry[], finish: Finish): Decision {
    // SL-SOCK-1: the port window is checked before any policy is asked for.
    if (sock.port < SILVERLIGHT_MIN_SOCKET_PORT || sock.port > SILVERLIGHT_MAX_SOCKET_PORT) {
      return finish('deny', `port ${sock.port} is outside 4502-4534, the only ports a Silverlight socket may reach; denied without asking for a policy`, ['SL-SOCK-1']);
    }
    if (caller.scheme !== 'file' && caller.host === sock.host) {
      // SL-SOCK-6
      trace.push({ step: 'note', why: `the target is the XAP's own host ${sock.host}; a socket policy is still required`, requirements: ['SL-SOCK-6'] });
    }
    // SL-SOCK-2
    const location = `xmlsocket://${sock.host}:${SILVERLIGHT_POLICY_PORT}`;
    const cached = slCache.get(location);
    let fetched: Fetched<CompiledSilverlightPolicy>;
    if (cached !== undefined) fetched = cached;
    else {
      const r = lookup(location);
      if (r === undefined) fetched = { ok: false, answered: 'refused', why: 'nothing listens on port 943', requirements: ['SL-SOCK-12'] };
      else if (r.error !== undefined) fetched = { ok: false, answered: r.error, why: `the connection to port 943 failed (${r.error})`, requirements: ['SL-SOCK-12'] };
      // SL-SOCK-4: only the server's close ends the response; one still open (or reset, or cut at
      // the recorder's limit) is what Silverlight had read so far, not a policy.
      else if (!endedByClose(r)) fetched = { ok: false, answered: `unfinished (${r.end})`, why: `port 943 did not close the connection (the response ended by ${r.end}); Silverlight reads until the close`, requirements: ['SL-SOCK-4', 'SL-SOCK-12'] };
      else if (r.body === '') fetched = { ok: false, answered: 'empty', why: 'port 943 closed the connection without sending a policy', requirements: ['SL-SOCK-4', 'SL-SOCK-12'] };
      else {
        // SL-SOCK-4, SL-SOCK-5: the bytes up to the close, in Silverlight's own format only.
        const p = parseCompiled(r.body);
        fetched = p.policy === null
          ? { ok: false, answered: 'invalid', why: `the policy from port 943 is invalid${p.diagnostics[0] ? `: ${p.diagnostics.find((d) => d.severity === 'error')?.message ?? p.diagnostics[0].message}` : ''}`, requirements: ['SL-SOCK-5', 'SL-SOCK-12', ...(p.diagnostics.find((d) => d.severity === 'error') ? [(p.diagnostics.find((d) => d.severity === 'error') as Diagnostic).requirement] : [])], diagnostics: p.diagnostics }
          : { ok: true, policy: p.policy, diagnostics: p.diagnostics, response: r };
      }
      slCache.set(location, fetched);
    }
    if (!fetched.ok) {
      const e: TraceEntry = { step: 'fetch', location, answered: fetched.answered, used: false, why: fetched.why, requirements: ['SL-SOCK-2', ...fetched.requirements] };
      if (fetched.diagnostics) e.diagnostics = fetched.diagnostics;
      trace.push(e);
      // SL-SOCK-12: no other location is tried.
      return finish('deny', `no socket policy from ${location} (${fetched.why}); Silverlight tries no other location; denied`, ['SL-SOCK-12'], location);
    }
    trace.push({ step: 'fetch', location, answered: 'policy', used: true, why: 'a Silverlight policy was served on port 943', requirements: ['SL-SOCK-2', 'SL-SOCK-5'], diagnostics: fetched.diagnostics });
    const compiled = fetched.policy;
    // SL-SOCK-10: an allow-from admitting the XAP, and a socket-resource of the same policy covering the port.
    // SL-SOCK-11: only socket-resource elements are consulted here; resource elements play no part.
    const grant = findSocketGrant(compiled, caller, sock.port);
    if (grant !== null) {
      const a = grant.allowFrom;
      const s = grant.resource;
      trace.push({ step: 'match', location, why: `<domain uri="${a.uri}"> admits the XAP`, rule: ruleOf('domain', a.domainSource) ?? undefined, requirements: ['SL-SOCK-10'] });
      return finish('allow', `the policy on ${location} admits the XAP (uri="${a.uri}") and grants TCP port ${sock.port} (port="${s.from === s.to ? s.from : `${s.from}-${s.to}`}")`, ['SL-SOCK-10', 'SL-SOCK-9'], location, ruleOf('socket-resource', s.source));
    }
    const admitted = admittingAllowFroms(compiled, caller);
    if (admitted.length === 0) {
      trace.push({ step: 'no-match', location, why: 'no <domain> of the policy admits the XAP', requirements: ['SL-DOM-2'] });
      return finish('deny', `the policy on ${location} admits no caller like ${describeCaller(caller)}; denied`, ['SL-SOCK-10'], location);
    }
    trace.push({ step: 'no-match', location, why: `the policies admitting the XAP grant no tcp socket-resource covering port ${sock.port}`, requirements: ['SL-SOCK-10'] });
    return finish('deny', `the policy on ${location} admits the XAP but grants no TCP access to port ${sock.port}; denied`, ['SL-SOCK-10'], location);
  }

  function decideHttp(request: DecisionRequest, caller: SilverlightCaller, url: URL, target: string, trace: TraceEntry[], finish: Finish): Decision {
    const scheme = url.protocol === 'https:' ? 'https' : 'http';
    const port = url.port === '' ? defaultPort(scheme) : Number(url.port);
    const method = typeof request.method === 'string' && request.method !== '' ? request.method : 'GET';
    const headers = Array.isArray(request.headers) ? request.headers.map(String) : [];
    // SL-HTTP-1
    if (caller.scheme === scheme && caller.host === url.hostname && caller.port === port) {
      return finish('allow', `the target has the XAP's own scheme, host and port: same origin, no policy needed`, ['SL-HTTP-1']);
    }
    const root = `${scheme}://${hostPort(url.hostname, port, scheme)}`;
    // SL-HTTP-2
    const slLocation = `${root}/clientaccesspolicy.xml`;
    const sl = fetchHttp(slLocation, slCache, parseCompiled, 'SL-XML-1');
    if (sl.ok) {
      trace.push({ step: 'fetch', location: slLocation, answered: 'policy', used: true, why: 'clientaccesspolicy.xml was obtained; crossdomain.xml will not be consulted', requirements: ['SL-HTTP-2', 'SL-HTTP-7'], diagnostics: sl.diagnostics });
      return decideWithSilverlightPolicy(sl.policy, slLocation, caller, target, method, headers, trace, finish);
    }
    const e: TraceEntry = { step: 'fetch', location: slLocation, answered: sl.answered, used: false, why: sl.why, requirements: ['SL-HTTP-2', ...sl.requirements] };
    if (sl.diagnostics) e.diagnostics = sl.diagnostics;
    trace.push(e);

    // SL-HTTP-6: only now, with no Silverlight policy obtained.
    const flashLocation = `${root}/crossdomain.xml`;
    const fl = fetchHttp(flashLocation, flashCache, (t) => parseSilverlightFlashSubset(t), 'SL-FLASH-10');
    if (!fl.ok) {
      const e2: TraceEntry = { step: 'fetch', location: flashLocation, answered: fl.answered, used: false, why: fl.why, requirements: ['SL-HTTP-6', ...fl.requirements] };
      if (fl.diagnostics) e2.diagnostics = fl.diagnostics;
      trace.push(e2);
      return finish('deny', `no policy: ${slLocation}: ${sl.why}; ${flashLocation}: ${fl.why}; denied`, ['SL-HTTP-9']);
    }
    trace.push({ step: 'fetch', location: flashLocation, answered: 'policy', used: true, why: 'clientaccesspolicy.xml gave no policy; the crossdomain.xml fallback is read as Silverlight\'s subset', requirements: ['SL-HTTP-6', 'SL-FLASH-10'], diagnostics: fl.diagnostics });
    return decideWithFlashSubset(fl.policy, fl.response, flashLocation, caller, scheme, method, headers, trace, finish);
  }

  function decideWithSilverlightPolicy(compiled: CompiledSilverlightPolicy, location: string, caller: SilverlightCaller, target: string, method: string, headers: string[], trace: TraceEntry[], finish: Finish): Decision {
    // SL-PATH-5, SL-PATH-6
    const raw = rawRequestPath(target);
    const forbidden = findForbiddenPathSequence(raw);
    if (forbidden !== null) {
      const unresolved = unresolvedRequestPath(raw);
      const shown = unresolved === raw ? JSON.stringify(raw) : `${JSON.stringify(raw)} (read by the URL parser as ${JSON.stringify(unresolved)})`;
      if (!compiled.wholeSite) {
        trace.push({ step: 'no-match', location, why: `the request path ${shown} contains "${forbidden}" and the policy is not a lone path="/" grant with subpaths`, requirements: ['SL-PATH-5', 'SL-PATH-6'] });
        return finish('deny', `the request path contains "${forbidden}" before the query, which Silverlight refuses unless the policy grants the whole site; denied`, ['SL-PATH-5'], location);
      }
      trace.push({ step: 'note', location, why: `the request path contains "${forbidden}", allowed because the policy is a lone path="/" grant with subpaths`, requirements: ['SL-PATH-6'] });
    }
    const localPath = localRequestPath(target) ?? '/';
    const admitted = admittingAllowFroms(compiled, caller);
    if (admitted.length === 0) {
      trace.push({ step: 'no-match', location, why: `no <domain> admits ${describeCaller(caller)}`, requirements: ['SL-DOM-8'] });
      return finish('deny', `${location} admits no caller like ${describeCaller(caller)}; denied`, ['SL-HTTP-8'], location);
    }
    let lastMiss: { why: string; requirements: RequirementId[] } | null = null;
    for (const a of admitted) {
      // SL-HDR-8
      if (!isMethodAllowed(a.allowFrom.httpMethods, method)) {
        lastMiss = { why: `<allow-from> at line ${a.allowFrom.source?.location.line ?? '?'} admits the XAP but not method ${method} (only GET and POST without http-methods="*")`, requirements: ['SL-HDR-8'] };
        trace.push({ step: 'no-match', location, why: lastMiss.why, requirements: lastMiss.requirements, rule: ruleOf('allow-from', a.allowFrom.source) ?? undefined } as TraceEntry);
        continue;
      }
      // SL-HDR-7: every header must be allowed by this same allow-from.
      const refused = disallowedHeaders(a.allowFrom.httpRequestHeaders, headers);
      if (refused.length > 0) {
        lastMiss = { why: `<allow-from> at line ${a.allowFrom.source?.location.line ?? '?'} admits the XAP but not header ${refused.join(', ')}`, requirements: ['SL-HDR-7'] };
        trace.push({ step: 'no-match', location, why: lastMiss.why, requirements: lastMiss.requirements, rule: ruleOf('allow-from', a.allowFrom.source) ?? undefined } as TraceEntry);
        continue;
      }
      for (const gt of a.entry.grantTo) {
        for (const r of gt.resources) {
          if (matchResourcePath(r, localPath)) {
            trace.push({ step: 'match', location, why: `<domain uri="${a.uri}"> admits the XAP`, rule: ruleOf('domain', a.domainSource) ?? undefined, requirements: ['SL-HTTP-8'] } as TraceEntry);
            const reqs: RequirementId[] = ['SL-HTTP-8', r.includeSubpaths ? 'SL-PATH-3' : 'SL-PATH-2'];
            return finish('allow', `${location} admits the XAP (uri="${a.uri}") and grants path ${JSON.stringify(localPath)} (resource path="${r.path}"${r.includeSubpaths ? ' include-subpaths="true"' : ''})`, reqs, location, ruleOf('resource', r.source));
          }
        }
      }
      lastMiss = { why: `the policy admitting the XAP (uri="${a.uri}") grants no resource matching ${JSON.stringify(localPath)} (case-sensitive)`, requirements: ['SL-PATH-1'] };
      trace.push({ step: 'no-match', location, why: lastMiss.why, requirements: lastMiss.requirements });
    }
    return finish('deny', `${location}: ${lastMiss?.why ?? 'no grant'}; denied`, ['SL-HTTP-8', ...(lastMiss?.requirements ?? [])], location);
  }

  function decideWithFlashSubset(policy: SilverlightFlashSubset, response: WorldResponse, location: string, caller: SilverlightCaller, scheme: 'http' | 'https', method: string, headers: string[], trace: TraceEntry[], finish: Finish): Decision {
    // SL-FLASH-5: the header and every site-control must say all, master-only or by-ftp-filename.
    const metas: { value: string; from: string }[] = policy.siteControl.map((v) => ({ value: v, from: '<site-control>' }));
    for (const [name, value] of Object.entries(response.headers ?? {})) {
      if (name.toLowerCase() === 'x-permitted-cross-domain-policies') metas.push({ value: String(value).trim(), from: 'X-Permitted-Cross-Domain-Policies' });
    }
    for (const m of metas) {
      if (!SILVERLIGHT_ACCEPTED_META_POLICIES.includes(m.value)) {
        return finish('deny', `${m.from} says ${JSON.stringify(m.value)}; Silverlight uses a crossdomain.xml only under all, master-only or by-ftp-filename; denied`, ['SL-FLASH-5'], location);
      }
    }
    // SL-FLASH-8: no http-methods in Flash files: GET and POST only.
    if (!isMethodAllowed([], method)) return finish('deny', `method ${method} is not GET or POST, and a crossdomain.xml cannot allow other methods; denied`, ['SL-FLASH-8'], location);
    // SL-FLASH-6: secure (default true) over HTTPS admits only HTTPS callers.
    const secureOk = (secure: boolean): boolean => scheme !== 'https' || !secure || caller.scheme === 'https';
    if (policy.allowAccessFrom.length === 0) return finish('deny', `${location} has no allow-access-from: it grants nothing; denied`, ['SL-FLASH-9'], location);
    // SL-FLASH-4
    const star = policy.allowAccessFrom.filter((e) => e.domain === '*');
    if (star.length === 0) {
      return finish('deny', `${location} has no allow-access-from domain="*"; Silverlight honours no other domain in a crossdomain.xml; denied`, ['SL-FLASH-4'], location);
    }
    const grant = star.find((e) => secureOk(e.secure));
    if (grant === undefined) {
      return finish('deny', `${location} is served over HTTPS and its domain="*" grant is secure; the XAP is not loaded over HTTPS; denied`, ['SL-FLASH-6'], location);
    }
    trace.push({ step: 'match', location, why: 'allow-access-from domain="*" admits every caller', rule: ruleOf('allow-access-from', grant.source) ?? undefined, requirements: ['SL-FLASH-4'] } as TraceEntry);
    // SL-FLASH-7
    for (const h of headers) {
      if (isHeaderAllowed([], h)) continue;
      const ok = policy.allowHttpRequestHeadersFrom.some((e) => e.domain === '*' && secureOk(e.secure) && isHeaderAllowed(e.headers, h));
      if (!ok) return finish('deny', `header ${h} is not allowed by an allow-http-request-headers-from domain="*" of ${location}; denied`, ['SL-FLASH-7'], location);
    }
    return finish('allow', `${location} (read as Silverlight's crossdomain.xml subset) grants every caller with allow-access-from domain="*"; no path restriction applies`, ['SL-FLASH-4', 'SL-FLASH-8'], location, ruleOf('allow-access-from', grant.source));
  }

  return {
    decide(request: DecisionRequest): Decision {
      try {
        return decide(request);
      } catch (err) {
        const why = `internal error while deciding (${err instanceof Error ? err.message : String(err)}); denied`;
        return { decision: 'deny', client: 'silverlight', origin: String(request?.origin), target: String(request?.target), reason: why, decidedBy: { location: null, rule: null, requirements: ['SL-HTTP-9'] }, trace: [{ step: 'deny', why, requirements: ['SL-HTTP-9'] }] };
      }
    },
  };
}

function describeCaller(caller: SilverlightCaller): string {
  return caller.scheme === 'file' ? 'a local (file:) XAP' : `${caller.scheme}://${caller.host}:${caller.port}${caller.path}`;
}

/**
 * Decides one request with the `silverlight` profile over a world snapshot.
 *
 * @example
 * ```ts
 * decideSilverlight(
 *   { client: 'silverlight', origin: 'http://a.com/app.xap', target: 'socket://b.com:4502' },
 *   { 'xmlsocket://b.com:943': { body: '<access-policy>…</access-policy>' } },
 * ).decision;
 * ```
 */
export function decideSilverlight(request: DecisionRequest, world: WorldSnapshot): Decision {
  return createSilverlightDecider(world).decide(request);
}
