/**
 * The `swfdec` profile: Swfdec @ de1eef41 (mltframework/swfdec), as spec/flash/9-divergences.md rows
 * SW-* record it. Swfdec's whole procedure is short, so the profile replaces it in one step: a data
 * load is allowed for the same protocol, host and port; otherwise by any policy file loaded for the
 * target (its `/crossdomain.xml`, and `loadPolicyFile` URLs) whose directory contains the target and
 * one of whose `allow-access-from domain` globs matches the SWF's host. Sockets are never checked.
 * The globs are indexed by shape (exact, `*`, one leading or trailing `*`); other shapes are scanned. Our own code,
 * written from swfdec's (read for facts only: it is LGPL).
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import type { Decision, ParsedRequest } from '../decision/types.js';
import type { DecisionBuilder } from '../decision/builder.js';
import type { FlashGrammarRead, FlashPolicyContext } from '../flash/effective.js';
import type { FlashPolicy } from '../flash/model.js';
import type { FlashFetcher, FlashSteps } from '../flash/steps.js';
import { masterUrlLocation, type UrlLocation, type UrlTarget } from '../world/locations.js';
import type { XmlDocument } from '../xml/document.js';
import type { ProfileDefinition, StepTag } from './types.js';

const AT = 'mltframework/swfdec @ de1eef41 swfdec/';

const tag = (record: string, departsFrom: RequirementId[], does: string, source: string): StepTag => ({ record: `flash/9#${record}`, departsFrom, does, source: `${AT}${source}` });

/** GLib's `g_pattern_match` over a pattern without `?` (Swfdec drops those): `*` is any run of characters, dots included. */
export function globMatches(pattern: string, subject: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === subject;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!subject.startsWith(first) || subject.length < first.length + last.length || !subject.endsWith(last)) return false;
  let at = first.length;
  const end = subject.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = subject.indexOf(parts[i]!, at);
    if (found === -1 || found + parts[i]!.length > end) return false;
    at = found + parts[i]!.length;
  }
  return true;
}

/**
 * The globs of one policy, indexed: exact names in a set, `*` alone as a flag, a single leading `*`
 * (`*.x`, `*x`) by suffix and a single trailing one by prefix (looked up for each suffix/prefix of
 * the host, so a lookup costs the host's length, not the rule count); other shapes are scanned.
 */
export interface SwfdecGlobIndex {
  any: boolean;
  exact: ReadonlySet<string>;
  suffixes: ReadonlySet<string>;
  /** The distinct lengths of `suffixes` and `prefixes`: only host slices of these lengths are looked up. */
  suffixLengths: readonly number[];
  prefixes: ReadonlySet<string>;
  prefixLengths: readonly number[];
  others: readonly string[];
}

/** Builds the index of a policy's domain globs. */
export function indexGlobs(domains: Iterable<string>): SwfdecGlobIndex {
  const exact = new Set<string>();
  const suffixes = new Set<string>();
  const prefixes = new Set<string>();
  const others: string[] = [];
  let any = false;
  for (const d of domains) {
    const stars = d.split('*').length - 1;
    if (stars === 0) exact.add(d);
    else if (/^\*+$/.test(d)) any = true;
    else if (stars === 1 && d.startsWith('*')) suffixes.add(d.slice(1));
    else if (stars === 1 && d.endsWith('*')) prefixes.add(d.slice(0, -1));
    else others.push(d);
  }
  const lengths = (set: ReadonlySet<string>): number[] => [...new Set([...set].map((x) => x.length))].sort((a, b) => a - b);
  return { any, exact, suffixes, suffixLengths: lengths(suffixes), prefixes, prefixLengths: lengths(prefixes), others };
}

/** Whether some glob of the index matches `host` (the same answer as {@link globMatches} over every glob). */
export function indexMatches(index: SwfdecGlobIndex, host: string): boolean {
  if (index.any || index.exact.has(host)) return true;
  for (const n of index.suffixLengths) {
    if (n > host.length) break;
    if (index.suffixes.has(host.slice(host.length - n))) return true;
  }
  for (const n of index.prefixLengths) {
    if (n > host.length) break;
    if (index.prefixes.has(host.slice(0, n))) return true;
  }
  for (const g of index.others) if (globMatches(g, host)) return true;
  return false;
}

const indexes = new WeakMap<object, SwfdecGlobIndex>();

/** The glob index of a compiled policy, built once. */
function globIndexOf(compiled: { effective: { policy: FlashPolicy } }): SwfdecGlobIndex {
  let index = indexes.get(compiled);
  if (index === undefined) indexes.set(compiled, (index = indexGlobs(compiled.effective.policy.allowAccessFrom.map((r) => r.domain))));
  return index;
}

/** `swfdec_policy_file_parse`: every `cross-domain-policy` element (any case) at the top, its `allow-access-from` (any case) `domain`s, lower-cased; a domain with `?` is dropped; nothing else is read. */
function swfdecGrammar(doc: XmlDocument, _context: FlashPolicyContext): FlashGrammarRead {
  const policy: FlashPolicy = { format: 'flash', siteControl: [], allowAccessFrom: [], allowHttpRequestHeadersFrom: [], allowAccessFromIdentity: [] };
  if (doc.root.name.toLowerCase() === 'cross-domain-policy') {
    for (const node of doc.root.children) {
      if (node.kind !== 'element' || node.name.toLowerCase() !== 'allow-access-from') continue;
      const domain = node.attributes.find((a) => a.name === 'domain')?.value;
      if (domain === undefined || domain.includes('?')) continue;
      policy.allowAccessFrom.push({ domain: domain.toLowerCase(), toPorts: null, secure: null, source: { location: node.location, raw: Object.fromEntries(node.attributes.map((a) => [a.name, a.value])) } });
    }
  }
  return { policy, stoppedAt: null };
}

