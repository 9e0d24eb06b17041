/**
 * The strict XML front end shared by the Flash and Silverlight parsers.
 *
 * fast-xml-parser's `XMLValidator` gives the well-formedness verdict; this module then builds the
 * typed tree itself in one pass over the validated text (exact offsets, no second parse), and adds
 * what a security parser needs and the library leaves out on its own:
 * - a byte bound before any parsing, and bounds on depth, attributes and element count;
 * - the checks the validator does not make: a single root element, nothing but markup
 *   (declaration, comments, PIs, DOCTYPE, whitespace) around it, a well-formed XML declaration,
 *   DOCTYPE and PI targets;
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
import { XMLValidator } from 'fast-xml-parser';
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
  /** Deepest element nesting; the root is depth 1. Values above {@link MAX_XML_DEPTH} act as it. */
  maxDepth: number;
  /** Most attributes on one element. */
  maxAttributes: number;
  /** Longest attribute value, in characters. */
  maxAttributeLength: number;
  /** Most elements in the whole document. */
  maxElements: number;
}

/** The deepest nesting the tree builder ever follows (it recurses once per level). */
export const MAX_XML_DEPTH = 1000;

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

// XML 1.0 `Char` excludes these (surrogates are allowed only as pairs, checked by hand below).
const SUSPECT_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/g;

/** Index of the first character XML 1.0 does not allow (an unpaired surrogate included), or -1. */
function findInvalidChar(text: string): number {
  SUSPECT_CHAR.lastIndex = 0;
  for (let m = SUSPECT_CHAR.exec(text); m !== null; m = SUSPECT_CHAR.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        SUSPECT_CHAR.lastIndex = i + 2;
        continue;
      }
    }
    return i;
  }
  return -1;
}
const XML_DECL = /^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(?:\s+encoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\4)?\s*\?>$/;
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
  // The builder recurses per level: a caller's larger limit must not become a stack overflow.
  if (!(lim.maxDepth <= MAX_XML_DEPTH)) lim.maxDepth = MAX_XML_DEPTH;
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

  const badIndex = findInvalidChar(body);
  if (badIndex >= 0) {
    const at = lines.locate(badIndex + bodyOffset);
    const code = body.charCodeAt(badIndex);
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
    const { msg } = valid.err;
    // The validator leaves `col` (and sometimes `line`) undefined for some errors, e.g. an
    // unterminated processing instruction; a diagnostic always carries a position, so fall back
    // to the start of the text rather than print "column undefined".
    const line = Number.isInteger(valid.err.line) && valid.err.line > 0 ? valid.err.line : 1;
    const col = Number.isInteger(valid.err.col) && valid.err.col > 0 ? valid.err.col : 1;
    // The validator counts lines in `body`; shift to the original text when we skipped a prefix.
    const at = bodyOffset === 0 ? { line, column: col, offset: -1 } : shiftLocation(lines, bodyOffset, line, col);
    report('not-well-formed', rules.wellFormed, `Not well-formed XML at line ${at.line}, column ${at.column}: ${msg}`, at);
    return null;
  }

  // Top level: the prolog (declaration, Misc, one DOCTYPE) ends where the root element starts.
  // The validator has accepted the text; the scans below still bound every loop by its length.
  const prolog = scanProlog(body);
  if (prolog.error === null) {
    report('no-root-element', rules.wellFormed, 'The document has no root element.', start);
    return null;
  }
  const rootStart = prolog.errorOffset;
  if (prolog.notWellFormed === true) {
    const at = lines.locate(prolog.errorOffset + bodyOffset);
    report('not-well-formed', rules.wellFormed, `Not well-formed XML at line ${at.line}, column ${at.column}: ${prolog.error}.`, at, snippet(body, prolog.errorOffset));
    return null;
  }
  if (!isElementStart(body, rootStart)) {
    const at = lines.locate(prolog.errorOffset + bodyOffset);
    report('content-outside-root', rules.contentOutsideRoot, `Content before the root element at line ${at.line}, column ${at.column}: ${prolog.error}`, at, snippet(body, prolog.errorOffset));
    return null;
  }

  // Build the typed tree, enforcing depth, attribute and element limits as we go. Its diagnostics
  // wait until the checks around the root have run: those name the more basic problem.
  const treeDiagnostics: Diagnostic[] = [];
  const treeReport = (code: XmlDiagnosticCode, requirement: RequirementId, message: string, where: SourceLocation, value?: string): void => {
    const d: Diagnostic = { severity: 'error', code, message, line: where.line, column: where.column, requirement };
    if (value !== undefined) d.value = value;
    treeDiagnostics.push(d);
  };
  const ctx: BuildContext = { body, bodyOffset, lines, lim, rules, report: treeReport, elements: 0, pos: 0 };
  const root = buildElement(rootStart, 1, ctx);
  const rootEnd = root === null ? skipElement(body, rootStart) : ctx.pos;

  const epilog = scanMisc(body, rootEnd, body.length);
  if (epilog !== null) {
    const at = lines.locate(epilog.offset + bodyOffset);
    if (epilog.notWellFormed === true) {
      report('not-well-formed', rules.wellFormed, `Not well-formed XML at line ${at.line}, column ${at.column}: ${epilog.message}.`, at, snippet(body, epilog.offset));
      return null;
    }
    if (isElementStart(body, epilog.offset)) {
      const name = readName(body, epilog.offset + 1);
      report('multiple-roots', rules.wellFormed, `A second root element <${name}> at line ${at.line}, column ${at.column}: a document has exactly one root.`, at, name);
      return null;
    }
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

  if (root === null) {
    for (const d of treeDiagnostics) diagnostics.push(d);
    return null;
  }

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
  /** Elements built so far (for `maxElements`). */
  elements: number;
  /** Where the last built element ended (just past its end tag or `/>`). */
  pos: number;
}

