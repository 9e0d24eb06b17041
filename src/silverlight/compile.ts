/**
 * Compiling an effective Silverlight policy (`effective.ts`) into an index of its usable
 * `allow-from` elements by the shape of their domains, so that the cost of a decision does not grow
 * with the number of rules that cannot admit the caller (SL-DOM-2 … SL-DOM-10), and finding the
 * socket grant of a port (SL-SOCK-10).
 *
 * {@link findSocketGrantLinear} is the straightforward scan over the same rules; the tests check
 * that the two always agree, and the benchmark measures one against the other.
 *
 * @module
 */
import { createHostFilter, hostFilterAdd, hostFilterMayHave, type HostFilter } from '../host-filter.js';
import { classifyDomainUri, defaultPort, matchDomainPattern, type SilverlightCaller, type SilverlightDomainPattern, type SilverlightLocalCaller } from './domains.js';
import type { EffectiveSilverlightPolicy } from './effective.js';
import {
  SILVERLIGHT_MAX_SOCKET_PORT,
  SILVERLIGHT_MIN_SOCKET_PORT,
  type SilverlightAllowFrom,
  type SilverlightElementSource,
  type SilverlightPolicy,
  type SilverlightPolicyEntry,
  type SilverlightSocketResource,
} from './model.js';

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
  /** A profile's `host-ending` patterns (no dot boundary), keyed by the ending. */
  hostEndings: Map<string, CompiledAllowFrom[]>;
  /** The same endings by {@link endingHash} (collisions share a slot): a caller's endings are hashed in one pass from its host's end, no string built. */
  endingsByHash: Map<number, { ending: string; list: CompiledAllowFrom[] }[]>;
  /** `hasEndingLength[n]`: some ending has n characters; its length is the longest ending's plus one. */
  hasEndingLength: boolean[];
  /** The hashes of every ending's last n characters, every n: a caller's pass stops at the first one no ending shares. */
  endingTails: Set<number>;
}

/** The hash of the last `n` characters of `s`, read from the end (the step of a caller's one pass over its host). */
function endingHashStep(h: number, code: number): number {
  return (Math.imul(h, 31) + code) | 0;
}

/** The hash of a whole ending, as {@link endingHashStep} builds it from the end. */
function endingHash(ending: string, tails?: Set<number>): number {
  let h = 0;
  for (let i = ending.length - 1; i >= 0; i--) {
    h = endingHashStep(h, ending.charCodeAt(i));
    tails?.add(h);
  }
  return h;
}

/** An effective policy with its usable `allow-from` elements indexed by the shape of their domains. */
export interface CompiledSilverlightPolicy {
  effective: EffectiveSilverlightPolicy;
  policy: SilverlightPolicy;
  /** `*`. */
  any: CompiledAllowFrom[];
  /** `file:///`. */
  file: CompiledAllowFrom[];
  /** A profile's `local` patterns (silverlight/9#15), in document order: each asks about a local caller itself. */
  local: { admits: (caller: SilverlightLocalCaller) => boolean; item: CompiledAllowFrom }[];
  /** `http://*` / `https://*`, keyed by scheme. */
  scheme: Map<string, CompiledAllowFrom[]>;
  /** Everything naming a host, by scheme, then by port. */
  byOrigin: { http: Map<number, OriginBuckets>; https: Map<number, OriginBuckets> };
  /** Whether the policy is the whole-site grant exempt from SL-PATH-5 (SL-PATH-6). */
  wholeSite: boolean;
  /** A host filter ({@link HostFilter}) over every host and suffix key of `byOrigin`: most callers miss. */
  hostFilter: HostFilter;
}

function bucketsFor(c: CompiledSilverlightPolicy, scheme: 'http' | 'https', port: number): OriginBuckets {
  const ports = c.byOrigin[scheme];
  let b = ports.get(port);
  if (b === undefined) {
    b = { root: new Map(), application: new Map(), subdomains: new Map(), suffixLabels: new Set(), hostEndings: new Map(), endingsByHash: new Map(), hasEndingLength: [], endingTails: new Set() };
    ports.set(port, b);
  }
  return b;
}

