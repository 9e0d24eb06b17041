/**
 * Compatibility checks (`LINT-COMPAT-*`, LINT-17): where a client profile (spec/profiles.md)
 * decides a request differently from its family's reference for this very file.
 *
 * The check builds a world in which only this file answers, at the location the lint context
 * gives, and asks the decision function — never a rule of its own — about a fixed set of probes:
 * the file's own domains and ports, as written, plus probe origins (an unrelated site, the
 * look-alike `evil<domain>`, the bare domain, both schemes, IP forms) and probe ports (the ends and
 * middles of the ranges written, a port below 1024, 843, the Silverlight window 4502–4534). Every
 * profile chosen (`LintOptions.clients`, default all of the file's family) is evaluated over one
 * indexed world (`createDecider`) and compared with the reference, request by request.
 *
 * Seeds are read from the text as written (attribute values), not from the reference's model: a
 * client that reads more than the reference (a file the reference rejects) is probed where it may
 * read. Departures are grouped: one finding per profile and kind of departure, listing the probes.
 *
 * @module
 */
import { createDecider } from '../../decision/decide.js';
import type { ClientProfile, Decision, ProfileName } from '../../decision/types.js';
import { PROFILES, profileOverrides, profilesOf, type ProfileRegistry } from '../../profiles/index.js';
import type { WorldSnapshot } from '../../world/world.js';
import { ipLiteral } from '../../ip-address.js';
import type { LintContext } from '../context.js';
import { parseServedFrom } from '../context.js';
import type { Finding, FindingId } from '../finding.js';
import { finding } from './check.js';

/** At most this many distinct domains of the file seed probe origins (the rest are reported as not probed). */
export const MAX_PROBE_DOMAINS = 8;
/** At most this many distinct probe ports. */
export const MAX_PROBE_PORTS = 24;
/** At most this many distinct resource paths (Silverlight URL policies). */
export const MAX_PROBE_PATHS = 6;
/**
 * Texts longer than this are not compared (LINT-COMPAT-SAMPLED says so): every profile reads and
 * compiles the file once, so comparing costs about five times the reference's lint (1.3 MiB, 20,000
 * rules: 5.9 s against 1.2 s), and lint must stay quick on a 4 MiB file.
 */
export const MAX_COMPARED_LENGTH = 1024 * 1024;
/** At most this many probes are named in one finding's message; the count says how many there are. */
export const PROBES_SHOWN = 4;

/** The host the file is assumed to be served from when the context names none. */
export const DEFAULT_PROBE_HOST = 'policy-host.example';
/** An unrelated site: no file names it. */
export const UNRELATED_HOST = 'unrelated.example';
/** An unrelated IP address (TEST-NET-1, RFC 5737). */
export const UNRELATED_IP = '192.0.2.1';

/** How a probe origin relates to what the file names: the exposure a grant to it means. */
export type ProbeOriginKind = 'named' | 'bare' | 'look-alike' | 'unrelated';

/** One probe origin. */
export interface ProbeOrigin {
  url: string;
  kind: ProbeOriginKind;
}

/** The probes of one file in one context. */
export interface CompatProbes {
  /** The family whose reference the profiles are compared with. */
  family: ClientProfile;
  world: WorldSnapshot;
  /** `Security.loadPolicyFile` locations the requests name (a non-master Flash file). */
  loadPolicy?: string[];
  /**
   * The requests probed: the file's named origins and one unrelated origin against every probe
   * target, every probe origin against the first; for a URL policy, the same named and unrelated
   * origins against the first target again sending a custom header, and (Silverlight) with a method
   * other than GET and POST — the header and method rules clients read differently.
   */
  requests: ProbeRequest[];
  /** What was seeded but not probed (over the caps), for LINT-COMPAT-SAMPLED. */
  skipped: { domains: number; ports: number; paths: number };
}

/** One probe request. */
export interface ProbeRequest {
  origin: ProbeOrigin;
  target: string;
  /** Request headers sent ({@link PROBE_HEADER}), when the probe is about headers. */
  headers?: string[];
  /** The HTTP method ({@link PROBE_METHOD}), when the probe is about methods. */
  method?: string;
}

