/**
 * The strict XML front end shared by the Flash and Silverlight parsers.
 *
 * fast-xml-parser does the tokenising; this module adds what a security parser needs and the
 * library leaves out on its own:
 * - a byte bound before any parsing, and bounds on depth, attributes and element count;
 * - well-formedness (its `XMLValidator`), plus the checks the validator does not make: a single
 *   root element, and nothing but markup (declaration, comments, PIs, DOCTYPE, whitespace)
 *   around it;
 * - no entity expansion: only the five predefined entities and character references are decoded;
 *   an internal DTD subset and any other entity reference are reported, so a `<!ENTITY w "*">`
 *   can never turn into a grant;
 * - line and column for every element and attribute.
 *
 * Which of these checks a format enforces, and under which requirement ID, is the caller's: the
 * Flash and Silverlight grammars pass their own {@link XmlRules}.
 *
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Diagnostic, RequirementId, SourceLocation } from '../diagnostics.js';
import { LineMap } from '../location.js';

/** An attribute, with its value decoded (predefined entities and character references only). */
export interface XmlAttribute {
  name: string;
  value: string;
  /** The value as written between the quotes. */
  rawValue: string;
  location: SourceLocation;
}

/** An element; `location` is the `<` of its start tag. */
export interface XmlElement {
  kind: 'element';
  name: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  location: SourceLocation;
}

/** Character data inside an element (CDATA sections included, flagged). */
export interface XmlText {
  kind: 'text';
  text: string;
  cdata: boolean;
  location: SourceLocation;
}

/** A comment inside an element. */
export interface XmlComment {
  kind: 'comment';
  text: string;
  location: SourceLocation;
}

/** A processing instruction inside an element. */
export interface XmlProcessingInstruction {
  kind: 'pi';
  target: string;
  location: SourceLocation;
}

export type XmlNode = XmlElement | XmlText | XmlComment | XmlProcessingInstruction;

/** The `<!DOCTYPE …>` declaration, when there is one. */
export interface XmlDoctype {
  name: string;
  /** The internal subset between `[` and `]`, if any (never interpreted). */
  internalSubset: string | null;
  location: SourceLocation;
}

/** A parsed document: the root element and what stood around it. */
export interface XmlDocument {
  root: XmlElement;
  /** The text started with a byte order mark (U+FEFF). */
  bom: boolean;
  /** Whitespace stood before the first markup (before the XML declaration, if any). */
  leadingWhitespace: boolean;
  /** The `encoding` of the XML declaration, if one was given. */
  declaredEncoding: string | null;
  doctype: XmlDoctype | null;
}

/** Bounds that protect the parser from hostile input. */
export interface XmlLimits {
  /** Largest accepted text, in UTF-16 code units (about bytes for ASCII policies). */
  maxLength: number;
  /** Deepest element nesting; the root is depth 1. */
  maxDepth: number;
  /** Most attributes on one element. */
  maxAttributes: number;
  /** Longest attribute value, in characters. */
  maxAttributeLength: number;
  /** Most elements in the whole document. */
  maxElements: number;
}

/** The defaults: generous for real policies (the benchmark's 10,000 rules fit), small for attacks. */
export const DEFAULT_XML_LIMITS: Readonly<XmlLimits> = {
  maxLength: 4 * 1024 * 1024,
  maxDepth: 16,
  maxAttributes: 32,
  maxAttributeLength: 8 * 1024,
  maxElements: 100_000,
};

/**
 * The requirement each XML-level check enforces, and the format's choices where formats differ.
 * Each format supplies its own; see `src/flash/grammar.ts` and `src/silverlight/grammar.ts`.
 */
export interface XmlRules {
  /** Not well-formed XML (the validator's verdict), or a second root element. */
  wellFormed: RequirementId;
  /** Text or elements before or after the root element. */
  contentOutsideRoot: RequirementId;
  /** An internal DTD subset, or a reference to an entity other than the five predefined ones. */
  entities: RequirementId;
  /** Input size, depth, attribute count, attribute length or element count beyond the limits. */
  limits: RequirementId;
  /** A character XML 1.0 does not allow (NUL, most C0 controls, U+FFFE/U+FFFF). */
  characters: RequirementId;
  /** A byte order mark at the start; see {@link XmlRules.allowBom}. */
  bom: RequirementId;
  /** Whether a leading U+FEFF is accepted (reported as info) or rejected. */
  allowBom: boolean;
  /** Whitespace before the XML declaration; see {@link XmlRules.allowLeadingWhitespace}. */
  leadingWhitespace: RequirementId;
  /** Silverlight skips whitespace before `<?xml`; strict XML (and Flash) does not. */
  allowLeadingWhitespace: boolean;
}

