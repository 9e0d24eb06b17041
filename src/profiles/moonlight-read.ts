/**
 * How Moonlight reads a `clientaccesspolicy.xml` (spec/silverlight/9-divergences.md, rows 8 to
 * 8h, 4a and 9): mono/mono `mcs/class/System.Net/System.Net.Policy/ClientAccessPolicyParser.cs`
 * @ 0a23b07 (`FromStream` and the `Read…Element` loops) over mono's `XmlReader`, into the
 * reference's model and compiled index, so that the reference's socket and HTTP decisions run on
 * exactly the lists mono builds (`AccessPolicyList`, `AllowedServices`, `GrantedResources`, each
 * policy's `PortMask`). Our own code, written from what that code does (read for facts only).
 *
 * The text goes through our XML front end (src/xml/document.ts), prepared as mono's reader sees
 * it: cut at the first U+0000 (mono's `XmlTextReader.PeekChar` reads it as the end of the text), a
 * leading byte order mark consumed by the `StreamReader` (so the XML declaration's encoding is never
 * compared with it), whitespace before the XML skipped (`FromStream`), a DOCTYPE's internal subset
 * skipped unread (`DtdProcessing.Ignore`), and nothing after the node that follows the root's end
 * tag (`ReadEndElement` reads one node; the reader is then disposed). mono's reader is
 * namespace-aware where ours is not: prefixes are resolved here, and what mono refuses (an
 * undeclared prefix, `xmlns:p=""`, one attribute twice by namespace, a bad `xml:space`) is no
 * policy.
 *
 * The walk then follows the parser's loops, element by element:
 * - an empty root is no policy; a root other than `access-policy` in no namespace is no policy
 *   (`ReadStartElement` throws);
 * - in `<access-policy>`, children other than a non-empty `cross-domain-access` (by local name) are
 *   skipped, and one in a namespace throws;
 * - in `<cross-domain-access>`, children other than a non-empty `policy` (by qualified name) are
 *   skipped; a `<policy>` with any attribute is skipped;
 * - in `<policy>`, every empty element is skipped before its name is read (9#8); then
 *   `allow-from` and `grant-to` by local name (one in a namespace throws, unless `grant-to` has an
 *   attribute and is skipped first), anything else voids the policy;
 * - in `<allow-from>` and `<grant-to>`, children in any namespace (the default namespace included)
 *   are skipped; `<domain>` without `uri` is kept as a domain that throws when the check reaches
 *   it (8d); a `<resource>` must be written empty (`<resource/>`) or it voids its grant-to unread
 *   (8c); a tcp `socket-resource`'s ports are OR-ed into the policy's `PortMask` as they are read,
 *   so a voided grant-to's ports still grant (8a): they are kept here as a grant-to of ports only,
 *   which the whole-site count never sees; ports are read as `UInt16.TryParse` reads them (9).
 *
 * @module
 */
import type { Diagnostic, RequirementId, SourceLocation } from '../diagnostics.js';
import { LineMap } from '../location.js';
import { compileSilverlightPolicy, type CompiledSilverlightPolicy } from '../silverlight/compile.js';
import type { SilverlightDomainPattern } from '../silverlight/domains.js';
import { effectiveSilverlightPolicy } from '../silverlight/effective.js';
import { sourceOf } from '../silverlight/flash-subset.js';
import { SILVERLIGHT_XML_RULES } from '../silverlight/grammar.js';
import { parseHeaderList, parseMethodList } from '../silverlight/headers.js';
import { SILVERLIGHT_MAX_SOCKET_PORT, SILVERLIGHT_MIN_SOCKET_PORT, type SilverlightAllowFrom, type SilverlightGrantTo, type SilverlightPolicy, type SilverlightPolicyEntry } from '../silverlight/model.js';
import { isSelfClosing, parseXsdBoolean } from '../silverlight/parse.js';
import type { SilverlightPolicyReading, SilverlightReadAnswer } from '../silverlight/steps.js';
import { isDotNetWhiteSpace, parseXmlDocument, type XmlDocument, type XmlElement } from '../xml/document.js';

/** Diagnostic codes of {@link readMoonlightPolicy} (beyond the XML front end's, which it also emits). */
export const MOONLIGHT_READ_CODES = [
  'moonlight-no-policy',
  'moonlight-text-end',
  'moonlight-dtd-ignored',
  'moonlight-after-root',
  'moonlight-namespace',
  'moonlight-skipped',
  'moonlight-voided',
  'moonlight-ports-kept',
  'moonlight-domain-without-uri',
] as const;
/** A diagnostic code of {@link readMoonlightPolicy}. */
export type MoonlightReadCode = (typeof MOONLIGHT_READ_CODES)[number];

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

