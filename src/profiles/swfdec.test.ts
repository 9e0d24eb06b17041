import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatches, indexGlobs, indexMatches } from './swfdec.js';

describe('swfdec globs (g_pattern_match without ?)', () => {
  it.each([
    ['*.example.org', 'a.example.org', true],
    ['*.example.org', 'example.org', false],
    ['*example.org', 'evilexample.org', true],
    ['www.*.org', 'www.a.b.org', true],
    ['192.0.2.*', '192.0.2.7', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
  ] as const)('%s matches %s: %s (* is any run, dots included; no dot boundary)', (glob, host, matches) => {
    expect(globMatches(glob, host)).toBe(matches);
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
