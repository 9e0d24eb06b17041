/**
 * Compiling an effective Flash policy (`effective.ts`) into an index, so that deciding costs
 * O(labels of the origin host) instead of O(rules).
 *
 * Only the rules the effective policy marks usable are indexed (a rule that can never grant is
 * recorded there, with the requirement that voids it); `secure` defaults and the 1024 rule are
 * already applied. What remains is indexed by the kind of `domain` pattern:
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
 * {@link findAccessGrantLinear} is the straightforward scan over the same rules; the tests check
 * that the two always agree, and the benchmark measures one against the other.
 *
 * @module
 */
import { createHostFilter, hostFilterAdd, hostFilterMayHave, type HostFilter } from '../host-filter.js';
import type { OriginUrl } from '../world/locations.js';
import { classifyHost, matchDomain, type DomainPattern, type OriginHost } from './domains.js';
import type { EffectiveAccessRule, EffectiveFlashPolicy, EffectiveHeaderRule, FlashPolicyContext } from './effective.js';
import type { FlashPolicy } from './model.js';
import { portSpecContains } from './ports.js';

/** An `allow-access-from` that can grant, with its effective attributes (see {@link EffectiveAccessRule}). */
export type CompiledAccessRule = EffectiveAccessRule;

/** An `allow-http-request-headers-from` that can grant. */
export type CompiledHeaderRule = EffectiveHeaderRule;

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
  /** Host filters ({@link HostFilter}) over the keys of `names` and `suffixes`: most lookups miss. */
  nameFilter: HostFilter;
  suffixFilter: HostFilter;
}

/** An effective policy with its usable rules indexed. */
export interface CompiledFlashPolicy {
  effective: EffectiveFlashPolicy;
  policy: FlashPolicy;
  context: FlashPolicyContext;
  /** The usable `allow-access-from` rules, in document order. */
  accessRules: CompiledAccessRule[];
  /** The usable `allow-http-request-headers-from` rules, in document order. */
  headerRules: CompiledHeaderRule[];
  access: DomainIndex<number>;
  accessTable: AccessTable;
  headers: DomainIndex<HeaderBucket>;
}

function emptyIndex<B>(): DomainIndex<B> {
  return { any: null, names: new Map(), suffixes: new Map(), ips: new Map(), nameFilter: createHostFilter(), suffixFilter: createHostFilter() };
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
 * Indexes the usable rules of an effective policy. Pure; never throws on a model the parser
 * produced.
 */
export function compileFlashPolicy(effective: EffectiveFlashPolicy): CompiledFlashPolicy {
  const { policy, context } = effective;
  const socket = context.kind === 'socket';
  const accessRules = effective.access.filter((r) => r.never === null);
  const headerRules = effective.headers.filter((r) => r.never === null);

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

  return { effective, policy, context, accessRules, headerRules, access, accessTable, headers };
}

function mapIndex<A, B>(index: DomainIndex<A>, f: (a: A) => B): DomainIndex<B> {
  const mapAll = (m: Map<string, A>): Map<string, B> => new Map([...m].map(([k, v]) => [k, f(v)]));
  const nameFilter = createHostFilter();
  const suffixFilter = createHostFilter();
  for (const k of index.names.keys()) hostFilterAdd(nameFilter, k);
  for (const k of index.suffixes.keys()) hostFilterAdd(suffixFilter, k);
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

/**
 * The origin as Flash's rules see it, from the origin the request reader read (DECIDE-1): a name
 * with its tails, an IP address normalised as domain patterns normalise theirs (FLASH-DOM-5), or a
 * local SWF.
 */
export function ruleOrigin(origin: Pick<OriginUrl, 'scheme' | 'host' | 'hostKind' | 'address'>): RuleOrigin {
  const https = origin.scheme === 'https';
  switch (origin.hostKind) {
    case 'name':
      // The URL parser already lowercased the name.
      return { host: { kind: 'name', name: origin.host }, https, tails: hostTails(origin.host) };
    case 'ipv4':
    case 'ipv6':
      return { host: classifyHost(origin.address ?? origin.host), https };
    case 'local':
      return { host: { kind: 'local' }, https };
  }
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
    if (hostFilterMayHave(index.nameFilter, host.name)) best = bestOwner(table, index.names.get(host.name), https, socket, p, best);
    if (index.suffixes.size > 0) {
      const tails = origin.tails ?? hostTails(host.name);
      for (let i = 0; i < tails.length; i++) {
        const tail = tails[i]!;
        if (hostFilterMayHave(index.suffixFilter, tail)) best = bestOwner(table, index.suffixes.get(tail), https, socket, p, best);
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
export function prepareLinear(effective: EffectiveFlashPolicy): LinearPolicy {
  return { context: effective.context, rules: effective.access.filter((r) => r.never === null) };
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
