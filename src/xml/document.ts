/**
 * The strict XML front end shared by the Flash and Silverlight parsers.
 *
 * Well-formedness is decided by `saxes`, a conforming XML 1.0 (fifth edition) parser (the one
 * jsdom uses), run as a non-namespace-aware, non-validating reader that never reads a DTD. This
 * module builds the typed tree from its events in the same pass, with the exact position of every
 * element, attribute and text, and adds what a security parser needs and a general parser leaves
 * to its caller:
 * - a size bound before any parsing, and bounds on depth, attributes and element count, checked
 *   as the document is read: the first bound passed stops the reading;
 * - no DTD: a DOCTYPE may name an external DTD (never fetched) but not hold an internal subset,
 *   and only the five predefined entities and character references are decoded, so a
 *   `<!ENTITY w "*">` can never turn into a grant;
 * - our own check of the characters XML allows (saxes lets an unpaired high surrogate through),
 *   of the DOCTYPE's name and external identifier (saxes skips the DOCTYPE unread), and of a byte
 *   order mark that contradicts the declared encoding;
 * - the first problem found is reported, with the line and column where it is.
 *
 * Which of these checks a format enforces, and under which requirement ID, is the caller's: the
 * Flash and Silverlight grammars pass their own {@link XmlRules}. The W3C XML Conformance Test Suite
 * runs against this module in `npm test` (`test/xml-conformance.test.ts`).
 *
 * @module
 */
import { SaxesParser, type SaxesAttributePlain, type SaxesStartTagPlain, type XMLDecl } from 'saxes';
import { NAME_CHAR, NAME_START_CHAR } from 'xmlchars/xml/1.0/ed5.js';
import type { Diagnostic, RequirementId, SourceLocation } from '../diagnostics.js';
import { LineMap } from '../location.js';

/** An attribute, with its value as XML reads it (references decoded, whitespace normalized). */
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
  /** Longest attribute value, in characters as written. */
  maxAttributeLength: number;
  /** Most elements in the whole document. */
  maxElements: number;
}

/** The deepest nesting the front end ever follows, whatever a caller's limit says. */
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
  /** Not well-formed XML, or a second root element. */
  wellFormed: RequirementId;
  /** Text or elements before or after the root element. */
  contentOutsideRoot: RequirementId;
  /** An internal DTD subset, or a reference to an entity other than the five predefined ones. */
  entities: RequirementId;
  /** Input size, depth, attribute count, attribute length or element count beyond the limits. */
  limits: RequirementId;
  /** A character XML 1.0 does not allow (NUL, most C0 controls, U+FFFE/U+FFFF), written or referenced. */
  characters: RequirementId;
  /** A byte order mark at the start; see {@link XmlRules.allowBom}. */
  bom: RequirementId;
  /** Whether a leading U+FEFF is accepted (reported as info) or rejected. */
  allowBom: boolean;
  /** Whitespace before the XML declaration; see {@link XmlRules.allowLeadingWhitespace}. */
  leadingWhitespace: RequirementId;
  /**
   * Silverlight skips whitespace (.NET `Char.IsWhiteSpace`, see {@link isDotNetWhiteSpace}) before
   * the document; strict XML (and Flash) does not.
   */
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

/**
 * Parses `text` as a policy document under `rules` and `limits`.
 *
 * Returns `null` when the document cannot be used at all; the first problem found is pushed to
 * `diagnostics` as an error naming its requirement, with its line and column. Never throws.
 */