/** Diagnostic codes produced by this module. */
export const XML_DIAGNOSTIC_CODES = [
  'input-too-large',
  'not-well-formed',
  'multiple-roots',
  'no-root-element',
  'content-outside-root',
  'internal-dtd-subset',
  'undeclared-entity',
  'invalid-character',
  'byte-order-mark',
  'leading-whitespace',
  'too-deep',
  'too-many-attributes',
  'attribute-too-long',
  'too-many-elements',
] as const;
export type XmlDiagnosticCode = (typeof XML_DIAGNOSTIC_CODES)[number];

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;
const ATTRS = ':@';

// preserveOrder keeps document order (needed for positions and for ordering rules); entities are
// left alone (we decode them ourselves); values stay strings.
const parser = new XMLParser({
  preserveOrder: true,
  captureMetaData: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  parseAttributeValue: false,
  parseTagValue: false,
  processEntities: false,
  htmlEntities: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: false,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  textNodeName: '#text',
});

// XML 1.0 `Char` excludes these; U+FEFF is only allowed at the very start (as a BOM).
const INVALID_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ENTITY_REF = /&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_:][\w.:-]*);/g;
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Parses `text` as a policy document under `rules` and `limits`.
 *
 * Returns `null` when the document cannot be used at all (every such reason is pushed to
 * `diagnostics` as an error naming its requirement). Never throws.
 */