/** Thrown by the walk where mono's parser throws (an `XmlException`, a `NotSupportedException`, …): the file is no policy. Never escapes this module. */
class NoPolicy {
  constructor(
    readonly why: string,
    readonly requirement: RequirementId,
    readonly at: SourceLocation,
  ) {}
}

/**
 * `allow-from` elements holding a `<domain>` without `uri` (and no `uri="*"`), with the patterns of
 * the domains written before it: mono adds `null` to `Domains`, and `CheckDomainUri (null)` throws
 * when `Domains.All` reaches it, i.e. when none of those earlier domains admits the XAP (8d).
 */
export type DomainsWithoutUri = ReadonlyMap<SilverlightAllowFrom, readonly SilverlightDomainPattern[]>;

const WITHOUT_URI = new WeakMap<CompiledSilverlightPolicy, DomainsWithoutUri>();

/** The `allow-from` elements of a policy this reader compiled whose check can reach a `<domain>` without `uri` (none: `undefined`). */
export function domainsWithoutUri(compiled: CompiledSilverlightPolicy): DomainsWithoutUri | undefined {
  return WITHOUT_URI.get(compiled);
}

// ---------------------------------------------------------------------------------------------
// The text as mono's reader sees it.

/** The offset just past the first `close` in `t` from `from`, or -1 when there is none. */
function past(t: string, close: string, from: number): number {
  const end = t.indexOf(close, from);
  return end < 0 ? -1 : end + close.length;
}

/** The first offset from `from` outside quoted literals whose character `stop` accepts, or -1. */
function unquoted(t: string, from: number, stop: (c: string) => boolean): number {
  let quote = '';
  for (let j = from; j < t.length; j++) {
    const c = t.charAt(j);
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (stop(c)) return j;
  }
  return -1;
}

/** The DOCTYPE at `at`: its internal subset (offsets between `[` and `]`, if any) and the offset past its `>`, or `null` when the text ends first. */
function readDoctype(t: string, at: number): { subset: { from: number; to: number } | null; end: number } | null {
  const j = unquoted(t, at + 9, (c) => c === '[' || c === '>');
  if (j < 0) return null;
  if (t.charAt(j) === '>') return { subset: null, end: j + 1 };
  // mono's ReadInternalSubset: quoted literals, comments and PIs may hold "]".
  for (let k = j + 1; k < t.length; ) {
    const c = t.charAt(k);
    if (c === ']') {
      const gt = unquoted(t, k + 1, (d) => d === '>');
      return gt < 0 ? null : { subset: { from: j + 1, to: k }, end: gt + 1 };
    }
    const next = c === '"' || c === "'" ? past(t, c, k + 1) : t.startsWith('<!--', k) ? past(t, '-->', k + 4) : t.startsWith('<?', k) ? past(t, '?>', k + 2) : k + 1;
    if (next < 0) return null;
    k = next;
  }
  return null;
}

/** The offsets of the internal subset of the DOCTYPE in the prolog, or `null`. */
function internalSubsetRange(t: string): { from: number; to: number } | null {
  let i = 0;
  while (i < t.length && (isDotNetWhiteSpace(t.charCodeAt(i)) || t.charCodeAt(i) === 0xfeff)) i++;
  // The prolog: the declaration, comments, PIs and whitespace before the DOCTYPE.
  for (;;) {
    while (i < t.length && /[ \t\r\n]/.test(t.charAt(i))) i++;
    const next = t.startsWith('<?', i) ? past(t, '?>', i + 2) : t.startsWith('<!--', i) ? past(t, '-->', i + 4) : i;
    if (next < 0) return null;
    if (next === i) break;
    i = next;
  }
  return t.startsWith('<!DOCTYPE', i) ? (readDoctype(t, i)?.subset ?? null) : null;
}

/** `t` with the characters of `[from, to)` blanked (line breaks kept, so positions stay). */
function blank(t: string, from: number, to: number): string {
  return t.slice(0, from) + t.slice(from, to).replace(/[^\r\n]/g, ' ') + t.slice(to);
}

