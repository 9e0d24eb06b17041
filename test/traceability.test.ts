/**
 * Traceability: every requirement heading of spec/ is named by a test file or a corpus case, and
 * every requirement a test or a case names exists in spec/ (so a typo cannot pass for coverage).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles, loadCorpus } from '../src/corpus/load.js';
import { namedRequirements, REPO_ROOT, requirementFamilies, specRequirements } from './support/requirements.js';

const spec = specRequirements();
const specIds = new Set(spec.map((r) => r.id));
const families = requirementFamilies(specIds);

/** Test files: `*.test.ts` under src/, test/, conformance/ and cli/. */
function testFiles(): string[] {
  const out: string[] = [];
  for (const dir of ['src', 'test', 'conformance', 'cli']) {
    let files: string[];
    try {
      files = listFiles(join(REPO_ROOT, dir));
    } catch {
      continue; // the directory does not exist (yet)
    }
    for (const f of files) if (f.endsWith('.test.ts')) out.push(`${dir}/${f}`);
  }
  return out;
}

/** requirement ID → where it is named (test files and corpus case ids). */
function namedBy(): Map<string, string[]> {
  const where = new Map<string, string[]>();
  const note = (id: string, by: string): void => {
    const list = where.get(id) ?? [];
    if (!list.includes(by)) list.push(by);
    where.set(id, list);
  };
  for (const file of testFiles()) {
    // This file names no requirement of its own; skip it so its examples cannot count as coverage.
    if (file === 'test/traceability.test.ts') continue;
    for (const id of namedRequirements(readFileSync(join(REPO_ROOT, file), 'utf8'), families)) note(id, file);
  }
  for (const c of loadCorpus()) {
    const ids = new Set([...(c.requirements ?? []), ...(c.requests ?? []).flatMap((r) => r.requirements ?? [])]);
    for (const id of ids) note(id, `corpus ${c.id}`);
  }
  return where;
}

describe('traceability between spec/, tests and the corpus', () => {
  const where = namedBy();

  it('finds requirement headings in spec/', () => {
    expect(spec.length).toBeGreaterThan(0);
    const duplicates = spec.filter((r, i) => spec.findIndex((s) => s.id === r.id) !== i).map((r) => `${r.id} (${r.file}:${r.line})`);
    expect(duplicates, `requirement IDs declared twice:\n${duplicates.join('\n')}`).toEqual([]);
  });

  it('has every requirement of spec/ named by a test or a corpus case', () => {
    const uncovered = spec.filter((r) => !where.has(r.id)).map((r) => `${r.id} (${r.file}:${r.line}) ${r.title}`);
    expect(uncovered, `${uncovered.length} requirement(s) named by no test file and no corpus case:\n${uncovered.join('\n')}`).toEqual([]);
  });

  it('names only requirements that exist in spec/ (no typos)', () => {
    const unknown = [...where.entries()].filter(([id]) => !specIds.has(id)).map(([id, by]) => `${id}, named by ${by.join(', ')}`);
    expect(unknown, `requirement IDs named in tests or the corpus but declared nowhere in spec/:\n${unknown.join('\n')}`).toEqual([]);
  });
});
