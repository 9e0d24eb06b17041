/**
 * Compiling a Flash policy into an index, so that deciding costs O(labels of the origin host)
 * instead of O(rules).
 *
 * The compiled form is the *effective* policy for one context (how and where the policy was
 * served): the rules that can never grant are dropped and recorded with the requirement that
 * voids them, `secure` defaults are filled in (FLASH-SEC-2/3), and ports below 1024 are cut from
 * every grant of a policy served from a high port (FLASH-SOCK-7). What remains is indexed by the
 * kind of `domain` pattern:
 * - `*` → one bucket;
 * - an exact name → a map from the lowercase name;
 * - `*.suffix` → a map from the suffix, looked up with every tail of the origin host, label by
 *   label (`a.b.c` → `a.b.c`, `b.c`, `c`): FLASH-DOM-3's "the suffix and its subdomains";
 * - an IP address → a map from the normalised address (FLASH-DOM-5).
 *
 * Each bucket holds its grants twice, for non-HTTPS origins (rules with `secure` false only) and
 * for HTTPS origins (every rule). A socket bucket merges the port ranges of all its rules into one
 * sorted list of disjoint intervals, each naming the first rule (in document order) that grants
 * it, so the trace names the same rule a linear scan would.
 *
 * {@link findAccessGrantLinear} is the straightforward scan over the rules; the tests check that
 * the two always agree, and the benchmark measures one against the other.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import { classifyHost, matchDomain, parseDomainPattern, type DomainPattern, type OriginHost } from './domains.js';
import type { FlashAllowAccessFrom, FlashAllowHttpRequestHeadersFrom, FlashPolicy, FlashPolicyKind, FlashUrlScheme, PortSpec } from './model.js';
import { portSpecContains } from './ports.js';

/** How and where a policy was served: fixes `secure` defaults, `to-ports` and the 1024 rule. */
export interface FlashPolicyContext {
  kind: FlashPolicyKind;
  /** For URL policies: the scheme it was served over (default `http`). */
  scheme?: FlashUrlScheme;
  /** For socket policies: the port the policy was served from (FLASH-SOCK-7). */
  servedFromPort?: number;
}

/** The lowest port a policy served from a high port may grant, and the threshold itself (FLASH-SOCK-7). */
export const HIGH_PORT_THRESHOLD = 1024;

/** An `allow-access-from` that can grant, with its effective attributes. */
export interface CompiledAccessRule {
  /** Position among the policy's `allowAccessFrom` (document order). */
  index: number;
  rule: FlashAllowAccessFrom;
  pattern: DomainPattern;
  /** `secure` with the default filled in: true means only HTTPS origins are granted. */
  secure: boolean;
  /** Ports granted (socket policies), after the 1024 rule; `null` for URL policies. */
  ports: PortSpec | null;
}

/** An `allow-http-request-headers-from` that can grant. */
export interface CompiledHeaderRule {
  index: number;
  rule: FlashAllowHttpRequestHeadersFrom;
  pattern: DomainPattern;
  secure: boolean;
}

/** A rule left out of the effective policy, and why. */
export interface SkippedRule {
  element: 'allow-access-from' | 'allow-http-request-headers-from';
  index: number;
  reason: string;
  requirement: RequirementId;
}

/** The grants of one index bucket for one kind of origin. */
interface Grant {
  /** URL policies: the first rule granting, or -1. */
  first: number;
  /** Socket policies: disjoint sorted port intervals and the first rule granting each. */
  starts: Int32Array;
  ends: Int32Array;
  owners: Int32Array;
}

/**
 * The access grants of every bucket, flattened so a hit touches two small arrays instead of a
 * chain of objects. Bucket `b` owns `meta[4b … 4b+3]`: for non-HTTPS origins then HTTPS origins,
 * either (URL policies) the first granting rule and 0, or (socket policies) the offset and count
 * of its `[start, end, owner]` triples in `ranges`, sorted by start.
 */