export function parseXmlDocument(
  text: string,
  rules: XmlRules,
  diagnostics: Diagnostic[],
  limits: Partial<XmlLimits> = {},
): XmlDocument | null {
  const lim: XmlLimits = { ...DEFAULT_XML_LIMITS, ...limits };
  if (!(lim.maxDepth <= MAX_XML_DEPTH)) lim.maxDepth = MAX_XML_DEPTH;
  const start: SourceLocation = { line: 1, column: 1, offset: 0 };
  const report = (problem: Problem, where: SourceLocation, severity: Diagnostic['severity'] = 'error'): void => {
    const d: Diagnostic = { severity, code: problem.code, message: problem.message, line: where.line, column: where.column, requirement: problem.requirement };
    if (problem.value !== undefined) d.value = problem.value;
    diagnostics.push(d);
  };

  // Size first: nothing below runs on an unbounded input.
  if (text.length > lim.maxLength) {
    report({ code: 'input-too-large', requirement: rules.limits, message: `Policy text is ${text.length} characters long; the limit is ${lim.maxLength}.`, value: String(text.length) }, start);
    return null;
  }
  const lines = new LineMap(text);

  let bodyOffset = 0;
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) {
    if (!rules.allowBom) {
      report({ code: 'byte-order-mark', requirement: rules.bom, message: 'Policy text starts with a byte order mark (U+FEFF), which this format does not accept.', value: 'U+FEFF' }, start);
      return null;
    }
    report({ code: 'byte-order-mark', requirement: rules.bom, message: 'Policy text starts with a byte order mark (U+FEFF); it is skipped.', value: 'U+FEFF' }, start, 'info');
    bodyOffset = 1;
  }

  let leadingWhitespace = false;
  if (rules.allowLeadingWhitespace) {
    // SL-XML-7: the client skips whitespace before handing the text to its XML reader.
    let i = bodyOffset;
    while (i < text.length && isDotNetWhiteSpace(text.charCodeAt(i))) i++;
    if (i > bodyOffset) {
      leadingWhitespace = true;
      report({ code: 'leading-whitespace', requirement: rules.leadingWhitespace, message: 'Whitespace before the first markup is skipped.' }, lines.locate(bodyOffset), 'info');
      bodyOffset = i;
    }
  } else {
    let i = bodyOffset;
    while (i < text.length && isXmlSpace(text.charCodeAt(i))) i++;
    if (i > bodyOffset) {
      leadingWhitespace = true;
      // FLASH-XML-8: `<?xml` must be the very first thing; before a root without a declaration,
      // whitespace is Misc and allowed.
      if (isXmlDeclarationAt(text, i)) {
        report({ code: 'leading-whitespace', requirement: rules.leadingWhitespace, message: 'Whitespace before the XML declaration: the declaration must be the first thing in the file.' }, lines.locate(bodyOffset));
        return null;
      }
    }
  }
  const body = bodyOffset === 0 ? text : text.slice(bodyOffset);

  const badIndex = findInvalidChar(body);
  if (badIndex >= 0) {
    const at = lines.locate(badIndex + bodyOffset);
    const u = codePointLabel(body.codePointAt(badIndex) ?? 0);
    report({ code: 'invalid-character', requirement: rules.characters, message: `Character ${u} at line ${at.line}, column ${at.column} is not allowed in XML.`, value: u }, at);
    return null;
  }
  if (/^[ \t\r\n]*$/.test(body)) {
    report({ code: 'no-root-element', requirement: rules.wellFormed, message: 'The policy text is empty: there is no root element.' }, start);
    return null;
  }

  if (body.charCodeAt(0) === 0xfeff) {
    // saxes would skip a U+FEFF at the start of what it is given as a byte order mark; after the
    // one we skipped (or after skipped whitespace) it is a character, and outside the root.
    const at = lines.locate(bodyOffset);
    report({ code: 'content-outside-root', requirement: rules.contentOutsideRoot, message: `Content before the root element at line ${at.line}, column ${at.column}: a second U+FEFF (only one byte order mark, at the very start, is skipped).`, value: 'U+FEFF' }, at);
    return null;
  }

  const reader = new DocumentReader(body, bodyOffset, lines, lim, rules);
  const result = reader.readDocument();
  if (result.problem !== null) {
    report(result.problem, lines.locate(result.problem.offset + bodyOffset));
    return null;
  }
  if (bom && result.declaredEncoding !== null && !/^utf-(?:8|16)$/i.test(result.declaredEncoding)) {
    // XML 1.0 §4.3.3 and Appendix F: a byte order mark is the signature of UTF-8 or UTF-16; a
    // declaration naming another encoding contradicts it, a fatal error.
    const u = result.declaredEncoding;
    report({ code: 'byte-order-mark', requirement: rules.bom, message: `The text starts with a byte order mark, which only UTF-8 and UTF-16 carry, but its XML declaration says encoding="${u}".`, value: u }, start);
    return null;
  }
  const root = result.root as XmlElement;
  let doctype: XmlDoctype | null = null;
  if (result.doctype !== null) {
    doctype = { name: result.doctype.name, internalSubset: result.doctype.internalSubset, location: lines.locate(result.doctype.offset + bodyOffset) };
  }
  return { root, bom, leadingWhitespace, declaredEncoding: result.declaredEncoding, doctype };
}

