/**
 * Every override of every profile matters: some corpus request gets another verdict when that one
 * override is taken out (the reference's step runs instead). An override no case exercises is
 * either dead or untested; add the case (issue 16, "a case that fails without it").
 */
import { describe, expect, it } from 'vitest';
import { defaultCorpusDir, loadCorpus } from '../src/corpus/load.js';
import type { CorpusRequest } from '../src/corpus/types.js';
import { createDecider } from '../src/decision/decide.js';
import { PROFILE_NAMES, type DecisionRequest, type ProfileName } from '../src/decision/types.js';
import { profileFamily, profileOverrides, withoutOverride } from '../src/profiles/index.js';

const cases = loadCorpus(defaultCorpusDir());

function requestOf(r: CorpusRequest, client: ProfileName): DecisionRequest {
  return { client, origin: r.origin, target: r.target, ...(r.loadPolicy ? { loadPolicy: r.loadPolicy } : {}), ...(r.headers ? { headers: r.headers } : {}), ...(r.method ? { method: r.method } : {}), ...(r.clientConfig ? { clientConfig: r.clientConfig } : {}) };
}

describe('PROF-2: client profiles: every override is exercised by a corpus case that fails without it', () => {
  for (const client of PROFILE_NAMES) {
    for (const o of profileOverrides(client)) {
      it(`${client}.${o.step} (${o.tag.record})`, () => {
        const without = withoutOverride(client, o.step);
        const witnesses: string[] = [];
        for (const c of cases) {
          const requests = (c.requests ?? []).filter((r) => r.expect[profileFamily(client)] !== undefined);
          if (requests.length === 0) continue;
          const withIt = createDecider(c.resolvedWorld);
          const withoutIt = createDecider(c.resolvedWorld, { profiles: without });
          for (const r of requests) {
            if (withIt.decide(requestOf(r, client)).decision !== withoutIt.decide(requestOf(r, client)).decision) witnesses.push(c.id);
          }
          if (witnesses.length > 0) break;
        }
        expect(witnesses, `no corpus request changes verdict without ${client}.${o.step}`).not.toEqual([]);
      });
    }
  }
});
