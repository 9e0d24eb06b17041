/**
 * The `lightspark` profile: Lightspark @ d51ab6019, the open-source Flash player, as its code decides
 * (spec/flash/9-divergences.md, rows LS-*). Each override is our own function written from what
 * that code does (read for facts only: Lightspark is LGPL), tagged with its record and source.
 * Paths: security.cpp, security.h, urlutils.cpp, netutils.cpp are in `src/backends/`,
 * crossdomainpolicy.cpp ("cdp.cpp") in `src/parsing/`.
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';
import type { ParsedRequest } from '../decision/types.js';
import { hostTails, type RuleOrigin } from '../flash/compile.js';
import type { DomainPattern } from '../flash/domains.js';
import { type FileValidity, type FlashGrammarRead, type FlashPolicyContext, type FramedAnswer } from '../flash/effective.js';
import type { UrlAnswer } from '../flash/fetch.js';
import type { EffectiveMetaPolicy } from '../flash/meta.js';
import type { ElementSource, FlashAllowAccessFrom, FlashAllowHttpRequestHeadersFrom, FlashPolicy, FlashSiteControl, MetaPolicy, PortSpec } from '../flash/model.js';
import type { FlashSteps, ScopeAnswer } from '../flash/steps.js';
import type { ToPortsReader } from '../flash/parse.js';
import { resolveRedirect, type IndexedWorld, type UrlLocation, type UrlTarget } from '../world/locations.js';
import { responseHeader } from '../world/parse.js';
import { endedByClose, type WorldResponse } from '../world/world.js';
import type { XmlDocument, XmlElement } from '../xml/document.js';
import { lightsparkXmlDocument } from './lightspark-xml.js';
import type { ProfileDefinition, StepTag } from './types.js';

const AT = 'lightspark/lightspark @ d51ab6019';

// --- to-ports ------------------------------------------------------------------------------

/** C's `atoi` as glibc does it (`strtol`, clamped to a 64-bit long, then cut to `int`), stored in a `uint16_t`. */
export function atoiUint16(s: string): number {
  let i = 0;
  while (i < s.length && ' \t\n\v\f\r'.includes(s[i]!)) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') negative = s[i++] === '-';
  let value = 0n;
  const max = (1n << 63n) - 1n;
  for (; i < s.length && s[i]! >= '0' && s[i]! <= '9'; i++) {
    value = value * 10n + BigInt(s.charCodeAt(i) - 48);
    if (value > max + 1n) value = max + 1n;
  }
  let long = negative ? -value : value;
  if (long > max) long = max;
  if (long < -max - 1n) long = -max - 1n;
  return Number(BigInt.asUintN(16, long));
}

/**
 * `to-ports` as Lightspark reads it: items split at commas, each read with `atoi` into 16 bits. The
 * range branch looks for a dash only after the next comma, and its length test never holds, so a
 * range is never built: `516-523` is port 516. An item that is exactly `*` grants every port;
 * port 0 never matches. Never fails (the grammar already refused an empty value in socket files).
 */
export function lightsparkToPorts(value: string): PortSpec {
  if (value === '' || value === '*') return { any: true };
  const ports: number[] = [];
  let cursor = 0;
  for (;;) {
    const comma = value.indexOf(',', cursor);
    // The dash is searched from the comma on (from the end when there is none): a dash of this item is never seen.
    const dash = comma === -1 ? -1 : value.indexOf('-', comma);
    const item = dash !== -1 ? value.slice(cursor, dash) : value.slice(cursor, comma === -1 ? undefined : comma);
    if (item === '*') return { any: true };
    const port = atoiUint16(item);
    if (port !== 0 && !ports.includes(port)) ports.push(port);
    if (comma === -1) break;
    cursor = comma + 1;
  }
  return { any: false, ranges: ports.map((p) => ({ from: p, to: p })) };
}

// --- the text of a socket answer -------------------------------------------------------------

/** Reads until a short read; refuses an answer whose last byte is not NUL, `>` or a line feed; drops that byte. */
function lightsparkFraming(answer: string): FramedAnswer {
  if (answer === '') return { text: null, framing: null, answered: 'empty', why: 'the answer was empty: Lightspark refuses it', requirements: ['FLASH-SOCK-2'] };
  const last = answer[answer.length - 1]!;
  if (last !== '\0' && last !== '>' && last !== '\n') {
    return { text: null, framing: null, answered: 'invalid', why: `the answer ends in ${JSON.stringify(last)}, not NUL, '>' or a line feed: Lightspark refuses it`, requirements: ['FLASH-SOCK-2'] };
  }
  return { text: answer.slice(0, -1), framing: null, how: 'a policy, its last byte dropped (Lightspark)', diagnostics: [] };
}

