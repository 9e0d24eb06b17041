/** spec/profiles.md's tables are generated from the profiles' tags (PROF-1); what profiles leave open is stated (PROF-3). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILES_SPEC, renderProfileTables, withGeneratedTables } from '../scripts/gen-profiles-spec.js';
import { defaultCorpusDir, loadCorpus } from '../src/corpus/load.js';
import { PROFILE_NAMES } from '../src/decision/types.js';
import { PROFILES } from '../src/profiles/index.js';
import { REPO_ROOT } from './support/requirements.js';

describe('client profiles: the spec', () => {
  it(`PROF-1: ${PROFILES_SPEC} holds the tables generated from the tags (run \`npx tsx scripts/gen-profiles-spec.ts\`)`, () => {
    const file = join(REPO_ROOT, PROFILES_SPEC);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(withGeneratedTables(text, renderProfileTables()));
  });

  it('PROF-3: what a profile leaves undecided says what it chose; what it does not model yet names existing corpus cases with entries for it', () => {
    const ids = new Map(loadCorpus(defaultCorpusDir()).map((c) => [c.id, c]));
    for (const name of PROFILE_NAMES) {
      for (const u of PROFILES[name].undecided) expect(u.chose.length, name).toBeGreaterThan(10);
      for (const p of PROFILES[name].pending ?? []) {
        for (const id of p.cases) expect(ids.get(id.split('#')[0]!)?.divergences?.some((d) => d.client === name), `${name}: ${id}`).toBe(true);
      }
    }
  });
});