function labelCount(host: string): number {
  let n = 1;
  for (let i = host.indexOf('.'); i >= 0; i = host.indexOf('.', i + 1)) n++;
  return n;
}

/** How a client reads a `<domain uri>` value: the reference's {@link classifyDomainUri}, or a profile's `domainPattern` step. */
export type SilverlightDomainReader = (uri: string) => SilverlightDomainPattern;

/**
 * Indexes the usable `allow-from` elements of an effective policy by domain shape (document order
 * kept in every bucket), each `uri` read by `domainPattern` (the reference's unless a profile's);
 * `wholeSite` is SL-PATH-6 as the client reads it (the effective policy's unless a profile's).
 */
export function compileSilverlightPolicy(effective: EffectiveSilverlightPolicy, domainPattern: SilverlightDomainReader = classifyDomainUri, wholeSite: boolean = effective.wholeSite): CompiledSilverlightPolicy {
  const policy = effective.policy;
  const c: CompiledSilverlightPolicy = { effective, policy, any: [], file: [], local: [], scheme: new Map(), byOrigin: { http: new Map(), https: new Map() }, wholeSite, hostFilter: createHostFilter() };
  for (const { policyIndex, allowFromIndex, entry, allowFrom, never } of effective.allowFroms) {
    if (never !== null) continue;
    {
      let item: CompiledAllowFrom | null = null;
      for (const d of allowFrom.domains) {
        const p: SilverlightDomainPattern = domainPattern(d.uri);
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
          case 'local':
            c.local.push({ admits: p.admits, item: it });
            break;
          case 'scheme':
            pushOnce(c.scheme, p.scheme, it);
            break;
          case 'root':
            pushOnce(bucketsFor(c, p.scheme, p.port).root, p.host, it);
            hostFilterAdd(c.hostFilter, p.host);
            break;
          case 'application': {
            const apps = bucketsFor(c, p.scheme, p.port).application;
            let byPath = apps.get(p.host);
            if (byPath === undefined) apps.set(p.host, (byPath = new Map()));
            pushOnce(byPath, p.path, it);
            hostFilterAdd(c.hostFilter, p.host);
            break;
          }
          case 'subdomains': {
            const b = bucketsFor(c, p.scheme, p.port);
            pushOnce(b.subdomains, p.suffix, it);
            b.suffixLabels.add(labelCount(p.suffix));
            hostFilterAdd(c.hostFilter, p.suffix);
            break;
          }
          case 'host-ending': {
            const b = bucketsFor(c, p.scheme, p.port);
            const known = b.hostEndings.has(p.ending);
            pushOnce(b.hostEndings, p.ending, it);
            if (!known) {
              const h = endingHash(p.ending, b.endingTails);
              const slot = b.endingsByHash.get(h);
              const entry = { ending: p.ending, list: b.hostEndings.get(p.ending) as CompiledAllowFrom[] };
              if (slot === undefined) b.endingsByHash.set(h, [entry]);
              else slot.push(entry);
              while (b.hasEndingLength.length <= p.ending.length) b.hasEndingLength.push(false);
              b.hasEndingLength[p.ending.length] = true;
            }
            break;
          }
        }
      }
    }
  }
  return c;
}

/** Appends unless the bucket's last item is the same `allow-from` (document order is kept). */
function pushOnce(map: Map<string, CompiledAllowFrom[]>, key: string, value: CompiledAllowFrom): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (list[list.length - 1]?.allowFrom !== value.allowFrom) list.push(value);
}

const EMPTY: readonly CompiledAllowFrom[] = [];

