import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatches, indexGlobs, indexMatches } from './swfdec.js';

describe('swfdec globs (g_pattern_match without ?)', () => {
  it('* is any run of characters, dots included; no dot boundary', () => {
    expect(globMatches('*.example.org', 'a.example.org')).toBe(true);
    expect(globMatches('*.example.org', 'example.org')).toBe(false);
    expect(globMatches('*example.org', 'evilexample.org')).toBe(true);
    expect(globMatches('www.*.org', 'www.a.b.org')).toBe(true);
    expect(globMatches('192.0.2.*', '192.0.2.7')).toBe(true);
    expect(globMatches('a*b*c', 'abc')).toBe(true);
    expect(globMatches('a*b*c', 'acb')).toBe(false);
  });

  it('the index answers as a scan of every glob does', () => {
    const part = fc.constantFrom('a', 'b', '.', 'ab', '*', 'a.b', '');
    const glob = fc.array(part, { maxLength: 5 }).map((p) => p.join(''));
    const host = fc.array(fc.constantFrom('a', 'b', '.'), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(glob, { maxLength: 6 }), host, (globs, h) => {
        expect(indexMatches(indexGlobs(globs), h)).toBe(globs.some((g) => globMatches(g, h)));
      }),
      { numRuns: 2000 },
    );
  });
});
