import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCorpusDir, listFiles, loadCorpus } from '../src/corpus/load.js';
import type { CorpusCase } from '../src/corpus/types.js';
import { CHECK_IDS } from '../src/lint/catalogue.js';
import type { LintOptions } from '../src/lint/context.js';
import { reaches } from '../src/lint/finding.js';
import { lintText } from '../src/lint/lint.js';
import { caseName, familyOf, renderLintCorpus, renderLintSpec } from '../scripts/gen-lint.js';

const corpusDir = defaultCorpusDir();
const lintCases = loadCorpus(corpusDir, 'lint');

/** The lint options a case states (or implies through its parse expectation). */
export function lintOptionsOf(c: CorpusCase): LintOptions {
  const o: LintOptions = {};
  const l = c.lint;
  if (c.policyFile !== undefined) o.fileName = c.policyFile;
  if (l?.client !== undefined) o.client = l.client;
  if (l?.contentType !== undefined) o.contentType = l.contentType;
  if (l?.headers !== undefined) o.headers = l.headers;
  if (l?.servedFrom !== undefined) o.servedFrom = l.servedFrom;
  else if (c.parse) {
    const p = c.parse;
    if (p.format === 'silverlight') o.servedFrom = `${p.scheme ?? 'http'}://host.example/clientaccesspolicy.xml`;
    else if (p.kind === 'socket') o.servedFrom = p.master === false ? 'xmlsocket://host.example:1843' : 'xmlsocket://host.example:843';
    else o.servedFrom = `${p.scheme ?? 'http'}://host.example/${p.master === false ? 'sub/policy.xml' : 'crossdomain.xml'}`;
  }
  return o;
}

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
 * Good cases that are *about* a construct the linter flags (LINT-9): they show how the spec treats
 * `domain="*"`, `to-ports="*"`, `secure="false"` over HTTPS or the `all` meta-policy, so they
 * legitimately raise that finding. Each entry is checked both ways: the case must raise exactly
 * these medium-or-worse findings, so the list cannot rot. A corpus owner may instead declare the
 * findings in the case's own `lint.must`.
 */