/** The first thing wrong with a document: what, under which rule, and where (offset in the body). */
interface Problem {
  code: XmlDiagnosticCode;
  requirement: RequirementId;
  message: string;
  value?: string;
}

interface LocatedProblem extends Problem {
  offset: number;
}

interface ReadResult {
  problem: LocatedProblem | null;
  root: XmlElement | null;
  declaredEncoding: string | null;
  doctype: { name: string; internalSubset: string | null; offset: number } | null;
}

/** saxes as a non-namespace-aware, non-validating XML 1.0 reader; positions are ours (LineMap). */
const READER_OPTIONS = { xmlns: false, position: false, forceXMLVersion: true, defaultXMLVersion: '1.0' } as const;
type ReaderOptions = typeof READER_OPTIONS;

/** Thrown from an event handler to stop saxes at the first problem; never escapes this module. */
const STOP: unique symbol = Symbol('stop reading');

/**
 * saxes' own wording for the errors that are not plain "not well-formed" in our diagnostics. The
 * saxes version is pinned; `test/xml-document.test.ts` exercises each message, so a wording change
 * fails there rather than quietly turning into `not-well-formed`.
 */
const SAXES_MESSAGE = {
  textOutsideRoot: 'text data outside of root node.',
  secondRoot: 'documents may contain only one root.',
  undefinedEntity: 'undefined entity.',
  badCharacterReference: 'malformed character entity.',
  noRoot: 'document must contain a root element.',
  unclosedTag: 'unclosed tag: ',
  unexpectedCloseTag: 'unexpected close tag.',
  misplacedDoctype: 'inappropriately located doctype declaration.',
  misplacedXmlDecl: ['an XML declaration must be at the start of the document.', 'the XML declaration must appear at the start of the document.'],
} as const;

/**
 * Reads one document with saxes and builds the typed tree from its events.
 *
 * Positions: saxes reports where it *is* (the offset just past what it has read), not where a
 * construct began. Character data cannot contain `<`, so the construct an event reports began at
 * the first `<` after the end of the previous one (`cursor`); an attribute's name sits just before
 * its `=` and quoted value, which cannot contain its own quote. Both are exact for every document
 * saxes accepts, and an event is only ever used before the first error.
 */
class DocumentReader extends SaxesParser<ReaderOptions> {
  readonly #body: string;
  readonly #bodyOffset: number;
  readonly #lines: LineMap;
  readonly #lim: XmlLimits;
  readonly #rules: XmlRules;
  /** Offset just past the last construct read (declaration, DOCTYPE, tag, comment, PI, CDATA). */
  #cursor = 0;
  /** The whole text has been written: saxes' errors now come from its end of input. */
  #ending = false;
  /** Where a comment begins whose "--" ends the text (its ">" missing), or -1. */
  #commentAtEnd = -1;
  readonly #open: XmlElement[] = [];
  /** The element whose start tag is being read (between `opentagstart` and `opentag`). */
  #starting: XmlElement | null = null;
  #root: XmlElement | null = null;
  #rootClosed = false;
  #elements = 0;
  #problem: LocatedProblem | null = null;
  #declaredEncoding: string | null = null;
  #doctype: ReadResult['doctype'] = null;