/**
 * The offset just after the root element's end tag (or its `/>`), found by a scan of tags,
 * comments, PIs, CDATA and the DOCTYPE; -1 when the text ends first. Well-formedness is the front
 * end's: the text cut here is parsed again.
 */
function rootEndOffset(t: string): number {
  let depth = 0;
  let i = 0;
  while (i < t.length) {
    const lt = t.indexOf('<', i);
    if (lt < 0) return -1;
    let next: number;
    if (t.startsWith('<!--', lt)) next = past(t, '-->', lt + 4);
    else if (t.startsWith('<?', lt)) next = past(t, '?>', lt + 2);
    else if (t.startsWith('<![CDATA[', lt)) next = past(t, ']]>', lt + 9);
    else if (t.startsWith('<!DOCTYPE', lt)) next = readDoctype(t, lt)?.end ?? -1;
    else if (t.startsWith('<!', lt)) next = past(t, '>', lt + 2);
    else if (t.startsWith('</', lt)) {
      next = past(t, '>', lt + 2);
      if (next < 0) return -1;
      if (--depth === 0) return next;
    } else {
      const j = unquoted(t, lt + 1, (c) => c === '>');
      if (j < 0) return -1;
      if (t.charAt(j - 1) === '/') {
        if (depth === 0) return j + 1;
      } else depth++;
      next = j + 1;
    }
    if (next < 0) return -1;
    i = next;
  }
  return -1;
}

/**
 * What mono's reader reads after the root's end tag: `ReadEndElement` reads exactly one more node
 * (`XmlTextReader.ReadContent`), then the reader is disposed. Returns the text up to the end of
 * that node, or why reading it throws. Whitespace is a node of its own (nothing after it is read);
 * a comment or PI is read to its end (or to the end of the text); anything else — an element
 * (`Multiple document element`), an end tag, text, CDATA, a DOCTYPE — throws.
 */
function afterRoot(t: string, end: number): { text: string } | { error: string } {
  if (end >= t.length || /[ \t\r\n]/.test(t.charAt(end))) return { text: t.slice(0, end) };
  if (t.startsWith('<!--', end)) {
    const dashes = t.indexOf('--', end + 4);
    // mono's ReadComment: "--" must close the comment; a comment the text ends in is read to the end.
    if (dashes < 0) return { text: `${t} -->` };
    if (t.charAt(dashes + 2) !== '>') return { error: 'a comment after the root holds "--"' };
    return { text: t.slice(0, dashes + 3) };
  }
  if (t.startsWith('<?', end)) {
    const close = t.indexOf('?>', end + 2);
    if (close >= 0) return { text: t.slice(0, close + 2) };
    // mono's ReadProcessingInstruction reads a PI the text ends in to the end, once its target is followed by whitespace or "?".
    const target = /^<\?[^ \t\r\n?]*/.exec(t.slice(end))?.[0] ?? '';
    return end + target.length < t.length ? { text: `${t}?>` } : { error: 'a processing instruction after the root ends with the text right after its target' };
  }
  return { error: `${JSON.stringify(t.slice(end, end + 20))} right after the root's end tag is a second root, text or markup mono's reader refuses there` };
}

/** The XML declaration's version as written, when the text starts with one. */
function declaredVersion(t: string): string | null {
  let i = 0;
  while (i < t.length && isDotNetWhiteSpace(t.charCodeAt(i))) i++;
  const m = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')/.exec(t.slice(i, i + 200));
  return m === null ? null : (m[1] ?? m[2] ?? '');
}

/**
 * The document mono's `XmlReader` reads from `text`, through our front end: the text cut and
 * blanked as the module comment says (offsets kept, so element locations index `text` as
 * returned), or `null` with the front end's (or our) error.
 */