/** The custom header a header probe sends: not one a client sends on its own, so a policy must allow it. */
export const PROBE_HEADER = 'X-Xdpolicy-Probe';
/** The method a method probe uses (Silverlight: only GET and POST without `http-methods="*"`). */
export const PROBE_METHOD = 'PUT';

/** Options of {@link checkCompatibility}. */
export interface CompatOptions {
  /** The profiles compared with their reference (default: every profile of the file's family). */
  clients?: readonly ProfileName[];
  /** The profile definitions (default {@link PROFILES}; tests take one override out). */
  profiles?: ProfileRegistry;
}

/** One request on which a profile and the reference disagree. */
export interface Departure {
  profile: ProfileName;
  origin: ProbeOrigin;
  target: string;
  headers?: string[];
  method?: string;
  /** For a header or method probe: whether the reference allows the same request without them (the origin is granted; only the header or method is more). */
  plainAllowed?: boolean;
  reference: Decision;
  decision: Decision;
}

const ATTRIBUTE = /\b(domain|uri|to-ports|port|path)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** `xs` without repeats, in first-seen order. */
function unique<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

/** The attribute values of the text, by attribute name, as written (a cheap scan: seeds only, never rules). */
function seedValues(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of text.matchAll(ATTRIBUTE)) {
    const name = m[1]!;
    const value = (m[2] ?? m[3] ?? '').trim();
    if (value === '') continue;
    let list = out.get(name);
    if (list === undefined) out.set(name, (list = []));
    list.push(value);
  }
  return out;
}

