/**
 * `clientaccesspolicy.xml` text → {@link SilverlightPolicy} + diagnostics
 * (spec/silverlight/1-document.md and 2-grammar.md).
 *
 * The walker reads the document the way Silverlight does, element by element in document order:
 * a voided element (an attribute or child it may not have) is left out of the model and a
 * diagnostic names the rule. An element voided by an attribute is not read further; one voided by a
 * child is read to its end, because a later fault can still invalidate the whole file (chapter 2's
 * introduction). Those faults (an empty resource path, a bad boolean, a bad tcp port) give
 * `policy: null`: the file is rejected (for HTTP: SL-HTTP-6).
 *
 * Never throws; every rejection names its requirement.
 *
 * @module
 */
import type { Diagnostic, RequirementId, SourceLocation } from '../diagnostics.js';
import { dictionary } from '../collections.js';
import { parseXmlDocument, XML_DIAGNOSTIC_CODES, type XmlAttribute, type XmlElement, type XmlLimits } from '../xml/document.js';
import { classifyDomainUri } from './domains.js';
import { SILVERLIGHT_XML_RULES, SL_ALLOW_FROM_ATTRIBUTES, SL_ELEMENTS, SL_RESOURCE_ATTRIBUTES, SL_SOCKET_RESOURCE_ATTRIBUTES } from './grammar.js';
import { allowsAnyMethod, parseHeaderList, parseMethodList } from './headers.js';
import {
  SILVERLIGHT_MAX_SOCKET_PORT,
  SILVERLIGHT_MIN_SOCKET_PORT,
  type SilverlightAllowFrom,
  type SilverlightElementSource,
  type SilverlightGrantTo,
  type SilverlightPolicy,
  type SilverlightPolicyEntry,
} from './model.js';

/** Diagnostic codes of the Silverlight parser (beyond the XML front end's, which it also emits). */
export const SILVERLIGHT_DIAGNOSTIC_CODES = [
  ...XML_DIAGNOSTIC_CODES,
  'wrong-root',
  'empty-root',
  'ignored-attribute',
  'skipped-element',
  'ignored-text',
  'no-cross-domain-access',
  'policy-voided',
  'policy-incomplete',
  'allow-from-voided',
  'allow-from-no-domains',
  'domain-missing-uri',
  'domain-never-matches',
  'grant-to-voided',
  'grant-to-empty',
  'invalid-boolean',
  'empty-resource-path',
  'resource-path-not-absolute',
  'invalid-port',
  'port-out-of-range',
  'reversed-port-range',
  'unsupported-protocol',
  'unsupported-http-method',
] as const;
/** A diagnostic code of {@link parseSilverlightPolicy}. */
export type SilverlightDiagnosticCode = (typeof SILVERLIGHT_DIAGNOSTIC_CODES)[number];

/** Options of {@link parseSilverlightPolicy}. */
export interface SilverlightParseOptions {
  /** Bounds for the XML front end; defaults are `DEFAULT_XML_LIMITS`. */
  limits?: Partial<XmlLimits>;
}

/** The result of {@link parseSilverlightPolicy}: `policy` is `null` when the file as a whole is invalid. */
export interface SilverlightParseResult {
  policy: SilverlightPolicy | null;
  diagnostics: Diagnostic[];
}

/**
 * Walks the document, collecting diagnostics. A fault that invalidates the whole file sets
 * `invalid`; every reader stops at once when it is set (failure is a value: nothing is thrown).
 */
class Walker {
  readonly diagnostics: Diagnostic[];
  /** Set by {@link Walker.invalidate}: the file is not a policy, and the walk stops. */
  invalid = false;
  constructor(diagnostics: Diagnostic[]) {
    this.diagnostics = diagnostics;
  }

  report(severity: Diagnostic['severity'], code: SilverlightDiagnosticCode, requirement: RequirementId, message: string, at: SourceLocation, value?: string): Diagnostic {
    const d: Diagnostic = { severity, code, message, line: at.line, column: at.column, requirement };
    if (value !== undefined) d.value = value;
    this.diagnostics.push(d);
    return d;
  }

  /** Reports a fault that invalidates the whole file; the walk stops (every reader checks `invalid`). Returns `false`. */
  invalidate(code: SilverlightDiagnosticCode, requirement: RequirementId, message: string, at: SourceLocation, value?: string): false {
    this.report('error', code, requirement, message, at, value);
    this.invalid = true;
    return false;
  }