export function readMoonlightDocument(input: string, diagnostics: Diagnostic[]): { doc: XmlDocument; text: string } | null {
  const lines = new LineMap(input);
  const note = (severity: Diagnostic['severity'], code: MoonlightReadCode, requirement: RequirementId, message: string, offset: number): void => {
    const at = lines.locate(offset);
    diagnostics.push({ severity, code, message, line: at.line, column: at.column, requirement });
  };
  let t = input;
  const nul = t.indexOf('\u0000');
  if (nul >= 0) {
    // SL-XML-6: XmlTextReader.PeekChar answers "end of text" for U+0000.
    note('info', 'moonlight-text-end', 'SL-XML-6', `Moonlight's XML reader takes the U+0000 at line ${lines.locate(nul).line} for the end of the text: nothing after it is read.`, nul);
    t = t.slice(0, nul);
  }
  // SL-XML-8: the StreamReader consumes a byte order mark before the XML reader starts (read here as whitespace).
  if (t.charCodeAt(0) === 0xfeff) t = ` ${t.slice(1)}`;
  let local: Diagnostic[] = [];
  let doc = parseXmlDocument(t, SILVERLIGHT_XML_RULES, local);
  if (doc === null && local.some((d) => d.code === 'internal-dtd-subset')) {
    const range = internalSubsetRange(t);
    if (range !== null) {
      // SL-XML-4: DtdProcessing.Ignore: the DOCTYPE is skipped; its declarations are never applied.
      note('info', 'moonlight-dtd-ignored', 'SL-XML-4', 'Moonlight reads with DtdProcessing.Ignore: the internal DTD subset is skipped, and nothing it declares is applied.', range.from);
      t = blank(t, range.from, range.to);
      local = [];
      doc = parseXmlDocument(t, SILVERLIGHT_XML_RULES, local);
    }
  }
  if (doc === null) {
    const end = rootEndOffset(t);
    // Only when the root itself reads well: otherwise mono throws inside it, as the front end said.
    const rootOnly: Diagnostic[] = [];
    const prefix = end > 0 && end < t.length ? parseXmlDocument(t.slice(0, end), SILVERLIGHT_XML_RULES, rootOnly) : null;
    if (prefix !== null) {
      const after = afterRoot(t, end);
      if ('error' in after) {
        // SL-XML-2
        note('error', 'moonlight-after-root', 'SL-XML-2', `Moonlight's XML reader reads one node after the root's end tag, and here it throws: ${after.error}.`, end);
        return null;
      }
      const retry: Diagnostic[] = [];
      const cut = after.text.length === end ? prefix : parseXmlDocument(after.text, SILVERLIGHT_XML_RULES, retry);
      // SL-XML-2
      if (cut !== null) note('warning', 'moonlight-after-root', 'SL-XML-2', "Moonlight's XML reader stops after the node that follows the root's end tag: what comes after it is never read.", end);
      local = cut === prefix ? rootOnly : retry;
      doc = cut;
      t = after.text;
    }
  }
  for (const d of local) diagnostics.push(d);
  if (doc === null) return null;
  const version = declaredVersion(t);
  if (version !== null && version !== '1.0') {
    // SL-XML-1: XmlTextReader.VerifyXmlDeclaration accepts the version 1.0 only.
    note('error', 'moonlight-no-policy', 'SL-XML-1', `The XML declaration says version="${version}"; Moonlight's XML reader accepts only version="1.0".`, 0);
    return null;
  }
  return { doc, text: t };
}

// ---------------------------------------------------------------------------------------------
// Names as mono's namespace-aware reader reads them.

/** An element's local name and namespace URI (`''`: none). */
interface ExpandedName {
  local: string;
  ns: string;
}