// --- the grammar (cdp.cpp getNextElement) and the file's validity (security.cpp PolicyFile::load) ---

function attr(el: XmlElement, name: string): string {
  return el.attributes.find((a) => a.name === name)?.value ?? '';
}

function sourceOf(el: XmlElement): ElementSource {
  return { location: el.location, raw: Object.fromEntries(el.attributes.map((a) => [a.name, a.value])) };
}

function secureOf(el: XmlElement): boolean | null {
  const v = attr(el, 'secure');
  return v === 'true' ? true : v === 'false' ? false : null;
}

function metaValue(v: string): MetaPolicy {
  return v === 'all' || v === 'by-content-type' || v === 'by-ftp-filename' || v === 'master-only' || v === 'none' ? v : 'none';
}

/**
 * Lightspark's reading of the root's direct children: unknown elements and text skipped, children
 * never visited; the first element it calls invalid stops the reading (the rules before it are
 * kept in the model; `stoppedAt` says where). A `site-control` meaning `none` in a master ends the
 * reading too.
 */
function lightsparkGrammar(doc: XmlDocument, context: FlashPolicyContext, diagnostics: Diagnostic[], toPorts: ToPortsReader): FlashGrammarRead {
  const socket = context.kind === 'socket';
  const scheme = context.scheme ?? 'http';
  const master = context.master !== false;
  const policy: FlashPolicy = { format: 'flash', siteControl: [], allowAccessFrom: [], allowHttpRequestHeadersFrom: [], allowAccessFromIdentity: [] };
  const stop = (el: XmlElement, why: string): FlashGrammarRead => {
    diagnostics.push({ severity: 'warning', code: 'lightspark-stop', message: `Lightspark stops reading at <${el.name}> (line ${el.location.line}): ${why}`, line: el.location.line, column: el.location.column, requirement: 'FLASH-XML-1' });
    return { policy, stoppedAt: { element: el.name, line: el.location.line, column: el.location.column, why } };
  };
  if (doc.root.name !== 'cross-domain-policy') return stop(doc.root, 'the first element is not cross-domain-policy');
  for (const node of doc.root.children) {
    if (node.kind !== 'element') continue;
    const count = node.attributes.length;
    if (node.name === 'site-control') {
      if (policy.siteControl.length > 0) return stop(node, 'a second site-control');
      if (!master) return stop(node, 'a site-control outside the master');
      if (count !== 1) return stop(node, `site-control with ${count} attributes`);
      const v = attr(node, 'permitted-cross-domain-policies');
      if (v === '') return stop(node, 'site-control without permitted-cross-domain-policies');
      const sc: FlashSiteControl = { permittedCrossDomainPolicies: metaValue(v) };
      policy.siteControl.push(sc);
      if (sc.permittedCrossDomainPolicies === 'none') break;
    } else if (node.name === 'allow-access-from') {
      if (count < 1 || count > 3) return stop(node, `allow-access-from with ${count} attributes`);
      const domain = attr(node, 'domain');
      const portsText = attr(node, 'to-ports');
      if (domain === '') return stop(node, 'allow-access-from without a domain');
      if (socket && portsText === '') return stop(node, 'a socket rule without to-ports');
      const ports = socket ? (toPorts(portsText, [], node.location) ?? { any: false as const, ranges: [] }) : null;
      const rule: FlashAllowAccessFrom = { domain, toPorts: ports, secure: secureOf(node), source: sourceOf(node) };
      policy.allowAccessFrom.push(rule);
    } else if (node.name === 'allow-http-request-headers-from') {
      if (socket || (scheme !== 'http' && scheme !== 'https') || count < 2 || count > 3) return stop(node, socket ? 'a header rule in a socket policy' : `allow-http-request-headers-from with ${count} attributes`);
      const domain = attr(node, 'domain');
      const headers = attr(node, 'headers');
      if (domain === '' || headers === '') return stop(node, 'a header rule without domain or headers');
      const rule: FlashAllowHttpRequestHeadersFrom = { domain, headers: headers.split(','), secure: secureOf(node), source: sourceOf(node) };
      policy.allowHttpRequestHeadersFrom.push(rule);
    }
  }
  return { policy, stoppedAt: null };
}

