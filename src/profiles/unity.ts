/**
 * The `unity` profile: the Unity web player's socket check and its WWW class's crossdomain.xml
 * check — its fork of Moonlight's policy code (namespace `MonoForks.System.Windows.Browser.Net`:
 * `FlashCrossDomainPolicy`, its parser, `CrossDomainPolicyManager`), `UnityCrossDomainHelper`
 * (CrossDomainPolicyParser.dll) — the copies the code index holds, their repository path
 * UNVERIFIED, lines counted in those copies — and Mono's `SocketPolicyClient` as Unity built it
 * (zioshin/Unity-mono @ a5c709f2), as spec/flash/9-divergences.md rows UN-* record them. Our own
 * functions, written from what that code does; how the text is read is in `unity-parser.ts`.
 *
 * Sockets: one policy per IP address, held for every connection to it — the one
 * `Security.PrefetchSocketPolicy(ip, atPort)` fetched (a request's `xmlsocket://` loadPolicy), else
 * port 843's; a policy from a port above 1024 grants only ports from 1024; only `domain="*"`
 * grants. WWW: the target's `/crossdomain.xml`, where `*x` tests the target's own host, an exact
 * domain the content's host, and `secure` keeps HTTP data from HTTPS content.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import type { DecisionBuilder } from '../decision/builder.js';
import type { Decision, ParsedRequest } from '../decision/types.js';
import { findAccessGrant, ruleOrigin, type RuleOrigin } from '../flash/compile.js';
import { fetchEntry } from '../flash/decide.js';
import { classifyHost, type DomainPattern } from '../flash/domains.js';
import { FLASH_READ_STEPS, type FileValidity, type FlashGrammarRead, type FlashPolicyContext } from '../flash/effective.js';
import { flashUrlAnswer, type FetchedFlashPolicy, type UrlAnswer } from '../flash/fetch.js';
import type { EffectiveMetaPolicy } from '../flash/meta.js';
import type { FlashAllowAccessFrom, FlashPolicy } from '../flash/model.js';
import { portSpecContains } from '../flash/ports.js';
import type { FlashSteps, HeldSocketInput, HeldSocketPolicy, PolicyFreeLoad, ScopeAnswer } from '../flash/steps.js';
import type { NeverApplies } from '../diagnostics.js';
import { urlLocationKey, type IndexedWorld, type UrlLocation, type UrlTarget } from '../world/locations.js';
import type { ProfileDefinition, StepTag } from './types.js';
import { UNITY_PARSER, UNITY_SOCKET_CLIENT, unityFraming, unityGrammar, unityToPorts, unityXmlDocument } from './unity-parser.js';

const INDEX = '(index copy, path UNVERIFIED)';
const FORK = `Unity's MonoForks FlashCrossDomainPolicy.cs ${INDEX}`;
const MANAGER = `Unity's MonoForks CrossDomainPolicyManager.cs ${INDEX}`;
const HELPER = `Unity's UnityCrossDomainHelper.cs ${INDEX}`;
const SPC = `${UNITY_SOCKET_CLIENT}:20-93 @ a5c709f2`;

const tag = (record: string, departsFrom: StepTag['departsFrom'], does: string, source: string): StepTag => ({ record: `flash/9#${record}`, departsFrom, does, source });

const invalid = (reason: string, requirement: RequirementId): DomainPattern => ({ kind: 'invalid', reason, requirement });

const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

/**
 * A `domain` as Unity reads it. Socket rules: only `*` (`IsSocketConnectionAllowed` returns
 * `Domain == "*"`, FlashCrossDomainPolicy.cs lines 160–161). URL rules (`CheckDomain`, lines
 * 164–175): `*` grants; a value starting with `*` is `uri.Host.EndsWith(rest)` where `uri` is the
 * WWW request's own URI — the target, whose `/crossdomain.xml` this file is — so it grants every
 * content when the host asked ends with the rest (the dot kept) and nothing otherwise; any other
 * value must equal the content's host (`ApplicationUri.Host == Domain`, ordinal: a host is lower
 * case, an IPv6 host bracketed).
 */
