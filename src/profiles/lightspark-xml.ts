/**
 * How Lightspark's XML reader leaves a policy text (Lightspark @ d51ab6019 loads policies with its
 * bundled pugixml 1.11 and ignores the load status, src/parsing/crossdomainpolicy.cpp line 28):
 * the tree built up to the first error stays, and Lightspark then reads only the document's first
 * element and that element's direct child elements' attributes (lines 37–50). This reader gives
 * exactly that much, as an {@link XmlDocument} whose root holds only element children, each without
 * children of its own. Our own code, written from the behaviour described in
 * spec/flash/9-divergences.md (Lightspark rows); it is not pugixml.
 *
 * What it models of pugixml's `parse_default` (pugixml.hpp lines 224–228 with
 * `PUGIXML_LIGHTSPARK_MODE`): no declaration, DOCTYPE, comment or PI nodes (skipped; an internal
 * subset is skipped whole); attribute values with the five predefined entities and character
 * references decoded, other `&…;` kept as written; tab, CR and LF in a value read as a space
 * (`wconv_attribute`); a mismatched end tag stops the parse (`validate_closing_tags`); at the first
 * error the parse stops and what was built stays. A NUL ends the text (pugixml scans to it).
 *
 * @module
 */
import type { Diagnostic } from '../diagnostics.js';
import { LineMap } from '../location.js';
import type { XmlAttribute, XmlDocument, XmlElement } from '../xml/document.js';

const NAME_END = /[\s/>=<"']/;

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeValue(raw: string): string {
  const spaced = raw.replace(/\r\n/g, ' ').replace(/[\t\r\n]/g, ' ');
  return spaced.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Math.min(parseInt(ref.slice(2), 16), 0x10ffff));
    if (ref.startsWith('#')) return String.fromCodePoint(Math.min(parseInt(ref.slice(1), 10), 0x10ffff));
    return PREDEFINED[ref] ?? whole;
  });
}

/** Skips a construct that is not an element (`<?…?>`, `<!--…-->`, `<![CDATA[…]]>`, `<!DOCTYPE … [ … ]>`); returns the offset after it, or -1 when it never ends. */
function skipMarkup(text: string, at: number): number {
  if (text.startsWith('<?', at)) {
    const end = text.indexOf('?>', at + 2);
    return end === -1 ? -1 : end + 2;
  }
  if (text.startsWith('<!--', at)) {
    const end = text.indexOf('-->', at + 4);
    return end === -1 ? -1 : end + 3;
  }
  if (text.startsWith('<![CDATA[', at)) {
    const end = text.indexOf(']]>', at + 9);
    return end === -1 ? -1 : end + 3;
  }
  // <!DOCTYPE …>, with an internal subset in brackets skipped whole.
  let i = at + 2;
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) return i + 1;
  }
  return -1;
}

/** The offset of the next `<` from `from` that is not a declaration, PI, comment, CDATA or DOCTYPE (those are skipped); -1 at the end or in one that never ends. */
function nextTag(text: string, from: number): number {
  let i = from;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt === -1) return -1;
    const c = text[lt + 1];
    if (c !== '?' && c !== '!') return lt;
    i = skipMarkup(text, lt);
    if (i === -1) return -1;
  }
}

interface StartTag {
  name: string;
  attributes: XmlAttribute[];
  selfClosing: boolean;
  /** Offset after the tag; -1 when the tag broke off (an error: what was read stays). */
  next: number;
}

function readStartTag(text: string, lines: LineMap, at: number): StartTag | null {
  let i = at + 1;
  const nameStart = i;
  while (i < text.length && !NAME_END.test(text[i]!)) i++;
  if (i === nameStart) return null;
  const tag: StartTag = { name: text.slice(nameStart, i), attributes: [], selfClosing: false, next: -1 };
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) return tag;
    if (text[i] === '>') {
      tag.next = i + 1;
      return tag;
    }
    if (text.startsWith('/>', i)) {
      tag.selfClosing = true;
      tag.next = i + 2;
      return tag;
    }
    const attrStart = i;
    while (i < text.length && !NAME_END.test(text[i]!)) i++;
    if (i === attrStart) return tag;
    const name = text.slice(attrStart, i);
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text[i] !== '=') return tag;
    i++;
    while (i < text.length && /\s/.test(text[i]!)) i++;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") return tag;
    const close = text.indexOf(quote, i + 1);
    if (close === -1) return tag;
    const rawValue = text.slice(i + 1, close);
    tag.attributes.push({ name, value: decodeValue(rawValue), rawValue, location: lines.locate(attrStart) });
    i = close + 1;
  }
}

/**
 * The tree Lightspark's reader keeps of `input`: the first element and its direct element children
 * (with their attributes), or `null` when no element starts the document. Never throws.
 */
export function lightsparkXmlDocument(input: string, diagnostics: Diagnostic[]): XmlDocument | null {
  const nul = input.indexOf('\0');
  const text = nul === -1 ? input : input.slice(0, nul);
  const lines = new LineMap(text);
  let i = 0;
  let root: XmlElement | null = null;
  // Before the root: text is skipped, markup that is not an element too.
  while (root === null) {
    const lt = nextTag(text, i);
    if (lt === -1) break;
    const tag = readStartTag(text, lines, lt);
    if (tag === null) break;
    root = { kind: 'element', name: tag.name, attributes: tag.attributes, children: [], location: lines.locate(lt) };
    if (tag.next === -1 || tag.selfClosing) return done(root, diagnostics);
    i = tag.next;
  }
  if (root === null) {
    diagnostics.push({ severity: 'warning', code: 'not-well-formed', message: 'Lightspark finds no element in the text: its reader has no first child to read.', line: 1, column: 1, requirement: 'FLASH-XML-1' });
    return null;
  }
  // Inside the root: direct children are kept; deeper elements are tracked only to find the end.
  const open: string[] = [root.name];
  while (open.length > 0) {
    const lt = nextTag(text, i);
    if (lt === -1) break;
    if (text[lt + 1] === '/') {
      const gt = text.indexOf('>', lt);
      const name = text.slice(lt + 2, gt === -1 ? text.length : gt).trim();
      // validate_closing_tags: a mismatched end tag is an error; the parse stops there.
      if (gt === -1 || name !== open[open.length - 1]) break;
      open.pop();
      i = gt + 1;
      continue;
    }
    const tag = readStartTag(text, lines, lt);
    if (tag === null) break;
    if (open.length === 1) root.children.push({ kind: 'element', name: tag.name, attributes: tag.attributes, children: [], location: lines.locate(lt) });
    if (tag.next === -1) break;
    if (!tag.selfClosing) open.push(tag.name);
    i = tag.next;
  }
  return done(root, diagnostics);
}

function done(root: XmlElement, _diagnostics: Diagnostic[]): XmlDocument {
  return { root, bom: false, leadingWhitespace: false, declaredEncoding: null, doctype: null };
}