export interface AccessTable {
  meta: Int32Array;
  ranges: Int32Array;
}

/** The header rules of one origin class: those any origin may use, and those only HTTPS origins may. */
export interface HeaderBucket {
  insecureOrigin: number[];
  httpsOrigin: number[];
}

/** A domain-pattern index: `*`, exact names, `*.suffix` patterns (walked label by label) and IP addresses. */
export interface DomainIndex<B> {
  any: B | null;
  names: Map<string, B>;
  suffixes: Map<string, B>;
  ips: Map<string, B>;
  /**
   * Membership filters (64 Ki bits each, 8 KiB) over the keys of `names` and `suffixes`. Most
   * lookups of a decision miss (every tail of the origin host is tried), and a miss in a large
   * `Map` costs a cache miss; the filter answers most misses from memory that stays in cache, so
   * the cost of a decision does not grow with the number of rules.
   */
  nameFilter: Uint32Array;
  suffixFilter: Uint32Array;
}

const FILTER_WORDS = 2048;

/** A cheap 16-bit hash of a key from its length and four of its characters (for the filters). */
function filterHash(s: string): number {
  const n = s.length;
  let h = Math.imul(n, 0x9e3779b1);
  h ^= Math.imul(s.charCodeAt(0), 0x85ebca77);
  h ^= Math.imul(s.charCodeAt(n - 1), 0xc2b2ae3d);
  h ^= Math.imul(s.charCodeAt(n >> 1), 0x27d4eb2f);
  h ^= Math.imul(s.charCodeAt(n >> 2), 0x165667b1);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 13)) & 0xffff;
}

function filterAdd(filter: Uint32Array, key: string): void {
  const h = filterHash(key);
  filter[h >>> 5]! |= 1 << (h & 31);
}

function filterMayHave(filter: Uint32Array, key: string): boolean {
  const h = filterHash(key);
  return (filter[h >>> 5]! & (1 << (h & 31))) !== 0;
}

/** A policy compiled for one context. */
export interface CompiledFlashPolicy {
  policy: FlashPolicy;
  context: FlashPolicyContext;
  /** The effective `allow-access-from` rules, in document order. */
  accessRules: CompiledAccessRule[];
  /** The effective `allow-http-request-headers-from` rules, in document order. */
  headerRules: CompiledHeaderRule[];
  /** Rules that can never grant in this context. */
  skipped: SkippedRule[];
  access: DomainIndex<number>;
  accessTable: AccessTable;
  headers: DomainIndex<HeaderBucket>;
}

// FLASH-SEC-1, FLASH-SEC-2, FLASH-SEC-3
/**
 * `secure` as it applies: over HTTPS it defaults to true; in socket policies to false; over HTTP
 * (and FTP) it has no effect at all, so it is false whatever is written.
 */
export function effectiveSecure(secure: boolean | null, context: FlashPolicyContext): boolean {
  if (context.kind === 'socket') return secure ?? false;
  if ((context.scheme ?? 'http') === 'https') return secure ?? true;
  return false;
}

// FLASH-SOCK-7
/** Ports a policy may grant given the port it came from: from a port ≥ 1024, only ports ≥ 1024. */
export function restrictToHighPorts(spec: PortSpec, servedFromPort: number | undefined): PortSpec | null {
  if (servedFromPort === undefined || servedFromPort < HIGH_PORT_THRESHOLD) return spec;
  const ranges = spec.any ? [{ from: 1, to: 65535 }] : spec.ranges;
  const kept = ranges.filter((r) => r.to >= HIGH_PORT_THRESHOLD).map((r) => ({ from: Math.max(r.from, HIGH_PORT_THRESHOLD), to: r.to }));
  return kept.length === 0 ? null : { any: false, ranges: kept };
}

function emptyIndex<B>(): DomainIndex<B> {
  return { any: null, names: new Map(), suffixes: new Map(), ips: new Map(), nameFilter: new Uint32Array(FILTER_WORDS), suffixFilter: new Uint32Array(FILTER_WORDS) };
}