/** The meta-policy a master declares: its site-control, else the default (URL `master-only`, socket `all`); the response header is never read. */
function lightsparkMetaPolicy(policy: FlashPolicy, _header: string | undefined, context: FlashPolicyContext): EffectiveMetaPolicy | null {
  if (context.master === false) return null;
  const sc = policy.siteControl[0];
  if (sc !== undefined) return { value: sc.permittedCrossDomainPolicies, source: 'site-control', notes: [`site-control says ${sc.permittedCrossDomainPolicies} (Lightspark)`], requirements: ['FLASH-META-1'] };
  const value: MetaPolicy = context.kind === 'socket' ? 'all' : 'master-only';
  return { value, source: 'default', notes: [`no site-control: Lightspark's default for a ${context.kind} master, ${value}`], requirements: ['FLASH-META-1'] };
}

/**
 * What a stop leaves: a non-master file is invalid; a master stays valid, but its own rules are
 * ignored unless a site-control came before the stop. A URL master saying `by-ftp-filename` over
 * HTTP(S) is invalid.
 */
function lightsparkFileValidity(policy: FlashPolicy, stoppedAt: FlashGrammarRead['stoppedAt'], meta: EffectiveMetaPolicy | null, context: FlashPolicyContext): FileValidity {
  const master = context.master !== false;
  if (master && context.kind === 'url' && meta?.value === 'by-ftp-filename') {
    return { invalid: { why: "Lightspark marks a master saying 'by-ftp-filename' over HTTP(S) invalid", requirement: 'FLASH-META-5' }, ownRulesVoid: null };
  }
  if (stoppedAt === null) return { invalid: null, ownRulesVoid: null };
  if (!master) return { invalid: { why: `Lightspark stopped at <${stoppedAt.element}> (${stoppedAt.why}): the whole file is invalid`, requirement: 'FLASH-XML-1' }, ownRulesVoid: null };
  if (policy.siteControl.length === 0) return { invalid: null, ownRulesVoid: { why: `Lightspark stopped at <${stoppedAt.element}> (${stoppedAt.why}) before any site-control: the master is ignored, its default meta-policy still governs`, requirement: 'FLASH-XML-1' } };
  return { invalid: null, ownRulesVoid: null };
}

/** `text/…`, `application/xml` or `application/xhtml+xml`, as written before any `;` (HTTP(S) only); the response header is never read. */
function lightsparkServingRefusal(context: FlashPolicyContext): ReturnType<FlashSteps['servingRefusal']> {
  if (context.kind !== 'url' || context.contentType === undefined) return null;
  const type = (context.contentType ?? '').split(';')[0]!;
  if (type.startsWith('text/') || type === 'application/xml' || type === 'application/xhtml+xml') return null;
  return { answered: 'content-type', why: `${context.contentType === null ? 'no Content-Type' : `Content-Type '${context.contentType}'`}: Lightspark reads only text/…, application/xml or application/xhtml+xml`, requirement: 'FLASH-URL-7' };
}

// --- origins and domains ---------------------------------------------------------------------

/** The host of a URL as Lightspark's `URLInfo` cuts it: up to the path, the last `:` before it, or `?`; lower-cased. */
export function lightsparkHost(url: string): string {
  const sep = url.indexOf('://');
  if (sep === -1) return '';
  const hostStart = sep + 3;
  const pathPos = url.indexOf('/', hostStart);
  const before = pathPos === -1 ? url.length : pathPos;
  const colon = url.lastIndexOf(':', before - 1);
  const portPos = colon >= hostStart ? colon : -1;
  const query = url.indexOf('?', pathPos === -1 ? hostStart : pathPos);
  const end = Math.min(before, portPos === -1 ? Infinity : portPos, query === -1 ? Infinity : query);
  return url.slice(hostStart, end).toLowerCase();
}

/** The SWF's host as text (no IP reading): IP origins are compared as written. */
function lightsparkRuleOrigin(request: ParsedRequest): RuleOrigin {
  const https = request.origin.scheme === 'https';
  if (request.origin.scheme === 'file') return { host: { kind: 'local' }, https };
  const name = lightsparkHost(request.given.origin);
  return { host: { kind: 'name', name }, https, tails: hostTails(name) };
}

/** `*`, `*.x` (x or anything ending in `.x`), or the exact lower-cased text: IP addresses and odd spellings are text too. */
function lightsparkDomainPattern(domain: string): DomainPattern {
  const d = domain.toLowerCase();
  if (d === '*') return { kind: 'any' };
  if (d.startsWith('*.')) return { kind: 'suffix', suffix: d.slice(2) };
  return { kind: 'name', name: d };
}

