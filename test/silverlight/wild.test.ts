/**
 * The Silverlight parser over the real-world clientaccesspolicy.xml files of ../shared/wild
 * (kind `silverlight` in SOURCES.tsv). Skips, visibly, when that directory is absent (a fresh clone
 * outside this workspace).
 */
import { describe, expect, it } from 'vitest';
import { parseSilverlightPolicy, SILVERLIGHT_DIAGNOSTIC_CODES } from '../../src/silverlight/parse.js';
import { parseSilverlightFlashSubset } from '../../src/silverlight/flash-subset.js';
import { serializeSilverlightPolicy, withoutSource } from '../../src/silverlight/serialize.js';
import { loadWildFiles, wildPresent } from '../support/wild.js';

const present = wildPresent('silverlight-wild');

// Files whose verdict the notes in SOURCES.tsv make certain.
const EXPECTED_INVALID: Record<string, string> = {
  '111.xml': 'SL-SOCK-7',
  '112.xml': 'SL-XML-1',
};

describe.skipIf(!present)('Silverlight parser over real-world files', () => {
  const files = loadWildFiles();
  const sl = files.filter((f) => f.kind === 'silverlight');
  it('SL-XML-1: finds the silverlight files of SOURCES.tsv', () => {
    expect(sl.length).toBeGreaterThan(30);
  });
  for (const f of sl) {
    it(`SL-XML-1, SL-GRAM-15: ${f.file} parses without throwing, with known codes, and round-trips (${f.note.slice(0, 60)})`, () => {
      const r = parseSilverlightPolicy(f.text);
      for (const d of r.diagnostics) expect(SILVERLIGHT_DIAGNOSTIC_CODES as readonly string[]).toContain(d.code);
      const expected = EXPECTED_INVALID[f.file];
      if (expected !== undefined) {
        expect(r.policy, `${f.file} should be rejected`).toBeNull();
        expect(r.diagnostics.map((d) => d.requirement)).toContain(expected);
        return;
      }
      expect(r.policy, `${f.file}: ${r.diagnostics.map((d) => d.message).join('; ')}`).not.toBeNull();
      const back = parseSilverlightPolicy(serializeSilverlightPolicy(r.policy!));
      expect(back.policy && withoutSource(back.policy)).toEqual(withoutSource(r.policy!));
    });
  }
  it('SL-FLASH-1: every flash file read as Silverlight\'s subset gives a policy or a diagnostic, never a throw', () => {
    for (const f of files.filter((x) => x.kind.startsWith('flash'))) {
      const r = parseSilverlightFlashSubset(f.text.split('\u0000')[0] ?? '');
      expect(r.policy !== null || r.diagnostics.some((d) => d.severity === 'error'), f.file).toBe(true);
    }
  });
  it('SL-GRAM-8, SL-SOCK-9: the known oddities are reported (091 url=, 086 secure on domain)', () => {
    const byName = new Map(sl.map((f) => [f.file, f]));
    const codes = (name: string) => (byName.has(name) ? parseSilverlightPolicy(byName.get(name)!.text).diagnostics.map((d) => d.code) : ['(absent)']);
    expect(codes('091.xml')).toContain('domain-missing-uri');
    expect(codes('086.xml')).toContain('ignored-attribute');
  });
  it('SL-SOCK-9, SL-SOCK-7: 118 (socket-resource port="443" without protocol) stays valid and keeps its HTTP grants', () => {
    const f = sl.find((x) => x.file === '118.xml');
    if (f === undefined) return;
    const r = parseSilverlightPolicy(f.text);
    expect(r.policy?.policies[0]?.grantTo[0]?.resources.length).toBe(7);
    expect(r.diagnostics.filter((d) => d.requirement === 'SL-SOCK-9').length).toBe(2);
    expect(r.diagnostics.map((d) => d.requirement)).not.toContain('SL-SOCK-7');
  });
});