/** The index key of a pattern: the lowercase name, the suffix without its leading dot, the address. */
function bucketOf<B>(index: DomainIndex<B>, pattern: DomainPattern, make: () => B): B | null {
  switch (pattern.kind) {
    case 'any':
      return (index.any ??= make());
    case 'name':
      return getOrMake(index.names, pattern.name.toLowerCase(), make);
    case 'suffix':
      return getOrMake(index.suffixes, normalizeSuffix(pattern.suffix), make);
    case 'ip':
      return getOrMake(index.ips, pattern.address, make);
    case 'invalid':
      return null;
  }
}

function normalizeSuffix(suffix: string): string {
  return (suffix.startsWith('.') ? suffix.slice(1) : suffix).toLowerCase();
}

function getOrMake<B>(map: Map<string, B>, key: string, make: () => B): B {
  let b = map.get(key);
  if (b === undefined) map.set(key, (b = make()));
  return b;
}

const NO_PORTS = new Int32Array(0);

/** Merges port ranges (given in rule order) into disjoint intervals owned by the first rule granting them. */
function mergePortGrants(ranges: { from: number; to: number; owner: number }[]): Grant {
  if (ranges.length === 0) return { first: -1, starts: NO_PORTS, ends: NO_PORTS, owners: NO_PORTS };
  // Coordinate-compress the range boundaries into elementary segments; paint each segment with
  // the first rule that covers it, skipping painted segments with a "next unpainted" forest.
  const coords = [...new Set(ranges.flatMap((r) => [r.from, r.to + 1]))].sort((a, b) => a - b);
  const segs = coords.length - 1;
  const owner = new Int32Array(segs).fill(-1);
  const next = new Int32Array(segs + 1);
  for (let i = 0; i <= segs; i++) next[i] = i;
  const find = (i: number): number => {
    let r = i;
    while (next[r] !== r) r = next[r]!;
    while (next[i] !== r) {
      const n = next[i]!;
      next[i] = r;
      i = n;
    }
    return r;
  };
  const lowerBound = (v: number): number => {
    let lo = 0;
    let hi = coords.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (coords[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const sorted = [...ranges].sort((a, b) => a.owner - b.owner);
  for (const r of sorted) {
    const hi = lowerBound(r.to + 1);
    for (let i = find(lowerBound(r.from)); i < hi; i = find(i + 1)) {
      owner[i] = r.owner;
      next[i] = i + 1;
    }
  }
  const starts: number[] = [];
  const ends: number[] = [];
  const owners: number[] = [];
  for (let i = 0; i < segs; i++) {
    const o = owner[i]!;
    if (o === -1) continue;
    const from = coords[i]!;
    const to = coords[i + 1]! - 1;
    const last = owners.length - 1;
    if (last >= 0 && owners[last] === o && ends[last] === from - 1) ends[last] = to;
    else {
      starts.push(from);
      ends.push(to);
      owners.push(o);
    }
  }
  return { first: sorted[0]!.owner, starts: Int32Array.from(starts), ends: Int32Array.from(ends), owners: Int32Array.from(owners) };
}

/** The earlier of `best` and the first rule of bucket `id` granting the origin (and port). */
function bestOwner(t: AccessTable, id: number | null | undefined, https: boolean, socket: boolean, port: number, best: number): number {
  if (id == null) return best;
  const base = id * 4 + (https ? 2 : 0);
  const o = socket ? rangeOwner(t.ranges, t.meta[base]!, t.meta[base + 1]!, port) : t.meta[base]!;
  return o !== -1 && (best === -1 || o < best) ? o : best;
}

/** Binary search of `port` among `count` sorted `[start, end, owner]` triples from `offset`. */
function rangeOwner(ranges: Int32Array, offset: number, count: number, port: number): number {
  let lo = 0;
  let hi = count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges[(offset + mid) * 3]! <= port) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found === -1) return -1;
  const at = (offset + found) * 3;
  return port <= ranges[at + 1]! ? ranges[at + 2]! : -1;
}

/**
 * Compiles a policy for the context it was served in. Pure; never throws on a model the parser
 * produced, and treats anything it cannot use as a skipped rule rather than a grant.
 */
export function compileFlashPolicy(policy: FlashPolicy, context: FlashPolicyContext): CompiledFlashPolicy {
  const accessRules: CompiledAccessRule[] = [];
  const headerRules: CompiledHeaderRule[] = [];
  const skipped: SkippedRule[] = [];
  const socket = context.kind === 'socket';

  policy.allowAccessFrom.forEach((rule, index) => {
    const pattern = parseDomainPattern(rule.domain);
    if (pattern.kind === 'invalid') {
      skipped.push({ element: 'allow-access-from', index, reason: `domain '${rule.domain}' never matches: ${pattern.reason}`, requirement: pattern.requirement ?? 'FLASH-DOM-6' });
      return;
    }
    let ports: PortSpec | null = null;
    if (socket) {
      // FLASH-GRAM-7
      if (rule.toPorts === null) {
        skipped.push({ element: 'allow-access-from', index, reason: 'a socket rule without to-ports grants nothing', requirement: 'FLASH-GRAM-7' });
        return;
      }
      ports = restrictToHighPorts(rule.toPorts, context.servedFromPort);
      if (ports === null) {
        skipped.push({ element: 'allow-access-from', index, reason: `served from port ${context.servedFromPort}, this policy can grant only ports 1024 and higher, and this rule names none`, requirement: 'FLASH-SOCK-7' });
        return;
      }
    }
    accessRules.push({ index, rule, pattern, secure: effectiveSecure(rule.secure, context), ports });
  });

  // FLASH-GRAM-9: header grants exist only in HTTP(S) URL policies.
  const headerApplies = !socket && (context.scheme ?? 'http') !== 'ftp';
  policy.allowHttpRequestHeadersFrom.forEach((rule, index) => {
    if (!headerApplies) {
      skipped.push({ element: 'allow-http-request-headers-from', index, reason: 'header grants apply only in HTTP and HTTPS policies', requirement: 'FLASH-GRAM-9' });
      return;
    }
    const pattern = parseDomainPattern(rule.domain);
    if (pattern.kind === 'invalid') {
      skipped.push({ element: 'allow-http-request-headers-from', index, reason: `domain '${rule.domain}' never matches: ${pattern.reason}`, requirement: pattern.requirement ?? 'FLASH-DOM-6' });
      return;
    }
    // FLASH-SEC-4
    headerRules.push({ index, rule, pattern, secure: effectiveSecure(rule.secure, context) });
  });

  // Group rule positions (into accessRules) per bucket, then build each bucket's grants.
  const groups = emptyIndex<number[]>();
  accessRules.forEach((r, i) => bucketOf(groups, r.pattern, () => [])!.push(i));
  const meta: number[] = [];
  const flatRanges: number[] = [];
  const buildAccess = (members: number[]): number => {
    const id = meta.length / 4;
    for (const httpsOrigin of [false, true]) {
      const usable = members.filter((i) => httpsOrigin || !accessRules[i]!.secure);
      if (!socket) {
        meta.push(usable.length ? usable[0]! : -1, 0);
        continue;
      }
      const ranges: { from: number; to: number; owner: number }[] = [];
      for (const i of usable) {
        const ports = accessRules[i]!.ports!;
        if (ports.any) ranges.push({ from: 1, to: 65535, owner: i });
        else for (const r of ports.ranges) ranges.push({ from: r.from, to: r.to, owner: i });
      }
      const g = mergePortGrants(ranges);
      meta.push(flatRanges.length / 3, g.starts.length);
      for (let k = 0; k < g.starts.length; k++) flatRanges.push(g.starts[k]!, g.ends[k]!, g.owners[k]!);
    }
    return id;
  };
  const access = mapIndex(groups, buildAccess);
  const accessTable: AccessTable = { meta: Int32Array.from(meta), ranges: Int32Array.from(flatRanges) };

  const hgroups = emptyIndex<number[]>();
  headerRules.forEach((r, i) => bucketOf(hgroups, r.pattern, () => [])!.push(i));
  const headers = mapIndex(hgroups, (members) => ({
    insecureOrigin: members.filter((i) => !headerRules[i]!.secure),
    httpsOrigin: members,
  }));

  return { policy, context, accessRules, headerRules, skipped, access, accessTable, headers };
}

function mapIndex<A, B>(index: DomainIndex<A>, f: (a: A) => B): DomainIndex<B> {
  const mapAll = (m: Map<string, A>): Map<string, B> => new Map([...m].map(([k, v]) => [k, f(v)]));
  const nameFilter = new Uint32Array(FILTER_WORDS);
  const suffixFilter = new Uint32Array(FILTER_WORDS);
  for (const k of index.names.keys()) filterAdd(nameFilter, k);
  for (const k of index.suffixes.keys()) filterAdd(suffixFilter, k);
  return { any: index.any === null ? null : f(index.any), names: mapAll(index.names), suffixes: mapAll(index.suffixes), ips: mapAll(index.ips), nameFilter, suffixFilter };
}

/** The origin as rules see it: its host, and whether the SWF was loaded over HTTPS. */
export interface RuleOrigin {
  host: OriginHost;
  https: boolean;
  /**
   * For a name: the name and each of its tails, label by label (`a.b.c` → `a.b.c`, `b.c`, `c`),
   * computed once per origin so that looking it up in many policies allocates nothing.
   */
  tails?: readonly string[];
}

/** The tails of a host name, label by label: `a.b.c` → `['a.b.c', 'b.c', 'c']`. */
export function hostTails(name: string): string[] {
  const tails = [name];
  for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) tails.push(name.slice(dot + 1));
  return tails;
}