  /** Non-whitespace text is skipped but reported (SL-GRAM-14). */
  textChildren(el: XmlElement): void {
    for (const child of el.children) {
      if (child.kind === 'text' && child.text.trim() !== '') {
        // SL-GRAM-14
        this.report('warning', 'ignored-text', 'SL-GRAM-14', `Text inside <${el.name}> at line ${child.location.line} is ignored.`, child.location, child.text.trim().slice(0, 40));
      }
    }
  }
}

/** What a `<policy>` (or one of its parts) grants, in words, for the linter's findings. */
export function describeSilverlightGrant(uris: readonly string[], resources: readonly { path: string; includeSubpaths: boolean }[], ports: readonly string[]): string {
  const who = uris.length === 0 ? 'no XAP (it lists no <domain>)' : `XAPs from ${uris.map((u) => (u === '*' ? 'any site' : u)).join(', ')}`;
  const what: string[] = [];
  if (resources.length > 0) what.push(`the paths ${resources.map((r) => `${r.path}${r.includeSubpaths ? ' (and below)' : ''}`).join(', ')}`);
  if (ports.length > 0) what.push(`TCP ports ${ports.join(', ')}`);
  return `${who} access to ${what.length > 0 ? what.join(' and ') : 'nothing'}`;
}

/** What a voided `<policy>`, or its voided `<allow-from>` or `<grant-to>`, would have granted (from the elements as written). */
function describePolicyElement(policy: XmlElement, allowFrom?: XmlElement, grantTo?: XmlElement): string {
  const children = elementChildren(policy);
  const allowFroms = allowFrom !== undefined ? [allowFrom] : children.filter((c) => c.name === SL_ELEMENTS.allowFrom);
  const grantTos = grantTo !== undefined ? [grantTo] : children.filter((c) => c.name === SL_ELEMENTS.grantTo);
  const uris = allowFroms.flatMap((a) => elementChildren(a).filter((d) => d.name === SL_ELEMENTS.domain).map((d) => attr(d, 'uri')?.value ?? '')).filter((u) => u !== '');
  const grants = grantTos.flatMap((g) => elementChildren(g));
  const resources = grants.filter((r) => r.name === SL_ELEMENTS.resource).map((r) => ({ path: attr(r, 'path')?.value ?? '', includeSubpaths: /^\s*(true|1)\s*$/.test(attr(r, 'include-subpaths')?.value ?? '') }));
  const ports = grants.filter((r) => r.name === SL_ELEMENTS.socketResource).map((r) => attr(r, 'port')?.value ?? '?');
  return describeSilverlightGrant(uris, resources, ports);
}

// SL-GRAM-3, SL-GRAM-4, SL-GRAM-6, SL-GRAM-7, SL-GRAM-9: a voided element says what it would have granted.
function noteWouldGrant(w: Walker, from: number, grant: string): void {
  for (let i = from; i < w.diagnostics.length; i++) if (w.diagnostics[i]!.severity === 'error') w.diagnostics[i]!.wouldGrant = grant;
}

function sourceOf(el: XmlElement): SilverlightElementSource {
  // Keyed by input: a prototype-less record keeps an attribute named __proto__.
  const raw = dictionary<string>();
  for (const a of el.attributes) raw[a.name] = a.value;
  return { location: el.location, raw };
}

function elementChildren(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => c.kind === 'element');
}

function attr(el: XmlElement, name: string): XmlAttribute | undefined {
  return el.attributes.find((a) => a.name === name);
}

/** Whether the start tag at `offset` in `text` is self-closing (`<access-policy/>`). */
export function isSelfClosing(text: string, offset: number): boolean {
  let quote = 0;
  for (let i = offset + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return text.charCodeAt(i - 1) === 47;
  }
  return false;
}

/**
 * Parses a `clientaccesspolicy.xml` text.
 *
 * `policy` is `null` when the file is invalid as a whole (SL-XML-*, SL-GRAM-11, SL-GRAM-12,
 * SL-SOCK-7); otherwise it holds every policy that survived voiding, and `diagnostics` says what
 * was voided, skipped or ignored, with line, column and requirement. Never throws.
 */