/** `swfdec_url_is_parent` of a policy file's directory and the target: same protocol, host and port, and a path prefix ending at a `/`. */
function isParent(file: UrlLocation, target: UrlTarget): boolean {
  if (file.scheme !== target.scheme || file.host !== target.host || file.port !== target.port) return false;
  const dir = file.path.slice(0, file.path.lastIndexOf('/'));
  return target.path.startsWith(dir) && (target.path.length === dir.length || target.path[dir.length] === '/');
}

function swfdecDecides(b: DecisionBuilder, request: ParsedRequest, fetch: FlashFetcher): Decision {
  const target = request.target;
  if (target.kind === 'socket') {
    b.add({ step: 'note', why: 'Swfdec checks no policy for XMLSocket.connect: the socket is created at once', requirements: ['FLASH-SOCK-3'] });
    return b.allow(`Swfdec asks no socket policy: a connection to ${target.host}:${target.port} is made without one`, ['FLASH-SOCK-3']);
  }
  const origin = request.origin;
  // swfdec_url_host_equal: protocol, host and port.
  if (origin.scheme === target.scheme && origin.host === target.host && origin.port === target.port) {
    b.add({ step: 'same-origin', why: `the SWF and ${target.href} share protocol, host and port`, requirements: ['FLASH-URL-2'] });
    return b.allow(`same host: ${target.scheme}://${target.host}:${target.port} (Swfdec)`, ['FLASH-URL-2']);
  }
  const host = origin.scheme === 'file' ? '?' : origin.host;
  const candidates: { loc: UrlLocation; master: boolean }[] = [{ loc: masterUrlLocation(target), master: true }];
  for (const l of request.loadPolicy) if (l.location !== null && l.location.kind === 'url') candidates.push({ loc: l.location, master: false });
  for (const { loc, master } of candidates) {
    const fetched = fetch.url(loc, master);
    if (fetched.compiled === null) {
      b.add({ step: 'fetch', location: fetched.final, answered: fetched.answered, used: false, why: `Swfdec reads no patterns from it: ${fetched.why}`, requirements: ['FLASH-URL-1'] });
      continue;
    }
    if (!isParent(fetched.finalUrl ?? loc, target)) {
      b.add({ step: 'ignore', location: fetched.final, used: false, why: `its directory does not contain ${target.path} (swfdec_url_is_parent)`, requirements: ['FLASH-URL-4'] });
      continue;
    }
    if (indexMatches(globIndexOf(fetched.compiled), host)) {
      const rule = fetched.compiled.effective.policy.allowAccessFrom.find((r) => globMatches(r.domain, host))!;
      return b.allow(`Swfdec: the glob domain="${rule.domain}" of ${fetched.final} matches ${host}`, ['FLASH-DOM-3'], fetched.final);
    }
    b.add({ step: 'no-match', location: fetched.final, used: false, why: `no allow-access-from glob matches ${host}`, requirements: ['FLASH-DOM-3'] });
  }
  return b.deny(`no policy file Swfdec loaded for ${target.href} has a domain glob matching ${host}`, ['FLASH-URL-1']);
}

/** Swfdec @ de1eef41. */
export const SWFDEC_PROFILE: ProfileDefinition<FlashSteps> = {
  name: 'swfdec',
  base: 'flash',
  title: 'Swfdec @ de1eef41',
  description: "Swfdec, GNOME's Flash player: domain values are GLib globs matched by a scan (no dot boundary, wildcards anywhere), element names in any case, no meta-policies, secure or to-ports, and no policy check at all for sockets.",
  overrides: {
    grammar: {
      run: (doc, context) => swfdecGrammar(doc, context),
      tag: tag('SW-2', ['FLASH-XML-3', 'FLASH-GRAM-2'], 'reads cross-domain-policy and allow-access-from in any case; only domain is read (no site-control, secure, to-ports, header rules); a domain with ? is dropped', 'swfdec_policy_file.c:80-119'),
    },
    withoutPolicy: {
      run: swfdecDecides,
      tag: tag('SW-1', ['FLASH-DOM-3', 'FLASH-DOM-4', 'FLASH-DOM-5', 'FLASH-META-1', 'FLASH-SOCK-3', 'FLASH-URL-14'], "decides loads itself: same protocol, host and port; else a loaded policy file containing the target whose domain glob (g_pattern_match: * is any run) matches the SWF's host; sockets are never checked; no blocked ports", 'swfdec_policy_file.c:284-319 (swfdec_policy_file_allow), 338-366; swfdec_access.c:28-66 (swfdec_player_allow_by_matrix); swfdec_url.c:492-516 (is_parent), 550-570 (host_equal); swfdec_xml_socket.c:294-305 (connect: no check)'),
    },
  },
  undecided: [
    { what: "How Swfdec's own ActionScript XML parser (swfdec_xml_new_no_properties) reads malformed text.", chose: "Our strict XML reader (FLASH-XML-*): a file it rejects gives no patterns (fail closed). UNVERIFIED." },
    { what: 'Status codes, redirects and Content-Type of policy downloads (the loader is the embedding application\'s).', chose: "The reference's way to a body (FLASH-URL-6, FLASH-URL-8)." },
    { what: "Whether the host Swfdec compares is lower-cased or normalised (swfdec_url parsing).", chose: 'The host as the URL reader normalises it (lower-case; IP forms normalised).' },
    { what: 'Policy files loaded earlier for other requests (Swfdec keeps every loaded file for the player\'s life).', chose: 'Only the files this request causes to be loaded: the target\'s /crossdomain.xml and the loadPolicyFile URLs.' },
  ],
};