/** Builds a {@link RuleOrigin} from a normalised host (`''` for a local SWF) and its scheme. */
export function ruleOrigin(host: string, scheme: string): RuleOrigin {
  const https = scheme === 'https';
  // Fast path: a host with a letter, hyphen or underscore and no `:` cannot be an IP literal, so
  // `classifyHost` would return it as a lowercase name. Skipping it matters because its IP checks
  // (ipaddr.js) throw and catch on every name, which costs far more than the whole index lookup.
  if (host !== '' && !host.includes(':') && !/^[0-9.]*$/.test(host)) {
    const name = host.toLowerCase();
    return { host: { kind: 'name', name }, https, tails: hostTails(name) };
  }
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const classified = classifyHost(bare);
  return classified.kind === 'name' ? { host: classified, https, tails: hostTails(classified.name) } : { host: classified, https };
}

/** Calls `visit` with every bucket whose pattern matches the host; stops when it returns true. */
function visitMatchingBuckets<B>(index: DomainIndex<B>, host: OriginHost, visit: (b: B) => void): void {
  // FLASH-DOM-1
  if (index.any !== null) visit(index.any);
  if (host.kind === 'name') {
    // FLASH-DOM-2
    const exact = index.names.get(host.name);
    if (exact !== undefined) visit(exact);
    // FLASH-DOM-3: `*.x` matches `x` and every `label.x`; walk the host's tails label by label.
    if (index.suffixes.size > 0) {
      let tail = host.name;
      for (;;) {
        const b = index.suffixes.get(tail);
        if (b !== undefined) visit(b);
        const dot = tail.indexOf('.');
        if (dot === -1) break;
        tail = tail.slice(dot + 1);
      }
    }
  } else if (host.kind === 'ip') {
    // FLASH-DOM-5
    const b = index.ips.get(host.address);
    if (b !== undefined) visit(b);
  }
  // FLASH-DOM-7: a local origin is matched only by `*`, visited above.
}