export function parseSilverlightPolicy(text: string, options: SilverlightParseOptions = {}): SilverlightParseResult {
  const diagnostics: Diagnostic[] = [];
  try {
    const policy = parseInto(typeof text === 'string' ? text : String(text), options, diagnostics);
    return { policy, diagnostics };
  } catch (err) {
    // Unreachable by design (the fuzz campaign checks); if it ever happens, fail closed, as a value.
    diagnostics.push({ severity: 'error', code: 'not-well-formed', message: `The policy could not be read: ${(err as Error)?.message ?? String(err)}`, line: 1, column: 1, requirement: 'SL-XML-1' });
    return { policy: null, diagnostics };
  }
}

function parseInto(text: string, options: SilverlightParseOptions, diagnostics: Diagnostic[]): SilverlightPolicy | null {
  const doc = parseXmlDocument(text, SILVERLIGHT_XML_RULES, diagnostics, options.limits ?? {});
  if (doc === null) return null;
  const w = new Walker(diagnostics);
  const root = doc.root;

  // SL-XML-3
  if (root.name !== SL_ELEMENTS.root) {
    w.invalidate('wrong-root', 'SL-XML-3', `The root element is <${root.name}>; a Silverlight policy's root is <access-policy>.`, root.location, root.name);
    return null;
  }
  // SL-XML-3: `<access-policy/>` is no policy at all ([ML-CODE] checks IsEmptyElement).
  if (root.location.offset >= 0 && isSelfClosing(text, root.location.offset)) {
    w.invalidate('empty-root', 'SL-XML-3', 'The root element <access-policy/> is empty: the file holds no policy.', root.location);
    return null;
  }
  // SL-GRAM-1: attributes of the root are ignored.
  for (const a of root.attributes) {
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
    w.report('info', 'ignored-attribute', 'SL-GRAM-1', `Attribute ${a.name} of <access-policy> at line ${a.location.line} is ignored.`, a.location, a.name);
  }
  w.textChildren(root);

  const policies: SilverlightPolicyEntry[] = [];
  let sawAccess = false;
  for (const child of elementChildren(root)) {
    if (child.name !== SL_ELEMENTS.crossDomainAccess) {
      // SL-GRAM-1
      w.report('warning', 'skipped-element', 'SL-GRAM-1', `<${child.name}> at line ${child.location.line} is not a child of <access-policy> Silverlight reads; it is skipped.`, child.location, child.name);
      continue;
    }
    sawAccess = true;
    readCrossDomainAccess(w, child, policies);
    if (w.invalid) return null;
  }
  if (!sawAccess) {
    // SL-GRAM-1
    w.report('warning', 'no-cross-domain-access', 'SL-GRAM-1', 'The policy has no <cross-domain-access>: it grants nothing.', root.location);
  }
  return { format: 'silverlight', policies };
}

function readCrossDomainAccess(w: Walker, el: XmlElement, policies: SilverlightPolicyEntry[]): void {
  // SL-GRAM-2: attributes ignored, children other than <policy> skipped.
  for (const a of el.attributes) {
    w.report('info', 'ignored-attribute', 'SL-GRAM-2', `Attribute ${a.name} of <cross-domain-access> at line ${a.location.line} is ignored.`, a.location, a.name);
  }
  w.textChildren(el);
  for (const child of elementChildren(el)) {
    if (child.name !== SL_ELEMENTS.policy) {
      w.report('warning', 'skipped-element', 'SL-GRAM-2', `<${child.name}> at line ${child.location.line} inside <cross-domain-access> is skipped.`, child.location, child.name);
      continue;
    }
    const from = w.diagnostics.length;
    const policy = readPolicy(w, child);
    if (w.invalid) return;
    if (policy !== null) policies.push(policy);
    else noteWouldGrant(w, from, describePolicyElement(child));
  }
}