/** `XmlTextReader.ReadName`: the prefix is what precedes the first colon after the first character. */
function splitName(name: string): { prefix: string; local: string } {
  const colon = name.indexOf(':', 1);
  return colon < 0 ? { prefix: '', local: name } : { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
}

/**
 * Resolves every element's namespace as mono's `XmlTextReader.ReadStartTag` does (with
 * `Namespaces` on), throwing {@link NoPolicy} where it throws.
 */
function resolveNames(root: XmlElement): Map<XmlElement, ExpandedName> {
  const names = new Map<XmlElement, ExpandedName>();
  const visit = (el: XmlElement, scope: ReadonlyMap<string, string>): void => {
    let inner: Map<string, string> | null = null;
    const bind = (prefix: string, uri: string): void => {
      inner ??= new Map(scope);
      inner.set(prefix, uri);
    };
    for (const a of el.attributes) {
      const { prefix, local } = splitName(a.name);
      if (a.name === 'xmlns') bind('', a.value);
      else if (prefix === 'xmlns') {
        // SL-XML-1: a namespace-aware reader refuses these declarations (Namespaces in XML 1.0 §3).
        if (a.value === '') throw new NoPolicy(`${a.name}="" at line ${a.location.line} maps a prefix to no namespace`, 'SL-XML-1', a.location);
        if (local === 'xmlns' || (local === 'xml') !== (a.value === XML_NAMESPACE) || a.value === XMLNS_NAMESPACE) throw new NoPolicy(`${a.name}="${a.value}" at line ${a.location.line} is a reserved namespace declaration`, 'SL-XML-1', a.location);
        bind(local, a.value);
      }
    }
    const s: ReadonlyMap<string, string> = inner ?? scope;
    const lookup = (prefix: string, what: string, at: SourceLocation): string => {
      const uri = s.get(prefix);
      if (uri === undefined || uri === '') throw new NoPolicy(`${what} at line ${at.line} uses the undeclared prefix ${prefix}`, 'SL-XML-1', at);
      return uri;
    };
    const { prefix, local } = splitName(el.name);
    names.set(el, { local, ns: prefix === '' ? (s.get('') ?? '') : lookup(prefix, `<${el.name}>`, el.location) });
    const seen = new Set<string>();
    for (const a of el.attributes) {
      const p = splitName(a.name);
      const ns = a.name === 'xmlns' || p.prefix === 'xmlns' ? XMLNS_NAMESPACE : p.prefix === '' ? '' : lookup(p.prefix, `attribute ${a.name}`, a.location);
      const key = `${ns} ${p.local}`;
      if (seen.has(key)) throw new NoPolicy(`<${el.name}> at line ${el.location.line} has attribute ${p.local} in namespace ${ns} twice`, 'SL-XML-1', a.location);
      seen.add(key);
      if (ns === XML_NAMESPACE && p.local === 'space' && a.value !== 'preserve' && a.value !== 'default') throw new NoPolicy(`xml:space="${a.value}" at line ${a.location.line} is neither preserve nor default`, 'SL-XML-1', a.location);
    }
    for (const c of el.children) if (c.kind === 'element') visit(c, s);
  };
  visit(root, new Map([['xml', XML_NAMESPACE], ['xmlns', XMLNS_NAMESPACE]]));
  return names;
}

// ---------------------------------------------------------------------------------------------
// Ports as `ParsePorts` reads them.

/** `UInt16.TryParse (s)` then the 4502–4534 check of `ParsePort`: the port, or `null` where it throws. */
export function monoPort(s: string): number | null {
  let i = 0;
  while (i < s.length && isDotNetWhiteSpace(s.charCodeAt(i))) i++;
  if (i === s.length) return null;
  let negative = false;
  if (s.charAt(i) === '+') i++;
  else if (s.charAt(i) === '-') {
    i++;
    negative = true;
  }
  let value = 0;
  let digits = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
    if (value > 0xffffffff) return null;
    digits = true;
  }
  // Int32.ProcessTrailingWhitespace: only whitespace may follow the digits.
  for (; i < s.length; i++) if (!isDotNetWhiteSpace(s.charCodeAt(i))) return null;
  if (!digits || (negative && value > 0) || value > 0xffff) return null;
  return value >= SILVERLIGHT_MIN_SOCKET_PORT && value <= SILVERLIGHT_MAX_SOCKET_PORT ? value : null;
}

/** `ParsePorts`: `A` or `A-B` split at the first `-`; a reversed range is an empty mask; `null` where it throws. */
export function monoPortRange(value: string): { from: number; to: number } | 'none' | null {
  const dash = value.indexOf('-');
  const from = monoPort(dash < 0 ? value : value.slice(0, dash));
  const to = dash < 0 ? from : monoPort(value.slice(dash + 1));
  if (from === null || to === null) return null;
  return from > to ? 'none' : { from, to };
}

// ---------------------------------------------------------------------------------------------
// The parser's loops.

class Walk {
  readonly policies: SilverlightPolicyEntry[] = [];
  /** Grant-tos holding only the ports of a voided `<grant-to>` (8a): not in `GrantedResources`. */
  readonly portsOnly = new Set<SilverlightGrantTo>();
  /** `allow-from` elements with a `<domain>` without `uri` (8d), and how many domains precede it. */
  readonly withoutUri = new Map<SilverlightAllowFrom, number>();
  constructor(
    private readonly text: string,
    private readonly names: Map<XmlElement, ExpandedName>,
    private readonly diagnostics: Diagnostic[],
  ) {}

  private name(el: XmlElement): ExpandedName {
    return this.names.get(el) as ExpandedName;
  }

  private empty(el: XmlElement): boolean {
    return isSelfClosing(this.text, el.location.offset);
  }

