/**
 * The verdict each client profile must reach on each request of a corpus case (corpus/README.md):
 * the reference's `expect` for its family, unless a `divergences` entry of that profile gives its
 * own. Every profile of a family the request names is checked (test/corpus.test.ts), so a profile
 * without an entry is held to its reference's verdict.
 *
 * @module
 */
import type { ClientProfile, ProfileName } from '../decision/types.js';
import { PROFILE_NAMES } from '../decision/types.js';
import { profileFamily } from '../profiles/index.js';
import type { CorpusCaseFile, CorpusDivergence } from './types.js';

/** Recorded clients that have no profile yet: their `divergences` entries are records only, not checked. */
export const UNMODELLED_CLIENTS = ['ruffle', 'silverlight-ms'] as const;

/** The verdict one profile must reach on one request, and where it comes from. */
export interface ProfileExpectation {
  client: ProfileName;
  verdict: 'allow' | 'deny';
  /** `expect`: the family's reference verdict, inherited; `divergence`: the profile's own entry. */
  from: 'expect' | 'divergence';
  /** The entry's note, for a divergence. */
  note?: string;
}

/** Whether a `divergences` entry names a modelled profile. */
export function isProfileEntry(d: CorpusDivergence): d is CorpusDivergence & { client: ProfileName } {
  return (PROFILE_NAMES as readonly string[]).includes(d.client);
}

/** The entry of `client` for request `index`: one naming that request wins over one for the whole case. */
function entryFor(divergences: readonly CorpusDivergence[], client: ProfileName, index: number): CorpusDivergence | undefined {
  return divergences.find((d) => d.client === client && d.request === index) ?? divergences.find((d) => d.client === client && d.request === undefined);
}

// PROF-2
/**
 * The verdict of every profile of every family request `index` names in `expect`. An entry's
 * `invalid` means the client rejects the file, hence deny; `valid` alone says nothing about a
 * request, so the reference's verdict stands.
 */
export function profileExpectations(c: Pick<CorpusCaseFile, 'requests' | 'divergences'>, index: number): ProfileExpectation[] {
  const request = c.requests?.[index];
  if (request === undefined) return [];
  const out: ProfileExpectation[] = [];
  for (const client of PROFILE_NAMES) {
    const reference = request.expect[profileFamily(client) as ClientProfile];
    if (reference === undefined) continue;
    const entry = entryFor(c.divergences ?? [], client, index);
    if (entry === undefined || entry.verdict === 'valid') out.push({ client, verdict: reference, from: 'expect' });
    else out.push({ client, verdict: entry.verdict === 'invalid' ? 'deny' : entry.verdict, from: 'divergence', note: entry.note });
  }
  return out;
}