function readPolicy(w: Walker, el: XmlElement): SilverlightPolicyEntry | null {
  // SL-GRAM-3: any attribute voids the policy ([ML-DRT] silverlight-36).
  const first = el.attributes[0];
  if (first !== undefined) {
    w.report('error', 'policy-voided', 'SL-GRAM-3', `<policy> at line ${el.location.line} has attribute ${first.name}; a <policy> takes no attributes, so this policy is void.`, first.location, first.name);
    return null;
  }
  w.textChildren(el);
  const entry: SilverlightPolicyEntry = { allowFrom: [], grantTo: [], source: sourceOf(el) };
  // Voided by a child, the policy is still read to its end: a later fault can invalidate the file.
  let voided = false;
  for (const child of elementChildren(el)) {
    if (child.name === SL_ELEMENTS.allowFrom) {
      const from = w.diagnostics.length;
      const af = readAllowFrom(w, child);
      if (af !== null) entry.allowFrom.push(af);
      else noteWouldGrant(w, from, describePolicyElement(el, child));
    } else if (child.name === SL_ELEMENTS.grantTo) {
      const from = w.diagnostics.length;
      const gt = readGrantTo(w, child);
      if (w.invalid) return null;
      if (gt !== null) entry.grantTo.push(gt);
      else noteWouldGrant(w, from, describePolicyElement(el, undefined, child));
    } else {
      // SL-GRAM-4: any other child element voids the policy (Moonlight skips an empty one); the
      // siblings after it are still read (Moonlight: ClientAccessPolicyParser.cs:153-156).
      w.report('error', 'policy-voided', 'SL-GRAM-4', `<${child.name}> at line ${child.location.line} is not allowed in <policy>; the policy that holds it is void.`, child.location, child.name);
      voided = true;
    }
  }
  if (voided) return null;
  // SL-GRAM-5
  if (entry.allowFrom.length === 0 || entry.grantTo.length === 0) {
    const missing = entry.allowFrom.length === 0 ? 'allow-from' : 'grant-to';
    w.report('warning', 'policy-incomplete', 'SL-GRAM-5', `<policy> at line ${el.location.line} has no usable <${missing}>: it grants nothing.`, el.location, missing);
  }
  return entry;
}

function readAllowFrom(w: Walker, el: XmlElement): SilverlightAllowFrom | null {
  // SL-GRAM-6
  for (const a of el.attributes) {
    if (!SL_ALLOW_FROM_ATTRIBUTES.includes(a.name)) {
      w.report('error', 'allow-from-voided', 'SL-GRAM-6', `<allow-from> at line ${el.location.line} has attribute ${a.name}; only http-request-headers and http-methods are allowed, so it is void.`, a.location, a.name);
      return null;
    }
  }
  w.textChildren(el);
  const headers = attr(el, 'http-request-headers');
  const methods = attr(el, 'http-methods');
  const af: SilverlightAllowFrom = {
    domains: [],
    // SL-HDR-1
    httpRequestHeaders: headers === undefined ? [] : parseHeaderList(headers.value),
    // SL-HDR-8
    httpMethods: methods === undefined ? [] : parseMethodList(methods.value),
    source: sourceOf(el),
  };
  if (methods !== undefined && !allowsAnyMethod(af.httpMethods)) {
    // SL-HDR-9
    w.report('warning', 'unsupported-http-method', 'SL-HDR-9', `http-methods="${methods.value}" at line ${methods.location.line} allows nothing beyond GET and POST: only the exact value "*" allows other methods.`, methods.location, methods.value);
  }
  for (const child of elementChildren(el)) {
    if (child.name.includes(':')) {
      // SL-GRAM-7: an element in another namespace is skipped.
      w.report('info', 'skipped-element', 'SL-GRAM-7', `<${child.name}> at line ${child.location.line} is in another namespace and is skipped.`, child.location, child.name);
      continue;
    }
    if (child.name !== SL_ELEMENTS.domain) {
      // SL-GRAM-7
      w.report('error', 'allow-from-voided', 'SL-GRAM-7', `<${child.name}> at line ${child.location.line} is not allowed in <allow-from>; the allow-from is void.`, child.location, child.name);
      return null;
    }
    const uri = attr(child, 'uri');
    for (const a of child.attributes) {
      if (a.name !== 'uri') {
        // SL-GRAM-8
        w.report('warning', 'ignored-attribute', 'SL-GRAM-8', `Attribute ${a.name} of <domain> at line ${a.location.line} is ignored.`, a.location, a.name);
      }
    }
    if (uri === undefined || uri.value === '') {
      // SL-GRAM-8
      w.report('error', 'domain-missing-uri', 'SL-GRAM-8', `<domain> at line ${child.location.line} has no uri; it admits nobody.`, child.location);
      continue;
    }
    const pattern = classifyDomainUri(uri.value);
    if (pattern.kind === 'never') {
      // SL-DOM-8
      w.report('warning', 'domain-never-matches', 'SL-DOM-8', `<domain uri="${uri.value}"> at line ${uri.location.line} can never match a caller: ${pattern.reason}.`, uri.location, uri.value);
    }
    af.domains.push({ uri: uri.value, source: sourceOf(child) });
  }
  if (af.domains.length === 0) {
    // SL-GRAM-7
    w.report('warning', 'allow-from-no-domains', 'SL-GRAM-7', `<allow-from> at line ${el.location.line} lists no domain: it admits nobody.`, el.location);
  }
  return af;
}

