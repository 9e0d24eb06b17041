/**
 * FLASH-XML-1, SL-XML-1: a truncated file (a download cut short, a policy written half-way) is
 * reported where the unfinished construct begins, naming it, and says where the text ends — not
 * at line 1, column 1 as "<cross-domain-policy> is not closed". Every prefix of a few policies is
 * checked against an independent reading of the full document: the markup the prefix ends inside,
 * else the innermost element left open.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/diagnostics.js';
import { parseFlashPolicy } from '../src/flash/parse.js';
import { parseSilverlightPolicy } from '../src/silverlight/parse.js';

const FLASH = [
  '<?xml version="1.0"?>',
  '<!DOCTYPE cross-domain-policy SYSTEM "http://www.adobe.com/xml/dtds/cross-domain-policy.dtd">',
  '<cross-domain-policy>',
  '  <!-- the game servers -->',
  "  <allow-access-from domain='*.example.com' to-ports=\"5000-5010\"/>",
  '  <allow-http-request-headers-from domain="a.example" headers="X-A"></allow-http-request-headers-from>',
  '  <?note keep?>',
  '</cross-domain-policy>',
  '',
].join('\r\n');

const SILVERLIGHT = [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<access-policy>',
  '  <cross-domain-access>',
  '    <policy>',
  '      <allow-from http-request-headers="SOAPAction"><domain uri="http://a.example"/></allow-from>',
  '      <grant-to><resource path="/api" include-subpaths="true"/></grant-to>',
  '    </policy>',
  '  </cross-domain-access>',
  '</access-policy>',
  '',
].join('\n');

interface Construct {
  start: number;
  end: number;
  text: string;
}

/** The markup of a document we wrote (no ">" inside values or comments), in order. */
function constructs(doc: string): Construct[] {
  const out: Construct[] = [];
  for (const m of doc.matchAll(/<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<![^>]*>|<\/?[^>]*>/g)) out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  return out;
}

function position(text: string, offset: number): { line: number; column: number } {
  // XML 1.0 §2.11: CRLF, and a CR alone, end a line.
  const before = text.slice(0, offset).split(/\r\n|\n|\r/);
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** What the parser should say about `doc` cut after `n` characters: where, and words it must use. */
function expected(doc: string, n: number): { at: number; words: string[] } | 'no root' | 'complete' {
  const open: Construct[] = [];
  let root = false;
  for (const c of constructs(doc)) {
    if (c.start >= n) break;
    if (c.end > n) {
      // What the cut text shows of the construct decides what it can be called.
      const seen = c.text.slice(0, n - c.start);
      const name = /^<\/?\??([^\s/>?!]*)/.exec(seen)![1]!;
      const what = seen.startsWith('<!--')
        ? 'the comment'
        : seen.startsWith('<!DOCTYPE')
          ? 'the DOCTYPE declaration'
          : /^<\?xml[\s?]/.test(seen)
            ? 'the XML declaration'
            : seen.startsWith('<?')
              ? `the processing instruction <?${name}`
              : seen.startsWith('</')
                ? `the end tag </${name}`
                : name !== '' && !seen.startsWith('<!')
                  ? `the start tag <${name}`
                  : `the markup "${seen}"`;
      return { at: c.start, words: [what, 'is not finished'] };
    }
    if (/^<[^/?!]/.test(c.text)) {
      root = true;
      if (!c.text.endsWith('/>')) open.push(c);
    } else if (c.text.startsWith('</')) open.pop();
  }
  const inner = open[open.length - 1];
  if (inner) return { at: inner.start, words: [`<${/^<([^\s/>]+)/.exec(inner.text)![1]}> is not closed`] };
  return root ? 'complete' : 'no root';
}

function check(doc: string, parse: (text: string) => Diagnostic[]): number {
  let checked = 0;
  for (let n = 1; n < doc.length; n++) {
    const prefix = doc.slice(0, n);
    const error = parse(prefix).find((d) => d.severity === 'error');
    const want = expected(doc, n);
    if (want === 'complete') continue; // only trailing whitespace is missing
    expect(error, JSON.stringify(prefix)).toBeDefined();
    if (want === 'no root') {
      expect(error!.message).toBe('The document has no root element.');
      continue;
    }
    const at = position(doc, want.at);
    const end = position(doc, n);
    const label = `${JSON.stringify(prefix.slice(-30))}: ${error!.message}`;
    expect({ line: error!.line, column: error!.column }, label).toEqual(at);
    expect(error!.message, label).toContain(`at line ${at.line}, column ${at.column}:`);
    for (const w of want.words) expect(error!.message, label).toContain(w);
    expect(error!.message, label).toContain(`the text ends at line ${end.line}, column ${end.column}`);
    checked++;
  }
  return checked;
}

describe('a truncated policy names the unfinished construct and its real position', () => {
  it('FLASH-XML-1: the example of issue 15, cut inside the second start tag', () => {
    const [error] = parseFlashPolicy('<cross-domain-policy><allow-access-from domain="*"', { kind: 'url' } as never).diagnostics;
    expect(error).toMatchObject({ line: 1, column: 22 });
    expect(error!.message).toBe('Not well-formed XML at line 1, column 22: the start tag <allow-access-from is not finished: the text ends at line 1, column 51, before its closing ">" or "/>".');
    const [inValue] = parseFlashPolicy('<cross-domain-policy>\n  <allow-access-from domain="*.exa', { kind: 'url' } as never).diagnostics;
    expect(inValue!.message).toContain('line 2, column 3: the start tag <allow-access-from is not finished: the text ends at line 2, column 35, inside the value of attribute domain');
  });

  it('FLASH-XML-1: every prefix of a Flash policy (CRLF lines, DOCTYPE, comment, PI)', () => {
    expect(check(FLASH, (t) => parseFlashPolicy(t, { kind: 'url' } as never).diagnostics)).toBeGreaterThan(300);
  });

  it('SL-XML-1: every prefix of a Silverlight policy', () => {
    expect(check(SILVERLIGHT, (t) => parseSilverlightPolicy(t).diagnostics)).toBeGreaterThan(300);
  });
});
