import { describe, expect, it } from 'vitest';
import { parseXmlDocument, type XmlRules } from '../src/xml/document.js';
import type { Diagnostic } from '../src/diagnostics.js';

// The front end's own rules, independent of a format: Flash's IDs (requirement IDs are a closed
// set), with Flash's leniency flags inverted where it matters.
const rules: XmlRules = {
  wellFormed: 'FLASH-XML-1', contentOutsideRoot: 'FLASH-XML-2', entities: 'FLASH-XML-4', limits: 'FLASH-XML-5', characters: 'FLASH-XML-6',
  bom: 'FLASH-XML-7', allowBom: true, leadingWhitespace: 'FLASH-XML-8', allowLeadingWhitespace: false,
};

function parse(text: string, r: XmlRules = rules) {
  const diagnostics: Diagnostic[] = [];
  const doc = parseXmlDocument(text, r, diagnostics, { maxDepth: 8 });
  return { doc, diagnostics, codes: diagnostics.map((d) => d.code) };
}

describe('strict XML front end', () => {
  it('gives positions of elements and attributes', () => {
    const { doc } = parse('<?xml version="1.0"?>\n<r>\n  <a x="1"\n     y="&amp;&#65;"/>\n</r>\n');
    const a = doc?.root.children.find((c) => c.kind === 'element');
    expect(a?.kind === 'element' && a.location).toEqual({ line: 3, column: 3, offset: 28 });
    expect(a?.kind === 'element' && a.attributes.map((x) => [x.name, x.value, x.location.line, x.location.column])).toEqual([
      ['x', '1', 3, 6],
      ['y', '&A', 4, 6],
    ]);
  });
  it.each([
    ['text before the root', 'junk<r/>', 'content-outside-root'],
    ['text after the root', '<r/>junk', 'content-outside-root'],
    ['a second root', '<r/><s/>', 'multiple-roots'],
    ['an internal DTD subset', '<!DOCTYPE r [<!ENTITY w "*">]><r d="&w;"/>', 'internal-dtd-subset'],
    ['an undeclared entity', '<r d="&w;"/>', 'undeclared-entity'],
    ['a NUL', '<r>\u0000</r>', 'invalid-character'],
    ['a character reference to NUL', '<r d="&#0;"/>', 'invalid-character'],
    ['whitespace before the declaration', '\n<?xml version="1.0"?><r/>', 'leading-whitespace'],
    ['deep nesting', '<a>'.repeat(9) + '</a>'.repeat(9), 'too-deep'],
    ['an empty text', '', 'no-root-element'],
    ['a repeated attribute', '<r a="1" a="2"/>', 'not-well-formed'],
    ['an unterminated processing instruction', '<?HbeG@1le', 'not-well-formed'],
  ])('rejects %s', (_what, text, code) => {
    const { doc, codes, diagnostics } = parse(text);
    expect(doc).toBeNull();
    expect(codes).toContain(code);
    // Every diagnostic carries a real position, even when the validator gives none.
    for (const d of diagnostics) expect([d.line, d.column].every((n) => Number.isInteger(n) && n >= 1)).toBe(true);
  });
  it('accepts comments, PIs, a DOCTYPE without subset and a BOM', () => {
    const { doc, codes } = parse('\uFEFF<?xml version="1.0"?><!-- c --><!DOCTYPE r SYSTEM "x.dtd"><?pi?><r/><!-- tail -->\n');
    expect(doc?.root.name).toBe('r');
    expect(doc?.doctype?.name).toBe('r');
    expect(codes).toEqual(['byte-order-mark']);
  });
  it('skips leading whitespace only when the format allows it', () => {
    expect(parse('  <?xml version="1.0"?><r/>', { ...rules, allowLeadingWhitespace: true }).doc?.root.name).toBe('r');
  });
});