function readGrantTo(w: Walker, el: XmlElement): SilverlightGrantTo | null {
  // SL-GRAM-9
  const first = el.attributes[0];
  if (first !== undefined) {
    w.report('error', 'grant-to-voided', 'SL-GRAM-9', `<grant-to> at line ${el.location.line} has attribute ${first.name}; a <grant-to> takes no attributes, so it is void.`, first.location, first.name);
    return null;
  }
  w.textChildren(el);
  const gt: SilverlightGrantTo = { resources: [], socketResources: [], source: sourceOf(el) };
  // Voided by a child, the grant-to is still read to its end: a later bad boolean, empty path or bad
  // tcp port invalidates the whole file (Moonlight: ClientAccessPolicyParser.cs:252-258, 266-270).
  let voided = false;
  for (const child of elementChildren(el)) {
    if (child.name.includes(':')) {
      // SL-GRAM-9: an element in another namespace is skipped, as inside allow-from (SL-GRAM-7).
      w.report('info', 'skipped-element', 'SL-GRAM-9', `<${child.name}> at line ${child.location.line} is in another namespace and is skipped.`, child.location, child.name);
      continue;
    }
    if (child.name === SL_ELEMENTS.resource) {
      if (!readResource(w, child, gt)) voided = true;
    } else if (child.name === SL_ELEMENTS.socketResource) {
      readSocketResource(w, child, gt);
    } else {
      // SL-GRAM-9
      w.report('error', 'grant-to-voided', 'SL-GRAM-9', `<${child.name}> at line ${child.location.line} is not allowed in <grant-to>; the grant-to is void.`, child.location, child.name);
      voided = true;
    }
    if (w.invalid) return null;
  }
  if (voided) return null;
  if (gt.resources.length === 0 && gt.socketResources.length === 0) {
    w.report('info', 'grant-to-empty', 'SL-GRAM-9', `<grant-to> at line ${el.location.line} grants nothing.`, el.location);
  }
  return gt;
}

/** Content of an element that must be empty: anything but whitespace and comments counts. */
function hasContent(el: XmlElement): boolean {
  return el.children.some((c) => c.kind === 'element' || (c.kind === 'text' && c.text.trim() !== ''));
}

/** XML Schema `boolean`: `true`, `false`, `1`, `0`, surrounding whitespace collapsed. */
export function parseXsdBoolean(value: string): boolean | null {
  const v = value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return null;
}

function readResource(w: Walker, el: XmlElement, gt: SilverlightGrantTo): boolean {
  // SL-GRAM-10
  for (const a of el.attributes) {
    if (!SL_RESOURCE_ATTRIBUTES.includes(a.name)) {
      w.report('error', 'grant-to-voided', 'SL-GRAM-10', `<resource> at line ${el.location.line} has attribute ${a.name}; only path and include-subpaths are allowed, so its grant-to is void.`, a.location, a.name);
      return false;
    }
  }
  if (hasContent(el)) {
    w.report('error', 'grant-to-voided', 'SL-GRAM-10', `<resource> at line ${el.location.line} is not empty; its grant-to is void.`, el.location);
    return false;
  }
  const path = attr(el, 'path');
  // SL-GRAM-12: an empty (or missing) path invalidates the whole file ([ML-DRT] silverlight-5, 6).
  if (path === undefined || path.value === '') {
    return w.invalidate('empty-resource-path', 'SL-GRAM-12', `<resource> at line ${el.location.line} has ${path === undefined ? 'no' : 'an empty'} path: the whole policy file is invalid.`, path?.location ?? el.location);
  }
  let includeSubpaths = false;
  const sub = attr(el, 'include-subpaths');
  if (sub !== undefined) {
    const b = parseXsdBoolean(sub.value);
    // SL-GRAM-11
    if (b === null) {
      return w.invalidate('invalid-boolean', 'SL-GRAM-11', `include-subpaths="${sub.value}" at line ${sub.location.line} is not true, false, 1 or 0: the whole policy file is invalid.`, sub.location, sub.value);
    }
    includeSubpaths = b;
  }
  if (!path.value.startsWith('/')) {
    // SL-PATH-4
    w.report('warning', 'resource-path-not-absolute', 'SL-PATH-4', `Resource path "${path.value}" at line ${path.location.line} does not start with "/": it can never match.`, path.location, path.value);
  }
  gt.resources.push({ path: path.value, includeSubpaths, source: sourceOf(el) });
  return true;
}

