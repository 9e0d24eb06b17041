/**
 * A differential oracle we did not write: Python's standard `xml.parsers.expat` (expat 2.x, on
 * every machine here), and near-valid policies to feed it and our front end.
 *
 * The property (issue 11): nothing our front end accepts may be rejected by expat. Expat is a
 * non-validating XML 1.0 reader that does not read external entities, like ours; two documented
 * differences are allowed for, each checked rather than assumed:
 * - expat's name tables are those of XML 1.0 before the fifth edition, which widened the name
 *   characters. A document we accept and expat rejects is excused only when expat accepts it once
 *   every non-ASCII name character the fifth edition allows is replaced by an ASCII one of the same
 *   kind (start character → `q`, other name character → `0`), so nothing else can hide there;
 * - Silverlight skips whitespace before the document (SL-XML-7): its text is compared as the
 *   client's XML reader receives it, after that skip.
 * Used by `test/xml-expat.test.ts` (quick) and `npm run fuzz -- --target expat` (a million inputs).
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { isNameChar, isNameStartChar } from 'xmlchars/xml/1.0/ed5.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { FLASH_XML_RULES } from '../../src/flash/grammar.js';
import { SILVERLIGHT_XML_RULES } from '../../src/silverlight/grammar.js';
import { isDotNetWhiteSpace, parseXmlDocument, type XmlRules } from '../../src/xml/document.js';

/** What expat said of one document. */
export interface ExpatVerdict {
  ok: boolean;
  /** Expat's message and position (1-based line, 0-based column), when it rejected. */
  error?: string;
}

// Reads JSON strings, one per line; answers "1" or "0 <line>:<column> <message>" per line. The
// encoding argument makes expat read the bytes as UTF-8 whatever the declaration says: the text is
// what our front end was given. Lone surrogates become bytes no UTF-8 reader accepts.
const EXPAT_SCRIPT = String.raw`
import sys, json, xml.parsers.expat as E
out = []
for line in sys.stdin:
    doc = json.loads(line)
    p = E.ParserCreate('UTF-8')
    try:
        p.Parse(doc.encode('utf-8', 'surrogatepass'), True)
        out.append('1')
    except E.ExpatError as e:
        out.append('0 %d:%d %s' % (e.lineno, e.offset, E.ErrorString(e.code)))
sys.stdout.write('\n'.join(out))
`;

