/**
 * The Flash policy parser: text → {@link FlashPolicy} + diagnostics.
 *
 * Two layers, each tagged with the requirement it enforces:
 * 1. the strict XML front end (`src/xml/document.ts`) under {@link FLASH_XML_RULES}: a document
 *    it rejects, or one whose root is not `cross-domain-policy`, yields `policy: null`
 *    (FLASH-XML-*), and a malformed policy grants nothing;
 * 2. the grammar of spec/flash/2-grammar.md over the root's children: an element that cannot grant
 *    what its author meant is dropped with an `error`; something ignored or read restrictively is a
 *    `warning`; the rest of the file stays in force.
 *
 * Never throws: failure is a diagnostic.
 *
 * @module
 */
import type { Diagnostic, DiagnosticSeverity, RequirementId, SourceLocation } from '../diagnostics.js';
import { dictionary } from '../collections.js';
import { parseXmlDocument, XML_DIAGNOSTIC_CODES, type XmlAttribute, type XmlDocument, type XmlElement, type XmlLimits } from '../xml/document.js';
import { parseDomainPattern } from './domains.js';
import {
  FLASH_ELEMENT_ATTRIBUTES,
  FLASH_META_POLICY_VALUES,
  FLASH_POLICY_ELEMENTS,
  FLASH_ROOT_ELEMENT,
  FLASH_XML_RULES,
  headerGrantsApply,
  isIgnorableRootAttribute,
  metaPolicyApplies,
} from './grammar.js';
import type {
  ElementSource,
  FlashAllowAccessFrom,
  FlashAllowAccessFromIdentity,
  FlashAllowHttpRequestHeadersFrom,
  FlashParseContext,
  FlashPolicy,
  FlashPolicyKind,
  FlashSiteControl,
  FlashUrlScheme,
  MetaPolicy,
  PortSpec,
} from './model.js';
import { parsePortRanges } from './ports.js';

/** Options of {@link parseFlashPolicy}. */
export interface FlashParseOptions {
  /** Bounds for the XML front end (FLASH-XML-5); unset fields keep `DEFAULT_XML_LIMITS`. */
  limits?: Partial<XmlLimits>;
}

/** What {@link parseFlashPolicy} returns. */
export interface FlashParseResult {
  /** The policy, or `null` when the text is rejected as a whole (FLASH-XML-*). */
  policy: FlashPolicy | null;
  /** Everything noticed, in document order for element-level findings. */
  diagnostics: Diagnostic[];
}

/** Diagnostic codes of the Flash grammar (the XML front end's are in `XML_DIAGNOSTIC_CODES`). */
export const FLASH_GRAMMAR_DIAGNOSTIC_CODES = [
  'wrong-root',
  'root-attribute',
  'unknown-element',
  'element-name-case',
  'text-content',
  'unknown-attribute',
  'missing-domain',
  'invalid-domain',
  'to-ports-in-url-policy',
  'missing-to-ports',
  'invalid-to-ports',
  'invalid-secure',
  'secure-without-effect',
  'missing-headers',
  'invalid-header-name',
  'headers-not-applicable',
  'invalid-meta-policy',
  'meta-policy-not-applicable',
  'multiple-site-control',
  'site-control-not-master',
  'identity-never-grants',
  'invalid-certificate',
  'declared-encoding',
  // A bug of ours caught at the boundary (the file is rejected); the fuzz campaign counts these.
  'internal-error',
] as const;

/** Every code {@link parseFlashPolicy} can emit: the XML front end's, then the grammar's. */
export const FLASH_DIAGNOSTIC_CODES = [...XML_DIAGNOSTIC_CODES, ...FLASH_GRAMMAR_DIAGNOSTIC_CODES] as const;
/** One of {@link FLASH_DIAGNOSTIC_CODES}. */
export type FlashDiagnosticCode = (typeof FLASH_DIAGNOSTIC_CODES)[number];

