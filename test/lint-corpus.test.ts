import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCorpusDir, listFiles, loadCorpus } from '../src/corpus/load.js';
import { CHECK_IDS } from '../src/lint/catalogue.js';
import { reaches } from '../src/lint/finding.js';
import { lintText } from '../src/lint/lint.js';
import { caseName, familyOf, renderLintCorpus, renderLintSpec } from '../scripts/gen-lint.js';
import { lintOptionsOf } from './support/lint.js';
import { specRequirements } from './support/requirements.js';

const corpusDir = defaultCorpusDir();
const lintCases = loadCorpus(corpusDir, 'lint');

describe('corpus/lint: a triggering case and a near miss per check', () => {
  it('LINT-8: every catalogue ID has both cases, and every case names a catalogue ID', () => {
    for (const id of CHECK_IDS) {
      expect(lintCases.filter((c) => c.lint?.must?.includes(id)).map((c) => c.category), id).toEqual(['malicious']);
      expect(lintCases.filter((c) => c.lint?.mustNot?.includes(id)).map((c) => c.category), id).toEqual(['near-miss']);
    }
    for (const c of lintCases) for (const id of [...(c.lint?.must ?? []), ...(c.lint?.mustNot ?? [])]) expect(CHECK_IDS).toContain(id);
  });
  for (const c of lintCases) {
    it(`${c.id} [${c.requirements.join(', ')}]: ${c.title}`, () => {
      const found = lintText(c.policyText ?? '', lintOptionsOf(c)).map((f) => f.id);
      for (const id of c.lint?.must ?? []) expect(found, `${c.path} must raise ${id}`).toContain(id);
      for (const id of c.lint?.mustNot ?? []) expect(found, `${c.path} must not raise ${id}`).not.toContain(id);
    });
  }
});

describe('generated catalogue files are up to date (npm run gen:lint)', () => {
  it('LINT-10: spec/lint.md is generated from the catalogue and lists exactly the registered IDs', () => {
    const spec = readFileSync(join(corpusDir, '..', 'spec', 'lint.md'), 'utf8');
    expect(spec).toBe(renderLintSpec());
    const headings = [...spec.matchAll(/^### (LINT-[A-Z][A-Z0-9-]*) — /gm)].map((m) => m[1]);
    expect(headings).toEqual([...CHECK_IDS]);
  });
  it('LINT-10: corpus/lint/ holds exactly the generated cases', () => {
    const expected = renderLintCorpus();
    const actual = listFiles(join(corpusDir, 'lint')).map((p) => `lint/${p}`);
    expect(actual.sort()).toEqual([...expected.keys()].sort());
    for (const [rel, text] of expected) expect(readFileSync(join(corpusDir, rel), 'utf8'), rel).toBe(text);
  });
  it('case files follow the family layout', () => {
    for (const id of CHECK_IDS) expect(existsSync(join(corpusDir, 'lint', familyOf(id).toLowerCase(), `${caseName(id)}.trigger.case.json`)), id).toBe(true);
  });
});

/**
 * Checks that flag a literal construct, with no judgement involved: `domain="*"`, `to-ports="*"`,
 * `headers="*"`, `secure="false"` over HTTPS, the `all` meta-policy, Silverlight `*`, `http://*`,
 * `https://*` — and the parser's own verdicts. Their findings cannot be false positives, and many good cases are *about* those
 * constructs (they show how `*` matches, what `secure="false"` does) or use `*` to stay minimal,
 * so a good case may raise them (LINT-9). Every other check judges (public suffixes, local
 * ranges, service ports, shadowing, serving): on a good case, any medium-or-worse finding of
 * theirs is a false positive and fails this test.
 */
const LITERAL_CHECKS: ReadonlySet<string> = new Set([
  // The parser's verdicts are certain too; good cases about voiding (SL-GRAM-3) raise them.
  'LINT-PARSE-REJECTED',
  'LINT-PARSE-VOIDED',
  'LINT-PARSE-DTD',
  'LINT-DOMAIN-ANY',
  'LINT-PORT-ANY',
  'LINT-HEADERS-ANY-DOMAIN',
  'LINT-HEADERS-ALL',
  'LINT-META-ALL',
  'LINT-SECURE-FALSE-HTTPS',
  'LINT-SERVE-META-HEADER-ALL',
  'LINT-SL-DOMAIN-ANY',
  'LINT-SL-SCHEME-WILDCARD',
  'LINT-SL-HEADERS-ANY',
]);

describe('LINT-9: the benign corpus raises nothing at medium or above', () => {
  const good = loadCorpus(corpusDir).filter((c) => c.category === 'good' && c.policyText !== undefined && (c.path.startsWith('flash/') || c.path.startsWith('silverlight/')));
  if (good.length === 0) it.skip('(no good cases under corpus/flash or corpus/silverlight yet)', () => {});
  it('the literal checks named here exist in the catalogue', () => {
    for (const id of LITERAL_CHECKS) expect(CHECK_IDS).toContain(id);
  });
  for (const c of good) {
    it(`${c.id} [${c.requirements.join(', ')}]: no medium-or-worse finding except literal constructs`, () => {
      const found = lintText(c.policyText ?? '', lintOptionsOf(c)).filter((f) => reaches(f.severity, 'medium'));
      const declared = new Set(c.lint?.must ?? []);
      // LINT-17: a LINT-COMPAT finding is about another client, not a judgement of the file under the reference.
      const unexpected = found.filter((f) => !LITERAL_CHECKS.has(f.id) && !f.id.startsWith('LINT-COMPAT-') && !declared.has(f.id)).map((f) => `${f.id} ${f.line}:${f.column} ${f.message}`);
      expect(unexpected, `${c.path}: a good case raises a judgement finding at medium or above (a false positive, unless the case declares it in lint.must)`).toEqual([]);
    });
  }
});

describe('LINT-1: every requirement a finding names exists in spec/', () => {
  it('over the whole corpus, in the context each case states', () => {
    const specIds = new Set(specRequirements().map((r) => r.id));
    const problems = new Set<string>();
    for (const c of loadCorpus(corpusDir)) {
      if (c.policyText === undefined) continue;
      for (const f of lintText(c.policyText, lintOptionsOf(c))) if (f.requirement !== undefined && !specIds.has(f.requirement)) problems.add(`${f.id} names ${f.requirement} (${c.id})`);
    }
    expect([...problems]).toEqual([]);
  });
});