export function parseXmlDocument(
  text: string,
  rules: XmlRules,
  diagnostics: Diagnostic[],
  limits: Partial<XmlLimits> = {},
): XmlDocument | null {
  const lim: XmlLimits = { ...DEFAULT_XML_LIMITS, ...limits };
  const report = (
    code: XmlDiagnosticCode,
    requirement: RequirementId,
    message: string,
    where: SourceLocation,
    value?: string,
    severity: Diagnostic['severity'] = 'error',
  ): void => {
    const d: Diagnostic = { severity, code, message, line: where.line, column: where.column, requirement };
    if (value !== undefined) d.value = value;
    diagnostics.push(d);
  };
  const start: SourceLocation = { line: 1, column: 1, offset: 0 };

  // Size first: nothing below runs on an unbounded input.
  if (text.length > lim.maxLength) {
    report('input-too-large', rules.limits, `Policy text is ${text.length} characters long; the limit is ${lim.maxLength}.`, start, String(text.length));
    return null;
  }
  const lines = new LineMap(text);

  let body = text;
  let bodyOffset = 0;
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) {
    if (!rules.allowBom) {
      report('byte-order-mark', rules.bom, 'Policy text starts with a byte order mark (U+FEFF), which this format does not accept.', start, 'U+FEFF');
      return null;
    }
    report('byte-order-mark', rules.bom, 'Policy text starts with a byte order mark (U+FEFF); it is skipped.', start, 'U+FEFF', 'info');
    body = text.slice(1);
    bodyOffset = 1;
  }

  const badChar = INVALID_CHAR.exec(body);
  if (badChar) {
    const at = lines.locate(badChar.index + bodyOffset);
    const code = badChar[0].charCodeAt(0);
    report('invalid-character', rules.characters, `Character U+${code.toString(16).toUpperCase().padStart(4, '0')} at line ${at.line}, column ${at.column} is not allowed in XML.`, at, `U+${code.toString(16).toUpperCase().padStart(4, '0')}`);
    return null;
  }

  const firstNonSpace = body.search(/\S/);
  let leadingWhitespace = false;
  if (firstNonSpace > 0) {
    leadingWhitespace = true;
    if (!rules.allowLeadingWhitespace && body.startsWith('<?xml', firstNonSpace) && /\s/.test(body.charAt(firstNonSpace + 5))) {
      const at = lines.locate(bodyOffset);
      report('leading-whitespace', rules.leadingWhitespace, 'Whitespace before the XML declaration: the declaration must be the first thing in the file.', at);
      return null;
    }
    if (rules.allowLeadingWhitespace) {
      report('leading-whitespace', rules.leadingWhitespace, 'Whitespace before the first markup is skipped.', lines.locate(bodyOffset), undefined, 'info');
      bodyOffset += firstNonSpace;
      body = body.slice(firstNonSpace);
    }
  }
  if (firstNonSpace < 0) {
    report('no-root-element', rules.wellFormed, 'The policy text is empty: there is no root element.', start);
    return null;
  }

  const valid = XMLValidator.validate(body, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    // The validator counts lines in `body`; shift to the original text when we skipped a prefix.
    const at = bodyOffset === 0 ? { line, column: col, offset: -1 } : shiftLocation(lines, bodyOffset, line, col);
    report('not-well-formed', rules.wellFormed, `Not well-formed XML at line ${at.line}, column ${at.column}: ${msg}`, at);
    return null;
  }

  let tree: unknown[];
  try {
    tree = parser.parse(body) as unknown[];
  } catch (err) {
    // The validator accepted it; a parser failure here is a fast-xml-parser limit. Fail closed.
    const message = (err as Error).message;
    if (/nested/i.test(message)) {
      report('too-deep', rules.limits, `Elements are nested deeper than the parser allows (${message}); the limit is ${lim.maxDepth}.`, start);
      return null;
    }
    report('not-well-formed', rules.wellFormed, `The XML could not be parsed: ${(err as Error).message}`, start);
    return null;
  }

  // Top level: exactly one element; around it only markup the prolog and epilog allow.
  const topElements: { node: Record<string, unknown>; name: string }[] = [];
  for (const node of tree as Record<string, unknown>[]) {
    const name = nodeName(node);
    if (name === '#text' || name === '#comment' || name.startsWith('?')) continue;
    topElements.push({ node, name });
  }
  if (topElements.length === 0) {
    report('no-root-element', rules.wellFormed, 'The document has no root element.', start);
    return null;
  }
  if (topElements.length > 1) {
    const second = topElements[1] as { node: Record<string, unknown>; name: string };
    const at = lines.locate(metaStart(second.node) + bodyOffset);
    report('multiple-roots', rules.wellFormed, `A second root element <${second.name}> at line ${at.line}, column ${at.column}: a document has exactly one root.`, at, second.name);
    return null;
  }
  const rootNode = (topElements[0] as { node: Record<string, unknown> }).node;
  const rootStart = metaStart(rootNode);
  const rootEnd = metaEnd(rootNode, body);

  const prolog = scanProlog(body.slice(0, rootStart));
  if (prolog.error !== null) {
    const at = lines.locate(prolog.errorOffset + bodyOffset);
    report('content-outside-root', rules.contentOutsideRoot, `Content before the root element at line ${at.line}, column ${at.column}: ${prolog.error}`, at, snippet(body, prolog.errorOffset));
    return null;
  }
  const epilog = scanMisc(body, rootEnd, body.length);
  if (epilog !== null) {
    const at = lines.locate(epilog.offset + bodyOffset);
    report('content-outside-root', rules.contentOutsideRoot, `Content after the root element at line ${at.line}, column ${at.column}: ${epilog.message}`, at, snippet(body, epilog.offset));
    return null;
  }

  let doctype: XmlDoctype | null = null;
  if (prolog.doctype) {
    const at = lines.locate(prolog.doctype.offset + bodyOffset);
    doctype = { name: prolog.doctype.name, internalSubset: prolog.doctype.internalSubset, location: at };
    if (prolog.doctype.internalSubset !== null && prolog.doctype.internalSubset.trim() !== '') {
      report('internal-dtd-subset', rules.entities, `The DOCTYPE at line ${at.line} has an internal subset; declarations in it (entities included) are never applied to a policy.`, at, prolog.doctype.internalSubset.trim().slice(0, 120));
      return null;
    }
  }

  // Build the typed tree, enforcing depth, attribute and element limits as we go.
  const counters = { elements: 0, failed: false };
  const ctx: BuildContext = { body, bodyOffset, lines, lim, rules, report, counters };
  const root = buildElement(rootNode, 1, ctx);
  if (root === null || counters.failed) return null;

  return {
    root,
    bom,
    leadingWhitespace,
    declaredEncoding: prolog.encoding,
    doctype,
  };
}