describe('strict XML front end: checks the validator leaves out', () => {
  it.each([
    ['a malformed XML declaration', '<?xml versin="1.0"?><r/>', 'not-well-formed'],
    ['a declaration with markup inside', '<?xml version="1.0"<b/>?><r/>', 'not-well-formed'],
    ['an XML declaration inside the root', '<?xml version="1.0"?><r><?xml version="1.0"?></r>', 'not-well-formed'],
    ['a PI whose target is not a name', '<?x"y?><r/>', 'not-well-formed'],
    ['a PI target glued to markup', '<?xmlpolicy>?><r/>', 'not-well-formed'],
    ['a PI target followed by "?" and data (saxes reads it as data)', '<?pi?x?><r/>', 'not-well-formed'],
    ['the same inside the root', '<r><?pi??></r>', 'not-well-formed'],
    ['a DOCTYPE whose name is not a name', '<!DOCTYPE r" SYSTEM "x"><r/>', 'not-well-formed'],
    ['a DOCTYPE with a bare system id', '<!DOCTYPE r SYSTEM x><r/>', 'not-well-formed'],
    ['a DOCTYPE inside the root', '<r><!DOCTYPE x SYSTEM "y"></r>', 'not-well-formed'],
    ['a parameter entity in the internal subset', '<!DOCTYPE r [<!ENTITY % e SYSTEM "http://x/">%e;]><r/>', 'internal-dtd-subset'],
  ])('rejects %s', (_what, text, code) => {
    const { doc, codes } = parse(text);
    expect(doc).toBeNull();
    expect(codes).toEqual([code]);
  });

  it('accepts declarations with encoding and standalone, xml-stylesheet PIs and PUBLIC doctypes', () => {
    for (const text of [
      "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><r/>",
      '<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="p.xsl"?><r/>',
      '<!DOCTYPE r PUBLIC "-//X//Y" "http://x/y.dtd"><r/>',
      '<!DOCTYPE r\n  SYSTEM\n  "x.dtd" ><r/>',
      '<!DOCTYPE r []><r/>',
    ]) {
      expect(parse(text).doc?.root.name, text).toBe('r');
    }
  });

  it('normalizes line ends in text, attribute values as XML 1.0 §3.3.3 says, and locates text at its first non-space character', () => {
    const { doc } = parse('<r>\r\n  x\r\n<a b="1\r2\t3&#10;4"/></r>');
    const [text, a] = doc?.root.children ?? [];
    expect(text).toMatchObject({ kind: 'text', text: '\n  x\n', location: { line: 2, column: 3 } });
    // A literal CR, LF or tab in an attribute value becomes a space; a character reference stays.
    expect(a?.kind === 'element' && a.attributes[0]?.value).toBe('1 2 3\n4');
    expect(a?.kind === 'element' && a.attributes[0]?.rawValue).toBe('1\r2\t3&#10;4');
  });

  it('reports the first problem found: a bound passed stops the reading there', () => {
    const deep = '<a>'.repeat(9) + '</a>'.repeat(9);
    expect(parse(deep + '<b/>').codes).toEqual(['too-deep']);
    expect(parse('<b/>' + deep).codes).toEqual(['multiple-roots']);
  });
});

describe('strict XML front end: depth bound', () => {
  it('caps a caller-supplied depth limit at MAX_XML_DEPTH instead of recursing without bound', () => {
    const diagnostics: Diagnostic[] = [];
    const text = '<a>'.repeat(5000) + '</a>'.repeat(5000);
    expect(parseXmlDocument(text, rules, diagnostics, { maxDepth: 1_000_000, maxElements: 1_000_000 })).toBeNull();
    expect(diagnostics.map((d) => d.code)).toEqual(['too-deep']);
  });
});

describe('attribute records keyed by input', () => {
  it('an attribute named __proto__ is kept in the raw attributes of a Flash rule (and so in its trace)', async () => {
    const { parseFlashPolicy } = await import('../src/flash/parse.js');
    const flash = parseFlashPolicy('<cross-domain-policy><allow-access-from domain="*" __proto__="x"/></cross-domain-policy>', { kind: 'url', scheme: 'http' });
    expect(Object.keys(flash.policy?.allowAccessFrom[0]?.source?.raw ?? {})).toEqual(['domain', '__proto__']);
  });
});