  private report(severity: Diagnostic['severity'], code: MoonlightReadCode, requirement: RequirementId, message: string, at: SourceLocation): void {
    this.diagnostics.push({ severity, code, message, line: at.line, column: at.column, requirement });
  }

  /** `ReadStartElement (name, String.Empty)`: an element in a namespace throws. */
  private start(el: XmlElement, requirement: RequirementId): void {
    const { ns } = this.name(el);
    if (ns !== '') throw new NoPolicy(`<${el.name}> at line ${el.location.line} is read with ReadStartElement ("${this.name(el).local}", String.Empty), which throws for its namespace ${ns}`, requirement, el.location);
  }

  private static elements(el: XmlElement): XmlElement[] {
    return el.children.filter((c): c is XmlElement => c.kind === 'element');
  }

  // FromStream (ClientAccessPolicyParser.cs:91-126)
  root(root: XmlElement): void {
    // SL-XML-3: an empty root is no policy, whatever its name.
    if (this.empty(root)) throw new NoPolicy(`the root <${root.name}/> is an empty element: Moonlight's parser returns no policy`, 'SL-XML-3', root.location);
    const { local, ns } = this.name(root);
    if (local !== 'access-policy' || ns !== '') throw new NoPolicy(`the root is <${root.name}>${ns === '' ? '' : ` in namespace ${ns}`}, not <access-policy> in no namespace: ReadStartElement throws`, 'SL-XML-3', root.location);
    for (const child of Walk.elements(root)) {
      if (this.empty(child) || this.name(child).local !== 'cross-domain-access') {
        // SL-GRAM-1
        this.report('info', 'moonlight-skipped', 'SL-GRAM-1', `<${child.name}${this.empty(child) ? '/' : ''}> at line ${child.location.line} is skipped.`, child.location);
        continue;
      }
      // SL-XML-9
      this.start(child, 'SL-XML-9');
      for (const el of Walk.elements(child)) {
        if (this.empty(el) || el.name !== 'policy') {
          // SL-GRAM-2
          this.report('info', 'moonlight-skipped', 'SL-GRAM-2', `<${el.name}${this.empty(el) ? '/' : ''}> at line ${el.location.line} inside <cross-domain-access> is skipped.`, el.location);
          continue;
        }
        this.policy(el);
      }
    }
  }

  // ReadPolicyElement (ClientAccessPolicyParser.cs:129-163)
  private policy(el: XmlElement): void {
    if (el.attributes.length > 0) {
      // SL-GRAM-3
      this.report('error', 'moonlight-voided', 'SL-GRAM-3', `<policy> at line ${el.location.line} has attributes: Moonlight skips it.`, el.location);
      return;
    }
    this.start(el, 'SL-XML-9');
    const entry: SilverlightPolicyEntry = { allowFrom: [], grantTo: [], source: sourceOf(el) };
    let valid = true;
    for (const child of Walk.elements(el)) {
      if (this.empty(child)) {
        // SL-GRAM-4, silverlight/9#8: any empty element is skipped before its name is read.
        this.report('warning', 'moonlight-skipped', 'SL-GRAM-4', `<${child.name}/> at line ${child.location.line} is an empty element: Moonlight skips it without reading its name.`, child.location);
        continue;
      }
      const { local } = this.name(child);
      if (local === 'allow-from') this.allowFrom(child, entry);
      else if (local === 'grant-to') this.grantTo(child, entry);
      else {
        // SL-GRAM-4
        this.report('error', 'moonlight-voided', 'SL-GRAM-4', `<${child.name}> at line ${child.location.line} voids its <policy>.`, child.location);
        valid = false;
      }
    }
    if (valid) this.policies.push(entry);
  }