/** Expat's verdict on each document, in one python3 process. Throws when python3 cannot run. */
export function expatVerdicts(docs: readonly string[]): ExpatVerdict[] {
  if (docs.length === 0) return [];
  const r = spawnSync('python3', ['-c', EXPAT_SCRIPT], { input: docs.map((d) => JSON.stringify(d)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`python3 expat bridge failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
  const lines = r.stdout.split('\n');
  if (lines.length !== docs.length) throw new Error(`python3 expat bridge answered ${lines.length} lines for ${docs.length} documents`);
  return lines.map((l) => (l === '1' ? { ok: true } : { ok: false, error: l.slice(2) }));
}

/** Every non-ASCII name character of the fifth edition replaced by an ASCII one of the same kind. */
export function asciiNames(doc: string): string {
  // A leading U+FEFF is the byte order mark, not a name character (which the fifth edition makes it).
  const bom = doc.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  let out = bom;
  for (const ch of bom === '' ? doc : doc.slice(1)) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) out += ch;
    else if (isNameStartChar(cp)) out += 'q';
    else if (isNameChar(cp)) out += '0';
    else out += ch;
  }
  return out;
}

/** The text Moonlight's XML reader receives: after a BOM, leading .NET whitespace skipped (SL-XML-7). */
export function afterSilverlightSkip(doc: string): string {
  const bom = doc.charCodeAt(0) === 0xfeff ? 1 : 0;
  let i = bom;
  while (i < doc.length && isDotNetWhiteSpace(doc.charCodeAt(i))) i++;
  return doc.slice(0, bom) + doc.slice(i);
}

/** The documents and rule sets the property is stated for. */
export const DIFFERENTIAL_RULES: readonly { name: string; rules: XmlRules; expatInput: (doc: string) => string }[] = [
  { name: 'flash', rules: FLASH_XML_RULES, expatInput: (d) => d },
  { name: 'silverlight', rules: SILVERLIGHT_XML_RULES, expatInput: afterSilverlightSkip },
];

/** One document we accept and expat rejects, not explained by the fifth edition's names. */
export interface Disagreement {
  rules: string;
  doc: string;
  expat: string;
}

export interface DifferentialResult {
  documents: number;
  /** Per rule set: documents we accepted. */
  accepted: Record<string, number>;
  /** Per rule set: documents we accepted that expat rejected only for fifth-edition name characters. */
  excused: Record<string, number>;
  disagreements: Disagreement[];
  /**
   * With `reverse`: per rule set, the documents expat accepts and we reject, by the code of our
   * first error (our stricter rules: no internal subset, no undeclared entity, bounds, …).
   */
  strictlyOurs?: Record<string, Record<string, number>>;
  /** With `reverse`: one document per distinct message of ours (positions left out), for review. */
  strictlyOursExamples?: Record<string, string>;
}

/**
 * Runs our front end and expat over `docs` under every rule set; the property holds when
 * `disagreements` is empty. `reverse` also asks expat about the documents we reject (for figures).
 */
export function compareWithExpat(docs: readonly string[], options: { reverse?: boolean } = {}): DifferentialResult {
  const result: DifferentialResult = { documents: docs.length, accepted: {}, excused: {}, disagreements: [] };
  if (options.reverse === true) {
    result.strictlyOurs = {};
    result.strictlyOursExamples = {};
  }
  for (const { name, rules, expatInput } of DIFFERENTIAL_RULES) {
    const ours: string[] = [];
    const rejectedBy: { doc: string; code: string; message: string }[] = [];
    for (const d of docs) {
      const diagnostics: Diagnostic[] = [];
      if (parseXmlDocument(d, rules, diagnostics) !== null) ours.push(d);
      else {
        const e = diagnostics.find((x) => x.severity === 'error');
        rejectedBy.push({ doc: d, code: e?.code ?? '?', message: (e?.message ?? '').replace(/(?:at )?line \d+(?:, column \d+)?/g, '') });
      }
    }
    result.accepted[name] = ours.length;
    if (result.strictlyOurs !== undefined) {
      const counts: Record<string, number> = {};
      const v = expatVerdicts(rejectedBy.map((r) => expatInput(r.doc)));
      rejectedBy.forEach((r, i) => {
        if (!(v[i] as ExpatVerdict).ok) return;
        counts[r.code] = (counts[r.code] ?? 0) + 1;
        const examples = result.strictlyOursExamples as Record<string, string>;
        examples[`${r.code}: ${r.message}`] ??= r.doc;
      });
      result.strictlyOurs[name] = counts;
    }
    const inputs = ours.map(expatInput);
    const verdicts = expatVerdicts(inputs);
    const rejected = inputs.map((input, i) => ({ doc: ours[i] as string, input, v: verdicts[i] as ExpatVerdict })).filter((x) => !x.v.ok);
    const renamed = expatVerdicts(rejected.map((x) => asciiNames(x.input)));
    let excused = 0;
    rejected.forEach((x, i) => {
      if ((renamed[i] as ExpatVerdict).ok) excused++;
      else result.disagreements.push({ rules: name, doc: x.doc, expat: x.v.error ?? '' });
    });
    result.excused[name] = excused;
  }
  return result;
}

// ---- near-valid policies ----

/** Valid policies of both formats, with every kind of markup an edit can break. */
export const NEAR_VALID_BASES: readonly string[] = [
  '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE cross-domain-policy SYSTEM "http://www.adobe.com/xml/dtds/cross-domain-policy.dtd">\n<!-- policy -->\n<cross-domain-policy>\n  <site-control permitted-cross-domain-policies="master-only"/>\n  <allow-access-from domain="*.example.com" to-ports="843,5000-5010" secure="false"/>\n  <allow-http-request-headers-from domain="a.example.com" headers="SOAPAction,X-*"/>\n</cross-domain-policy>\n',
  '<cross-domain-policy><allow-access-from domain="*"/></cross-domain-policy>',
  '<?xml version=\'1.0\' standalone=\'yes\'?><cross-domain-policy xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><?pi data?><allow-access-from domain="a&amp;b&#46;com"/><![CDATA[ <x> ]]></cross-domain-policy>',
  '<?xml version="1.0" encoding="utf-8"?>\n<access-policy>\n  <cross-domain-access>\n    <policy>\n      <allow-from http-request-headers="*">\n        <domain uri="*"/>\n      </allow-from>\n      <grant-to>\n        <resource path="/" include-subpaths="true"/>\n        <socket-resource port="4502-4534" protocol="tcp"/>\n      </grant-to>\n    </policy>\n  </cross-domain-access>\n</access-policy>\n',
  '\uFEFF<!DOCTYPE access-policy PUBLIC "-//X//Policy" "p.dtd"><access-policy><cross-domain-access><policy><allow-from><domain uri="http://a.example.com"/></allow-from><grant-to><resource path="/api/"/></grant-to></policy></cross-domain-access></access-policy>',
];

/** Markup, references, whitespace look-alikes and name characters that edits insert. */
export const NEAR_VALID_TOKENS: readonly string[] = [
  '<', '>', '&', '&amp;', '&lt;', '&#;', '&#0;', '&#x41;', '&#65;', '&#xD800;', '&#x10FFFF;', '&#x110000;', '&e;', '&amp', '&#9;',
  ']]>', ']]', ']', '[', '--', '-->', '<!--', '<!-- c -->', '<!---->', '<?', '?>', '<?pi x?>', '<?xml version="1.0"?>', '<?xml-stylesheet x?>', '<?XML x?>',
  '<![CDATA[', '<![CDATA[x]]>', '"', "'", '=', '/', '/>', '</', '</a>', '<a>', '<a/>', '<a b="1" b="2"/>', '<1/>', '<a:b/>', '<:a/>',
  ' ', '\t', '\r', '\n', '\r\n', '\u00A0', '\u3000', '\u0085', '\u2028', '\u2009', '\uFEFF', '\u0000', '\u000B', '\u000C', '\uFFFE', '\uFFFF', '\uD800', '\uDC00', '\u{10000}', '\u{EFFFF}',
  'x', ':', '-', '.', '0', '_', '\u00B7', '\u00C0', '\u00D7', '\u00F7', '\u0300', '\u037E', '\u0E3F', '\u2070', '\u203F', '\u3001', '\u{1D165}',
  '<!DOCTYPE cross-domain-policy>', '<!DOCTYPE r SYSTEM "x.dtd">', '<!DOCTYPE r PUBLIC "-//x" "y">', '<!DOCTYPE r PUBLIC "[x]" "y">', '<!DOCTYPE r [<!ENTITY e "*">]>', '<!DOCTYPE r []>',
  'SYSTEM', 'PUBLIC', 'encoding="UTF-8"', 'encoding="ISO-8859-1"', 'standalone="yes"', 'version="1.0"', 'version="1.1"', 'a="1"', "a='<'", 'domain="*"', 'xmlns:x="u"', 'xmlns=""',
];

/** One edit of a base text; positions wrap around its length. */
export interface NearValidEdit {
  op: 'insert' | 'delete' | 'replace';
  at: number;
  length: number;
  token: string;
}

/** Applies `edits` in order to `base`. */
export function applyEdits(base: string, edits: readonly NearValidEdit[]): string {
  let text = base;
  for (const e of edits) {
    const at = e.at % (text.length + 1);
    if (e.op === 'insert') text = text.slice(0, at) + e.token + text.slice(at);
    else if (e.op === 'delete') text = text.slice(0, at) + text.slice(at + e.length);
    else text = text.slice(0, at) + e.token + text.slice(at + e.length);
  }
  return text;
}

/** fast-check arbitrary of near-valid policies: a base and one to three edits. */
export const nearValidPolicy: fc.Arbitrary<string> = fc
  .record({
    base: fc.constantFrom(...NEAR_VALID_BASES),
    edits: fc.array(
      fc.record({
        op: fc.constantFrom<NearValidEdit['op']>('insert', 'delete', 'replace'),
        at: fc.nat({ max: 1 << 16 }),
        length: fc.integer({ min: 1, max: 8 }),
        token: fc.constantFrom(...NEAR_VALID_TOKENS),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ base, edits }) => applyEdits(base, edits));
