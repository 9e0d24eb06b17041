/**
 * Records what each client profile decides on every corpus request where it departs from the
 * verdict it would inherit, as `divergences` entries (corpus/README.md), so that `npm test` checks
 * them. Each entry's note names the overrides responsible — those whose removal (the reference step
 * instead) gives the inherited verdict back — with their chapter-9 records and sources.
 *
 *   npx tsx scripts/profile-verdicts.ts            # list what is missing or contradicted
 *   npx tsx scripts/profile-verdicts.ts --write    # add the missing entries (per request)
 *
 * An existing entry that the profile contradicts is never rewritten: it is listed, to be judged
 * against the client's code (the record or the profile is wrong).
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCorpusDir, loadCorpus } from '../src/corpus/load.js';
import { profileExpectations } from '../src/corpus/expectations.js';
import type { CorpusCase, CorpusCaseFile, CorpusDivergence, CorpusRequest } from '../src/corpus/types.js';
import { createDecider } from '../src/decision/decide.js';
import type { DecisionRequest, ProfileName } from '../src/decision/types.js';
import { profileOverrides, withoutOverride } from '../src/profiles/index.js';

function requestOf(r: CorpusRequest, client: ProfileName): DecisionRequest {
  return { client, origin: r.origin, target: r.target, ...(r.loadPolicy ? { loadPolicy: r.loadPolicy } : {}), ...(r.headers ? { headers: r.headers } : {}), ...(r.method ? { method: r.method } : {}), ...(r.clientConfig ? { clientConfig: r.clientConfig } : {}) };
}

/** The overrides of `client` whose removal changes its verdict on this request. */
export function responsibleOverrides(c: CorpusCase, r: CorpusRequest, client: ProfileName, verdict: 'allow' | 'deny'): string[] {
  const out: string[] = [];
  for (const o of profileOverrides(client)) {
    const d = createDecider(c.resolvedWorld, { profiles: withoutOverride(client, o.step) }).decide(requestOf(r, client));
    if (d.decision !== verdict) out.push(`${o.step} (${o.tag.record})`);
  }
  return out;
}

const write = process.argv.includes('--write');
const dir = defaultCorpusDir();
let missing = 0;
let contradicted = 0;
for (const c of loadCorpus(dir)) {
  const added: CorpusDivergence[] = [];
  (c.requests ?? []).forEach((r, index) => {
    for (const e of profileExpectations(c, index)) {
      const got = createDecider(c.resolvedWorld).decide(requestOf(r, e.client));
      if (got.decision === e.verdict) continue;
      if (e.from === 'divergence') {
        contradicted++;
        console.log(`CONTRADICTED ${c.id} request ${index} ${e.client}: entry says ${e.verdict}, profile gives ${got.decision}: ${got.reason}`);
        continue;
      }
      missing++;
      const why = responsibleOverrides(c, r, e.client, got.decision);
      const note = `${got.reason} [profile ${e.client}; overrides: ${why.length > 0 ? why.join('; ') : 'several together'}; each override's source: spec/profiles.md]`;
      console.log(`MISSING ${c.id} request ${index} ${e.client}: ${got.decision} — ${note}`);
      added.push({ client: e.client, verdict: got.decision, request: index, note });
    }
  });
  if (write && added.length > 0) {
    const file = join(dir, c.path);
    const json = JSON.parse(readFileSync(file, 'utf8')) as CorpusCaseFile;
    json.divergences = [...(json.divergences ?? []), ...added];
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  }
}
console.log(`${missing} missing${write ? ' (written)' : ''}, ${contradicted} contradicted`);