/** The host named by a domain value (Flash `domain`, Silverlight `uri`), without scheme, port, path or `*.`; null for `*` alone. */
function hostOf(value: string): { host: string; wildcard: boolean } | null {
  let v = value.toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  v = v.replace(/[/?#].*$/, '');
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    return end > 0 ? { host: v.slice(0, end + 1), wildcard: false } : null;
  }
  v = v.replace(/:\d*$/, '');
  const wildcard = v.startsWith('*.');
  if (wildcard) v = v.slice(2);
  if (v === '' || v.includes('*')) return null;
  return { host: v, wildcard };
}

/** The probe hosts one domain value seeds, each with its exposure. */
function hostsOf(value: string): { host: string; kind: ProbeOriginKind }[] {
  const h = hostOf(value);
  if (h === null) return [];
  if (h.host.startsWith('[')) return [{ host: h.host, kind: 'named' }];
  if (ipLiteral(h.host)?.kind() === 'ipv4') return [{ host: h.host, kind: 'named' }, { host: `[::ffff:${h.host}]`, kind: 'look-alike' }];
  const out: { host: string; kind: ProbeOriginKind }[] = [];
  out.push({ host: h.wildcard ? `sub.${h.host}` : h.host, kind: 'named' });
  // The bare domain: what a wildcard sits on, or a name without its first label.
  const labels = h.host.split('.');
  if (h.wildcard) out.push({ host: h.host, kind: 'bare' });
  else if (labels.length >= 3) out.push({ host: labels.slice(1).join('.'), kind: 'bare' });
  // No dot boundary: `evil<domain>` ends with the domain's text.
  out.push({ host: `evil${h.host}`, kind: 'look-alike' });
  return out;
}

/** The ports a `to-ports` or `port` value names, as written, with the ends, middles and edges of its ranges and a 16-bit wrap of a number too large. */
function portsOf(value: string): number[] {
  const out: number[] = [];
  for (const item of value.split(/[,\s]+/)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(item.trim());
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    out.push(from, to, from - 1, to + 1, Math.floor((from + to) / 2));
    for (const n of [from, to]) if (n > 65535) out.push(n % 65536);
  }
  return out;
}

/** The standard probe ports: below 1024, the policy port, the Silverlight window's ends and middle (for Silverlight, just outside it too). */
const STANDARD_PORTS: Readonly<Record<ClientProfile, readonly number[]>> = { flash: [80, 843, 4502, 4518, 4534], silverlight: [80, 943, 4501, 4502, 4518, 4534, 4535] };

/** The probes of `text` served as `context` says (see the module comment). */
export function compatProbes(text: string, context: LintContext): CompatProbes {
  const family: ClientProfile = context.format;
  const served = context.servedFrom !== undefined ? parseServedFrom(context.servedFrom, []) : null;
  const host = served?.host ?? DEFAULT_PROBE_HOST;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const seeds = seedValues(text);
  const skipped = { domains: 0, ports: 0, paths: 0 };

  // Origins: the file's domains (as written), then the unrelated ones; both schemes each.
  const domains = unique(family === 'flash' ? (seeds.get('domain') ?? []) : (seeds.get('uri') ?? []));
  skipped.domains = Math.max(0, domains.length - MAX_PROBE_DOMAINS);
  const hosts = new Map<string, ProbeOriginKind>();
  for (const d of domains.slice(0, MAX_PROBE_DOMAINS)) for (const h of hostsOf(d)) if (!hosts.has(h.host)) hosts.set(h.host, h.kind);
  for (const h of [UNRELATED_HOST, UNRELATED_IP]) if (!hosts.has(h)) hosts.set(h, 'unrelated');
  const file = family === 'flash' ? 'xdpolicy-probe.swf' : 'xdpolicy-probe.xap';
  const origins: ProbeOrigin[] = [];
  for (const [h, kind] of hosts) for (const scheme of ['http', 'https']) origins.push({ url: `${scheme}://${h}/${file}`, kind });

  const world: WorldSnapshot = {};
  const probes: CompatProbes = { family, world, requests: [], skipped };
  // Every origin (both schemes) against the first target; the named origins and the unrelated
  // site, over HTTP, against every target: a cross product would cost minutes on a large corpus.
  const everyTarget = (o: ProbeOrigin): boolean => o.url.startsWith('http:') && (o.kind === 'named' || o.url.startsWith(`http://${UNRELATED_HOST}/`));
  const cross = (targets: readonly string[], first: string): void => {
    const seen = new Set<string>();
    const add = (origin: ProbeOrigin, target: string): void => {
      const key = `${origin.url} ${target}`;
      if (seen.has(key)) return;
      seen.add(key);
      probes.requests.push({ origin, target });
    };
    for (const o of origins) add(o, first);
    for (const o of origins) if (everyTarget(o)) for (const t of targets) add(o, t);
  };
  // A URL policy's header rules (and Silverlight's method rule): the same origins, the first target.
  const headerProbes = (first: string): void => {
    for (const o of origins) {
      if (!everyTarget(o)) continue;
      probes.requests.push({ origin: o, target: first, headers: [PROBE_HEADER] });
      if (family === 'silverlight') probes.requests.push({ origin: o, target: first, method: PROBE_METHOD });
    }
  };
  if (context.kind === 'socket') {
    const port = context.port ?? (family === 'flash' ? 843 : 943);
    const location = `xmlsocket://${urlHost}:${port}`;
    world[location] = { body: text };
    if (family === 'flash' && port !== 843) probes.loadPolicy = [location];
    const written = unique((family === 'flash' ? (seeds.get('to-ports') ?? []) : (seeds.get('port') ?? [])).flatMap(portsOf)).filter((p) => p >= 1 && p <= 65535);
    skipped.ports = Math.max(0, written.length - MAX_PROBE_PORTS);
    const ports = unique([...written.slice(0, MAX_PROBE_PORTS), ...STANDARD_PORTS[family]]).sort((a, b) => a - b);
    const firstPort = written[0] ?? 4502;
    cross(ports.map((p) => `socket://${urlHost}:${p}`), `socket://${urlHost}:${firstPort}`);
    return probes;
  }
  const scheme = context.scheme ?? 'http';
  const portPart = context.port !== undefined && context.port !== (scheme === 'https' ? 443 : scheme === 'ftp' ? 21 : 80) ? `:${context.port}` : '';
  const root = `${scheme}://${urlHost}${portPart}`;
  const path = served?.path ?? (family === 'flash' ? '/crossdomain.xml' : '/clientaccesspolicy.xml');
  const location = `${root}${path}`;
  const entry: WorldSnapshot[string] = { body: text, contentType: context.contentType ?? (family === 'flash' ? 'text/x-cross-domain-policy' : 'text/xml') };
  if (context.headers !== undefined) entry.headers = { ...context.headers };
  world[location] = entry;
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  if (family === 'flash') {
    if (!context.master) probes.loadPolicy = [location];
    const target = `${root}${dir}xdpolicy-probe.txt`;
    cross([target], target);
    headerProbes(target);
    return probes;
  }
  const paths = unique((seeds.get('path') ?? []).map((p) => (p.startsWith('/') ? p : `/${p}`)));
  skipped.paths = Math.max(0, paths.length - MAX_PROBE_PATHS);
  const targets = [`${root}/xdpolicy-probe.txt`];
  for (const p of paths.slice(0, MAX_PROBE_PATHS)) targets.push(`${root}${p}`, `${root}${p.replace(/\/$/, '')}/sub/xdpolicy-probe.txt`);
  cross(unique(targets), targets[0]!);
  headerProbes(targets[0]!);
  return probes;
}

/** The profiles compared for a file of `family`: those of `clients` in that family other than the reference. */
export function comparedProfiles(family: ClientProfile, clients: readonly ProfileName[] | undefined, registry: ProfileRegistry = PROFILES): ProfileName[] {
  const ofFamily = profilesOf(family).filter((p) => registry[p].base === family);
  const chosen = clients === undefined ? ofFamily : ofFamily.filter((p) => clients.includes(p));
  // A profile that overrides no step decides as its reference does: nothing to compare.
  return chosen.filter((p) => p !== family && profileOverrides(p, registry).length > 0);
}

/** Every probe on which a compared profile and its reference disagree, in probe order. */
export function compatDepartures(probes: CompatProbes, profiles: readonly ProfileName[], registry: ProfileRegistry = PROFILES): Departure[] {
  const out: Departure[] = [];
  if (profiles.length === 0) return out;
  const decider = createDecider(probes.world, { profiles: registry });
  const loadPolicy = probes.loadPolicy;
  for (const { origin, target, headers, method } of probes.requests) {
    const plain = { origin: origin.url, target, ...(loadPolicy !== undefined ? { loadPolicy } : {}) };
    const base = { ...plain, ...(headers !== undefined ? { headers } : {}), ...(method !== undefined ? { method } : {}) };
    const reference = decider.decide({ ...base, client: probes.family });
    let plainAllowed: boolean | undefined;
    for (const profile of profiles) {
      const decision = decider.decide({ ...base, client: profile });
      if (decision.decision === reference.decision) continue;
      if ((headers !== undefined || method !== undefined) && plainAllowed === undefined) {
        plainAllowed = decider.decide({ ...plain, client: probes.family }).decision === 'allow';
      }
      out.push({ profile, origin, target, ...(headers !== undefined ? { headers } : {}), ...(method !== undefined ? { method } : {}), ...(plainAllowed !== undefined ? { plainAllowed } : {}), reference, decision });
    }
  }
  return out;
}

/**
 * The finding ID of a departure: a grant to an origin the file does not name is `high`, more for a
 * named one `medium`, less `medium`. A header or method the reference refuses to an origin it
 * grants the plain request is more for that origin (`medium`), whatever the origin.
 */
export function departureKind(d: Departure): FindingId {
  if (d.decision.decision === 'deny') return 'LINT-COMPAT-DENIES';
  if (d.plainAllowed === true) return 'LINT-COMPAT-GRANTS-MORE';
  return d.origin.kind === 'named' || d.origin.kind === 'bare' ? 'LINT-COMPAT-GRANTS-MORE' : 'LINT-COMPAT-GRANTS-UNNAMED';
}

/** `http://a/x.swf → socket://h:5005`, shortened for messages; a header or method probe says so. */
function probeText(d: Departure): string {
  const how = [d.method !== undefined ? `method ${d.method}` : '', d.headers !== undefined ? `header ${d.headers.join(', ')}` : ''].filter((x) => x !== '');
  return `${d.origin.url} → ${d.target}${how.length > 0 ? ` (${how.join(', ')})` : ''}`;
}

/** A reason for a message: its text without the final full stop. */
function reasonText(d: Decision): string {
  // The reason names the verdict; a location that gave no policy says why in its own trace step.
  const unread = d.trace.find((t) => t.step === 'fetch' && t.answered !== undefined && t.answered !== 'policy');
  const said = unread === undefined || d.reason.includes(unread.why.replace(/\.$/, '').slice(0, 60));
  const why = said ? '' : ` (${unread.location ?? 'the policy'} answered ${unread.answered}: ${unread.why.replace(/\.$/, '')})`;
  return `${d.reason.replace(/\.$/, '')}${why}`;
}

// LINT-17
/**
 * Reports where the chosen profiles decide this file differently from their family's reference:
 * one finding per profile and kind (LINT-COMPAT-GRANTS-UNNAMED, LINT-COMPAT-GRANTS-MORE,
 * LINT-COMPAT-DENIES), listing the probes and both decisions' reasons, pointing at the rule that
 * decided; LINT-COMPAT-SAMPLED when seeds were over the caps. Nothing when the context's client
 * never reads the file's format, or no profile other than the reference is chosen.
 *
 * Example where this check triggers: `<allow-access-from domain="*" to-ports="*">` (unclosed)
 * under Lightspark, which reads the malformed file that Flash Player rejects.
 * Confidence: as exact as the profiles (spec/profiles.md); probes are a sample, so no finding does
 * not prove the clients agree everywhere.
 */
export function checkCompatibility(text: string, context: LintContext, options: CompatOptions = {}): Finding[] {
  const family = context.format;
  if (context.client !== 'all' && context.client !== family) return [];
  const registry = options.profiles ?? PROFILES;
  const profiles = comparedProfiles(family, options.clients, registry);
  if (profiles.length === 0) return [];
  if (text.length > MAX_COMPARED_LENGTH) {
    return [finding('LINT-COMPAT-SAMPLED', `The clients were not compared: the file is ${text.length.toLocaleString('en-US')} characters, over the ${MAX_COMPARED_LENGTH.toLocaleString('en-US')} the comparison reads; ${profiles.join(', ')} may depart from ${family} anywhere in it (ask xdpolicy decide --client all).`, undefined, '')];
  }
  const probes = compatProbes(text, context);
  const departures = compatDepartures(probes, profiles, registry);
  const groups = new Map<string, Departure[]>();
  for (const d of departures) {
    const key = `${d.profile}\u0000${departureKind(d)}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = []));
    g.push(d);
  }
  const out: Finding[] = [];
  for (const [key, group] of groups) {
    const id = key.slice(key.indexOf('\u0000') + 1) as FindingId;
    const first = group[0]!;
    const shown = group.slice(0, PROBES_SHOWN).map(probeText).join('; ');
    const more = group.length > PROBES_SHOWN ? ` and ${group.length - PROBES_SHOWN} more` : '';
    const what =
      id === 'LINT-COMPAT-DENIES'
        ? `${first.profile} denies ${group.length} request${group.length === 1 ? '' : 's'} the reference (${family}) allows, so the operator's ${first.profile} users break`
        : id === 'LINT-COMPAT-GRANTS-UNNAMED'
          ? `${first.profile} grants ${group.length} request${group.length === 1 ? '' : 's'} the reference (${family}) denies, from origins the file never names`
          : `${first.profile} grants ${group.length} request${group.length === 1 ? '' : 's'} the reference (${family}) denies`;
    const rule = (id === 'LINT-COMPAT-DENIES' ? first.reference : first.decision).decidedBy.rule;
    // A rule the client read without a position (a trace may carry line 0) points at the file start.
    const where = rule === null || !(rule.line >= 1 && rule.column >= 1) ? undefined : { line: rule.line, column: rule.column, offset: 0 };
    out.push(finding(id, `${what}: ${shown}${more}. ${family}: ${reasonText(first.reference)}. ${first.profile}: ${reasonText(first.decision)}.`, where, first.profile));
  }
  const { domains, ports, paths } = probes.skipped;
  if (domains + ports + paths > 0) {
    const parts = [domains > 0 ? `${domains} domain${domains === 1 ? '' : 's'} (over ${MAX_PROBE_DOMAINS})` : '', ports > 0 ? `${ports} port${ports === 1 ? '' : 's'} (over ${MAX_PROBE_PORTS})` : '', paths > 0 ? `${paths} path${paths === 1 ? '' : 's'} (over ${MAX_PROBE_PATHS})` : ''].filter((p) => p !== '');
    out.push(finding('LINT-COMPAT-SAMPLED', `The client comparison probed a sample: ${parts.join(', ')} written in the file seeded no probe; ${profiles.join(', ')} may depart from ${family} there too.`, undefined, ''));
  }
  return out;
}
