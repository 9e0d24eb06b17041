/**
 * The `moonlight` profile: Moonlight, the open-source Silverlight for Linux — mono/mono
 * `mcs/class/System.Net/System.Net.Policy/` (ClientAccessPolicyParser.cs @ 0a23b07, read by
 * `moonlight-read.ts`; ClientAccessPolicy.cs @ 56a925b4, CrossDomainPolicyManager.cs @ 016a04eb,
 * FlashCrossDomainPolicy.cs @ aa659717) and mono/moon @ cb343939d
 * (`class/System.Windows/System.Net.Browser/PolicyBasedHttpWebRequest.cs`), as chapter 9 of
 * spec/silverlight records it. Each override is our own function written from what that code
 * does (read for facts only), tagged with its record and source.
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';
import { classifyDomainUri, matchDomainPattern, type SilverlightDomainPattern } from '../silverlight/domains.js';
import { admittingAllowFroms, findSocketGrant, type CompiledSilverlightPolicy, type SilverlightSocketGrant } from '../silverlight/compile.js';
import type { EffectiveAllowFrom } from '../silverlight/effective.js';
import { decideHttpGrant, decideSocketGrant, withRule } from '../silverlight/grant.js';
import { sourceOf } from '../silverlight/flash-subset.js';
import { SILVERLIGHT_XML_RULES } from '../silverlight/grammar.js';
import { disallowedHeaders, isHeaderAllowed, isMethodAllowed, parseHeaderList } from '../silverlight/headers.js';
import type { SilverlightFlashSubset, SilverlightPolicyEntry } from '../silverlight/model.js';
import { isSelfClosing } from '../silverlight/parse.js';
import { localRequestPath, matchResourcePath, type ForbiddenPathSequence } from '../silverlight/paths.js';
import type { SilverlightReadAnswer, SilverlightSteps } from '../silverlight/steps.js';
import type { DecisionBuilder } from '../decision/builder.js';
import type { Decision, ParsedRequest } from '../decision/types.js';
import type { SocketTarget, UrlTarget } from '../world/locations.js';
import type { SilverlightCaller } from '../silverlight/domains.js';
import { parseXmlDocument } from '../xml/document.js';
import { responseHeader } from '../world/parse.js';
import { domainsWithoutUri, readMoonlightPolicy } from './moonlight-read.js';
import { readMonoHttpUri } from './moonlight-uri.js';
import { moonlightFileDomainPattern } from './moonlight-file.js';
import type { ProfileDefinition, StepTag } from './types.js';

const ML = 'mono/mono mcs/class/System.Net/System.Net.Policy/';

const tag = (record: string, departsFrom: RequirementId[], does: string, source: string): StepTag => ({ record, departsFrom, does, source });

/** `CheckContentType`: an ordinal `text/` prefix, or `application/xml` exactly or followed at once by `;`. */
export function moonlightAcceptsContentType(contentType: string | null): boolean {
  const t = contentType ?? '';
  if (t.startsWith('text/')) return true;
  return t === 'application/xml' || t.startsWith('application/xml;');
}

const never = (reason: string): SilverlightDomainPattern => ({ kind: 'never', reason });

/**
 * A `<domain uri>` as `AllowFrom.CheckDomainUri` reads it (silverlight/9#3). A value mono's
 * `Uri.TryCreate` accepts is compared with the XAP's root or URL (the reference's reading here). A
 * value it refuses (`*` is no host character) admits callers only when it starts with the XAP's
 * own scheme as written (`http` or `https`, lower case) followed at once by `://*.`, and the
 * value without that `*.` is a URL mono reads with path `/`, no query, no fragment, on the XAP's
 * port; the XAP's host must then end with its host: no dot boundary, so `*.example.com` admits
 * `example.com` and `evilexample.com`, and an IP address is an ending like any other (`*.0.0.1`
 * admits `127.0.0.1`: mono keeps `0.0.1` as a host name).
 */