interface BuildContext {
  body: string;
  bodyOffset: number;
  lines: LineMap;
  lim: XmlLimits;
  rules: XmlRules;
  report: (code: XmlDiagnosticCode, requirement: RequirementId, message: string, where: SourceLocation, value?: string) => void;
  counters: { elements: number; failed: boolean };
}

function buildElement(node: Record<string, unknown>, depth: number, ctx: BuildContext): XmlElement | null {
  const name = nodeName(node);
  const startOffset = metaStart(node);
  const location = ctx.lines.locate(startOffset + ctx.bodyOffset);
  ctx.counters.elements++;
  if (ctx.counters.elements > ctx.lim.maxElements) {
    ctx.report('too-many-elements', ctx.rules.limits, `More than ${ctx.lim.maxElements} elements (at line ${location.line}).`, location, name);
    ctx.counters.failed = true;
    return null;
  }
  if (depth > ctx.lim.maxDepth) {
    ctx.report('too-deep', ctx.rules.limits, `Element <${name}> at line ${location.line}, column ${location.column} is nested ${depth} deep; the limit is ${ctx.lim.maxDepth}.`, location, name);
    ctx.counters.failed = true;
    return null;
  }

  const rawAttrs = (node[ATTRS] ?? {}) as Record<string, string>;
  const attrNames = Object.keys(rawAttrs);
  if (attrNames.length > ctx.lim.maxAttributes) {
    ctx.report('too-many-attributes', ctx.rules.limits, `Element <${name}> at line ${location.line} has ${attrNames.length} attributes; the limit is ${ctx.lim.maxAttributes}.`, location, name);
    ctx.counters.failed = true;
    return null;
  }
  const attributes: XmlAttribute[] = [];
  for (const attrName of attrNames) {
    const rawValue = String(rawAttrs[attrName]);
    const attrOffset = findAttributeOffset(ctx.body, startOffset, attrName);
    const attrLocation = ctx.lines.locate(attrOffset + ctx.bodyOffset);
    if (rawValue.length > ctx.lim.maxAttributeLength) {
      ctx.report('attribute-too-long', ctx.rules.limits, `Attribute ${attrName} of <${name}> at line ${attrLocation.line} is ${rawValue.length} characters long; the limit is ${ctx.lim.maxAttributeLength}.`, attrLocation, rawValue.slice(0, 64));
      ctx.counters.failed = true;
      return null;
    }
    const value = decodeReferences(rawValue, (entity) => {
      ctx.report('undeclared-entity', ctx.rules.entities, `Attribute ${attrName} of <${name}> at line ${attrLocation.line} refers to entity &${entity}; only the five predefined entities are allowed.`, attrLocation, `&${entity};`);
    });
    if (value === null) {
      ctx.counters.failed = true;
      return null;
    }
    attributes.push({ name: attrName, value, rawValue, location: attrLocation });
  }

  const children: XmlNode[] = [];
  const childNodes = (node[name] ?? []) as Record<string, unknown>[];
  // Offsets of text nodes are not recorded by the parser; we place them just after the previous
  // sibling's end (good enough for a diagnostic's line and column).
  let cursor = findStartTagEnd(ctx.body, startOffset);
  for (const child of childNodes) {
    const childName = nodeName(child);
    if (childName === '#text') {
      const raw = String(child['#text'] ?? '');
      // Point at the first non-whitespace character: that is what a diagnostic is about.
      let lead = 0;
      while (lead < raw.length && isXmlSpace(raw.charCodeAt(lead))) lead++;
      if (lead === raw.length) lead = 0;
      const loc = ctx.lines.locate(Math.min(cursor + lead, ctx.body.length) + ctx.bodyOffset);
      const text = decodeReferences(raw, (entity) => {
        ctx.report('undeclared-entity', ctx.rules.entities, `Text inside <${name}> at line ${loc.line} refers to entity &${entity}; only the five predefined entities are allowed.`, loc, `&${entity};`);
      });
      if (text === null) {
        ctx.counters.failed = true;
        return null;
      }
      children.push({ kind: 'text', text, cdata: false, location: loc });
      cursor += raw.length;
    } else if (childName === '#cdata') {
      const inner = child['#cdata'] as Record<string, unknown>[] | undefined;
      const text = inner?.map((t) => String(t['#text'] ?? '')).join('') ?? '';
      const at = ctx.body.indexOf('<![CDATA[', cursor);
      const loc = ctx.lines.locate((at < 0 ? cursor : at) + ctx.bodyOffset);
      children.push({ kind: 'text', text, cdata: true, location: loc });
      if (at >= 0) cursor = at + 9 + text.length + 3;
    } else if (childName === '#comment') {
      const inner = child['#comment'] as Record<string, unknown>[] | undefined;
      const text = inner?.map((t) => String(t['#text'] ?? '')).join('') ?? '';
      const at = ctx.body.indexOf('<!--', cursor);
      const loc = ctx.lines.locate((at < 0 ? cursor : at) + ctx.bodyOffset);
      children.push({ kind: 'comment', text, location: loc });
      if (at >= 0) cursor = at + 4 + text.length + 3;
    } else if (childName.startsWith('?')) {
      const at = ctx.body.indexOf('<?', cursor);
      const loc = ctx.lines.locate((at < 0 ? cursor : at) + ctx.bodyOffset);
      children.push({ kind: 'pi', target: childName.slice(1), location: loc });
      if (at >= 0) {
        const end = ctx.body.indexOf('?>', at);
        cursor = end < 0 ? at : end + 2;
      }
    } else {
      const el = buildElement(child, depth + 1, ctx);
      if (el === null) return null;
      children.push(el);
      cursor = metaEnd(child, ctx.body);
    }
  }
  return { kind: 'element', name, attributes, children, location };
}