/**
 * The first `allow-access-from` (document order) granting the origin — and, for a socket policy,
 * the port — or `null`. Cost: O(labels of the host + log ranges).
 */
export function findAccessGrant(compiled: CompiledFlashPolicy, origin: RuleOrigin, port?: number): CompiledAccessRule | null {
  const socket = compiled.context.kind === 'socket';
  if (socket && port === undefined) return null;
  const index = compiled.access;
  const table = compiled.accessTable;
  const https = origin.https;
  const p = port ?? 0;
  let best = -1;
  // Same walk as visitMatchingBuckets (FLASH-DOM-1/2/3/5/7), inlined without closures: this is
  // the hot path.
  best = bestOwner(table, index.any, https, socket, p, best);
  const host = origin.host;
  if (host.kind === 'name') {
    if (filterMayHave(index.nameFilter, host.name)) best = bestOwner(table, index.names.get(host.name), https, socket, p, best);
    if (index.suffixes.size > 0) {
      const tails = origin.tails ?? hostTails(host.name);
      for (let i = 0; i < tails.length; i++) {
        const tail = tails[i]!;
        if (filterMayHave(index.suffixFilter, tail)) best = bestOwner(table, index.suffixes.get(tail), https, socket, p, best);
      }
    }
  } else if (host.kind === 'ip') {
    best = bestOwner(table, index.ips.get(host.address), https, socket, p, best);
  }
  return best === -1 ? null : compiled.accessRules[best]!;
}