export function unityDomainPattern(domain: string, context: FlashPolicyContext): DomainPattern {
  if (domain === '*') return { kind: 'any' };
  if (context.kind === 'socket') return invalid('Unity honours only domain="*" in socket policies', 'FLASH-DOM-2');
  if (domain === '') return invalid("an empty domain: Unity's CheckDomain reads its first character and throws", 'FLASH-DOM-6');
  if (domain.startsWith('*')) {
    const ending = domain.slice(1);
    const host = context.location?.host;
    if (host === undefined) return invalid(`Unity tests "${domain}" against the host the file is asked for, unknown here`, 'FLASH-DOM-3');
    if (host.endsWith(ending)) return { kind: 'any' };
    return invalid(`Unity tests the host the file is asked for (${host}), not the SWF's, and it does not end with "${ending}"`, 'FLASH-DOM-3');
  }
  if (domain !== domain.toLowerCase()) return invalid("Unity compares the SWF's host (lower case) with == (ordinal): upper-case letters never match", 'FLASH-DOM-2');
  if (DOTTED_QUAD.test(domain)) return { kind: 'ip', address: domain };
  if (domain.startsWith('[') && domain.endsWith(']')) {
    const h = classifyHost(domain.slice(1, -1));
    return h.kind === 'ip' && `[${h.address}]` === domain ? { kind: 'ip', address: h.address } : invalid('not an IPv6 host written as the SWF\'s host is ([compressed, lower case])', 'FLASH-DOM-5');
  }
  return { kind: 'name', name: domain };
}

/**
 * The SWF's origin as Unity's URL rules see it (`AllowAccessFrom.IsAllowed`, lines 132–141): a rule
 * with `secure` (the default) refuses a load only when the content is HTTPS and the target is not,
 * so for a data load `https` here means "secure rules may grant": false only for HTTPS content
 * loading HTTP data.
 */
export function unityRuleOrigin(request: ParsedRequest): RuleOrigin {
  const o = ruleOrigin(request.origin);
  if (request.target.kind !== 'url') return o;
  const secureRulesGrant = request.origin.scheme !== 'https' || request.target.scheme === 'https';
  return o.https === secureRulesGrant ? o : { ...o, https: secureRulesGrant };
}