/**
 * Builds the element whose start tag begins at `start` (a `<` followed by a name), and its
 * subtree, straight from the text: one pass, exact offsets for elements, attributes and text.
 * Returns null after reporting when a limit is exceeded or the markup is not what a well-formed
 * document holds (fail closed). On success `ctx.pos` is the offset just past the element.
 */
function buildElement(start: number, depth: number, ctx: BuildContext): XmlElement | null {
  const { body, lim, rules } = ctx;
  const n = body.length;
  let i = start + 1;
  while (i < n) {
    const c = body.charCodeAt(i);
    if (isXmlSpace(c) || c === 47 /* / */ || c === 62 /* > */) break;
    i++;
  }
  const name = body.slice(start + 1, i);
  const location = ctx.lines.locate(start + ctx.bodyOffset);
  ctx.elements++;
  if (ctx.elements > lim.maxElements) {
    ctx.report('too-many-elements', rules.limits, `More than ${lim.maxElements} elements (at line ${location.line}).`, location, name);
    return null;
  }
  if (depth > lim.maxDepth) {
    ctx.report('too-deep', rules.limits, `Element <${name}> at line ${location.line}, column ${location.column} is nested ${depth} deep; the limit is ${lim.maxDepth}.`, location, name);
    return null;
  }

  // Attributes: name, optional space, '=', optional space, a quoted value.
  const attrStarts: number[] = [];
  const attrNames: string[] = [];
  const attrValues: string[] = [];
  let selfClosing = false;
  for (;;) {
    while (i < n && isXmlSpace(body.charCodeAt(i))) i++;
    if (i >= n) return malformed(ctx, start, `the start tag of <${name}> is not closed`);
    const c = body.charCodeAt(i);
    if (c === 62) {
      i++;
      break;
    }
    if (c === 47 && body.charCodeAt(i + 1) === 62) {
      i += 2;
      selfClosing = true;
      break;
    }
    const nameStart = i;
    while (i < n) {
      const d = body.charCodeAt(i);
      if (isXmlSpace(d) || d === 61 /* = */ || d === 62 || d === 47) break;
      i++;
    }
    const attrName = body.slice(nameStart, i);
    while (i < n && isXmlSpace(body.charCodeAt(i))) i++;
    if (attrName === '' || body.charCodeAt(i) !== 61) return malformed(ctx, nameStart, `attribute ${attrName || '(unnamed)'} of <${name}> has no value`);
    i++;
    while (i < n && isXmlSpace(body.charCodeAt(i))) i++;
    const q = body.charCodeAt(i);
    if (q !== 34 && q !== 39) return malformed(ctx, nameStart, `attribute ${attrName} of <${name}> is not quoted`);
    const close = body.indexOf(q === 34 ? '"' : "'", i + 1);
    if (close < 0) return malformed(ctx, nameStart, `attribute ${attrName} of <${name}> is not closed`);
    attrStarts.push(nameStart);
    attrNames.push(attrName);
    attrValues.push(normalizeLineEnds(body.slice(i + 1, close)));
    i = close + 1;
  }
  if (attrNames.length > lim.maxAttributes) {
    ctx.report('too-many-attributes', rules.limits, `Element <${name}> at line ${location.line} has ${attrNames.length} attributes; the limit is ${lim.maxAttributes}.`, location, name);
    return null;
  }
  const attributes: XmlAttribute[] = [];
  for (let k = 0; k < attrNames.length; k++) {
    const attrName = attrNames[k] as string;
    const rawValue = attrValues[k] as string;
    const attrLocation = ctx.lines.locate((attrStarts[k] as number) + ctx.bodyOffset);
    if (rawValue.length > lim.maxAttributeLength) {
      ctx.report('attribute-too-long', rules.limits, `Attribute ${attrName} of <${name}> at line ${attrLocation.line} is ${rawValue.length} characters long; the limit is ${lim.maxAttributeLength}.`, attrLocation, rawValue.slice(0, 64));
      return null;
    }
    const value = decodeReferences(rawValue);
    if (value === null) {
      ctx.report('undeclared-entity', rules.entities, `Attribute ${attrName} of <${name}> at line ${attrLocation.line} refers to entity &${lastBadEntity}; only the five predefined entities are allowed.`, attrLocation, `&${lastBadEntity};`);
      return null;
    }
    attributes.push({ name: attrName, value, rawValue, location: attrLocation });
  }

  const children: XmlNode[] = [];
  if (selfClosing) {
    ctx.pos = i;
    return { kind: 'element', name, attributes, children, location };
  }
  for (;;) {
    const lt = body.indexOf('<', i);
    if (lt < 0) return malformed(ctx, start, `<${name}> is not closed`);
    if (lt > i) {
      const raw = normalizeLineEnds(body.slice(i, lt));
      // Point at the first non-whitespace character: that is what a diagnostic is about.
      let lead = i;
      while (lead < lt && isXmlSpace(body.charCodeAt(lead))) lead++;
      const loc = ctx.lines.locate((lead === lt ? i : lead) + ctx.bodyOffset);
      const text = decodeReferences(raw);
      if (text === null) {
        ctx.report('undeclared-entity', rules.entities, `Text inside <${name}> at line ${loc.line} refers to entity &${lastBadEntity}; only the five predefined entities are allowed.`, loc, `&${lastBadEntity};`);
        return null;
      }
      children.push({ kind: 'text', text, cdata: false, location: loc });
    }
    i = lt;
    const next = body.charCodeAt(i + 1);
    if (next === 47 /* </ */) {
      const close = body.indexOf('>', i + 2);
      if (close < 0) return malformed(ctx, i, `the end tag of <${name}> is not closed`);
      const endName = body.slice(i + 2, close).trimEnd();
      if (endName !== name) return malformed(ctx, i, `</${endName}> does not close <${name}>`);
      ctx.pos = close + 1;
      return { kind: 'element', name, attributes, children, location };
    }
    if (body.startsWith('<!--', i)) {
      const close = body.indexOf('-->', i + 4);
      if (close < 0) return malformed(ctx, i, 'a comment is not closed');
      children.push({ kind: 'comment', text: normalizeLineEnds(body.slice(i + 4, close)), location: ctx.lines.locate(i + ctx.bodyOffset) });
      i = close + 3;
    } else if (body.startsWith('<![CDATA[', i)) {
      const close = body.indexOf(']]>', i + 9);
      if (close < 0) return malformed(ctx, i, 'a CDATA section is not closed');
      children.push({ kind: 'text', text: normalizeLineEnds(body.slice(i + 9, close)), cdata: true, location: ctx.lines.locate(i + ctx.bodyOffset) });
      i = close + 3;
    } else if (next === 63 /* <? */) {
      const close = body.indexOf('?>', i + 2);
      if (close < 0) return malformed(ctx, i, 'a processing instruction is not closed');
      const target = readName(body, i + 2);
      // XML 1.0 §2.6: targets matching [Xx][Mm][Ll] are reserved; `<?xml` belongs at the start only.
      if (target.toLowerCase() === 'xml') return malformed(ctx, i, 'an XML declaration is only allowed at the very start');
      if (!isPiStart(body, i)) return malformed(ctx, i, 'a processing instruction without a valid target');
      children.push({ kind: 'pi', target, location: ctx.lines.locate(i + ctx.bodyOffset) });
      i = close + 2;
    } else if (isElementStart(body, i)) {
      const child = buildElement(i, depth + 1, ctx);
      if (child === null) return null;
      children.push(child);
      i = ctx.pos;
    } else {
      return malformed(ctx, i, `unexpected markup inside <${name}>`);
    }
  }
}

