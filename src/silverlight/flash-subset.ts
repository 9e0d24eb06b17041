/**
 * Reading a `crossdomain.xml` the way Silverlight does when it falls back to it
 * (spec/silverlight/7-flash-subset.md).
 *
 * Silverlight honours only "(a subset of the) Flash Cross Domain Policy File": three elements,
 * their documented attributes only, and any deviation invalidates the whole file — much stricter
 * than Flash Player itself (spec/flash). This is its own walker over the shared XML front end, so
 * the Flash parser's leniencies (reported-and-ignored attributes, `to-ports`) cannot leak in.
 *
 * @module
 */
import { dictionary } from '../collections.js';
import type { Diagnostic, RequirementId, SourceLocation } from '../diagnostics.js';
import { parseXmlDocument, XML_DIAGNOSTIC_CODES, type XmlElement, type XmlLimits } from '../xml/document.js';
import { SILVERLIGHT_XML_RULES } from './grammar.js';
import { parseHeaderList } from './headers.js';
import type { SilverlightElementSource, SilverlightFlashSubset } from './model.js';

/** Diagnostic codes of {@link parseSilverlightFlashSubset}. */
export const SILVERLIGHT_FLASH_SUBSET_DIAGNOSTIC_CODES = [
  ...XML_DIAGNOSTIC_CODES,
  'wrong-root',
  'unsupported-element',
  'unsupported-attribute',
  'invalid-secure',
  'missing-attribute',
  'ignored-text',
] as const;
/** A diagnostic code of {@link parseSilverlightFlashSubset}. */
export type SilverlightFlashSubsetDiagnosticCode = (typeof SILVERLIGHT_FLASH_SUBSET_DIAGNOSTIC_CODES)[number];

/** The `permitted-cross-domain-policies` values under which Silverlight still uses the file (SL-FLASH-5). */
export const SILVERLIGHT_ACCEPTED_META_POLICIES: readonly string[] = ['all', 'master-only', 'by-ftp-filename'];

/** Attributes each element may carry; any other invalidates the file (SL-FLASH-2). */
const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  'cross-domain-policy': [],
  'site-control': ['permitted-cross-domain-policies'],
  'allow-access-from': ['domain', 'secure'],
  'allow-http-request-headers-from': ['domain', 'headers', 'secure'],
};

/** The result of {@link parseSilverlightFlashSubset}: `policy` is `null` when Silverlight would not use the file. */
export interface SilverlightFlashSubsetResult {
  policy: SilverlightFlashSubset | null;
  diagnostics: Diagnostic[];
}

/** An element's location and attributes as written (the trace's rule). */
export function sourceOf(el: XmlElement): SilverlightElementSource {
  // Keyed by the document's attribute names: no prototype, so `__proto__` is kept (src/collections.ts).
  const raw = dictionary<string>();
  for (const a of el.attributes) raw[a.name] = a.value;
  return { location: el.location, raw };
}

/**
 * Parses a `crossdomain.xml` as Silverlight's fallback reads it. Never throws; `policy` is `null`
 * when the file breaks any SL-XML or SL-FLASH-1 … SL-FLASH-3 rule.
 */