/** Whether a header pattern (`*`, `X-Foo`, `X-Foo*`) admits a header name, case-insensitively. */
export function headerPatternMatches(pattern: string, header: string): boolean {
  const p = pattern.trim().toLowerCase();
  const h = header.trim().toLowerCase();
  if (p === '*') return true;
  if (p.endsWith('*')) return h.startsWith(p.slice(0, -1));
  return p === h;
}

// FLASH-URL-10
/**
 * For each header, the first `allow-http-request-headers-from` granting the origin that header,
 * or `null` for a header no rule grants.
 */
export function findHeaderGrants(compiled: CompiledFlashPolicy, origin: RuleOrigin, headers: readonly string[]): (CompiledHeaderRule | null)[] {
  const candidates: number[] = [];
  visitMatchingBuckets(compiled.headers, origin.host, (b) => {
    for (const i of origin.https ? b.httpsOrigin : b.insecureOrigin) candidates.push(i);
  });
  candidates.sort((a, b) => a - b);
  return headers.map((h) => {
    for (const i of candidates) {
      const r = compiled.headerRules[i]!;
      if (r.rule.headers.some((p) => headerPatternMatches(p, h))) return r;
    }
    return null;
  });
}

/** The rules of a policy prepared for {@link findAccessGrantLinear} (patterns parsed once). */
export interface LinearPolicy {
  context: FlashPolicyContext;
  rules: CompiledAccessRule[];
}

/** Prepares the linear-scan baseline: the same effective rules as the index, in a flat list. */
export function prepareLinear(policy: FlashPolicy, context: FlashPolicyContext): LinearPolicy {
  return { context, rules: compileFlashPolicy(policy, context).accessRules };
}

/**
 * The baseline: scans every rule in document order with `matchDomain` and `portSpecContains`.
 * Same answer as {@link findAccessGrant}, in O(rules).
 */
export function findAccessGrantLinear(linear: LinearPolicy, origin: RuleOrigin, port?: number): CompiledAccessRule | null {
  const socket = linear.context.kind === 'socket';
  if (socket && port === undefined) return null;
  for (const r of linear.rules) {
    if (r.secure && !origin.https) continue;
    if (!matchDomain(r.pattern, origin.host)) continue;
    if (socket && !portSpecContains(r.ports!, port!)) continue;
    return r;
  }
  return null;
}