/** Reports markup the validator let through but a well-formed document cannot hold; returns null. */
function malformed(ctx: BuildContext, offset: number, what: string): null {
  const at = ctx.lines.locate(Math.min(offset, ctx.body.length) + ctx.bodyOffset);
  ctx.report('not-well-formed', ctx.rules.wellFormed, `Not well-formed XML at line ${at.line}, column ${at.column}: ${what}.`, at, snippet(ctx.body, offset));
  return null;
}

/** Whether a start tag (`<` and a name character) begins at `i`. */
function isElementStart(body: string, i: number): boolean {
  if (body.charCodeAt(i) !== 60) return false;
  const c = body.charCodeAt(i + 1);
  return !(Number.isNaN(c) || c === 33 /* ! */ || c === 63 /* ? */ || c === 47 /* / */ || isXmlSpace(c) || c === 62 || c === 60);
}

// XML 1.0 §2.3 Name, for PI targets (non-ASCII name characters admitted wholesale).
const PI_TARGET = /^[A-Za-z_:\u00C0-\uFFFF][\w.:\u00B7-\uFFFF-]*$/;
/** Whether the `<?` at `i` opens a PI: a Name, then whitespace or `?>` (XML 1.0 §2.6). */
function isPiStart(text: string, i: number): boolean {
  const target = readName(text, i + 2);
  if (!PI_TARGET.test(target)) return false;
  const after = i + 2 + target.length;
  const c = text.charCodeAt(after);
  return isXmlSpace(c) || (c === 63 && text.charCodeAt(after + 1) === 62);
}