// --- URL policies: the way to a body, master-ness, scope --------------------------------------

/** Any 2xx, or a 3xx without Location, is a body; up to 100 redirects, same host only, no port check. */
function lightsparkUrlAnswer(world: IndexedWorld, requested: UrlLocation): UrlAnswer {
  let loc = requested;
  const fail = (answered: Extract<UrlAnswer, { ok: false }>['answered'], why: string, response?: WorldResponse): UrlAnswer => ({ ok: false, final: loc, answered, why, requirements: ['FLASH-URL-6'], ...(response !== undefined ? { response } : {}) });
  for (let hops = 0; ; hops++) {
    const response = world.get(loc.key);
    if (response === undefined) return fail('status 404', `${loc.key} is not there (404): no policy`);
    if (response.error !== undefined) return fail(response.error, `the request failed (${response.error}): no policy`, response);
    const status = response.status ?? 200;
    if (status >= 400) return fail(`status ${status}`, `HTTP status ${status}: Lightspark fails the download`, response);
    const redirectTo = status >= 300 && status < 400 ? responseHeader(response, 'location') : undefined;
    if (redirectTo === undefined) {
      if (status < 200) return fail(`status ${status}`, `HTTP status ${status}: no body`, response);
      // A transfer curl did not complete is a failed download.
      if (!endedByClose(response)) return fail(`unfinished (${response.end as Exclude<typeof response.end, 'close' | undefined>})`, `the download did not complete (it ended by ${response.end}): no policy`, response);
      return { ok: true, response, final: loc, contentType: response.contentType ?? null, metaPolicyHeader: undefined, requirements: ['FLASH-URL-6'] };
    }
    const next = resolveRedirect(loc, redirectTo, { what: 'redirect target', requirement: 'FLASH-URL-8', diagnostics: [] });
    if (next === null) return fail('redirect', 'unreadable redirect: no policy', response);
    if (next.host !== requested.host) return fail('redirect', `redirected to another host (${next.key}): Lightspark marks the file invalid`, response);
    if (hops + 1 > 100) return fail('redirect', 'more than 100 redirects (curl gives up): no policy', response);
    loc = next;
  }
}

