/**
 * The parser over real-world policy files (../shared/wild, see its README and SOURCES.tsv).
 * Skips, visibly, when that directory is absent (a fresh clone outside this workspace).
 */
import { describe, expect, it } from 'vitest';
import { parseFlashPolicy } from '../src/flash/parse.js';
import type { FlashParseContext } from '../src/flash/model.js';
import { loadWildFiles, wildPresent, type WildFile } from './support/wild.js';

const present = wildPresent('flash-wild');

// A socket server's NUL terminator is framing (FLASH-SOCK-2), cut before parsing, as a client does.
function contextAndText(f: WildFile): [FlashParseContext, string] {
  if (f.kind === 'flash-socket') {
    const nul = f.text.indexOf('\u0000');
    return [{ kind: 'socket' }, nul < 0 ? f.text : f.text.slice(0, nul)];
  }
  return [{ kind: 'url', scheme: 'http' }, f.text];
}

describe.skipIf(!present)('real-world policy files (../shared/wild)', () => {
  const files = loadWildFiles();
  const flash = files.filter((f) => f.kind.startsWith('flash'));

  it('FLASH-XML-1: the parser never throws on any wild file, read as either kind', () => {
    expect(files.length).toBeGreaterThanOrEqual(100);
    for (const f of files) {
      for (const ctx of [{ kind: 'url' }, { kind: 'socket' }] as FlashParseContext[]) {
        const r = parseFlashPolicy(f.text, ctx);
        expect(Array.isArray(r.diagnostics)).toBe(true);
      }
    }
  });

  it('FLASH-XML-1: every file noted BROKEN is rejected with an error diagnostic naming a FLASH-XML rule', () => {
    const broken = flash.filter((f) => f.note.startsWith('BROKEN'));
    expect(broken.map((f) => f.file)).toEqual(['013.xml', '034.xml', '042.xml', '044.xml', '060.xml']);
    for (const f of broken) {
      const [ctx, text] = contextAndText(f);
      const r = parseFlashPolicy(text, ctx);
      expect(r.policy, f.file).toBeNull();
      expect(r.diagnostics.some((d) => d.severity === 'error' && d.requirement.startsWith('FLASH-XML-')), f.file).toBe(true);
    }
    // 013: a newline before the declaration (FLASH-XML-8); 042: a stray end tag after the root.
    expect(parseFlashPolicy(broken[0]?.text ?? '', { kind: 'url' }).diagnostics[0]?.requirement).toBe('FLASH-XML-8');
  });

  it('FLASH-XML-3: Silverlight and non-policy files are not Flash policies', () => {
    for (const f of files.filter((x) => x.kind === 'silverlight' || x.kind === 'unknown')) {
      expect(parseFlashPolicy(f.text, { kind: 'url' }).policy, f.file).toBeNull();
    }
  });

  // [file, siteControl, allowAccessFrom, allowHttpRequestHeadersFrom, codes that must appear]
  const expected: [string, number, number, number, string[]][] = [
    ['001.xml', 0, 2, 2, []],
    ['005.xml', 2, 3, 0, ['multiple-site-control', 'missing-headers', 'to-ports-in-url-policy']], // FLASH-GRAM-11, FLASH-GRAM-9, FLASH-GRAM-6
    ['012.xml', 0, 1, 0, []], // FLASH-XML-2: a 33-line comment before the root; FLASH-XML-9: unbound xsi: prefix
    ['016.xml', 0, 15, 8, []],
    ['022.xml', 0, 10, 0, []], // CRLF line ends
    ['037.xml', 1, 30, 0, ['to-ports-in-url-policy']],
    ['040.xml', 0, 4, 0, []], // FLASH-DOM-5: IP literals
    ['047.xml', 1, 1, 0, []], // the widely copied socket sample
    ['052.xml', 1, 1, 0, []], // to-ports="123,456-458"
    ['053.xml', 1, 1, 0, ['headers-not-applicable']], // FLASH-GRAM-9 in a socket policy
    ['058.xml', 0, 0, 0, ['invalid-domain']], // FLASH-DOM-4: domain="none.*"
    ['073.xml', 0, 0, 0, ['missing-to-ports']], // FLASH-GRAM-7
    ['074.xml', 0, 1, 0, []], // 195 spaces before a root without declaration: allowed
    ['075.xml', 0, 1, 0, []], // trailing NUL cut as framing
    ['076.xml', 0, 1, 0, []],
  ];
  it.each(expected)('FLASH-GRAM-1: %s parses with %i site-control, %i allow-access-from, %i header grants', (file, sc, aaf, hdr, codes) => {
    const f = flash.find((x) => x.file === file);
    expect(f, file).toBeDefined();
    const [ctx, text] = contextAndText(f as WildFile);
    const r = parseFlashPolicy(text, ctx);
    expect(r.policy).not.toBeNull();
    expect([r.policy?.siteControl.length, r.policy?.allowAccessFrom.length, r.policy?.allowHttpRequestHeadersFrom.length]).toEqual([sc, aaf, hdr]);
    for (const code of codes) expect(r.diagnostics.map((d) => d.code)).toContain(code);
    if (codes.length === 0) expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('FLASH-GRAM-7, FLASH-PORT-1: 052 grants exactly ports 123, 456, 457 and 458', () => {
    const f = flash.find((x) => x.file === '052.xml') as WildFile;
    const r = parseFlashPolicy(f.text, { kind: 'socket' });
    expect(r.policy?.allowAccessFrom[0]?.toPorts).toEqual({ any: false, ranges: [{ from: 123, to: 123 }, { from: 456, to: 458 }] });
  });
});