export function moonlightDomainPattern(uri: string): SilverlightDomainPattern {
  // The first branch: Uri.TryCreate accepts the whole value.
  const whole = readMonoHttpUri(uri);
  // SL-DOM-6, silverlight/9#3: with a LocalPath other than "/", CheckDomainUri compares LocalPath and
  // GetRoot (scheme, DnsSafeHost, port) only, so the value's query, fragment and user info are never
  // looked at (guideX/pulsar …/Pulsar.Communications.Policy/ClientAccessPolicy.cs CheckDomainUri @ f4262191;
  // CrossDomainPolicyManager.GetRoot): the value is read without them.
  if (whole !== null && typeof whole === 'object' && whole.localPath !== '/' && (whole.query !== '' || whole.fragment !== '' || whole.userinfo !== '')) {
    const bare = stripQueryFragmentUserinfo(uri);
    const read = classifyDomainUri(bare);
    if (read.kind === 'application') return read;
  }
  // silverlight/9#3b: mono compares the escaped LocalPath (AbsolutePath) of an http value with the
  // XAP's; how it escapes is not modelled, so a value whose path holds an escape admits no XAP (fail closed).
  if (whole !== null && typeof whole === 'object' && whole.localPath !== '/' && /%/.test(uri.replace(/[?#].*$/, ''))) return never('Moonlight compares the escaped path of an application value (AbsolutePath); a value with a percent escape in its path is not modelled and admits no XAP (UNVERIFIED, fail closed)');
  if ((whole !== null && typeof whole === 'object') || !/^[a-z][a-z0-9+.-]*:\/\/\*\./i.test(uri)) return classifyDomainUri(uri);
  const wild = /^(https?):\/\/\*\./.exec(uri);
  // StartsWith(ApplicationUri.Scheme), then "://*." right after it: the XAP's scheme is lower-case http or https.
  if (wild === null) return never('Moonlight looks for the XAP\'s own scheme (lower-case http or https) right before "://*.", as written');
  const scheme = wild[1] as 'http' | 'https';
  const read = readMonoHttpUri(`${scheme}://${uri.slice(wild[0].length)}`);
  if (read === null || typeof read === 'string') return never(`without its "*." the value is no URL Moonlight reads (${read ?? 'not http'})`);
  if (read.localPath !== '/' || read.query !== '' || read.fragment !== '') return never('after "*." Moonlight requires the path "/" and no query or fragment');
  return { kind: 'host-ending', scheme, ending: read.host, port: read.port };
}

/** `value` (an http(s) URL mono's `Uri` reads) without its fragment, query and user info: what `LocalPath` and `GetRoot` keep. */
function stripQueryFragmentUserinfo(value: string): string {
  const hash = value.indexOf('#');
  let v = hash < 0 ? value : value.slice(0, hash);
  const q = v.indexOf('?');
  if (q >= 0) v = v.slice(0, q);
  const start = v.indexOf('//') + 2;
  const slash = v.indexOf('/', start);
  const end = slash < 0 ? v.length : slash;
  const at = v.slice(start, end).indexOf('@');
  return at < 0 ? v : v.slice(0, start) + v.slice(start + at + 1);
}

/** The attributes `FlashCrossDomainPolicyParser` counts on each element; any other makes it throw (no policy). */
const FLASH_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  'site-control': ['permitted-cross-domain-policies'],
  'allow-access-from': ['domain', 'secure'],
  'allow-http-request-headers-from': ['domain', 'secure', 'headers'],
};

/**
 * A `crossdomain.xml` as `FlashCrossDomainPolicy.FromStream` reads it (silverlight/9#5c): the root
 * must be `<cross-domain-policy>` without attributes and not an empty element; its child
 * elements are the three the subset knows (any other: no policy), each with only its counted
 * attributes and `secure` absent, `true` or `false`; a missing attribute is no error
 * (`<site-control/>` stores null, read as `all`; a rule without `domain` never matches; no
 * `headers` allows only Content-Type), and what an element holds is skipped. With no
 * `allow-http-request-headers-from` the parser adds `domain="*"` `secure="true"` allowing only
 * Content-Type.
 */
export function moonlightReadFlashSubset(text: string): SilverlightReadAnswer<SilverlightFlashSubset> {
  const diagnostics: Diagnostic[] = [];
  const none = (why: string, requirement: RequirementId): SilverlightReadAnswer<SilverlightFlashSubset> => ({ ok: false, answered: 'invalid', why, requirements: ['SL-FLASH-10', requirement], diagnostics });
  const doc = parseXmlDocument(text, SILVERLIGHT_XML_RULES, diagnostics, {});
  if (doc === null) {
    const first = diagnostics.find((d) => d.severity === 'error');
    return none(`the file is invalid${first ? `: ${first.message}` : ''}`, first?.requirement ?? 'SL-XML-1');
  }
  const root = doc.root;
  if (root.name !== 'cross-domain-policy') return none(`the root element is <${root.name}>, not <cross-domain-policy>`, 'SL-FLASH-1');
  if (root.attributes.length > 0 || (root.location.offset >= 0 && isSelfClosing(text, root.location.offset))) {
    return none('Moonlight reads a <cross-domain-policy> with attributes, or an empty one, as no policy', 'SL-FLASH-1');
  }
  const policy: SilverlightFlashSubset = { format: 'silverlight-flash-subset', siteControl: [], allowAccessFrom: [], allowHttpRequestHeadersFrom: [] };
  for (const el of root.children) {
    if (el.kind !== 'element') continue;
    const counted = FLASH_ATTRIBUTES[el.name];
    if (counted === undefined) return none(`<${el.name}> at line ${el.location.line} is not one of the three elements Moonlight reads: no policy`, 'SL-FLASH-1');
    const extra = el.attributes.find((a) => !counted.includes(a.name));
    if (extra !== undefined) return none(`attribute ${extra.name} of <${el.name}> at line ${extra.location.line} makes Moonlight's parser throw: no policy`, 'SL-FLASH-2');
    const get = (n: string): string | undefined => el.attributes.find((a) => a.name === n)?.value;
    const secure = get('secure');
    if (secure !== undefined && secure !== 'true' && secure !== 'false') return none(`secure="${secure}" at line ${el.location.line} is neither true nor false: no policy`, 'SL-FLASH-3');
    if (el.name === 'site-control') policy.siteControl.push(get('permitted-cross-domain-policies') ?? '');
    else if (el.name === 'allow-access-from') policy.allowAccessFrom.push({ domain: get('domain') ?? '', secure: secure !== 'false', source: sourceOf(el) });
    else {
      const headers = get('headers');
      policy.allowHttpRequestHeadersFrom.push({ domain: get('domain') ?? '', headers: headers === undefined ? [] : parseHeaderList(headers), secure: secure !== 'false', source: sourceOf(el) });
    }
  }
  if (policy.allowHttpRequestHeadersFrom.length === 0) policy.allowHttpRequestHeadersFrom.push({ domain: '*', headers: [], secure: true });
  return { ok: true, policy, diagnostics };
}

/** Where Moonlight's walk over the `allow-from` elements stops before the grant it looks for. */
export type MoonlightWalkStop =
  | { kind: 'header'; at: EffectiveAllowFrom; refused: string[] }
  | { kind: 'domain-without-uri'; at: EffectiveAllowFrom }
  | { kind: 'grant'; at: EffectiveAllowFrom };

/**
 * `ClientAccessPolicy.IsAllowed`'s walk: every `allow-from` of every policy in document order, as
 * mono's loops ask them (ClientAccessPolicy.cs @ 56a925b4, 72-87 and 123-148): its headers first,
 * and the first that refuses one ends the walk (HTTP only, silverlight/9#2); then its method; then
 * its domains — where a `<domain>` without `uri` throws once the check reaches it, that is when no
 * domain written before it admits the XAP and the `allow-from` has no `uri="*"` (silverlight/9#8d)
 * — and the walk ends at the first that admits the XAP and whose policy `grants`. `null`: it ran
 * through.
 */
export function moonlightWalk(compiled: CompiledSilverlightPolicy, caller: SilverlightCaller, method: string, headers: readonly string[], grants: (entry: SilverlightPolicyEntry) => boolean): MoonlightWalkStop | null {
  const without = domainsWithoutUri(compiled);
  const admitted = new Set(admittingAllowFroms(compiled, caller).map((a) => a.allowFrom));
  for (const e of compiled.effective.allowFroms) {
    const refused = headers.length === 0 ? [] : disallowedHeaders(e.allowFrom.httpRequestHeaders, headers);
    if (refused.length > 0) return { kind: 'header', at: e, refused };
    if (!isMethodAllowed(e.allowFrom.httpMethods, method)) continue;
    const before = without?.get(e.allowFrom);
    if (before !== undefined && !before.some((p) => matchDomainPattern(p, caller))) return { kind: 'domain-without-uri', at: e };
    if ((before !== undefined || admitted.has(e.allowFrom)) && grants(e.entry)) return { kind: 'grant', at: e };
  }
  return null;
}

/** A walk that stopped before the grant: the denial, with the `allow-from` it stopped at. */
function deniedByWalk(b: DecisionBuilder, stop: MoonlightWalkStop, location: string): Decision | null {
  const line = stop.at.allowFrom.source?.location.line ?? '?';
  if (stop.kind === 'header') {
    const why = `<allow-from> at line ${line} does not allow header ${stop.refused.join(', ')}, and Moonlight denies at the first allow-from that refuses a header, before the one granting this request`;
    b.add(withRule({ step: 'no-match', location, why, requirements: ['SL-HDR-7'] }, 'allow-from', stop.at.allowFrom.source));
    return b.denyBecause(`${location}: ${why}; denied`, ['SL-HDR-7'], location);
  }
  if (stop.kind === 'domain-without-uri') {
    const why = `<allow-from> at line ${line} holds a <domain> without uri, which Moonlight's check reaches before any domain admits the XAP: CheckDomainUri (null) throws and the request fails`;
    b.add(withRule({ step: 'no-match', location, why, requirements: ['SL-GRAM-8'] }, 'allow-from', stop.at.allowFrom.source));
    return b.denyBecause(`${location}: ${why}; denied`, ['SL-GRAM-8'], location);
  }
  return null;
}

/**
 * `ClientAccessPolicy.IsAllowed (uri, method, headers)` (silverlight/9#2, 9#8d): {@link moonlightWalk}
 * up to the `allow-from` that grants the path; a walk stopped before it denies, and otherwise the
 * reference's decision, which then gives the same verdict.
 */
export function moonlightDecideHttpGrant(b: DecisionBuilder, compiled: CompiledSilverlightPolicy, location: string, given: SilverlightCaller, target: UrlTarget, method: string, headers: readonly string[], _request: ParsedRequest, forbidden: ForbiddenPathSequence | null): Decision {
  const caller = monoCaller(given);
  if (headers.length > 0 || domainsWithoutUri(compiled) !== undefined) {
    const path = localRequestPath(target);
    const stop = moonlightWalk(compiled, caller, method, headers, (entry) => entry.grantTo.some((g) => g.resources.some((r) => matchResourcePath(r, path))));
    const denied = stop === null ? null : deniedByWalk(b, stop, location);
    if (denied !== null) return denied;
  }
  return decideHttpGrant(b, compiled, location, caller, target, method, headers, forbidden);
}

/**
 * `ClientAccessPolicy.IsAllowed (IPEndPoint)` (silverlight/9#8d): the first grant of `port`, or the
 * walk's stop at a `<domain>` without `uri`. Without such a domain (every policy but a few) it is the
 * reference's {@link findSocketGrant}.
 */
export function moonlightSocketGrant(compiled: CompiledSilverlightPolicy, given: SilverlightCaller, port: number): SilverlightSocketGrant | MoonlightWalkStop | null {
  const caller = monoCaller(given);
  if (domainsWithoutUri(compiled) !== undefined) {
    const stop = moonlightWalk(compiled, caller, 'GET', [], (entry) => entry.grantTo.some((g) => g.socketResources.some((s) => port >= s.from && port <= s.to)));
    if (stop !== null && stop.kind !== 'grant') return stop;
  }
  return findSocketGrant(compiled, caller, port);
}

/** The socket decision: {@link moonlightSocketGrant}'s stop denies; otherwise the reference's decision (same verdict). */
export function moonlightDecideSocketGrant(b: DecisionBuilder, compiled: CompiledSilverlightPolicy, given: SilverlightCaller, sock: SocketTarget, location: string): Decision {
  const grant = moonlightSocketGrant(compiled, given, sock.port);
  const denied = grant !== null && 'kind' in grant ? deniedByWalk(b, grant, location) : null;
  return denied ?? decideSocketGrant(b, compiled, monoCaller(given), sock, location);
}

/** A path no application value reads to (it holds a character a decoded URL path never has). */
const NO_APPLICATION_PATH = '\u0000escaped';

// silverlight/9#3b
/**
 * The XAP as mono's CheckDomainUri compares it: LocalPath is the escaped AbsolutePath for http(s),
 * and how mono escapes is not modelled, so a XAP whose path holds a percent escape is admitted by
 * no application value (roots and wildcards do not look at the path). Fail closed, UNVERIFIED.
 */
function monoCaller(caller: SilverlightCaller): SilverlightCaller {
  return caller.scheme !== 'file' && caller.escaped === true ? { ...caller, path: NO_APPLICATION_PATH } : caller;
}

/**
 * `CheckOriginalPath`'s test (silverlight/9#4c, 4b): `%`, `./` or `..` anywhere in
 * `Uri.OriginalString` — the URL exactly as the application wrote it, scheme, host and fragment
 * included — before its first `?`. Nothing is rewritten first, so `/a/.\\b` and `/x/.<TAB>.` pass
 * (mono's Uri then reads `\\` as `/` and drops the `.` segment), while `#..` after the path does not.
 */
export function moonlightForbiddenPath(_target: UrlTarget, given: string): ForbiddenPathSequence | null {
  const q = given.indexOf('?');
  const original = q < 0 ? given : given.slice(0, q);
  for (const sequence of ['%', './', '..']) if (original.includes(sequence)) return { sequence, tested: `the URL as written, before its "?", ${JSON.stringify(original)}` };
  return null;
}

/** Moonlight @ mono aa659717 / moon cb343939d. */
export const MOONLIGHT_PROFILE: ProfileDefinition<SilverlightSteps> = {
  name: 'moonlight',
  base: 'silverlight',
  title: 'Moonlight (mono System.Net.Policy, moon cb343939d)',
  description: "Moonlight, the open-source Silverlight for Linux, as mono's System.Net.Policy and moon's browser HTTP stack decide: clientaccesspolicy.xml read as mono's parser and XML reader read it, a rejected one opens the crossdomain.xml fallback, content types by ordinal prefix, the crossdomain.xml subset read as FlashCrossDomainPolicy.IsAllowed does, no elevated-trust bypass for HTTP.",
  overrides: {
    domainPattern: {
      run: moonlightDomainPattern,
      tag: tag('silverlight/9#3', ['SL-DOM-6', 'SL-DOM-7', 'SL-DOM-8'], 'scheme://*.host admits every XAP of that lower-case scheme and port whose host ends with host — no dot boundary (the bare host and evilhost too), IP addresses included; an application uri is compared by LocalPath and root only, its query, fragment and user info ignored (9#3a); an application value with a percent escape in its path admits no XAP (9#3b)', `${ML}ClientAccessPolicy.cs:203-236 @ 56a925b4; guideX/pulsar Pulsar.Communications/…/Pulsar.Communications.Policy/ClientAccessPolicy.cs CheckDomainUri @ f4262191 (the final copy); mono/mono mcs/class/System/System/Uri.cs @ 018e3b25 (Parse, CheckHostName, Reduce)`),
    },
    fileDomainPattern: {
      run: moonlightFileDomainPattern,
      tag: tag('silverlight/9#15', ['SL-DOM-4', 'SL-DOM-8', 'SL-DOM-10'], "reads file: values and the file: XAP with mono's Uri: a value with LocalPath / admits the XAPs whose root (file://host/) is its ToString — file:///, FILE:///, file://, file://// and // all give file:///, file://server/ a UNC XAP's; with another LocalPath (C:\\apps\\app.xap, /home/u/app.xap, a query ignored) the one XAP with that LocalPath and root; file://*.x the file: XAPs whose host ends with x", `${ML}ClientAccessPolicy.cs:203-237 @ 56a925b4; CrossDomainPolicyManager.cs:45-51 @ 016a04eb; BaseDomainPolicy.cs:47-50, 60-66 @ 75503013; mono/mono mcs/class/System/System/Uri.cs @ 018e3b25 (Parse, ParseAsUnixAbsoluteFilePath, ParseAsWindowsAbsoluteFilePath, ParseAsWindowsUNC, ParseUri, LocalPath, GetLeftPart, ToString); mono/moon class/System.Windows/System.Windows.Interop/PluginHost.cs:54-60, 76-82 @ cb343939d`),
    },
    readPolicy: {
      run: readMoonlightPolicy,
      tag: tag(
        'silverlight/9#8',
        ['SL-XML-2', 'SL-XML-4', 'SL-XML-6', 'SL-XML-8', 'SL-XML-9', 'SL-GRAM-4', 'SL-GRAM-7', 'SL-GRAM-9', 'SL-GRAM-10', 'SL-GRAM-12', 'SL-PATH-6', 'SL-SOCK-7'],
        "reads the file as ClientAccessPolicyParser does (rows 8-8h, 4a, 9): empty elements in <policy> skipped unread, a voided grant-to's tcp ports still in its policy's PortMask, a <resource> not written empty voids its grant-to unread, children in any namespace skipped and a namespaced cross-domain-access, allow-from or grant-to no policy, ports as UInt16.TryParse reads them; mono's XML reader stops at U+0000 and one node after the root, ignores the DTD, and takes only version 1.0",
        `${ML}ClientAccessPolicyParser.cs:89-127 (FromStream: 94-96, 99, 102-106, 108-113, 115-121, 124), 129-163 (141-144, 146-156), 165-214 (183, 189, 191-193, 197-201), 216-232 (225), 234-276 (239-244, 246-249, 261-264, 266-273), 278-302 @ 0a23b07; ClientAccessPolicy.cs:56-62, 102-113 @ 56a925b4; mono XmlTextReader (PeekChar, ReadContent, ReadStartTag, VerifyXmlDeclaration; revision UNVERIFIED)`,
      ),
    },
    decideSocketGrant: {
      run: moonlightDecideSocketGrant,
      tag: tag('silverlight/9#8d', ['SL-GRAM-8'], 'asks every allow-from in document order; a <domain> without uri throws once the check reaches it (no earlier domain of its allow-from admits the XAP, no uri="*"), and the connection fails; a XAP whose path holds a percent escape is matched by no application value (9#3b: mono compares escaped paths)', `${ML}ClientAccessPolicyParser.cs:197-201 @ 0a23b07 (Domains.Add (null)); ClientAccessPolicy.cs:72-87, 169-201 (AllowAnyDomain 195-196, Domains.All 198), 203-219 (Uri.TryCreate 206, policy.StartsWith 219 on null) @ 56a925b4`),
    },
    decideHttpGrant: {
      run: moonlightDecideHttpGrant,
      tag: tag('silverlight/9#2', ['SL-HDR-7', 'SL-GRAM-8'], 'asks every allow-from in document order about the headers before its domains and denies at the first that refuses one, up to the allow-from that grants the request; a <domain> without uri reached on the way throws (row 8d); a XAP whose path holds a percent escape is matched by no application value (9#3b: mono compares escaped paths)', `${ML}ClientAccessPolicy.cs:123-148 (return false at 130-131), 195-198, 206-219 @ 56a925b4; mono/moon PolicyBasedHttpWebRequest.cs:170 @ cb343939d (IsAllowed outside any try)`),
    },
    forbiddenPathSequence: {
      run: moonlightForbiddenPath,
      tag: tag('silverlight/9#4c', ['SL-PATH-5'], 'looks for %, ./ and .. in Uri.OriginalString as written (the whole URL, fragment included) before the first ?, with no rewriting: /a/.\\b passes and is then read as /a/b', `${ML}ClientAccessPolicy.cs:92-115 (OriginalString at 96), 137-140 @ 56a925b4; mono/mono mcs/class/System/System/Uri.cs @ 018e3b25 (Reduce)`),
    },
    afterRejectedPolicy: {
      run: () => 'fallback',
      tag: tag('silverlight/9#11', ['SL-HTTP-6'], 'a served clientaccesspolicy.xml it cannot read is no policy: crossdomain.xml is asked for next', `${ML}CrossDomainPolicyManager.cs:122-139 @ 016a04eb; mono/moon PolicyBasedHttpWebRequest.cs:187-202 @ cb343939d`),
    },
    acceptsContentType: {
      run: moonlightAcceptsContentType,
      tag: tag('silverlight/9#13', ['SL-HTTP-4'], 'accepts a Content-Type starting with text/ (case-sensitive), or application/xml exactly or followed at once by ;', `${ML}CrossDomainPolicyManager.cs:102-120 @ 016a04eb`),
    },
    clientConfig: {
      run: (config, target) => (target.kind === 'url' && config.silverlight.elevatedTrust ? { ...config, silverlight: { ...config.silverlight, elevatedTrust: false } } : config),
      tag: tag('silverlight/9#16', ['CLIENT-9'], 'its browser HTTP stack checks the policy whatever the trust (elevated trust only lifts the socket check)', 'mono/moon class/System.Windows/System.Net.Browser/PolicyBasedHttpWebRequest.cs:150-176, 225-230 @ cb343939d'),
    },
    readFlashSubset: {
      run: moonlightReadFlashSubset,
      tag: tag('silverlight/9#5c', ['SL-FLASH-1', 'SL-FLASH-2', 'SL-FLASH-9'], '<site-control/> without its attribute is read as all; a missing domain or headers is no error; what an element holds is skipped; an empty <cross-domain-policy/> is no policy; no header rule means domain="*" allowing only Content-Type', `${ML}FlashCrossDomainPolicyParser.cs:100-146 (GetSiteControl 137-146), 162-165, 176-192, 200-205 @ 0d80d1b1; FlashCrossDomainPolicy.cs:52-55 @ aa659717`),
    },
    decideFlashSubset: {
      run: (b, policy, response, location, caller, scheme, method, headers) => {
        // A non-empty X-Permitted-Cross-Domain-Policies replaces the file's site-control; none of either is 'all'.
        const header = response === undefined ? undefined : responseHeader(response, 'x-permitted-cross-domain-policies');
        const site = header !== undefined && header !== '' ? header : (policy.siteControl[policy.siteControl.length - 1] ?? '');
        const meta = site === '' ? 'all' : site;
        if (meta !== 'all' && meta !== 'master-only' && meta !== 'by-ftp-filename') {
          return b.denyBecause(`${header ? 'X-Permitted-Cross-Domain-Policies' : '<site-control>'} says ${JSON.stringify(meta)}: Moonlight uses the file only under all, master-only or by-ftp-filename; denied`, ['SL-FLASH-5'], location);
        }
        if (!isMethodAllowed([], method)) return b.denyBecause(`method ${method} is not GET or POST; denied`, ['SL-FLASH-8'], location);
        const targetHttps = scheme === 'https';
        const callerHttps = caller.scheme === 'https';
        // AllowAccessFrom.IsAllowed: only domain="*"; secure (default true) keeps HTTPS targets for HTTPS applications.
        const grant = policy.allowAccessFrom.find((e) => e.domain === '*' && (!e.secure || !targetHttps || callerHttps));
        if (policy.allowAccessFrom.length > 0 && grant === undefined) {
          return b.denyBecause(`${location} has no allow-access-from domain="*" admitting this caller (Moonlight); denied`, ['SL-FLASH-4', 'SL-FLASH-6'], location);
        }
        // AllowHttpRequestHeadersFrom.IsRejected: a domain="*" rule whose headers do not cover the request rejects it (the old secure order).
        const rejecting = policy.allowHttpRequestHeadersFrom.find((e) => e.domain === '*' && !headers.every((h) => isHeaderAllowed([], h) || isHeaderAllowed(e.headers, h)) && (!e.secure || !callerHttps || targetHttps));
        if (rejecting !== undefined) return b.denyBecause(`an allow-http-request-headers-from domain="*" of ${location} does not cover the request's headers (Moonlight); denied`, ['SL-FLASH-7'], location);
        if (grant !== undefined) b.add(withRule({ step: 'match', location, why: 'allow-access-from domain="*" admits every caller', requirements: ['SL-FLASH-4'] }, 'allow-access-from', grant.source));
        return b.allow(grant === undefined ? `${location} has no allow-access-from at all, and Moonlight only refuses when one exists and none admits` : `${location} (read as Moonlight's FlashCrossDomainPolicy) grants every caller with allow-access-from domain="*"`, ['SL-FLASH-4'], location);
      },
      tag: tag('silverlight/9#5b', ['SL-FLASH-5', 'SL-FLASH-7', 'SL-FLASH-9'], 'a non-empty X-Permitted header replaces the site-control (none: all); a file without allow-access-from is not refused; header rules reject only when domain="*" and not covering (secure in the old order); other header domains never reject', `${ML}FlashCrossDomainPolicy.cs:52-55, 74-145 @ aa659717; CrossDomainPolicyManager.cs:152-157 @ 016a04eb`),
    },
  },
  undecided: [
    { what: 'Which System.Uri Moonlight ran with.', chose: 'mono/mono mcs/class/System/System/Uri.cs @ 018e3b25 (the one chapter 9 cites): "*" is no host character, so scheme://*.host reaches the wildcard branch; hosts are not IPv4-normalised, and nothing is trimmed, so a uri with surrounding spaces never matches, as in the reference (silverlight/9#14: no override).' },
    { what: 'String.EndsWith in CheckDomainUri is culture-sensitive.', chose: 'An ordinal test: host names Moonlight accepts are letters, digits, "-", "_" and "." (UNVERIFIED for characters a culture ignores).' },
    { what: 'The XAP’s host as Moonlight’s Uri reads it (ApplicationUri.DnsSafeHost).', chose: 'The host as our request reader reads the origin (WHATWG: IPv4 shorthand normalised, IDNA to punycode).' },
    { what: 'The URL mono reads as the XAP’s (moon passes the final URL of the XAP download, as the browser gives it).', chose: 'The origin as our request reader normalises it (WHATWG: file://localhost/ has no host, backslashes are slashes), read by mono’s Uri (silverlight/9#15); a URL mono refuses (file:///a:b/c, a host with ~) gives no application, which no file: value admits (UNVERIFIED; fail closed).' },
    { what: 'Which characters mono’s invariant ToLower maps to ASCII in a scheme (U+0130, the Kelvin sign).', chose: 'ASCII letters only: a value such as FİLE:/// is no file: value and never matches (UNVERIFIED; fail closed).' },
    { what: 'Which request headers Moonlight tests (request.Headers.AllKeys: the ones the application set, or the browser’s too).', chose: 'The headers of the request, as for the reference.' },
    { what: 'Whether the browser bridge normalises Content-Type before CheckContentType.', chose: 'As written (the code’s test), UNVERIFIED.' },
    { what: 'Which revision of mono’s XmlReader (XmlTextReader) Moonlight ran ClientAccessPolicyParser over.', chose: 'The MOONLIGHT-era XmlTextReader for what the parser’s result depends on (namespaces, one node read after the root, U+0000 as the end, version 1.0 only, the DTD skipped: rows 8b, 8e-8h); everything else about well-formedness, entities, characters and attribute-value normalisation is our XML front end’s (XML 1.0 fifth edition, where mono’s name tables are the fourth’s), and our input bounds (SL-XML-5) stay, UNVERIFIED.' },
    { what: 'Whether mono’s reader, told DtdProcessing.Ignore, still rejects an ill-formed internal subset, and what xml:base values make its resolver throw.', chose: 'The subset is skipped unread (quoted literals, comments and PIs may hold "]"); xml:base is not looked at, UNVERIFIED.' },
    { what: 'Which UInt16.TryParse ParsePort ran with (mono’s revisions differ on non-ASCII digits and culture signs).', chose: 'ASCII digits, one leading "+" or "-", Char.IsWhiteSpace around them (mono’s UInt32.Parse (s, tryParse) path), UNVERIFIED.' },
    { what: 'What the application sees when CheckDomainUri (null) throws out of IsAllowed (a <domain> without uri, row 8d).', chose: 'The request or connection fails: deny (fail closed).' },
  ],
};