/** Decodes the predefined entities and character references; `null` (after `onUnknown`) otherwise. */
function decodeReferences(raw: string, onUnknown: (entity: string) => void): string | null {
  if (raw.indexOf('&') < 0) return raw;
  let failed = false;
  const out = raw.replace(ENTITY_REF, (whole, ref: string) => {
    if (ref.charCodeAt(0) === 35 /* # */) {
      const cp = ref.charCodeAt(1) === 120 /* x */ ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      // A reference must still name an XML Char; &#0; is as illegal as a raw NUL.
      if (!Number.isFinite(cp) || cp > 0x10ffff || (cp < 0x20 && cp !== 9 && cp !== 10 && cp !== 13) || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfffe || cp === 0xffff) {
        failed = true;
        onUnknown(ref);
        return whole;
      }
      return String.fromCodePoint(cp);
    }
    const v = PREDEFINED[ref];
    if (v === undefined) {
      failed = true;
      onUnknown(ref);
      return whole;
    }
    return v;
  });
  return failed ? null : out;
}

function isXmlSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function nodeName(node: Record<string, unknown>): string {
  for (const k of Object.keys(node)) if (k !== ATTRS) return k;
  return '';
}

function metaStart(node: Record<string, unknown>): number {
  const m = (node as Record<symbol, { startIndex?: number } | undefined>)[META];
  return m?.startIndex ?? 0;
}

function metaEnd(node: Record<string, unknown>, body: string): number {
  const m = (node as Record<symbol, { endIndex?: number } | undefined>)[META];
  if (m?.endIndex !== undefined) return m.endIndex;
  // Self-closing elements may lack an end index: find the end of the start tag.
  return findStartTagEnd(body, metaStart(node));
}

/** Offset just past the `>` that ends the start tag at `start`, skipping quoted attribute values. */
function findStartTagEnd(body: string, start: number): number {
  let quote = 0;
  for (let i = start + 1; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) return i + 1;
  }
  return body.length;
}

/** Offset of attribute `name` inside the start tag at `start` (the tag itself if not found). */
function findAttributeOffset(body: string, start: number, name: string): number {
  const end = findStartTagEnd(body, start);
  let quote = 0;
  for (let i = start + 1; i < end; i++) {
    const c = body.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
      continue;
    }
    if (c === 34 || c === 39) {
      quote = c;
      continue;
    }
    if (/\s/.test(body.charAt(i - 1)) && body.startsWith(name, i)) {
      const after = body.charAt(i + name.length);
      if (after === '=' || /\s/.test(after)) return i;
    }
  }
  return start;
}