/** One port number of a `port` attribute: decimal digits only (SL-SOCK-7). */
function parsePortNumber(s: string): number | null {
  return /^[0-9]{1,5}$/.test(s) ? Number(s) : null;
}

/** Reads one `socket-resource` into `gt`; it never voids the grant-to, only invalidates the file (SL-SOCK-7). */
function readSocketResource(w: Walker, el: XmlElement, gt: SilverlightGrantTo): void {
  // SL-GRAM-13: Moonlight reads only protocol and port and skips the rest of the element
  // (ClientAccessPolicyParser.cs:259-270): other attributes and content are ignored, never voiding.
  for (const a of el.attributes) {
    if (!SL_SOCKET_RESOURCE_ATTRIBUTES.includes(a.name)) {
      w.report('warning', 'ignored-attribute', 'SL-GRAM-13', `Attribute ${a.name} of <socket-resource> at line ${a.location.line} is ignored: only port and protocol are read.`, a.location, a.name);
    }
  }
  for (const child of el.children) {
    if (child.kind === 'element') {
      w.report('warning', 'skipped-element', 'SL-GRAM-13', `<${child.name}> at line ${child.location.line} inside <socket-resource> is skipped.`, child.location, child.name);
    } else if (child.kind === 'text' && child.text.trim() !== '') {
      w.report('warning', 'ignored-text', 'SL-GRAM-13', `Text inside <socket-resource> at line ${child.location.line} is ignored.`, child.location, child.text.trim().slice(0, 40));
    }
  }
  const protocol = attr(el, 'protocol');
  // SL-SOCK-9: exactly "tcp"; anything else (or nothing) grants nothing, and its port is never read
  // (Moonlight tests the protocol before it parses the port: ClientAccessPolicyParser.cs:259-264).
  if (protocol === undefined || protocol.value !== 'tcp') {
    const what = protocol === undefined ? 'has no protocol' : `has protocol="${protocol.value}"`;
    w.report('warning', 'unsupported-protocol', 'SL-SOCK-9', `<socket-resource> at line ${el.location.line} ${what}; only protocol="tcp" grants anything, and its port is not read.`, protocol?.location ?? el.location, protocol?.value);
    return;
  }
  const port = attr(el, 'port');
  // SL-SOCK-7: "A" or "A-B", split at the first '-'; each a number within 4502–4534, or the file is invalid.
  if (port === undefined) {
    w.invalidate('invalid-port', 'SL-SOCK-7', `<socket-resource> at line ${el.location.line} has no port: the whole policy file is invalid.`, el.location);
    return;
  }
  const dash = port.value.indexOf('-');
  const parts = dash < 0 ? [port.value] : [port.value.slice(0, dash), port.value.slice(dash + 1)];
  const numbers: number[] = [];
  for (const part of parts) {
    const n = parsePortNumber(part);
    if (n === null) {
      w.invalidate('invalid-port', 'SL-SOCK-7', `port="${port.value}" at line ${port.location.line} is not a port or a range A-B: the whole policy file is invalid.`, port.location, port.value);
      return;
    }
    if (n < SILVERLIGHT_MIN_SOCKET_PORT || n > SILVERLIGHT_MAX_SOCKET_PORT) {
      w.invalidate('port-out-of-range', 'SL-SOCK-7', `port="${port.value}" at line ${port.location.line} goes outside 4502-4534: the whole policy file is invalid.`, port.location, port.value);
      return;
    }
    numbers.push(n);
  }
  const from = numbers[0] as number;
  const to = numbers[1] ?? from;
  // SL-SOCK-8
  if (from > to) {
    w.report('warning', 'reversed-port-range', 'SL-SOCK-8', `port="${port.value}" at line ${port.location.line} is a reversed range: it grants no port.`, port.location, port.value);
    return;
  }
  gt.socketResources.push({ from, to, protocol: 'tcp', source: sourceOf(el) });
}