  // ReadAllowFromElement (ClientAccessPolicyParser.cs:165-214)
  private allowFrom(el: XmlElement, entry: SilverlightPolicyEntry): void {
    const attr = (n: string): string | undefined => el.attributes.find((a) => a.name === n)?.value;
    const headers = attr('http-request-headers');
    const methods = attr('http-methods');
    // SL-GRAM-6: every attribute counts, namespace declarations too.
    let valid = el.attributes.length === (headers === undefined ? 0 : 1) + (methods === undefined ? 0 : 1);
    this.start(el, 'SL-XML-9');
    const af: SilverlightAllowFrom = { domains: [], httpRequestHeaders: headers === undefined ? [] : parseHeaderList(headers), httpMethods: methods === undefined ? [] : parseMethodList(methods), source: sourceOf(el) };
    let withoutUri = -1;
    for (const child of Walk.elements(el)) {
      if (this.name(child).ns !== '') {
        // SL-GRAM-7: any namespace, the default one included.
        this.report('info', 'moonlight-skipped', 'SL-GRAM-7', `<${child.name}> at line ${child.location.line} is in namespace ${this.name(child).ns} and is skipped.`, child.location);
        continue;
      }
      if (this.name(child).local !== 'domain') {
        valid = false;
        continue;
      }
      const uri = child.attributes.find((a) => a.name === 'uri');
      if (uri === undefined) {
        // SL-GRAM-8, silverlight/9#8d
        this.report('warning', 'moonlight-domain-without-uri', 'SL-GRAM-8', `<domain> at line ${child.location.line} has no uri: Moonlight adds null to the domains, and checking it throws.`, child.location);
        if (withoutUri < 0) withoutUri = af.domains.length;
        continue;
      }
      af.domains.push({ uri: uri.value, source: sourceOf(child) });
    }
    if (!valid) {
      // SL-GRAM-6, SL-GRAM-7
      this.report('error', 'moonlight-voided', 'SL-GRAM-6', `<allow-from> at line ${el.location.line} has another attribute or child: Moonlight leaves it out.`, el.location);
      return;
    }
    entry.allowFrom.push(af);
    // uri="*" sets AllowAnyDomain, checked before the domains.
    if (withoutUri >= 0 && !af.domains.some((d) => d.uri === '*')) this.withoutUri.set(af, withoutUri);
  }

  // ReadGrantToElement, CreateResource (ClientAccessPolicyParser.cs:216-282)
  private grantTo(el: XmlElement, entry: SilverlightPolicyEntry): void {
    if (el.attributes.length > 0) {
      // SL-GRAM-9
      this.report('error', 'moonlight-voided', 'SL-GRAM-9', `<grant-to> at line ${el.location.line} has attributes: Moonlight skips it.`, el.location);
      return;
    }
    this.start(el, 'SL-XML-9');
    const gt: SilverlightGrantTo = { resources: [], socketResources: [], source: sourceOf(el) };
    let valid = true;
    for (const child of Walk.elements(el)) {
      const { local, ns } = this.name(child);
      if (ns !== '') {
        // SL-GRAM-9
        this.report('info', 'moonlight-skipped', 'SL-GRAM-9', `<${child.name}> at line ${child.location.line} is in namespace ${ns} and is skipped.`, child.location);
        continue;
      }
      const attr = (n: string): string | undefined => child.attributes.find((a) => a.name === n)?.value;
      if (local === 'resource') {
        const path = attr('path');
        const subpaths = attr('include-subpaths');
        if (child.attributes.length !== (path === undefined ? 0 : 1) + (subpaths === undefined ? 0 : 1) || !this.empty(child)) {
          // SL-GRAM-10, silverlight/9#8c: CreateResource returns null before it reads the path.
          this.report('error', 'moonlight-voided', 'SL-GRAM-10', `<resource> at line ${child.location.line} has another attribute or is not written as an empty element: its <grant-to> is void.`, child.location);
          valid = false;
          continue;
        }
        // SL-GRAM-12: the Path setter throws NotSupportedException.
        if (path === undefined || path === '') throw new NoPolicy(`<resource> at line ${child.location.line} has ${path === undefined ? 'no' : 'an empty'} path`, 'SL-GRAM-12', child.location);
        const include = subpaths === undefined ? false : parseXsdBoolean(subpaths);
        // SL-GRAM-11: XmlConvert.ToBoolean throws FormatException.
        if (include === null) throw new NoPolicy(`include-subpaths="${subpaths}" at line ${child.location.line} is not true, false, 1 or 0`, 'SL-GRAM-11', child.location);
        gt.resources.push({ path, includeSubpaths: include, source: sourceOf(child) });
      } else if (local === 'socket-resource') {
        // SL-SOCK-9: only protocol="tcp" is read further.
        if (attr('protocol') !== 'tcp') continue;
        const port = attr('port');
        // SL-SOCK-7, silverlight/9#9: ParsePorts (null) throws, as does a port UInt16.TryParse refuses or outside 4502-4534.
        const range = port === undefined ? null : monoPortRange(port);
        if (range === null) throw new NoPolicy(`<socket-resource> at line ${child.location.line} has ${port === undefined ? 'no port' : `port="${port}", which ParsePorts refuses`}`, 'SL-SOCK-7', child.location);
        if (range !== 'none') gt.socketResources.push({ from: range.from, to: range.to, protocol: 'tcp', source: sourceOf(child) });
      } else {
        // SL-GRAM-9
        this.report('error', 'moonlight-voided', 'SL-GRAM-9', `<${child.name}> at line ${child.location.line} voids its <grant-to>.`, child.location);
        valid = false;
      }
    }
    if (valid) {
      entry.grantTo.push(gt);
      return;
    }
    if (gt.socketResources.length === 0) return;
    // SL-GRAM-9, silverlight/9#8a: the ports are already in the policy's PortMask.
    this.report('warning', 'moonlight-ports-kept', 'SL-GRAM-9', `<grant-to> at line ${el.location.line} is void, but its tcp ports were already OR-ed into its policy's PortMask: they still grant.`, el.location);
    const ports: SilverlightGrantTo = { resources: [], socketResources: gt.socketResources, source: sourceOf(el) };
    this.portsOnly.add(ports);
    entry.grantTo.push(ports);
  }
}

