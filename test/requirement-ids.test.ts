/**
 * Requirement IDs are a closed set generated from spec/ (src/requirements.ts): the generated list
 * agrees with the spec's headings, and no code names an ID the spec lacks — in a typed position
 * (`RequirementId`, checked by the compiler) or in a comment or string (checked here).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles } from '../src/corpus/load.js';
import { REQUIREMENT_IDS } from '../src/requirements.js';
import { renderRequirementsModule, REQUIREMENTS_MODULE } from '../scripts/gen-requirements.js';
import { namedRequirements, REPO_ROOT, requirementFamilies, specRequirements } from './support/requirements.js';

const spec = specRequirements();
const specIds = new Set(spec.map((r) => r.id));

/** Code files: every `.ts` under src/, conformance/, scripts/ and bench/, and bin/. */
function codeFiles(): string[] {
  const out: string[] = [];
  for (const dir of ['src', 'conformance', 'scripts', 'bench', 'bin']) {
    for (const f of listFiles(join(REPO_ROOT, dir))) if (/\.(ts|js)$/.test(f)) out.push(`${dir}/${f}`);
  }
  return out;
}

describe('requirement IDs (src/requirements.ts, generated from spec/)', () => {
  it(`${REQUIREMENTS_MODULE} is up to date with spec/ (run \`npx tsx scripts/gen-requirements.ts\`)`, () => {
    expect(readFileSync(join(REPO_ROOT, REQUIREMENTS_MODULE), 'utf8')).toBe(renderRequirementsModule(spec));
    expect([...REQUIREMENT_IDS]).toEqual(spec.map((r) => r.id));
  });

  it('no code names a requirement ID that spec/ does not declare', () => {
    const families = requirementFamilies(specIds);
    const unknown: string[] = [];
    for (const file of codeFiles()) {
      if (file === REQUIREMENTS_MODULE) continue;
      const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const id of namedRequirements(line, families)) if (!specIds.has(id)) unknown.push(`${file}:${i + 1}: ${id}`);
      });
    }
    expect(unknown, `requirement IDs named in code but declared nowhere in spec/:\n${unknown.join('\n')}`).toEqual([]);
  });
});