/** The non-empty buckets that may admit `caller`; each is in document order. */
function candidateBuckets(c: CompiledSilverlightPolicy, caller: SilverlightCaller, out: CompiledAllowFrom[][]): void {
  if (c.any.length > 0) out.push(c.any);
  if (caller.scheme === 'file') {
    // SL-DOM-4: only a file: XAP without a host.
    if (c.file.length > 0 && caller.host === '') out.push(c.file);
    // A profile's own reading of local callers (silverlight/9#15): each value asked, in document order.
    if (c.local.length > 0) {
      let admitted: CompiledAllowFrom[] | null = null;
      for (const l of c.local) {
        if (!l.admits(caller)) continue;
        admitted ??= [];
        if (admitted[admitted.length - 1]?.allowFrom !== l.item.allowFrom) admitted.push(l.item);
      }
      if (admitted !== null) out.push(admitted);
    }
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
  const hostMaybe = hostFilterMayHave(filter, caller.host);
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
        if (!b.suffixLabels.has(labels) || !hostFilterMayHave(filter, suffix)) continue;
        const sub = b.subdomains.get(suffix);
        if (sub !== undefined) out.push(sub);
      }
    } else {
      for (let i = host.indexOf('.'); i >= 0; i = host.indexOf('.', i + 1)) {
        labels--;
        if (!b.suffixLabels.has(labels)) continue;
        const suffix = host.slice(i + 1);
        if (!hostFilterMayHave(filter, suffix)) continue;
        const sub = b.subdomains.get(suffix);
        if (sub !== undefined) out.push(sub);
      }
    }
  }
  // A profile's host endings (no dot boundary): the caller's host hashed from its end, one lookup per ending length in use.
  if (b.hostEndings.size > 0) {
    const host = caller.host;
    const lengths = b.hasEndingLength;
    const tails = b.endingTails;
    const longest = Math.min(host.length, lengths.length - 1);
    let h = 0;
    for (let n = 1; n <= longest; n++) {
      h = endingHashStep(h, host.charCodeAt(host.length - n));
      if (!tails.has(h)) break;
      if (!lengths[n]) continue;
      const slot = b.endingsByHash.get(h);
      if (slot === undefined) continue;
      for (const e of slot) if (e.ending.length === n && host.endsWith(e.ending)) out.push(e.list);
    }
  }
}

/**
 * The `allow-from` elements admitting `caller`, in document order, each once (SL-DOM-2 … SL-DOM-10).
 */
export function admittingAllowFroms(c: CompiledSilverlightPolicy, caller: SilverlightCaller): readonly CompiledAllowFrom[] {
  const buckets: CompiledAllowFrom[][] = [];
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

/** Classifies every domain of the usable `allow-from` elements once, in document order (the linear scan's input). */
export function prepareLinearSilverlight(effective: EffectiveSilverlightPolicy, domainPattern: SilverlightDomainReader = classifyDomainUri): LinearSilverlightPolicy {
  const rules: LinearSilverlightPolicy['rules'] = [];
  for (const { policyIndex, allowFromIndex, entry, allowFrom, never } of effective.allowFroms) {
    if (never !== null) continue;
    const bits = portBits(entry);
    for (const d of allowFrom.domains) rules.push({ pattern: domainPattern(d.uri), item: { policyIndex, allowFromIndex, entry, allowFrom, uri: d.uri, domainSource: d.source, ...bits } });
  }
  return { rules };
}

/** {@link findSocketGrant} by scanning every rule (the reference the index is tested against, and the benchmark's baseline). */
export function findSocketGrantLinear(linear: LinearSilverlightPolicy, caller: SilverlightCaller, port: number): SilverlightSocketGrant | null {
  for (const { pattern, item } of linear.rules) {
    if (!matchDomainPattern(pattern, caller)) continue;
    for (const gt of item.entry.grantTo) {
      for (const s of gt.socketResources) if (port >= s.from && port <= s.to) return { allowFrom: item, resource: s };
    }
  }
  return null;
}