function directory(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

function decodedDirectory(path: string): string {
  // Literal dot segments are resolved (normalizePath), then the directory is decoded as decodeURI does.
  const out: string[] = [];
  for (const seg of path.split('/').slice(1)) {
    if (seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  const dir = directory(`/${out.join('/')}`);
  try {
    return decodeURI(dir);
  } catch {
    return dir;
  }
}

/** `isSubOf`: same scheme and host (any port), and the target's decoded directory starts with the file's. */
function lightsparkFileCovers(file: { finalUrl?: UrlLocation }, target: UrlTarget): ScopeAnswer {
  const loc = file.finalUrl!;
  if (loc.scheme !== target.scheme || loc.host !== target.host) return { covers: false, why: `a policy at ${loc.key} applies only to ${loc.scheme}://${loc.host}`, requirement: 'FLASH-URL-3' };
  const dir = decodedDirectory(loc.path);
  const targetDir = decodedDirectory(target.rawPath || '/');
  if (!targetDir.startsWith(dir)) return { covers: false, why: `a policy at ${loc.key} applies only below ${dir} (Lightspark compares decoded directories), not to ${targetDir}`, requirement: 'FLASH-URL-4' };
  return { covers: true, why: `${targetDir} starts with ${dir} once decoded (Lightspark)`, requirement: 'FLASH-URL-4' };
}

const tag = (record: string, departsFrom: RequirementId[], does: string, source: string): StepTag => ({ record: `flash/9#${record}`, departsFrom, does, source: `${AT} ${source}` });

/** Lightspark @ d51ab6019. */
export const LIGHTSPARK_PROFILE: ProfileDefinition<FlashSteps> = {
  name: 'lightspark',
  base: 'flash',
  title: 'Lightspark @ d51ab6019',
  description: 'Lightspark, the open-source Flash Player for Linux, as its code at d51ab6019 decides: atoi to-ports, no 1024 rule, malformed XML read anyway, text-compared hosts, no meta-policy header, no request-header check.',
  overrides: {
    toPorts: { run: (value) => lightsparkToPorts(value), tag: tag('LS-1', ['FLASH-PORT-1', 'FLASH-PORT-2', 'FLASH-PORT-3'], 'reads each to-ports item with atoi into 16 bits: a range keeps only its first port, 70000 is 4464, an item * grants every port', 'security.cpp:1431-1479; security.h:340-350') },
    lowestGrantablePort: { run: () => 1, tag: tag('LS-2', ['FLASH-SOCK-7'], 'has no 1024 rule: a policy from a high port grants low ports too', 'security.cpp:390-433, 1232-1250, 1502-1545 (no test of the policy port)') },
    framing: { run: lightsparkFraming, tag: tag('LS-3', ['FLASH-SOCK-2'], 'takes the answer up to a short read, refuses it unless its last byte is NUL, > or a line feed, and drops that byte', 'security.cpp:1334-1359') },
    unusableMasterSocket: {
      run: (answered) => (answered === 'refused' || answered === 'timeout' ? 'as-absent' : 'destination-only'),
      tag: tag('LS-3', ['FLASH-SOCK-5'], 'a 843 that cannot be reached is a default master (meta all); one that answered no usable policy leaves only the destination port', 'security.cpp:1309-1320 (default master), 391-406 (fallback to the target port)'),
    },
    xmlDocument: { run: (text, diagnostics) => lightsparkXmlDocument(text, diagnostics), tag: tag('LS-4', ['FLASH-XML-1', 'FLASH-XML-2', 'FLASH-XML-4'], "ignores its XML reader's verdict: the tree read up to the first error is used", 'cdp.cpp:28, 37-50; bundled pugixml 1.11 parse_default (pugixml.hpp:224-228)') },
    grammar: { run: (doc, context, diagnostics, toPorts) => lightsparkGrammar(doc, context, diagnostics, toPorts), tag: tag('LS-13', ['FLASH-GRAM-5', 'FLASH-GRAM-7', 'FLASH-GRAM-9', 'FLASH-GRAM-10', 'FLASH-GRAM-11'], 'reads the root\'s direct children only; stops at the first element it calls invalid (attribute counts, empty domain, socket rule without to-ports, second site-control)', 'cdp.cpp:37-131; security.cpp:853-866') },
    fileValidity: { run: lightsparkFileValidity, tag: tag('LS-14', ['FLASH-GRAM-11', 'FLASH-META-8', 'FLASH-SOCK-9'], 'a stopped non-master is invalid; a stopped master stays valid but ignores its own rules unless a site-control came first', 'security.cpp:853-879, 917-939, 1117-1129') },
    metaPolicy: { run: lightsparkMetaPolicy, tag: tag('LS-15', ['FLASH-META-6', 'FLASH-SOCK-10', 'FLASH-GRAM-10'], 'the first site-control decides (unknown: none; by-content-type/by-ftp-filename kept for sockets); the X-Permitted header is never read', 'security.cpp:1380-1404, 917-939') },
    socketLocations: {
      run: (meta) => ({ loadPolicy: meta !== 'none' && meta !== 'master-only', destination: meta === 'all' }),
      tag: tag('LS-15', ['FLASH-SOCK-6', 'FLASH-SOCK-10'], 'loadPolicyFile socket policies are asked unless the master says none or master-only; the destination port only under all', 'security.cpp:278-331, 413-430'),
    },
    servingRefusal: { run: lightsparkServingRefusal, tag: tag('LS-19', ['FLASH-URL-7', 'FLASH-META-7'], 'reads a URL policy served as text/…, application/xml or application/xhtml+xml (as written before ;); never reads none-this-response', 'security.cpp:1058-1067') },
    metaPermits: {
      run: (meta, candidate) => {
        if (meta === 'by-content-type' && !candidate.master) {
          const type = (candidate.contentType ?? '').split(';')[0]!;
          return type === 'text/x-cross-domain-policy' ? { permitted: true, requirement: 'FLASH-META-4', why: 'served as text/x-cross-domain-policy, as written (Lightspark)' } : { permitted: false, requirement: 'FLASH-META-4', why: `Lightspark ignores it under by-content-type: Content-Type '${type}' is not exactly text/x-cross-domain-policy` };
        }
        if (meta === 'by-ftp-filename' || meta === 'by-content-type') return { permitted: true, requirement: 'FLASH-META-4', why: `Lightspark honours other files under ${meta}` };
        return meta === 'all' ? { permitted: true, requirement: 'FLASH-META-9', why: 'meta-policy all' } : { permitted: candidate.master, requirement: meta === 'none' ? 'FLASH-META-2' : 'FLASH-META-3', why: `meta-policy ${meta}` };
      },
      tag: tag('LS-15', ['FLASH-META-4', 'FLASH-META-5'], "under by-content-type a file's Content-Type must be exactly text/x-cross-domain-policy before any ;; by-ftp-filename never restricts HTTP files", 'security.cpp:1009-1031, 1069-1086'),
    },
    secure: {
      run: (secure, context) => context.kind === 'socket' && secure === true,
      tag: tag('LS-6', ['FLASH-SEC-2', 'FLASH-GRAM-8'], 'secure never denies a URL load (it is checked only for HTTPS SWFs); a socket rule is secure only for exactly secure="true"', 'security.cpp:1157, 1421-1428, 1512-1517; cdp.cpp:82-93'),
    },
    domainPattern: { run: lightsparkDomainPattern, tag: tag('LS-5', ['FLASH-DOM-5', 'FLASH-DOM-6'], 'compares hosts as lower-cased text: *.x matches x and .x endings, IP addresses included, no IP normalisation', 'urlutils.cpp:334-358') },
    ruleOrigin: { run: lightsparkRuleOrigin, tag: tag('LS-5', ['FLASH-DOM-5'], "the SWF's host is the text URLInfo cuts out (an IPv6 origin without a port becomes '[2001:db8:')", 'urlutils.cpp:106-142') },
    sameOrigin: { run: (request, target) => request.origin.scheme === target.scheme && lightsparkHost(request.given.origin) === lightsparkHost(request.given.target), tag: tag('LS-8', ['FLASH-URL-2'], 'same scheme and host is the same origin, whatever the port', 'security.cpp:619-625') },
    headersToCheck: { run: () => [], tag: tag('LS-11', ['FLASH-URL-10'], 'never checks request headers (evaluateHeader has no caller)', 'security.cpp:702-775') },
    blocksPolicyLocation: { run: () => false, tag: tag('LS-7', ['FLASH-URL-15'], 'fetches a loadPolicyFile URL on a blocked port (no port check on policy downloads)', 'flashsystem.cpp:507-513; security.cpp:1033-1102') },
    urlAnswer: { run: lightsparkUrlAnswer, tag: tag('LS-16', ['FLASH-URL-6', 'FLASH-URL-8', 'FLASH-URL-15', 'FLASH-META-6'], 'reads any 2xx body and a 3xx without Location; follows up to 100 same-host redirects, to blocked ports too; never reads X-Permitted-Cross-Domain-Policies', 'netutils.cpp:398-411, 430-434, 610-612; security.cpp:1045-1056, 1088-1097') },
    isMasterUrl: { run: (final) => final.path === '/crossdomain.xml', tag: tag('LS-17', ['FLASH-URL-1', 'FLASH-URL-5'], 'a file is the master when its final path is /crossdomain.xml, whatever was asked for', 'security.cpp:1004-1007') },
    masterCoversTarget: { run: () => ({ covers: true, why: 'a master is never scope-checked (Lightspark)', requirement: 'FLASH-URL-3' }), tag: tag('LS-17', ['FLASH-URL-3', 'FLASH-URL-8'], 'a master is never scope-checked, even after a redirect to another scheme or port', 'security.cpp:1145') },
    fileCoversTarget: { run: lightsparkFileCovers, tag: tag('LS-9', ['FLASH-URL-13', 'FLASH-URL-4', 'FLASH-URL-3'], "a file covers its scheme and host on any port, below its directory as a byte prefix after decodeURI (..%2f, %2e%2e stay 'below')", 'security.cpp:1145; urlutils.cpp:149-155, 310-325') },
    loadPolicyCandidate: { run: (loc, target) => lightsparkFileCovers({ finalUrl: loc }, target), tag: tag('LS-9', ['FLASH-URL-5', 'FLASH-URL-3'], 'a loadPolicyFile URL is asked for a target of its scheme and host (any port) below its decoded directory', 'security.cpp:1145; urlutils.cpp:310-325') },
  },
  undecided: [
    { what: 'How a socket answer splits into reads (Lightspark stops at the first read shorter than 4096 bytes).', chose: 'The whole recorded answer is one read; how it ended (close, timeout) does not matter.' },
    { what: "A 'reset' on port 843: refused at connect (default master) or after it (no usable master)?", chose: "'refused' and 'timeout' are failed connects (default master, meta all); anything else leaves only the destination port (security.cpp:391-406). UNVERIFIED." },
    { what: "The exact tree pugixml keeps after every kind of error.", chose: 'Our own reader keeps the root and its direct children read before the first error (the cases the issue-13 build of the bundled pugixml showed).' },
  ],
};