// Element names in lower case, for telling `Allow-Access-From` (a case variant) from junk.
const KNOWN_BY_LOWERCASE: ReadonlyMap<string, string> = new Map(FLASH_POLICY_ELEMENTS.map((n) => [n, n]));
// `headers` items: an HTTP token (RFC 9110 tchar), optionally ending in `*` (a prefix match).
const UTF8_NAMES = /^(utf-?8|us-ascii|ascii)$/i;
const HEADER_ITEM = /^[!#$%&'+.^_`|~0-9A-Za-z-]*\*?$/;

/**
 * Parses a Flash policy (`crossdomain.xml` or a socket policy) served as `context` says.
 *
 * `context.kind` decides which attributes mean something (FLASH-GRAM-6/7/9), `context.scheme` the
 * applicable meta-policies and the meaning of `secure` (FLASH-SEC-1), and `context.master` (default
 * true) whether `site-control` counts: outside the master it is reported and left out of the
 * model (FLASH-META-8, FLASH-SOCK-9). Never throws.
 *
 * @example
 * ```ts
 * const { policy, diagnostics } = parseFlashPolicy(text, { kind: 'socket' });
 * ```
 */
export function parseFlashPolicy(text: string, context: FlashParseContext, options: FlashParseOptions = {}): FlashParseResult {
  const diagnostics: Diagnostic[] = [];
  try {
    const policy = parseFlashPolicyInto(text, context, options, diagnostics);
    return { policy, diagnostics };
  } catch (err) {
    // Unreachable by design (the fuzz campaign checks); if it ever happens, fail closed, loudly.
    diagnostics.push({
      severity: 'error',
      code: 'internal-error',
      message: `Internal parser failure, policy rejected: ${err instanceof Error ? err.message : String(err)}`,
      line: 1,
      column: 1,
      requirement: 'FLASH-XML-1',
    });
    return { policy: null, diagnostics };
  }
}

interface GrammarContext {
  kind: FlashPolicyKind;
  scheme: FlashUrlScheme;
  master: boolean;
  diagnostics: Diagnostic[];
  toPorts: ToPortsReader;
}

function parseFlashPolicyInto(text: string, context: FlashParseContext, options: FlashParseOptions, diagnostics: Diagnostic[]): FlashPolicy | null {
  const doc = readFlashXml(text, diagnostics, options);
  return doc === null ? null : readFlashGrammar(doc, context, diagnostics);
}

/** The XML half of {@link parseFlashPolicy}: the strict front end under {@link FLASH_XML_RULES} (FLASH-XML-*). */
export function readFlashXml(text: string, diagnostics: Diagnostic[], options: FlashParseOptions = {}): XmlDocument | null {
  return parseXmlDocument(typeof text === 'string' ? text : String(text), FLASH_XML_RULES, diagnostics, options.limits);
}

/** How `to-ports` values are read: {@link parsePortRanges}, or a client profile's own reader. */
export type ToPortsReader = (value: string, diagnostics: Diagnostic[], at: SourceLocation) => PortSpec | null;

/**
 * The grammar half of {@link parseFlashPolicy} (spec/flash/2-grammar.md) over a document the XML
 * front end accepted: `null` when the root is not `cross-domain-policy`, otherwise the model.
 * `toPorts` reads `to-ports` (FLASH-PORT-*). Never throws on a document the front end produced.
 */
export function readFlashGrammar(doc: XmlDocument, context: FlashParseContext, diagnostics: Diagnostic[], toPorts: ToPortsReader = parsePortRanges): FlashPolicy | null {
  const g: GrammarContext = {
    kind: context.kind === 'socket' ? 'socket' : 'url',
    scheme: context.scheme ?? 'http',
    master: context.master !== false,
    diagnostics,
    toPorts,
  };
  const root = doc.root;

  // FLASH-XML-3
  if (root.name !== FLASH_ROOT_ELEMENT) {
    report(g, 'error', 'wrong-root', 'FLASH-XML-3', `The root element is <${root.name}>, not <${FLASH_ROOT_ELEMENT}>: the file is not a Flash policy and grants nothing.`, root.location, root.name);
    return null;
  }
  // FLASH-XML-10: the text is already decoded; a declaration naming another encoding is only noted.
  if (doc.declaredEncoding !== null && !UTF8_NAMES.test(doc.declaredEncoding.trim())) {
    report(g, 'warning', 'declared-encoding', 'FLASH-XML-10', `The XML declaration says encoding="${doc.declaredEncoding}"; the policy is read as UTF-8 text.`, { line: 1, column: 1, offset: 0 }, doc.declaredEncoding);
  }
  // FLASH-XML-9
  for (const attr of root.attributes) {
    if (!isIgnorableRootAttribute(attr.name)) {
      report(g, 'warning', 'root-attribute', 'FLASH-XML-9', `<${FLASH_ROOT_ELEMENT}> takes no attributes; ${attr.name}="${attr.value}" at line ${attr.location.line} is ignored.`, attr.location, attr.name);
    }
  }

  const policy: FlashPolicy = { format: 'flash', siteControl: [], allowAccessFrom: [], allowHttpRequestHeadersFrom: [], allowAccessFromIdentity: [] };
  const siteControls: FlashSiteControl[] = [];
  // FLASH-GRAM-1: any order.
  for (const child of root.children) {
    if (child.kind === 'text') {
      reportText(g, child.text, child.location, FLASH_ROOT_ELEMENT);
      continue;
    }
    if (child.kind !== 'element') continue;
    switch (child.name) {
      case 'site-control': {
        const sc = readSiteControl(child, g);
        if (sc !== null) siteControls.push(sc);
        break;
      }
      case 'allow-access-from': {
        const from = diagnostics.length;
        const rule = readAllowAccessFrom(child, g);
        if (rule !== null) policy.allowAccessFrom.push(rule);
        else noteWouldGrant(diagnostics, from, child, g);
        break;
      }
      case 'allow-http-request-headers-from': {
        const from = diagnostics.length;
        const rule = readAllowHttpRequestHeadersFrom(child, g);
        if (rule !== null) policy.allowHttpRequestHeadersFrom.push(rule);
        else noteWouldGrant(diagnostics, from, child, g);
        break;
      }
      case 'allow-access-from-identity': {
        const rule = readAllowAccessFromIdentity(child, g);
        if (rule !== null) policy.allowAccessFromIdentity.push(rule);
        break;
      }
      default: {
        const from = diagnostics.length;
        reportUnknownElement(g, child, FLASH_ROOT_ELEMENT);
        noteWouldGrant(diagnostics, from, child, g);
      }
    }
  }

  // FLASH-GRAM-11: all kept, each reported; combining them (most restrictive) is the decision's job.
  if (siteControls.length > 1) {
    for (const sc of siteControls) {
      const at = sc.source?.location ?? root.location;
      report(g, 'warning', 'multiple-site-control', 'FLASH-GRAM-11', `One of ${siteControls.length} <site-control> elements (line ${at.line}); only one is allowed, and the most restrictive value applies.`, at, sc.permittedCrossDomainPolicies);
    }
  }
  policy.siteControl = siteControls;
  return policy;
}

/** The grant an `allow-access-from` or `allow-http-request-headers-from` states, in words (for the linter's findings). */
export function describeFlashGrant(element: string, attributes: { domain?: string | undefined; 'to-ports'?: string | undefined; headers?: string | undefined }, kind: FlashPolicyKind): string | null {
  const domain = attributes.domain;
  if (domain === undefined || domain === '') return null;
  const who = domain === '*' ? 'SWFs from any site' : `SWFs from ${domain}`;
  if (element === 'allow-access-from') {
    if (kind === 'socket') return `${who} socket connections to ${attributes['to-ports'] === undefined ? 'no port (no to-ports)' : `ports ${attributes['to-ports']}`}`;
    return `${who} access to this host's data with the visitor's cookies`;
  }
  if (element === 'allow-http-request-headers-from') return `${who} the right to send the headers ${attributes.headers ?? '(none)'}`;
  return null;
}

// FLASH-GRAM-2, FLASH-GRAM-4 … FLASH-GRAM-9: a dropped granting element says what it would have granted.
function noteWouldGrant(diagnostics: Diagnostic[], from: number, el: XmlElement, g: GrammarContext): void {
  const known = KNOWN_BY_LOWERCASE.get(el.name.toLowerCase());
  // An element that means nothing where it is (a header grant in a socket policy) would have granted nothing.
  if (known === undefined || (known === 'allow-http-request-headers-from' && !headerGrantsApply(g.kind, g.scheme))) return;
  const attrs = (name: string): string | undefined => attribute(el, name)?.value;
  const grant = describeFlashGrant(known, { domain: attrs('domain'), 'to-ports': attrs('to-ports'), headers: attrs('headers') }, g.kind);
  if (grant === null) return;
  for (let i = from; i < diagnostics.length; i++) if (diagnostics[i]!.severity === 'error') diagnostics[i]!.wouldGrant = grant;
}

function report(
  g: GrammarContext,
  severity: DiagnosticSeverity,
  code: FlashDiagnosticCode,
  requirement: RequirementId,
  message: string,
  where: SourceLocation,
  value?: string,
): void {
  const d: Diagnostic = { severity, code, message, line: where.line, column: where.column, requirement };
  if (value !== undefined) d.value = value;
  g.diagnostics.push(d);
}

/** An element's location and attributes as written (rules keep it for the trace and the linter). */
export function sourceOf(el: XmlElement): ElementSource {
  // Keyed by input: a prototype-less record keeps an attribute named __proto__.
  const raw = dictionary<string>();
  for (const a of el.attributes) raw[a.name] = a.value;
  return { location: el.location, raw };
}

function attribute(el: XmlElement, name: string): XmlAttribute | undefined {
  for (const a of el.attributes) if (a.name === name) return a;
  return undefined;
}

// FLASH-GRAM-3
function reportText(g: GrammarContext, text: string, where: SourceLocation, parent: string): void {
  if (text.trim() === '') return;
  const shown = text.trim().replace(/\s+/g, ' ').slice(0, 60);
  report(g, 'warning', 'text-content', 'FLASH-GRAM-3', `Text "${shown}" inside <${parent}> at line ${where.line} means nothing in a policy and is ignored.`, where, shown);
}

// FLASH-GRAM-2
function reportUnknownElement(g: GrammarContext, el: XmlElement, parent: string): void {
  const known = parent === FLASH_ROOT_ELEMENT ? KNOWN_BY_LOWERCASE.get(el.name.toLowerCase()) : undefined;
  if (known !== undefined) {
    report(g, 'error', 'element-name-case', 'FLASH-GRAM-2', `<${el.name}> at line ${el.location.line} is not <${known}>: element names are case-sensitive, so it grants nothing.`, el.location, el.name);
    return;
  }
  report(g, 'warning', 'unknown-element', 'FLASH-GRAM-2', `Unknown element <${el.name}> inside <${parent}> at line ${el.location.line} is ignored and grants nothing.`, el.location, el.name);
}

/** Reports text and child elements inside a policy element that takes neither (FLASH-GRAM-2/3). */
function checkEmpty(g: GrammarContext, el: XmlElement): void {
  for (const child of el.children) {
    if (child.kind === 'text') reportText(g, child.text, child.location, el.name);
    else if (child.kind === 'element') reportUnknownElement(g, child, el.name);
  }
}

function reportUnknownAttributes(g: GrammarContext, el: XmlElement, allowed: readonly string[], requirement: RequirementId): void {
  for (const a of el.attributes) {
    if (!allowed.includes(a.name)) {
      report(g, 'warning', 'unknown-attribute', requirement, `<${el.name}> at line ${el.location.line} has no attribute ${a.name}; it is ignored.`, a.location, a.name);
    }
  }
}

/** Reads `secure`: `undefined` means the element must be dropped (already reported). */
function readSecure(g: GrammarContext, el: XmlElement): boolean | null | undefined {
  const attr = attribute(el, 'secure');
  if (attr === undefined) return null;
  let value: boolean;
  // FLASH-GRAM-8
  if (attr.value === 'true') value = true;
  else if (attr.value === 'false') value = false;
  else {
    report(g, 'error', 'invalid-secure', 'FLASH-GRAM-8', `secure="${attr.value}" on <${el.name}> at line ${el.location.line} is neither "true" nor "false"; the element grants nothing.`, attr.location, attr.value);
    return undefined;
  }
  // FLASH-SEC-1: over HTTP (and FTP) there is no secure channel for the attribute to ask for.
  if (g.kind === 'url' && g.scheme !== 'https') {
    report(g, 'warning', 'secure-without-effect', 'FLASH-SEC-1', `secure="${attr.value}" on <${el.name}> at line ${el.location.line} has no effect in a policy served over ${g.scheme.toUpperCase()}.`, attr.location, attr.value);
  }
  return value;
}

/** Reads `domain`: null means the element must be dropped (already reported). */
function readDomain(g: GrammarContext, el: XmlElement, missingRequirement: RequirementId): string | null {
  const attr = attribute(el, 'domain');
  if (attr === undefined || attr.value === '') {
    const where = attr?.location ?? el.location;
    report(g, 'error', 'missing-domain', missingRequirement, `<${el.name}> at line ${el.location.line} has ${attr === undefined ? 'no domain attribute' : 'an empty domain'}; it grants nothing.`, where, attr?.value);
    return null;
  }
  const pattern = parseDomainPattern(attr.value);
  // FLASH-DOM-4, FLASH-DOM-5, FLASH-DOM-6: a pattern that can never match is dropped (fail closed).
  if (pattern.kind === 'invalid') {
    report(g, 'error', 'invalid-domain', pattern.requirement ?? 'FLASH-DOM-6', `domain="${attr.value}" on <${el.name}> at line ${el.location.line} can never match (${pattern.reason}); the element grants nothing.`, attr.location, attr.value);
    return null;
  }
  return attr.value;
}

function readAllowAccessFrom(el: XmlElement, g: GrammarContext): FlashAllowAccessFrom | null {
  // FLASH-GRAM-5
  reportUnknownAttributes(g, el, FLASH_ELEMENT_ATTRIBUTES['allow-access-from'], 'FLASH-GRAM-5');
  checkEmpty(g, el);
  // FLASH-GRAM-4
  const domain = readDomain(g, el, 'FLASH-GRAM-4');
  const secure = readSecure(g, el);
  const portsAttr = attribute(el, 'to-ports');
  let toPorts: PortSpec | null = null;
  let portsOk = true;
  if (g.kind === 'url') {
    // FLASH-GRAM-6
    if (portsAttr !== undefined) {
      report(g, 'warning', 'to-ports-in-url-policy', 'FLASH-GRAM-6', `to-ports="${portsAttr.value}" at line ${el.location.line} has no effect in a URL policy; it is ignored.`, portsAttr.location, portsAttr.value);
    }
  } else if (portsAttr === undefined) {
    // FLASH-GRAM-7
    report(g, 'error', 'missing-to-ports', 'FLASH-GRAM-7', `<allow-access-from> at line ${el.location.line} in a socket policy has no to-ports; it grants nothing.`, el.location);
    portsOk = false;
  } else {
    // FLASH-PORT-1 … FLASH-PORT-4
    toPorts = g.toPorts(portsAttr.value, g.diagnostics, portsAttr.location);
    portsOk = toPorts !== null;
  }
  if (domain === null || secure === undefined || !portsOk) return null;
  return { domain, toPorts, secure, source: sourceOf(el) };
}

function readAllowHttpRequestHeadersFrom(el: XmlElement, g: GrammarContext): FlashAllowHttpRequestHeadersFrom | null {
  // FLASH-GRAM-9: HTTP and HTTPS URL policies only.
  if (!headerGrantsApply(g.kind, g.scheme)) {
    const where = g.kind === 'socket' ? 'a socket policy' : `a policy served over ${g.scheme.toUpperCase()}`;
    report(g, 'error', 'headers-not-applicable', 'FLASH-GRAM-9', `<allow-http-request-headers-from> at line ${el.location.line} has no meaning in ${where}; it is ignored.`, el.location, el.name);
    return null;
  }
  reportUnknownAttributes(g, el, FLASH_ELEMENT_ATTRIBUTES['allow-http-request-headers-from'], 'FLASH-GRAM-9');
  checkEmpty(g, el);
  const domain = readDomain(g, el, 'FLASH-GRAM-9');
  const secure = readSecure(g, el);
  const headersAttr = attribute(el, 'headers');
  const headers: string[] = [];
  if (headersAttr !== undefined) {
    for (const piece of headersAttr.value.split(',')) {
      const item = piece.trim();
      if (item === '') continue;
      if (!HEADER_ITEM.test(item)) {
        report(g, 'warning', 'invalid-header-name', 'FLASH-GRAM-9', `"${item}" in headers at line ${el.location.line} is not a header name (or a name ending in "*"); it is ignored.`, headersAttr.location, item);
        continue;
      }
      headers.push(item);
    }
  }
  if (headers.length === 0) {
    const why = headersAttr === undefined ? 'no headers attribute' : 'no header names in its headers attribute';
    report(g, 'error', 'missing-headers', 'FLASH-GRAM-9', `<allow-http-request-headers-from> at line ${el.location.line} has ${why}; it grants nothing.`, headersAttr?.location ?? el.location, headersAttr?.value);
    return null;
  }
  if (domain === null || secure === undefined) return null;
  return { domain, headers, secure, source: sourceOf(el) };
}

function readSiteControl(el: XmlElement, g: GrammarContext): FlashSiteControl | null {
  // FLASH-META-8 (URL) / FLASH-SOCK-9 (socket): only the master's meta-policy counts.
  if (!g.master) {
    const requirement = g.kind === 'socket' ? 'FLASH-SOCK-9' : 'FLASH-META-8';
    const value = attribute(el, 'permitted-cross-domain-policies')?.value;
    report(g, 'warning', 'site-control-not-master', requirement, `<site-control> at line ${el.location.line} is ignored: only the master policy's meta-policy counts.`, el.location, value);
    return null;
  }
  // FLASH-GRAM-10
  reportUnknownAttributes(g, el, FLASH_ELEMENT_ATTRIBUTES['site-control'], 'FLASH-GRAM-10');
  checkEmpty(g, el);
  const attr = attribute(el, 'permitted-cross-domain-policies');
  let value: MetaPolicy = 'none';
  if (attr === undefined) {
    report(g, 'warning', 'invalid-meta-policy', 'FLASH-GRAM-10', `<site-control> at line ${el.location.line} has no permitted-cross-domain-policies; it is read as "none".`, el.location);
  } else if (!(FLASH_META_POLICY_VALUES as readonly string[]).includes(attr.value)) {
    report(g, 'warning', 'invalid-meta-policy', 'FLASH-GRAM-10', `permitted-cross-domain-policies="${attr.value}" at line ${el.location.line} is not a meta-policy; it is read as "none".`, attr.location, attr.value);
  } else {
    const declared = attr.value as MetaPolicy;
    if (metaPolicyApplies(declared, g.kind, g.scheme)) value = declared;
    else {
      // FLASH-SOCK-10, FLASH-META-5, FLASH-GRAM-10
      const requirement = g.kind === 'socket' ? 'FLASH-SOCK-10' : declared === 'by-ftp-filename' ? 'FLASH-META-5' : 'FLASH-GRAM-10';
      const where = g.kind === 'socket' ? 'socket policies' : `policies served over ${g.scheme.toUpperCase()}`;
      report(g, 'warning', 'meta-policy-not-applicable', requirement, `permitted-cross-domain-policies="${declared}" at line ${el.location.line} does not apply to ${where}; it is read as "none".`, attr.location, declared);
    }
  }
  return { permittedCrossDomainPolicies: value, source: sourceOf(el) };
}

function readAllowAccessFromIdentity(el: XmlElement, g: GrammarContext): FlashAllowAccessFromIdentity | null {
  // FLASH-GRAM-12
  reportUnknownAttributes(g, el, FLASH_ELEMENT_ATTRIBUTES['allow-access-from-identity'], 'FLASH-GRAM-12');
  const certificates: FlashAllowAccessFromIdentity['certificates'] = [];
  for (const child of el.children) {
    if (child.kind === 'text') reportText(g, child.text, child.location, el.name);
    if (child.kind !== 'element') continue;
    if (child.name !== 'signatory') {
      reportUnknownElement(g, child, el.name);
      continue;
    }
    for (const cert of child.children) {
      if (cert.kind === 'text') reportText(g, cert.text, cert.location, child.name);
      if (cert.kind !== 'element') continue;
      if (cert.name !== 'certificate') {
        reportUnknownElement(g, cert, child.name);
        continue;
      }
      reportUnknownAttributes(g, cert, ['fingerprint', 'fingerprint-algorithm'], 'FLASH-GRAM-12');
      checkEmpty(g, cert);
      const fingerprint = attribute(cert, 'fingerprint')?.value;
      const fingerprintAlgorithm = attribute(cert, 'fingerprint-algorithm')?.value;
      if (fingerprint === undefined || fingerprintAlgorithm === undefined) {
        report(g, 'warning', 'invalid-certificate', 'FLASH-GRAM-12', `<certificate> at line ${cert.location.line} needs both fingerprint and fingerprint-algorithm; it is ignored.`, cert.location);
        continue;
      }
      certificates.push({ fingerprint, fingerprintAlgorithm });
    }
  }
  report(g, 'info', 'identity-never-grants', 'FLASH-GRAM-12', `<allow-access-from-identity> at line ${el.location.line} is an Acrobat feature; it never grants access to a SWF.`, el.location);
  return { certificates, source: sourceOf(el) };
}