  // A subclass that sets its handlers in the constructor, rather than a parser given handlers
  // afterwards: V8 keeps the parser's properties fast only when they are all added while it is
  // being constructed; eleven handlers added later made every saxes property access slow (5×).
  constructor(body: string, bodyOffset: number, lines: LineMap, lim: XmlLimits, rules: XmlRules) {
    super(READER_OPTIONS);
    this.#body = body;
    this.#bodyOffset = bodyOffset;
    this.#lines = lines;
    this.#lim = lim;
    this.#rules = rules;
    this.on('xmldecl', this.#onXmlDecl.bind(this));
    this.on('doctype', this.#onDoctype.bind(this));
    this.on('processinginstruction', this.#onProcessingInstruction.bind(this));
    this.on('comment', this.#onComment.bind(this));
    this.on('cdata', this.#onCdata.bind(this));
    this.on('text', this.#onText.bind(this));
    this.on('opentagstart', this.#onOpenTagStart.bind(this));
    this.on('attribute', this.#onAttribute.bind(this));
    this.on('opentag', this.#onOpenTag.bind(this));
    this.on('closetag', this.#onCloseTag.bind(this));
    this.on('error', this.#onError.bind(this));
  }

  readDocument(): ReadResult {
    try {
      this.write(this.#body);
      this.#ending = true;
      this.close();
    } catch (e) {
      if (e !== STOP) throw e;
    }
    if (this.#problem === null && this.#root === null) this.#problem = { code: 'no-root-element', requirement: this.#rules.wellFormed, message: 'The document has no root element.', offset: 0 };
    return { problem: this.#problem, root: this.#root, declaredEncoding: this.#declaredEncoding, doctype: this.#doctype };
  }

  #locate(offset: number): SourceLocation {
    return this.#lines.locate(offset + this.#bodyOffset);
  }

  /** Where the markup that saxes just finished began; the cursor moves past it. */
  #nextMarkupLocation(): SourceLocation {
    const lt = this.#body.indexOf('<', this.#cursor);
    this.#cursor = this.position;
    return this.#locate(lt < 0 ? this.#cursor : lt);
  }

  /** Records the first problem and stops saxes. */
  #stop(problem: Problem, offset: number): never {
    if (this.#problem === null) this.#problem = { ...problem, offset: Math.max(0, Math.min(offset, this.#body.length)) };
    throw STOP;
  }

  #notWellFormed(offset: number, what: string): never {
    const at = this.#locate(offset);
    this.#stop({ code: 'not-well-formed', requirement: this.#rules.wellFormed, message: `Not well-formed XML at line ${at.line}, column ${at.column}: ${what}.`, value: snippet(this.#body, offset) }, offset);
  }

  /**
   * saxes reads a reference up to the next `;`, across any markup; when there is none it only
   * notices at the end of the text. Returns the `&` of such a reference in the character data
   * after the last construct read, or -1.
   */
  #unterminatedReference(): number {
    const body = this.#body;
    const amp = body.indexOf('&', this.#cursor);
    if (amp < 0) return -1;
    const lt = body.indexOf('<', this.#cursor);
    if (lt >= 0 && lt < amp) return -1;
    const semi = body.indexOf(';', amp);
    if (semi >= 0 && /^&(?:#x[0-9A-Fa-f]+|#[0-9]+|[^\s<&;]+);/.test(body.slice(amp, semi + 1))) return -1;
    return amp;
  }

  #onXmlDecl(decl: XMLDecl): void {
    this.#declaredEncoding = decl.encoding ?? null;
    this.#cursor = this.position;
  }

  #onDoctype(content: string): void {
    const offset = this.#body.indexOf('<', this.#cursor);
    this.#cursor = this.position;
    const dt = readDoctype(content);
    if (dt === null) this.#notWellFormed(offset, 'a DOCTYPE must be a name, then optionally SYSTEM "uri" or PUBLIC "id" "uri", then optionally [internal subset]');
    const { name, internalSubset } = dt;
    this.#doctype = { name, internalSubset, offset };
    if (internalSubset !== null && internalSubset.trim() !== '') {
      const at = this.#locate(offset);
      this.#stop({ code: 'internal-dtd-subset', requirement: this.#rules.entities, message: `The DOCTYPE at line ${at.line} has an internal subset; declarations in it (entities included) are never applied to a policy.`, value: internalSubset.trim().slice(0, 120) }, offset);
    }
  }

  #onComment(text: string): void {
    const lt = this.#body.indexOf('<', this.#cursor);
    this.#onMarkup({ kind: 'comment', text, location: this.#nextMarkupLocation() });
    // saxes reports a comment at its "--", before the ">": one the text ends there never closed.
    if (this.#cursor === this.#body.length) this.#commentAtEnd = lt;
  }

  #onCdata(text: string): void {
    this.#onMarkup({ kind: 'text', text, cdata: true, location: this.#nextMarkupLocation() });
  }

  #onProcessingInstruction({ target }: { target: string }): void {
    const lt = this.#body.indexOf('<', this.#cursor);
    const location = this.#nextMarkupLocation();
    // XML 1.0 §2.6: the target is followed by whitespace or by the closing `?>`. saxes takes
    // `<?pi?x?>` as target "pi" with data "?x" (found by the expat differential).
    const after = lt + 2 + target.length;
    if (!isXmlSpace(this.#body.charCodeAt(after)) && this.#cursor !== after + 2) {
      this.#notWellFormed(after, `the target of the processing instruction <?${target} must be followed by whitespace or "?>"`);
    }
    this.#onMarkup({ kind: 'pi', target, location });
  }

  #onMarkup(node: XmlComment | XmlProcessingInstruction | XmlText): void {
    const parent = this.#open[this.#open.length - 1];
    if (parent !== undefined) parent.children.push(node);
  }

  #onText(text: string): void {
    const parent = this.#open[this.#open.length - 1];
    // Outside the root saxes reports only whitespace as text (anything else is an error).
    if (parent === undefined) return;
    const body = this.#body;
    const lt = body.indexOf('<', this.#cursor);
    const end = lt < 0 ? body.length : lt;
    // Point at the first non-whitespace character: that is what a diagnostic is about.
    let lead = this.#cursor;
    while (lead < end && isXmlSpace(body.charCodeAt(lead))) lead++;
    parent.children.push({ kind: 'text', text, cdata: false, location: this.#locate(lead === end ? this.#cursor : lead) });
  }

  #onOpenTagStart(tag: SaxesStartTagPlain): void {
    const lt = this.#body.indexOf('<', this.#cursor);
    const location = this.#locate(lt);
    const { name } = tag;
    const rules = this.#rules;
    if (this.#rootClosed) {
      this.#stop({ code: 'multiple-roots', requirement: rules.wellFormed, message: `A second root element <${name}> at line ${location.line}, column ${location.column}: a document has exactly one root.`, value: name }, lt);
    }
    this.#elements++;
    if (this.#elements > this.#lim.maxElements) {
      this.#stop({ code: 'too-many-elements', requirement: rules.limits, message: `More than ${this.#lim.maxElements} elements (at line ${location.line}).`, value: name }, lt);
    }
    const depth = this.#open.length + 1;
    if (depth > this.#lim.maxDepth) {
      this.#stop({ code: 'too-deep', requirement: rules.limits, message: `Element <${name}> at line ${location.line}, column ${location.column} is nested ${depth} deep; the limit is ${this.#lim.maxDepth}.`, value: name }, lt);
    }
    this.#starting = { kind: 'element', name, attributes: [], children: [], location };
  }

  #onAttribute(attr: SaxesAttributePlain): void {
    const el = this.#starting as XmlElement;
    const body = this.#body;
    // saxes is just past the closing quote; the opening one is the previous quote of that kind.
    const end = this.position;
    const quote = body.charAt(end - 1);
    const open = body.lastIndexOf(quote, end - 2);
    let j = open - 1;
    while (isXmlSpace(body.charCodeAt(j))) j--;
    j--; // the '='
    while (isXmlSpace(body.charCodeAt(j))) j--;
    const nameStart = j + 1 - attr.name.length;
    const location = this.#locate(nameStart);
    const rawValue = body.slice(open + 1, end - 1);
    const rules = this.#rules;
    // XML 1.0 §3.1, WFC Unique Att Spec (saxes finds it only at the end of the tag; here it is
    // reported where the repeated name is written).
    if (el.attributes.some((a) => a.name === attr.name)) {
      this.#notWellFormed(nameStart, `attribute ${attr.name} of <${el.name}> is given twice`);
    }
    if (el.attributes.length >= this.#lim.maxAttributes) {
      this.#stop({ code: 'too-many-attributes', requirement: rules.limits, message: `Element <${el.name}> at line ${el.location.line} has more than ${this.#lim.maxAttributes} attributes.`, value: el.name }, el.location.offset - this.#bodyOffset);
    }
    if (rawValue.length > this.#lim.maxAttributeLength) {
      this.#stop({ code: 'attribute-too-long', requirement: rules.limits, message: `Attribute ${attr.name} of <${el.name}> at line ${location.line} is ${rawValue.length} characters long; the limit is ${this.#lim.maxAttributeLength}.`, value: rawValue.slice(0, 64) }, nameStart);
    }
    el.attributes.push({ name: attr.name, value: attr.value, rawValue, location });
  }

  #onOpenTag(): void {
    this.#cursor = this.position;
    const el = this.#starting as XmlElement;
    this.#starting = null;
    const parent = this.#open[this.#open.length - 1];
    if (parent === undefined) this.#root = el;
    else parent.children.push(el);
    this.#open.push(el);
  }

  #onCloseTag(): void {
    this.#cursor = this.position;
    this.#open.pop();
    if (this.#open.length === 0) this.#rootClosed = true;
  }

  /**
   * The text ended with something unfinished (a truncated file): names the construct left open
   * and where it begins — the markup being read, else the innermost element not closed — and
   * where the text ends. Returns when nothing is unfinished (a document without a root).
   */
  #endOfText(): void {
    const body = this.#body;
    const end = this.#locate(body.length);
    const ends = `the text ends at line ${end.line}, column ${end.column}`;
    const amp = this.#unterminatedReference();
    if (amp >= 0) this.#notWellFormed(amp, `"&" starts a reference that no ";" ends (a literal & is written &amp;)`);
    // Every construct begins with "<", and character data holds none: the first "<" after the
    // last construct read begins the one left unfinished.
    const lt = this.#commentAtEnd >= 0 ? this.#commentAtEnd : body.indexOf('<', this.#cursor);
    if (lt >= 0) {
      const u = unfinishedMarkup(body, lt);
      this.#notWellFormed(lt, `${u.what} is not finished: ${ends}${u.inside ? `, ${u.inside}` : ''}, before its closing ${u.closer}`);
    }
    const el = this.#open[this.#open.length - 1];
    if (el !== undefined) {
      const outer = this.#open.slice(0, -1).reverse().map((o) => `<${o.name}> (line ${o.location.line}, column ${o.location.column})`);
      this.#notWellFormed(el.location.offset - this.#bodyOffset, `<${el.name}> is not closed: ${ends}, before its </${el.name}>${outer.length > 0 ? `; ${outer.join(', ')} ${outer.length === 1 ? 'is' : 'are'} not closed either` : ''}`);
    }
  }

  /** Turns saxes' first error into our diagnostic, pointing where the problem is. */
  #onError(err: Error): void {
    if (this.#ending) this.#endOfText();
    const msg = err.message;
    const body = this.#body;
    const rules = this.#rules;
    const pos = this.position;
    const atEnd = pos >= body.length;
    if (msg === SAXES_MESSAGE.textOutsideRoot) {
      let i = this.#cursor;
      while (i < body.length && isXmlSpace(body.charCodeAt(i))) i++;
      const at = this.#locate(i);
      const where = this.#root === null ? 'before' : 'after';
      this.#stop({ code: 'content-outside-root', requirement: rules.contentOutsideRoot, message: `Content ${where} the root element at line ${at.line}, column ${at.column}: text "${snippet(body, i)}"`, value: snippet(body, i) }, i);
    }
    const outsideRoot = this.#root === null || this.#rootClosed;
    if (outsideRoot && (msg === SAXES_MESSAGE.misplacedDoctype || (SAXES_MESSAGE.misplacedXmlDecl as readonly string[]).includes(msg))) {
      // Markup that XML allows only once, or only at the start: outside the root it is content
      // that has no place there (FLASH-XML-2), inside it a well-formedness error (below).
      const lt = body.lastIndexOf('<', pos - 1);
      const at = this.#locate(lt);
      const what = msg === SAXES_MESSAGE.misplacedDoctype ? 'a DOCTYPE is allowed once, before the root' : 'an XML declaration is only allowed at the very start';
      this.#stop({ code: 'content-outside-root', requirement: rules.contentOutsideRoot, message: `Content ${this.#root === null ? 'before' : 'after'} the root element at line ${at.line}, column ${at.column}: ${what}.`, value: snippet(body, lt) }, lt);
    }
    if (msg === SAXES_MESSAGE.secondRoot) {
      // Normally caught at `opentagstart`; kept for completeness.
      const lt = body.lastIndexOf('<', pos);
      this.#stop({ code: 'multiple-roots', requirement: rules.wellFormed, message: `A second root element at line ${this.#locate(lt).line}: a document has exactly one root.` }, lt);
    }
    if (msg === SAXES_MESSAGE.noRoot && body.indexOf('<', this.#cursor) < 0) {
      this.#stop({ code: 'no-root-element', requirement: rules.wellFormed, message: 'The document has no root element.' }, 0);
    }
    if (msg === SAXES_MESSAGE.undefinedEntity || msg === SAXES_MESSAGE.badCharacterReference) {
      const amp = body.lastIndexOf('&', pos - 1);
      const semi = body.indexOf(';', amp);
      const ref = body.slice(amp + 1, semi < 0 ? pos : semi);
      const at = this.#locate(amp);
      if (msg === SAXES_MESSAGE.undefinedEntity) {
        this.#stop({ code: 'undeclared-entity', requirement: rules.entities, message: `Line ${at.line}, column ${at.column} refers to entity &${ref}; only the five predefined entities (&amp; &lt; &gt; &quot; &apos;) and character references are allowed.`, value: `&${ref};` }, amp);
      }
      const cp = characterReferenceValue(ref);
      if (cp !== null) {
        const u = codePointLabel(cp);
        this.#stop({ code: 'invalid-character', requirement: rules.characters, message: `The character reference &${ref}; at line ${at.line}, column ${at.column} names ${u}, which XML does not allow.`, value: `&${ref};` }, amp);
      }
      this.#notWellFormed(amp, `&${ref}; is not a character reference`);
    }
    const amp = this.#unterminatedReference();
    if (amp >= 0) this.#notWellFormed(amp, `"&" starts a reference that no ";" ends (a literal & is written &amp;)`);
    if (msg.startsWith(SAXES_MESSAGE.unclosedTag)) {
      const el = this.#open[this.#open.length - 1];
      const offset = el === undefined ? body.length : el.location.offset - this.#bodyOffset;
      this.#notWellFormed(offset, `<${el?.name ?? msg.slice(SAXES_MESSAGE.unclosedTag.length)}> is not closed`);
    }
    if (msg === SAXES_MESSAGE.unexpectedCloseTag) {
      const lt = body.lastIndexOf('</', pos - 1);
      const name = body.slice(lt + 2, body.indexOf('>', lt)).trim();
      this.#notWellFormed(lt, `</${name}> closes no open element`);
    }
    // Anything else: the character saxes just read is where it went wrong; at the end of the text,
    // the construct left open is.
    let offset: number;
    if (atEnd) {
      const lt = body.indexOf('<', this.#cursor);
      offset = lt >= 0 ? lt : body.length;
    } else {
      offset = lastReadOffset(body, pos);
    }
    this.#notWellFormed(offset, `${atEnd ? 'the text ends inside this markup: ' : ''}${msg.replace(/\.$/, '')}`);
  }
}

/**
 * The markup that begins at `lt` and that the text ends inside: what it is, in words, what would
 * have closed it, and for a start tag the attribute value the text ends in, if any.
 */
function unfinishedMarkup(body: string, lt: number): { what: string; closer: string; inside?: string } {
  const name = (from: number): string => /^[^\s/>?=<"']*/.exec(body.slice(from, from + 200))?.[0] ?? '';
  if (body.startsWith('<!--', lt)) return { what: 'the comment', closer: '"-->"' };
  if (body.startsWith('<![CDATA[', lt)) return { what: 'the CDATA section', closer: '"]]>"' };
  if (body.startsWith('<!DOCTYPE', lt)) return { what: 'the DOCTYPE declaration', closer: '">"' };
  if (isXmlDeclarationAt(body, lt)) return { what: 'the XML declaration', closer: '"?>"' };
  if (body.startsWith('<?', lt)) return { what: `the processing instruction <?${name(lt + 2)}`, closer: '"?>"' };
  if (body.startsWith('</', lt)) return { what: `the end tag </${name(lt + 2)}`, closer: '">"' };
  const tag = name(lt + 1);
  if (body.startsWith('<!', lt) || tag === '') return { what: `the markup "${body.slice(lt, lt + 12)}"`, closer: '">"' };
  // A start tag: is the text ending inside a quoted attribute value?
  let quote = '';
  let attribute = '';
  for (let i = lt + 1 + tag.length; i < body.length; i++) {
    const c = body[i];
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
      attribute = /([^\s=]+)\s*=\s*$/.exec(body.slice(Math.max(lt, i - 200), i))?.[1] ?? '';
    }
  }
  const inside = quote === '' ? undefined : `inside the value of ${attribute === '' ? 'an attribute' : `attribute ${attribute}`}`;
  return { what: `the start tag <${tag}`, closer: '">" or "/>"', ...(inside !== undefined ? { inside } : {}) };
}

// XML 1.0 §2.3 Name, fifth edition (xmlchars, the tables saxes itself uses).
const NAME = `[${NAME_START_CHAR}][${NAME_CHAR}]*`;
// §2.3 PubidChar, without the quote that delimits the literal.
const PUBID_DQ = `[\\x20\\x0D\\x0Aa-zA-Z0-9\\-'()+,./:=?;!*#@$_%]*`;
const PUBID_SQ = `[\\x20\\x0D\\x0Aa-zA-Z0-9\\-()+,./:=?;!*#@$_%]*`;
const SYSTEM_LITERAL = `(?:"[^"]*"|'[^']*')`;
// What saxes hands over for `<!DOCTYPE …>`: the text between `<!DOCTYPE` and the closing `>`.
// §2.8 doctypedecl: S Name (S ExternalID)? S? ('[' intSubset ']' S?)?
const DOCTYPE_CONTENT = new RegExp(
  `^[ \\t\\r\\n]+(${NAME})(?:[ \\t\\r\\n]+(?:SYSTEM[ \\t\\r\\n]+${SYSTEM_LITERAL}|PUBLIC[ \\t\\r\\n]+(?:"${PUBID_DQ}"|'${PUBID_SQ}')[ \\t\\r\\n]+${SYSTEM_LITERAL}))?[ \\t\\r\\n]*(?:\\[([\\s\\S]*)\\][ \\t\\r\\n]*)?$`,
  'u',
);

/** The name and internal subset of a DOCTYPE's content, or null when it is not well-formed. */
function readDoctype(content: string): { name: string; internalSubset: string | null } | null {
  const m = DOCTYPE_CONTENT.exec(content);
  if (m === null) return null;
  return { name: m[1] as string, internalSubset: m[2] ?? null };
}

/** The code point a character reference body (`#65`, `#x41`) names, when it is well-formed. */
function characterReferenceValue(ref: string): number | null {
  const m = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(ref);
  if (m === null) return null;
  const cp = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2] as string, 10);
  return Number.isFinite(cp) && cp <= 0x10ffff ? cp : null;
}

/** Offset of the character just before `pos` (a surrogate pair or a CRLF counts as one). */
function lastReadOffset(body: string, pos: number): number {
  let at = Math.min(pos, body.length) - 1;
  if (at <= 0) return 0;
  const c = body.charCodeAt(at);
  const before = body.charCodeAt(at - 1);
  if (c >= 0xdc00 && c <= 0xdfff && before >= 0xd800 && before <= 0xdbff) at--;
  else if (c === 10 && before === 13) at--;
  return at;
}

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

/** `U+0000`-style label of a code point. */
function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Whether `<?xml` followed by whitespace or `?` (an XML declaration, not a PI named xml-…) is at `i`. */
function isXmlDeclarationAt(text: string, i: number): boolean {
  if (!text.startsWith('<?xml', i)) return false;
  const c = text.charCodeAt(i + 5);
  return isXmlSpace(c) || c === 63 /* ? */;
}

/** XML 1.0 §2.3 S: space, tab, CR, LF — and nothing else (no U+00A0, no U+3000). */
function isXmlSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * .NET's `Char.IsWhiteSpace` for one UTF-16 unit: the Unicode space, line and paragraph
 * separators (Zs, Zl, Zp), tab, LF, vertical tab, form feed, CR, U+0085 and U+00A0. Moonlight's
 * policy readers skip these before the XML reader sees the text (SL-XML-7).
 */
export function isDotNetWhiteSpace(c: number): boolean {
  if (c <= 0xff) return c === 32 || (c >= 9 && c <= 13) || c === 0x85 || c === 0xa0;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function snippet(text: string, offset: number): string {
  return text.slice(offset, offset + 40).replace(/\s+/g, ' ').trim();
}