/** What {@link readMoonlightModel} gives: the model, the grant-tos `GrantedResources` does not hold, and the `allow-from` elements with a `<domain>` without `uri`. */
export interface MoonlightModel {
  policy: SilverlightPolicy;
  portsOnly: ReadonlySet<SilverlightGrantTo>;
  withoutUri: ReadonlyMap<SilverlightAllowFrom, number>;
  /** The text the XML reader read (cut and blanked): element offsets index it. */
  text: string;
}

/** Reads a `clientaccesspolicy.xml` into the lists Moonlight's parser builds, or `null` (no policy) with an error diagnostic. Never throws. */
export function readMoonlightModel(input: string, diagnostics: Diagnostic[]): MoonlightModel | null {
  const read = readMoonlightDocument(input, diagnostics);
  if (read === null) return null;
  try {
    const walk = new Walk(read.text, resolveNames(read.doc.root), diagnostics);
    walk.root(read.doc.root);
    return { policy: { format: 'silverlight', policies: walk.policies }, portsOnly: walk.portsOnly, withoutUri: walk.withoutUri, text: read.text };
  } catch (e) {
    if (!(e instanceof NoPolicy)) throw e;
    diagnostics.push({ severity: 'error', code: 'moonlight-no-policy', message: `Moonlight's parser gives no policy: ${e.why}.`, line: e.at.line, column: e.at.column, requirement: e.requirement });
    return null;
  }
}

/**
 * The `readPolicy` step of the `moonlight` profile: the text read as `ClientAccessPolicy.FromStream`
 * reads it ({@link readMoonlightModel}), then the reference's effective policy and index over those
 * lists; the whole-site exemption is `reading.wholeSite` over the lists `CheckOriginalPath` counts
 * (without the ports-only grant-tos).
 */
export function readMoonlightPolicy(text: string, kind: 'socket' | 'url', reading: SilverlightPolicyReading): SilverlightReadAnswer<CompiledSilverlightPolicy> {
  const diagnostics: Diagnostic[] = [];
  const model = readMoonlightModel(text, diagnostics);
  if (model === null) {
    const first = diagnostics.find((d) => d.severity === 'error');
    return { ok: false, answered: 'invalid', why: `${kind === 'socket' ? 'the policy from port 943 is' : 'the file is'} no policy for Moonlight${first ? `: ${first.message}` : ''}`, requirements: [first?.requirement ?? 'SL-XML-1'], diagnostics };
  }
  const counted: SilverlightPolicy = model.portsOnly.size === 0 ? model.policy : { format: 'silverlight', policies: model.policy.policies.map((p) => ({ ...p, grantTo: p.grantTo.filter((g) => !model.portsOnly.has(g)) })) };
  const compiled = compileSilverlightPolicy(effectiveSilverlightPolicy(model.policy, { kind }), reading.domainPattern, reading.wholeSite(counted, model.text));
  if (model.withoutUri.size > 0) {
    const map = new Map<SilverlightAllowFrom, SilverlightDomainPattern[]>();
    for (const [af, before] of model.withoutUri) map.set(af, af.domains.slice(0, before).map((d) => reading.domainPattern(d.uri)));
    WITHOUT_URI.set(compiled, map);
  }
  return { ok: true, policy: compiled, diagnostics };
}
