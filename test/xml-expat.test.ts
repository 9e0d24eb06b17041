/**
 * FLASH-XML-1, SL-XML-1 against an XML reader we did not write: nothing our front end accepts may be
 * rejected by expat (Python's `xml.parsers.expat`), over generated near-valid policies. The rules of
 * the comparison, and the one allowance for expat's older name tables, are in test/support/expat.ts.
 * The long campaign is `npm run fuzz -- --target expat`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiNames, compareWithExpat, expatVerdicts, nearValidPolicy, NEAR_VALID_BASES } from './support/expat.js';

const RUNS = 5000;

describe('differential against expat', () => {
  it('the bridge reads expat verdicts: a valid base passes, a known not-well-formed text fails', () => {
    const [ok, bad, fifth] = expatVerdicts([NEAR_VALID_BASES[0] as string, '<r a="a<b"/>', '<r\u0E3F/>']);
    expect(ok).toEqual({ ok: true });
    expect(bad?.ok).toBe(false);
    // expat's name tables predate XML 1.0's fifth edition: the allowance below is real.
    expect(fifth?.ok).toBe(false);
    expect(expatVerdicts([asciiNames('<r\u0E3F/>')])[0]?.ok).toBe(true);
  });

  it(`FLASH-XML-1, SL-XML-1: nothing we accept is rejected by expat (${RUNS} near-valid policies)`, () => {
    const docs = fc.sample(nearValidPolicy, { numRuns: RUNS, seed: 20261207 });
    const result = compareWithExpat(docs);
    expect(result.disagreements.slice(0, 10)).toEqual([]);
    // The property is not vacuous: the edits leave many documents well-formed, and break many.
    for (const name of ['flash', 'silverlight']) {
      expect(result.accepted[name]).toBeGreaterThan(RUNS * 0.05);
      expect(result.accepted[name]).toBeLessThan(RUNS * 0.9);
    }
  });
});