function shiftLocation(lines: LineMap, bodyOffset: number, line: number, col: number): SourceLocation {
  const base = lines.locate(bodyOffset);
  return line === 1 ? { line: base.line, column: base.column + col - 1, offset: -1 } : { line: base.line + line - 1, column: col, offset: -1 };
}

function snippet(text: string, offset: number): string {
  return text.slice(offset, offset + 40).replace(/\s+/g, ' ').trim();
}

interface PrologScan {
  error: string | null;
  errorOffset: number;
  encoding: string | null;
  doctype: { name: string; internalSubset: string | null; offset: number } | null;
}

/**
 * Scans the text before the root element: `XMLDecl? Misc* (doctypedecl Misc*)?` of XML 1.0.
 * Anything else (text, a second DOCTYPE, a declaration not at the start) is content outside the root.
 */
function scanProlog(prolog: string): PrologScan {
  const result: PrologScan = { error: null, errorOffset: 0, encoding: null, doctype: null };
  let i = 0;
  if (prolog.startsWith('<?xml') && /[\s?]/.test(prolog.charAt(5))) {
    const end = prolog.indexOf('?>');
    if (end < 0) return { ...result, error: 'unterminated XML declaration', errorOffset: 0 };
    const decl = prolog.slice(0, end);
    const enc = /encoding\s*=\s*["']([^"']*)["']/.exec(decl);
    result.encoding = enc ? (enc[1] as string) : null;
    i = end + 2;
  }
  for (;;) {
    const misc = scanMisc(prolog, i, prolog.length, true);
    if (misc === null) return result;
    // scanMisc stopped at something that is not Misc: a DOCTYPE is allowed once.
    if (prolog.startsWith('<!DOCTYPE', misc.offset) && result.doctype === null) {
      const dt = scanDoctype(prolog, misc.offset);
      if (dt === null) return { ...result, error: 'malformed DOCTYPE', errorOffset: misc.offset };
      result.doctype = { name: dt.name, internalSubset: dt.internalSubset, offset: misc.offset };
      i = dt.end;
      continue;
    }
    return { ...result, error: misc.message, errorOffset: misc.offset };
  }
}

/** Skips whitespace, comments and PIs from `i` to `end`; returns the first other thing, or null. */
function scanMisc(text: string, i: number, end: number, stopAtDoctype = false): { offset: number; message: string } | null {
  while (i < end) {
    const c = text.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      if (close < 0 || close + 3 > end) return { offset: i, message: 'unterminated comment' };
      i = close + 3;
    } else if (text.startsWith('<?', i)) {
      if (/^<\?xml[\s?]/i.test(text.slice(i, i + 6))) return { offset: i, message: 'an XML declaration is only allowed at the very start' };
      const close = text.indexOf('?>', i + 2);
      if (close < 0 || close + 2 > end) return { offset: i, message: 'unterminated processing instruction' };
      i = close + 2;
    } else if (stopAtDoctype && text.startsWith('<!DOCTYPE', i)) {
      return { offset: i, message: 'a second DOCTYPE' };
    } else {
      const what = c === '<' ? 'markup that is not a comment or processing instruction' : `text "${snippet(text, i)}"`;
      return { offset: i, message: what };
    }
  }
  return null;
}

/** Reads `<!DOCTYPE name ExternalID? [internal]? >` starting at `i`. */
function scanDoctype(text: string, i: number): { name: string; internalSubset: string | null; end: number } | null {
  const head = /^<!DOCTYPE\s+([^\s[>]+)/.exec(text.slice(i));
  if (!head) return null;
  let j = i + head[0].length;
  let quote = '';
  let subsetStart = -1;
  let subset: string | null = null;
  for (; j < text.length; j++) {
    const c = text.charAt(j);
    if (quote) {
      if (c === quote) quote = '';
    } else if (subsetStart >= 0) {
      // Inside the internal subset: find the closing `]` outside quotes.
      if (c === '"' || c === "'") quote = c;
      else if (c === ']') {
        subset = text.slice(subsetStart, j);
        subsetStart = -2;
      }
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' && subsetStart === -1) subsetStart = j + 1;
    else if (c === '>') return { name: head[1] as string, internalSubset: subset, end: j + 1 };
  }
  return null;
}