const WRITTEN_HOST = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(\[[^\]]*\]|[^/:?#[\]]*)/;

/**
 * `Security.PrefetchSocketPolicy(ip, atPort)` for each `xmlsocket://` loadPolicy location, in call
 * order (UnityCrossDomainHelper.PrefetchSocketPolicy → CrossDomainPolicyManager
 * .FlashCrossDomainPolicyFor, manager lines 209–230): a policy fetched is held under the `ip` string
 * as given, for every later connection whose address reads the same (`IPAddress.ToString()`), with
 * its port as the policy port; an address already held is not fetched again; a failed fetch holds
 * nothing (the connection then asks port 843). `IPAddress.Parse` refuses a host name, and the
 * policy client's socket is IPv4, so only a dotted-decimal address can be prefetched. A connection
 * to a host name is checked by the address it resolves to (`Socket.CheckEndPoint`), which a world
 * snapshot does not give: it may be any address held, so the connection is refused unless every
 * policy held grants its port (then port 843 of the host decides) — UNVERIFIED, fail closed.
 */
export function unityHeldSocketPolicy({ b, fetch, request, target, steps }: HeldSocketInput): HeldSocketPolicy {
  const held = new Map<string, FetchedFlashPolicy>();
  const name = !DOTTED_QUAD.test(target.host);
  for (const { text, location: loc, diagnostics } of request.loadPolicy) {
    if (loc !== null && loc.kind === 'url') continue;
    if (loc === null) {
      b.add({ step: 'ignore', location: text, used: false, why: `not a policy location: ${diagnostics[0]?.message ?? text}`, requirements: ['FLASH-SOCK-8'] });
      continue;
    }
    const ip = WRITTEN_HOST.exec(text)?.[1] ?? loc.host;
    const call = `PrefetchSocketPolicy("${ip}", ${loc.port})`;
    if (held.has(ip)) {
      b.add({ step: 'ignore', location: loc.key, used: false, why: `${call}: a policy for ${ip} is already held, and FlashCrossDomainPolicyFor returns it without fetching`, requirements: ['FLASH-SOCK-8'] });
      continue;
    }
    if (!DOTTED_QUAD.test(ip)) {
      const why = ip.includes(':') ? 'the policy client opens an IPv4 socket, so nothing is read from an IPv6 address' : 'it takes an address: IPAddress.Parse refuses a host name, and a policy held under any other spelling of an address is never found by a connection';
      b.add({ step: 'ignore', location: loc.key, used: false, why: `${call}: ${why}; nothing is held`, requirements: ['FLASH-SOCK-8'] });
      continue;
    }
    if (ip !== target.host && !name) {
      b.add({ step: 'ignore', location: loc.key, used: false, why: `${call}: a policy prefetched for ${ip} serves connections to ${ip} only, not to ${target.host}`, requirements: ['FLASH-SOCK-8'] });
      continue;
    }
    const fetched = fetch.socket(loc, loc.key === steps.masterSocketLocation(loc.host)?.key);
    if (fetched.compiled === null) {
      b.add(fetchEntry(fetched, false, `${call}: ${fetched.why}; nothing is held, so the connection asks port 843`, ['FLASH-SOCK-8', ...fetched.requirements]));
      continue;
    }
    held.set(ip, fetched);
    b.add(fetchEntry(fetched, true, `${call}: a policy, held for every connection to ${ip} (port 843 is not asked)`, ['FLASH-SOCK-8', ...fetched.requirements]));
  }
  if (!name) return { policy: held.get(target.host) ?? null };
  // A host name: the connection is checked by the address it resolves to, which a world snapshot
  // does not give (UNVERIFIED). It may be any address held, whose policy then decides alone, or
  // another, whose port 843 (read here as the host's) decides: it connects only if all would grant.
  const origin = steps.ruleOrigin(request);
  for (const [ip, policy] of held) {
    const compiled = policy.compiled!;
    if (target.port >= compiled.effective.lowestGrantablePort && findAccessGrant(compiled, origin, target.port) !== null) continue;
    b.add({ step: 'note', why: `${target.host} may resolve to ${ip} (a world snapshot has no DNS), whose held policy does not grant port ${target.port}: refused (UNVERIFIED, fail closed)`, requirements: ['FLASH-SOCK-8'] });
    return { policy };
  }
  if (held.size > 0) b.add({ step: 'note', why: `${target.host} may resolve to ${[...held.keys()].join(', ')}, whose held policy grants port ${target.port}, or to another address, whose port 843 then decides`, requirements: ['FLASH-SOCK-8'] });
  return { policy: null };
}

/** An IPv6 socket target: the policy client's IPv4 socket cannot reach it, the stream is empty and the policy is DenyPolicy. */
function unityWithoutPolicy(b: DecisionBuilder, request: ParsedRequest): Decision | null {
  const target = request.target;
  if (target.kind !== 'socket' || !target.host.startsWith('[')) return null;
  const why = `Unity's SocketPolicyClient opens an IPv4 (InterNetwork) socket to read a policy, so none is ever read from ${target.host}: every connection to it is refused`;
  b.add({ step: 'note', why, requirements: ['FLASH-SOCK-4'] });
  return b.denyBecause(why, ['FLASH-SOCK-3', 'FLASH-SOCK-4']);
}

/** `GetCachedWebPolicy`'s download exemption (manager lines 91–96): a request whose URI reads exactly `scheme://host[:port]/crossdomain.xml` gets PolicyDownloadPolicy, which lets it through. */
export function unityPolicyDownload(_request: ParsedRequest, target: UrlTarget): PolicyFreeLoad | null {
  if (target.href !== urlLocationKey(target.scheme, target.host, target.port, '/crossdomain.xml')) return null;
  return { why: "a request for a host's /crossdomain.xml itself: Unity lets the WWW class load it without any policy (PolicyDownloadPolicy)", requirements: ['FLASH-URL-2'] };
}

/** `GetRoot` writes the host as `DnsSafeHost`, an IPv6 address without brackets: the policy URI of an IPv6 target is no URL Unity reads (fail closed; what MonoForks.Uri makes of it is UNVERIFIED). */
function unityUrlAnswer(world: IndexedWorld, requested: UrlLocation): UrlAnswer {
  if (!requested.host.startsWith('[')) return flashUrlAnswer(world, requested);
  const written = urlLocationKey(requested.scheme, requested.host.slice(1, -1), requested.port, requested.path);
  return { ok: false, final: requested, answered: 'invalid', why: `Unity builds the policy URI from the host without its brackets (${written}): no policy is read`, requirements: ['FLASH-URL-1'] };
}

/** The meta-policy: a socket policy's site-control is never read; a URL master's is its last site-control (none: `all`); the response header is never read. */
function unityMetaPolicy(policy: FlashPolicy, _header: string | undefined, context: FlashPolicyContext): EffectiveMetaPolicy | null {
  if (context.master === false) return null;
  if (context.kind === 'socket') return { value: 'all', source: 'default', notes: ["Unity never reads a socket policy's site-control"], requirements: ['FLASH-SOCK-6'] };
  const last = policy.siteControl[policy.siteControl.length - 1];
  const headerNote = 'the X-Permitted-Cross-Domain-Policies header is never read (the WWW check passes no response headers)';
  if (last === undefined) return { value: 'all', source: 'default', notes: [`no site-control: Unity reads 'all'; ${headerNote}`], requirements: ['FLASH-META-1'] };
  const written = last.source?.raw['permitted-cross-domain-policies'];
  const value = last.permittedCrossDomainPolicies;
  const read = value === 'none' && written !== 'none' ? `, a value IsAllowed refuses every load for (read as 'none')` : '';
  return { value, source: 'site-control', notes: [`the last site-control says ${written === undefined ? 'nothing' : `'${written}'`}${read}; ${headerNote}`], requirements: ['FLASH-META-1'] };
}

/** A URL policy with a rule whose `domain` is missing or empty: `IsAllowed` asks every rule (no early exit, lines 85–95), and that rule's `CheckDomain` throws. */
function unityFileValidity(policy: FlashPolicy, stoppedAt: FlashGrammarRead['stoppedAt'], meta: EffectiveMetaPolicy | null, context: FlashPolicyContext): FileValidity {
  const base = FLASH_READ_STEPS.fileValidity(policy, stoppedAt, meta, context);
  if (base.invalid !== null || context.kind !== 'url') return base;
  const bad = policy.allowAccessFrom.find((r) => r.domain === '');
  if (bad === undefined) return base;
  return { invalid: { why: `the allow-access-from at line ${bad.source?.location.line ?? '?'} has no domain: Unity's IsAllowed asks every rule, and CheckDomain throws on that one, so no WWW load is ever allowed by this file`, requirement: 'FLASH-GRAM-4' }, ownRulesVoid: null };
}

/** A URL rule's `to-ports` is tested against the target's port (`AllowAccessFrom.IsAllowed`, line 126); the file is asked for at the target's root, so that is the port it was asked on. */
function unityAccessRuleNever(rule: FlashAllowAccessFrom, context: FlashPolicyContext): NeverApplies | null {
  if (context.kind !== 'url' || rule.toPorts === null || context.location === undefined || portSpecContains(rule.toPorts, context.location.port)) return null;
  return { why: `to-ports="${rule.source?.raw['to-ports'] ?? ''}" does not list port ${context.location.port}, the target's: Unity tests it for data loads too`, requirement: 'FLASH-GRAM-6' };
}

const NO_LOAD_POLICY_FILE: ScopeAnswer = { covers: false, why: 'Unity has no Security.loadPolicyFile: a WWW load asks only the target\'s /crossdomain.xml', requirement: 'FLASH-URL-5' };
const ROOT_COVERS: ScopeAnswer = { covers: true, why: "Unity files the policy under the target's root, the URI it asked for, wherever it was redirected", requirement: 'FLASH-URL-3' };

/** The Unity web player (sockets and the WWW class). */
export const UNITY_PROFILE: ProfileDefinition<FlashSteps> = {
  name: 'unity',
  base: 'flash',
  title: 'Unity web player (MonoForks policy code; sockets and WWW)',
  description:
    "The Unity web player. Sockets: one policy per IP address — the one Security.PrefetchSocketPolicy fetched, else port 843's — whose rules grant only with domain=\"*\"; a policy from a port above 1024 grants only ports from 1024; nothing else is asked. WWW: the target's /crossdomain.xml alone, where *x grants when the target's own host ends with x, an exact domain must be the content's host, secure keeps HTTP data from HTTPS content, and no Content-Type, X-Permitted header or request header counts.",
  overrides: {
    withoutPolicy: { run: unityWithoutPolicy, tag: tag('UN-5', ['FLASH-SOCK-4'], 'a connection to an IPv6 address is refused: the policy client opens an IPv4 socket, reads nothing and holds DenyPolicy', `${SPC} (AddressFamily.InterNetwork at 26; a failed connect returns an empty stream, 83-88); ${MANAGER} FlashCrossDomainPolicyFor, lines 218-229`) },
    heldSocketPolicy: { run: unityHeldSocketPolicy, tag: tag('UN-3', ['FLASH-SOCK-8', 'FLASH-SOCK-4'], "a loadPolicy xmlsocket://ip:port is Security.PrefetchSocketPolicy(ip, port): the policy fetched is held for every connection to that address (843 is then not asked); a host name, an IPv6 address or a failed fetch holds nothing; a host-name target, whose address is unknown, needs every held policy and its host's 843 to grant", `${HELPER} PrefetchSocketPolicy, lines 205-210; ${MANAGER} FlashCrossDomainPolicyFor, lines 195-230; ${SPC} (IPAddress.Parse at 24); Unity's System.Net.Sockets.Socket.CheckEndPoint (decompiled index copy) checks IPEndPoint.Address.ToString()`) },
    lowestGrantablePort: { run: (port) => (port !== undefined && port > 1024 ? 1024 : 1), tag: tag('UN-3', ['FLASH-SOCK-7'], 'a policy from a port above 1024 grants only ports from 1024: one from port 1024 itself counts as low', `${FORK} AllowAccessFrom.IsSocketConnectionAllowed, line 146 (policyport>1024 && port<1024)`) },
    domainPattern: { run: unityDomainPattern, tag: tag('UN-1', ['FLASH-DOM-2', 'FLASH-DOM-3', 'FLASH-DOM-5'], 'socket rules grant only with domain="*" (UN-1); a URL rule\'s *x grants every SWF when the target\'s own host ends with x (dot kept, no bare suffix), any other domain must equal the SWF\'s host exactly (case-sensitive)', `${FORK} CheckDomain, lines 164-175; IsSocketConnectionAllowed, lines 160-161; ${HELPER} GetSecurityPolicy passes the request's URI, lines 142, 157-161`) },
    ruleOrigin: { run: unityRuleOrigin, tag: tag('UN-7', ['FLASH-SEC-1', 'FLASH-SEC-2'], 'a secure URL rule refuses only HTTPS content loading HTTP data: HTTP content may load HTTPS data whatever secure says', `${FORK} AllowAccessFrom.IsAllowed, lines 132-141`) },
    secure: { run: (secure, context) => (context.kind === 'socket' ? false : (secure ?? true)), tag: tag('UN-7', ['FLASH-SEC-1', 'FLASH-SEC-3'], 'secure defaults to true in every URL policy, HTTP ones included; a socket rule never looks at it', `${FORK} AllowAccessFrom(), line 113, IsAllowed, lines 132-141, IsSocketConnectionAllowed, lines 144-161 (no test of Secure)`) },
    metaPolicy: { run: unityMetaPolicy, tag: tag('UN-1', ['FLASH-SOCK-6', 'FLASH-META-2', 'FLASH-META-5', 'FLASH-META-6', 'FLASH-GRAM-11'], "ignores a socket policy's site-control; a URL master's last site-control decides: missing or empty is all, all, master-only and by-ftp-filename grant as all, anything else refuses every load; the X-Permitted header is never read", `${FORK} SiteControl, lines 58-61, IsAllowed, lines 73-84, IsSocketConnectionAllowed, lines 63-71; ${HELPER} GetSecurityPolicy, line 176 (no response headers); ${MANAGER} BuildFlashPolicy, lines 166-169`) },
    socketLocations: { run: () => ({ loadPolicy: false, destination: false }), tag: tag('UN-1', ['FLASH-SOCK-5', 'FLASH-SOCK-8'], 'asks one location only: never the destination port, and loadPolicy locations only as prefetches, before the connection', `${MANAGER} CheckSocketEndPoint / FlashCrossDomainPolicyFor, lines 198-230 (one policy per IP, from the policy port)`) },
    unusableMasterSocket: { run: () => 'nothing', tag: tag('UN-1', ['FLASH-SOCK-5'], 'no usable policy on the policy port (refused, timeout, unreadable) is the deny-everything policy: nothing else is asked', `${MANAGER} FlashCrossDomainPolicyFor, lines 225-229 (an exception returns FlashCrossDomainPolicy.DenyPolicy, which has no rule)`) },
    framing: { run: (answer) => unityFraming(answer), tag: tag('UN-6', ['FLASH-SOCK-2'], 'reads one Receive of at most 5,000 bytes, then cuts at the first NUL: an answer needs neither a NUL nor the close, and bytes past 5,000 are never read', `${SPC} (byte[5000] at 29, one Receive at 63); ${UNITY_PARSER} StripTrailing0, lines 140-152`) },
    xmlDocument: { run: unityXmlDocument, tag: tag('UN-6', ['FLASH-XML-1', 'FLASH-XML-6'], 'cuts every policy text, URL responses included, at its first NUL (StripTrailing0) and reads what precedes it', `${UNITY_PARSER} FromStream, lines 115-121, StripTrailing0, lines 140-152`) },
    toPorts: { run: (value) => unityToPorts(value), tag: tag('UN-4', ['FLASH-PORT-1', 'FLASH-PORT-3', 'FLASH-PORT-4'], 'to-ports items are Int32.TryParse numbers or a-b ranges that leave b out (516-523 is 516 to 522); an item that does not parse is skipped; a reversed range never finishes (no policy)', `${UNITY_PARSER} Handler.OnStartElement, lines 191-221`) },
    grammar: { run: unityGrammar, tag: tag('UN-4', ['FLASH-GRAM-7', 'FLASH-GRAM-8', 'FLASH-GRAM-2', 'FLASH-GRAM-3', 'FLASH-GRAM-11'], 'a socket rule without to-ports grants every port; an element inside a policy element, or secure other than true/false, makes the whole file no policy; a cross-domain-policy nested in the root is read as the root; the last site-control wins', `${UNITY_PARSER} ReadBooleanAttribute, lines 88-100, Handler.OnStartElement, lines 168-243 (the parent-name test, 177-240); ${FORK} IsSocketConnectionAllowed, lines 148-161`) },
    fileValidity: { run: unityFileValidity, tag: tag('UN-2', ['FLASH-GRAM-4', 'FLASH-DOM-6'], 'a URL policy with an allow-access-from without a domain (or with an empty one) allows no WWW load: CheckDomain throws on it and IsAllowed asks every rule', `${FORK} IsAllowed, lines 85-95, CheckDomain, lines 167-170`) },
    accessRuleNever: { run: unityAccessRuleNever, tag: tag('UN-2', ['FLASH-GRAM-6'], "a URL rule's to-ports must list the target's port", `${FORK} AllowAccessFrom.IsAllowed, line 126`) },
    servingRefusal: { run: () => null, tag: tag('UN-8', ['FLASH-URL-7', 'FLASH-META-7'], 'reads any response body as the policy: no Content-Type test, and no X-Permitted-Cross-Domain-Policies (none-this-response included)', `${HELPER} WWWPolicyProvider.GetPolicy, lines 77-105, GetSecurityPolicy, line 176 (an empty header dictionary)`) },
    headersToCheck: { run: () => [], tag: tag('UN-8', ['FLASH-URL-10'], "never checks request headers: the WWW check's request carries none", `${HELPER} GetSecurityPolicy, line 160 (new WebRequest(requesturi, new Dictionary<string, string>()))`) },
    loadPolicyCandidate: { run: () => NO_LOAD_POLICY_FILE, tag: tag('UN-8', ['FLASH-URL-5'], 'has no loadPolicyFile: a WWW load asks only the target\'s /crossdomain.xml', `${HELPER} GetSecurityPolicy, lines 168-176 (GetFlashPolicyUri only); ${MANAGER} GetFlashPolicyUri, lines 75-78`) },
    masterCoversTarget: { run: () => ROOT_COVERS, tag: tag('UN-8', ['FLASH-URL-3', 'FLASH-URL-8'], "files the policy under the target's root, so it covers the target wherever the download was redirected", `${HELPER} GetSecurityPolicy, line 176; ${MANAGER} BuildFlashPolicy / AddPolicy, lines 108-119, 177`) },
    policyFreeLoad: { run: unityPolicyDownload, tag: tag('UN-9', ['FLASH-URL-2', 'FLASH-URL-9'], 'lets the WWW class load any host\'s /crossdomain.xml (exactly that URL, no query) without a policy', `${MANAGER} GetCachedWebPolicy, lines 91-96 ("TODO: Make this more secure.")`) },
    urlAnswer: { run: unityUrlAnswer, tag: tag('UN-5', ['FLASH-URL-1'], 'an IPv6 target has no policy: GetRoot writes the host without brackets (DnsSafeHost); what MonoForks.Uri makes of that is UNVERIFIED, so no policy (fail closed)', `${MANAGER} GetRoot, lines 44-50, GetRootUri, lines 65-68; UNVERIFIED beyond`) },
  },
  undecided: [
    { what: "How Mono's MiniParser (the fork's XML reader) reads malformed XML, DTDs, entities and non-ASCII bytes (it reads bytes one by one; the manual asks for ASCII files).", chose: "The reference's XML reader, after the fork's own steps (the NUL cut, the Handler's rules). UNVERIFIED." },
    { what: 'How a socket answer splits into reads (GetPolicyStreamForIP does one Receive; the manual asks for one write).', chose: 'One read holds the whole recorded answer, up to 5,000 bytes.' },
    { what: 'Which host a prefetched policy serves when the target is a host name (connections are checked by the resolved address; a world snapshot has no DNS).', chose: 'The name may resolve to any address held: a host-name target connects only if every policy held grants its port and port 843 of its host does too (fail closed).' },
    { what: 'Which URI ApplicationUri is (set in the fork\'s BaseDomainPolicy, not in the index).', chose: "The content's (SWF's) URL: the fork's NUnit tests set it with SetWebSecurityHostUriDelegate and expect HTTPS-hosted content to be refused HTTP data (FlashPolicyParserTests.GlobalXDomainDeniesNonSecureRequestWhenHostedSecure)." },
    { what: "How Unity's Uri writes hosts (case, IPv4 forms, IDN) and whether EndsWith's culture rules matter.", chose: 'Hosts as our URL reader normalises them (lower case, dotted IPv4, bracketed compressed IPv6, punycode); EndsWith and == compared ordinally.' },
    { what: 'A file: SWF with domain="" (ApplicationUri.Host is empty, so CheckDomain matches before it would throw).', chose: 'No load, as for every other SWF (fail closed).' },
    { what: 'Status codes, redirects and blocked ports of the WWW policy download (WWW.error and the download are native code).', chose: "The reference's way to a body (status 200, same-host redirects, Flash Player's blocked ports). UNVERIFIED." },
    { what: "When the parser's to-ports loop runs out of memory (each port of a range is an ArrayList entry).", chose: 'A range of more than 2^24 ports makes the file no policy, as a reversed range does. UNVERIFIED.' },
    { what: "Unity's manual says the web player does not support site-control and allow-http-request-headers-from in crossdomain.xml (line 62 @ 7af2ae7).", chose: 'The code: IsAllowed reads site-control (lines 73-84); header rules never refuse, since the check passes no request headers.' },
    { what: 'The exception for images loaded as textures without a crossdomain.xml (manual, section Exceptions).', chose: 'Not modelled: a request says nothing about what the data is used for; every load is decided as data.' },
  ],
};