const GOOD_CASES_ABOUT_RISKY_CONSTRUCTS: Readonly<Record<string, { ids: readonly string[]; why: string }>> = {
  'flash/domains/star-matches-every-origin': { ids: ['LINT-DOMAIN-ANY'], why: 'shows FLASH-DOM-1 (`*` matches every origin)' },
  'flash/meta-policies/all-honours-load-policy-file': { ids: ['LINT-META-ALL'], why: 'shows what `all` lets through (FLASH-META-1)' },
  'flash/meta-policies/header-more-restrictive-wins': { ids: ['LINT-META-ALL'], why: 'the file says `all` so that the header can be shown to win' },
  'flash/meta-policies/none-master-grants-nothing': { ids: ['LINT-DOMAIN-ANY'], why: 'a `*` grant that `none` must disable (FLASH-META-2)' },
  'flash/meta-policies/none-this-response-non-master': { ids: ['LINT-META-ALL'], why: 'the master needs `all` for the non-master file to be considered' },
  'flash/ports/flash8-manual-sample': { ids: ['LINT-DOMAIN-ANY', 'LINT-PORT-ANY'], why: "Adobe's own sample, kept verbatim" },
  'flash/ports/list': { ids: ['LINT-DOMAIN-ANY'], why: 'about to-ports lists; the domain is `*` to keep the case minimal' },
  'flash/ports/single-port': { ids: ['LINT-DOMAIN-ANY'], why: 'about a single port; the domain is `*` to keep the case minimal' },
  'flash/ports/star': { ids: ['LINT-DOMAIN-ANY', 'LINT-PORT-ANY'], why: 'shows FLASH-PORT-2 (`to-ports="*"`)' },
  'flash/secure/https-headers-default-secure': { ids: ['LINT-SECURE-FALSE-HTTPS'], why: 'contrasts a `secure="false"` access grant with a default-secure header grant (FLASH-SEC-4)' },
  'flash/secure/https-headers-secure-false': { ids: ['LINT-SECURE-FALSE-HTTPS'], why: 'shows FLASH-SEC-4 with `secure="false"`' },
  'flash/secure/https-secure-false': { ids: ['LINT-SECURE-FALSE-HTTPS'], why: 'shows FLASH-SEC-2 with `secure="false"`' },
  'flash/secure/socket-secure-per-rule': { ids: ['LINT-DOMAIN-ANY'], why: 'two `*` rules differing only in `secure` (FLASH-SEC-3)' },
  'flash/sockets/adobe-daemon-sample': { ids: ['LINT-DOMAIN-ANY'], why: "Adobe's socket daemon sample, kept verbatim" },
  'flash/sockets/master-all-explicit': { ids: ['LINT-META-ALL'], why: 'shows FLASH-SOCK-6 with an explicit `all`' },
  'flash/sockets/master-none': { ids: ['LINT-DOMAIN-ANY', 'LINT-PORT-ANY'], why: 'a wide-open grant that `none` must disable (FLASH-SOCK-6)' },
  'flash/url-policies/headers-case-insensitive': { ids: ['LINT-DOMAIN-ANY', 'LINT-HEADERS-ANY-DOMAIN'], why: 'about header-name matching; `*` domains keep the case minimal' },
  'flash/url-policies/headers-exact': { ids: ['LINT-DOMAIN-ANY', 'LINT-HEADERS-ANY-DOMAIN'], why: 'about header-name matching; `*` domains keep the case minimal' },
  'flash/url-policies/headers-prefix': { ids: ['LINT-DOMAIN-ANY', 'LINT-HEADERS-ANY-DOMAIN'], why: 'about header prefixes; `*` domains keep the case minimal' },
  'flash/url-policies/headers-star': { ids: ['LINT-DOMAIN-ANY', 'LINT-HEADERS-ALL', 'LINT-HEADERS-ANY-DOMAIN'], why: 'shows FLASH-URL-10 `headers="*"`' },
  'flash/url-policies/headers-suffix-domain': { ids: ['LINT-DOMAIN-ANY'], why: 'the access grant is `*`; the header grant under test is a suffix' },
  'flash/url-policies/refused': { ids: ['LINT-DOMAIN-ANY'], why: 'about fetch failures (FLASH-URL-6); the policy content is irrelevant' },
  'flash/url-policies/reset': { ids: ['LINT-DOMAIN-ANY'], why: 'about fetch failures (FLASH-URL-6); the policy content is irrelevant' },
  'flash/url-policies/status-200-explicit': { ids: ['LINT-DOMAIN-ANY'], why: 'about HTTP status (FLASH-URL-6); the policy content is irrelevant' },
  'flash/url-policies/status-404-with-policy-body': { ids: ['LINT-DOMAIN-ANY'], why: 'about HTTP status (FLASH-URL-6); the policy content is irrelevant' },
  'flash/url-policies/status-500': { ids: ['LINT-DOMAIN-ANY'], why: 'about HTTP status (FLASH-URL-6); the policy content is irrelevant' },
  'flash/url-policies/timeout': { ids: ['LINT-DOMAIN-ANY'], why: 'about fetch failures (FLASH-URL-6); the policy content is irrelevant' },
};

describe('LINT-9: the benign corpus raises nothing at medium or above', () => {
  const good = loadCorpus(corpusDir).filter((c) => c.category === 'good' && c.policyText !== undefined && (c.path.startsWith('flash/') || c.path.startsWith('silverlight/')));
  if (good.length === 0) it.skip('(no good cases under corpus/flash or corpus/silverlight yet)', () => {});
  for (const c of good) {
    it(`${c.id} [${c.requirements.join(', ')}]: no medium-or-worse finding beyond what the case is about`, () => {
      const found = [...new Set(lintText(c.policyText ?? '', lintOptionsOf(c)).filter((f) => reaches(f.severity, 'medium')).map((f) => f.id))].sort();
      const declared = new Set([...(GOOD_CASES_ABOUT_RISKY_CONSTRUCTS[c.id]?.ids ?? []), ...(c.lint?.must ?? [])]);
      const unexpected = found.filter((id) => !declared.has(id));
      expect(unexpected, `${c.path}: a good case raises ${unexpected.join(', ')}; if the case is about that construct, list it in GOOD_CASES_ABOUT_RISKY_CONSTRUCTS (test/lint-corpus.test.ts) or the case's lint.must, otherwise the check has a false positive`).toEqual([]);
      const listed = GOOD_CASES_ABOUT_RISKY_CONSTRUCTS[c.id]?.ids ?? [];
      expect(listed.filter((id) => !found.includes(id)), `${c.id}: listed as raising findings it no longer raises`).toEqual([]);
    });
  }
});