export function parseSilverlightFlashSubset(text: string, options: { limits?: Partial<XmlLimits> } = {}): SilverlightFlashSubsetResult {
  const diagnostics: Diagnostic[] = [];
  const fail = (code: SilverlightFlashSubsetDiagnosticCode, requirement: RequirementId, message: string, at: SourceLocation, value?: string): SilverlightFlashSubsetResult => {
    const d: Diagnostic = { severity: 'error', code, message, line: at.line, column: at.column, requirement };
    if (value !== undefined) d.value = value;
    diagnostics.push(d);
    return { policy: null, diagnostics };
  };
  let doc;
  try {
    doc = parseXmlDocument(typeof text === 'string' ? text : String(text), SILVERLIGHT_XML_RULES, diagnostics, options.limits ?? {});
  } catch (err) {
    return fail('not-well-formed', 'SL-XML-1', `The policy could not be read: ${(err as Error)?.message ?? String(err)}`, { line: 1, column: 1, offset: 0 });
  }
  if (doc === null) return { policy: null, diagnostics };
  const root = doc.root;
  // SL-FLASH-1
  if (root.name !== 'cross-domain-policy') {
    return fail('wrong-root', 'SL-FLASH-1', `The root element is <${root.name}>; a crossdomain.xml's root is <cross-domain-policy>.`, root.location, root.name);
  }
  const policy: SilverlightFlashSubset = { format: 'silverlight-flash-subset', siteControl: [], allowAccessFrom: [], allowHttpRequestHeadersFrom: [] };
  const elements: XmlElement[] = [root];
  for (const child of root.children) {
    if (child.kind === 'element') elements.push(child);
    else if (child.kind === 'text' && child.text.trim() !== '') {
      diagnostics.push({ severity: 'warning', code: 'ignored-text', message: `Text inside <cross-domain-policy> at line ${child.location.line} is ignored.`, line: child.location.line, column: child.location.column, requirement: 'SL-FLASH-1', value: child.text.trim().slice(0, 40) });
    }
  }
  for (const el of elements) {
    const allowed = ALLOWED_ATTRIBUTES[el.name];
    // SL-FLASH-1: only three child elements; `allow-access-from-identity` and anything else invalidate.
    if (allowed === undefined || (el !== root && el.name === 'cross-domain-policy')) {
      return fail('unsupported-element', 'SL-FLASH-1', `<${el.name}> at line ${el.location.line} is not part of the crossdomain.xml subset Silverlight reads: the file is not used.`, el.location, el.name);
    }
    if (el !== root && el.children.some((c) => c.kind === 'element')) {
      return fail('unsupported-element', 'SL-FLASH-1', `<${el.name}> at line ${el.location.line} has child elements: the file is not used.`, el.location, el.name);
    }
    // SL-FLASH-2
    for (const a of el.attributes) {
      if (!allowed.includes(a.name)) {
        return fail('unsupported-attribute', 'SL-FLASH-2', `Attribute ${a.name} of <${el.name}> at line ${a.location.line} is not in the subset Silverlight reads: the file is not used.`, a.location, a.name);
      }
    }
    if (el === root) continue;
    const get = (n: string): string | undefined => el.attributes.find((a) => a.name === n)?.value;
    // SL-FLASH-3
    const secureAttr = el.attributes.find((a) => a.name === 'secure');
    if (secureAttr !== undefined && secureAttr.value !== 'true' && secureAttr.value !== 'false') {
      return fail('invalid-secure', 'SL-FLASH-3', `secure="${secureAttr.value}" at line ${secureAttr.location.line} is neither true nor false: the file is not used.`, secureAttr.location, secureAttr.value);
    }
    const secure = secureAttr?.value !== 'false';
    if (el.name === 'site-control') {
      const v = get('permitted-cross-domain-policies');
      if (v === undefined) return fail('missing-attribute', 'SL-FLASH-2', `<site-control> at line ${el.location.line} has no permitted-cross-domain-policies: the file is not used.`, el.location);
      policy.siteControl.push(v);
    } else if (el.name === 'allow-access-from') {
      const domain = get('domain');
      if (domain === undefined) return fail('missing-attribute', 'SL-FLASH-2', `<allow-access-from> at line ${el.location.line} has no domain: the file is not used.`, el.location);
      policy.allowAccessFrom.push({ domain, secure, source: sourceOf(el) });
    } else {
      const domain = get('domain');
      const headers = get('headers');
      if (domain === undefined || headers === undefined) {
        return fail('missing-attribute', 'SL-FLASH-2', `<allow-http-request-headers-from> at line ${el.location.line} needs domain and headers: the file is not used.`, el.location);
      }
      policy.allowHttpRequestHeadersFrom.push({ domain, headers: parseHeaderList(headers), secure, source: sourceOf(el) });
    }
  }
  return { policy, diagnostics };
}