/** The name starting at `i` (up to whitespace, `/`, `>`, `?`). */
function readName(body: string, i: number): string {
  let j = i;
  while (j < body.length) {
    const c = body.charCodeAt(j);
    if (isXmlSpace(c) || c === 47 || c === 62 || c === 63) break;
    j++;
  }
  return body.slice(i, j);
}

/**
 * Offset just past the element starting at `start`, without building it (used only after the
 * builder gave up, to find what follows the root). Counts start and end tags; every loop is
 * bounded by the text's length.
 */
function skipElement(body: string, start: number): number {
  let depth = 0;
  let i = start;
  const n = body.length;
  while (i < n) {
    const lt = body.indexOf('<', i);
    if (lt < 0) return n;
    i = lt;
    if (body.startsWith('<!--', i)) {
      const close = body.indexOf('-->', i + 4);
      i = close < 0 ? n : close + 3;
    } else if (body.startsWith('<![CDATA[', i)) {
      const close = body.indexOf(']]>', i + 9);
      i = close < 0 ? n : close + 3;
    } else if (body.charCodeAt(i + 1) === 63) {
      const close = body.indexOf('?>', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (body.charCodeAt(i + 1) === 47) {
      const close = body.indexOf('>', i + 2);
      i = close < 0 ? n : close + 1;
      depth--;
      if (depth <= 0) return i;
    } else if (isElementStart(body, i)) {
      const end = scanStartTag(body, i);
      i = end;
      if (body.charCodeAt(end - 2) !== 47) depth++;
      else if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return n;
}

/** XML end-of-line handling: CRLF and lone CR become LF. */
function normalizeLineEnds(s: string): string {
  if (s.indexOf('\r') < 0) return s;
  return s.replace(/\r\n?/g, '\n');
}

// The entity that made the last decodeReferences call fail (read right after a null result).
let lastBadEntity = '';

/** Decodes the predefined entities and character references; `null` otherwise (see lastBadEntity). */
function decodeReferences(raw: string): string | null {
  if (raw.indexOf('&') < 0) return raw;
  let failed = false;
  const out = raw.replace(ENTITY_REF, (whole, ref: string) => {
    if (failed) return whole;
    if (ref.charCodeAt(0) === 35 /* # */) {
      const cp = ref.charCodeAt(1) === 120 /* x */ ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      // A reference must still name an XML Char; &#0; is as illegal as a raw NUL.
      if (!Number.isFinite(cp) || cp > 0x10ffff || (cp < 0x20 && cp !== 9 && cp !== 10 && cp !== 13) || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfffe || cp === 0xffff) {
        failed = true;
        lastBadEntity = ref;
        return whole;
      }
      return String.fromCodePoint(cp);
    }
    const v = PREDEFINED[ref];
    if (v === undefined) {
      failed = true;
      lastBadEntity = ref;
      return whole;
    }
    return v;
  });
  return failed ? null : out;
}

function isXmlSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Offset just past the `>` of the start tag at `start`, skipping quoted attribute values; the
 * text's length if the tag is not closed.
 */
function scanStartTag(body: string, start: number): number {
  const n = body.length;
  let i = start + 1;
  while (i < n) {
    const c = body.charCodeAt(i);
    if (c === 62) return i + 1;
    if (c === 34 || c === 39) {
      const close = body.indexOf(c === 34 ? '"' : "'", i + 1);
      if (close < 0) return n;
      i = close + 1;
    } else i++;
  }
  return n;
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
  /** The error is a well-formedness error (a malformed declaration), not content outside the root. */
  notWellFormed?: boolean;
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
    // XML 1.0 §2.8 XMLDecl: version, then optional encoding and standalone, in that order.
    const decl = XML_DECL.exec(prolog.slice(0, end + 2));
    if (decl === null) return { ...result, error: 'malformed XML declaration', errorOffset: 0, notWellFormed: true };
    result.encoding = decl[3] ?? null;
    i = end + 2;
  }
  for (;;) {
    const misc = scanMisc(prolog, i, prolog.length, true);
    if (misc === null) return result;
    // scanMisc stopped at something that is not Misc: a DOCTYPE is allowed once.
    if (prolog.startsWith('<!DOCTYPE', misc.offset) && result.doctype === null) {
      const dt = scanDoctype(prolog, misc.offset);
      if (dt === null) return { ...result, error: 'malformed DOCTYPE', errorOffset: misc.offset, notWellFormed: true };
      result.doctype = { name: dt.name, internalSubset: dt.internalSubset, offset: misc.offset };
      i = dt.end;
      continue;
    }
    return { ...result, error: misc.message, errorOffset: misc.offset, notWellFormed: misc.notWellFormed === true };
  }
}

/** Skips whitespace, comments and PIs from `i` to `end`; returns the first other thing, or null. */
function scanMisc(text: string, i: number, end: number, stopAtDoctype = false): { offset: number; message: string; notWellFormed?: boolean } | null {
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
      if (!isPiStart(text, i)) return { offset: i, message: 'a processing instruction without a valid target', notWellFormed: true };
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

// XML 1.0 §2.8 doctypedecl up to the internal subset: name, then an optional ExternalID.
const DOCTYPE_HEAD = /<!DOCTYPE\s+([A-Za-z_:\u00C0-\uFFFF][\w.:\u00B7-\uFFFF-]*)(?:\s+(?:SYSTEM\s+(?:"[^"]*"|'[^']*')|PUBLIC\s+(?:"[^"]*"|'[^']*')\s+(?:"[^"]*"|'[^']*')))?\s*/y;

/** Reads `<!DOCTYPE name ExternalID? S? ('[' internal ']' S?)? >` starting at `i`; null if malformed. */
function scanDoctype(text: string, i: number): { name: string; internalSubset: string | null; end: number } | null {
  DOCTYPE_HEAD.lastIndex = i;
  const head = DOCTYPE_HEAD.exec(text);
  if (!head) return null;
  let j = DOCTYPE_HEAD.lastIndex;
  let subset: string | null = null;
  if (text.charCodeAt(j) === 91 /* [ */) {
    // The internal subset: find the closing `]` outside quoted literals. Never interpreted.
    const subsetStart = j + 1;
    let quote = 0;
    for (j = subsetStart; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 93 /* ] */) break;
    }
    if (j >= text.length) return null;
    subset = text.slice(subsetStart, j);
    j++;
    while (j < text.length && isXmlSpace(text.charCodeAt(j))) j++;
  }
  if (text.charCodeAt(j) !== 62 /* > */) return null;
  return { name: head[1] as string, internalSubset: subset, end: j + 1 };
}
