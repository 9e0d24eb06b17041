/**
 * Fetching a Silverlight policy location from a world snapshot: what port 943 or the HTTP location
 * answered (nothing, a failed connection, a status, an unfinished answer), then the effective policy
 * of what arrived (`effective.ts`), compiled for deciding (`compile.ts`) — or, for the
 * `crossdomain.xml` fallback, the Flash subset Silverlight reads (`flash-subset.ts`).
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';
import type { TraceAnswer } from '../decision/types.js';
import type { IndexedWorld, PolicyLocation } from '../world/locations.js';
import { endedByClose, type WorldResponse } from '../world/world.js';
import { compileSilverlightPolicy, type CompiledSilverlightPolicy } from './compile.js';
import { readSilverlightPolicy, silverlightServingRefusal } from './effective.js';
import { parseSilverlightFlashSubset } from './flash-subset.js';
import type { SilverlightFlashSubset } from './model.js';

/** What fetching one location gave: the policy when the client uses one, otherwise what it got and why not. */
export interface FetchedSilverlightPolicy<T> {
  /** The location, as its key. */
  location: string;
  answered: TraceAnswer;
  /** The policy when the location served a usable one; otherwise `null`. */
  policy: T | null;
  response: WorldResponse | undefined;
  why: string;
  requirements: RequirementId[];
  diagnostics: Diagnostic[];
}

function none<T>(location: string, answered: TraceAnswer, why: string, requirements: RequirementId[], response?: WorldResponse, diagnostics: Diagnostic[] = []): FetchedSilverlightPolicy<T> {
  return { location, answered, policy: null, response, why, requirements, diagnostics };
}

function firstError(diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  return diagnostics.find((d) => d.severity === 'error');
}

// SL-SOCK-2, SL-SOCK-4, SL-SOCK-5, SL-SOCK-12
/** Fetches the socket policy of port 943: the bytes up to the close, in Silverlight's own format only. */
export function fetchSocketPolicy(world: IndexedWorld, loc: PolicyLocation): FetchedSilverlightPolicy<CompiledSilverlightPolicy> {
  const r = world.get(loc.key);
  if (r === undefined) return none(loc.key, 'refused', 'nothing listens on port 943', ['SL-SOCK-12']);
  if (r.error !== undefined) return none(loc.key, r.error, `the connection to port 943 failed (${r.error})`, ['SL-SOCK-12'], r);
  // SL-SOCK-4: only the server's close ends the response; one still open (or reset, or cut at the
  // recorder's limit) is what Silverlight had read so far, not a policy.
  if (!endedByClose(r)) return none(loc.key, `unfinished (${r.end as 'reset' | 'timeout' | 'limit'})`, `port 943 did not close the connection (the response ended by ${r.end}); Silverlight reads until the close`, ['SL-SOCK-4', 'SL-SOCK-12'], r);
  if (r.body === '') return none(loc.key, 'empty', 'port 943 closed the connection without sending a policy', ['SL-SOCK-4', 'SL-SOCK-12'], r);
  const read = readSilverlightPolicy(r.body, { kind: 'socket' });
  if (read.answered !== 'policy' || read.effective === null) {
    const first = firstError(read.diagnostics) ?? read.diagnostics[0];
    return none(loc.key, read.answered, `the policy from port 943 is invalid${first ? `: ${first.message}` : ''}`, ['SL-SOCK-5', 'SL-SOCK-12', ...(firstError(read.diagnostics) ? [firstError(read.diagnostics)!.requirement] : [])], r, read.diagnostics);
  }
  return { location: loc.key, answered: 'policy', policy: compileSilverlightPolicy(read.effective), response: r, why: 'a Silverlight policy was served on port 943', requirements: ['SL-SOCK-2', 'SL-SOCK-5'], diagnostics: read.diagnostics };
}

// SL-HTTP-3
/** What an HTTP location answered before its body is read: `null` when a body arrived whole with status 200. */
function httpFailure<T>(loc: PolicyLocation, r: WorldResponse | undefined): FetchedSilverlightPolicy<T> | null {
  if (r === undefined) return none(loc.key, 'status 404', 'nothing is served there (404)', ['SL-HTTP-3']);
  if (r.error !== undefined) return none(loc.key, r.error, `the connection failed (${r.error})`, ['SL-HTTP-3'], r);
  if ((r.status ?? 200) !== 200) return none(loc.key, `status ${r.status ?? 200}`, `the response status is ${r.status}, not 200 (redirects are not followed)`, ['SL-HTTP-3'], r);
  // SL-HTTP-3: a body that did not complete is a failed download, not a shorter policy.
  if (!endedByClose(r)) return none(loc.key, `unfinished (${r.end as 'reset' | 'timeout' | 'limit'})`, `the response body did not complete (it ended by ${r.end})`, ['SL-HTTP-3'], r);
  return null;
}

// SL-HTTP-2, SL-HTTP-3, SL-HTTP-4
/** Fetches `/clientaccesspolicy.xml` of a root. */
export function fetchClientAccessPolicy(world: IndexedWorld, loc: PolicyLocation): FetchedSilverlightPolicy<CompiledSilverlightPolicy> {
  const r = world.get(loc.key);
  const failed = httpFailure<CompiledSilverlightPolicy>(loc, r);
  if (failed !== null) return failed;
  const read = readSilverlightPolicy(r!.body, { kind: 'url', contentType: r!.contentType ?? null });
  if (read.answered === 'content-type') return none(loc.key, 'content-type', read.why, read.requirements, r);
  if (read.answered !== 'policy' || read.effective === null) {
    const first = firstError(read.diagnostics);
    return none(loc.key, read.answered, `the file is invalid${first ? `: ${first.message}` : ''}`, ['SL-XML-1', ...(first ? [first.requirement] : [])], r, read.diagnostics);
  }
  return { location: loc.key, answered: 'policy', policy: compileSilverlightPolicy(read.effective), response: r, why: 'clientaccesspolicy.xml was obtained; crossdomain.xml will not be consulted', requirements: ['SL-HTTP-2', 'SL-HTTP-7'], diagnostics: read.diagnostics };
}

// SL-HTTP-6, SL-FLASH-10
/** Fetches the `crossdomain.xml` fallback of a root, read as Silverlight's subset of the Flash format. */
export function fetchFlashSubset(world: IndexedWorld, loc: PolicyLocation): FetchedSilverlightPolicy<SilverlightFlashSubset> {
  const r = world.get(loc.key);
  const failed = httpFailure<SilverlightFlashSubset>(loc, r);
  if (failed !== null) return failed;
  const refusal = silverlightServingRefusal({ kind: 'url', contentType: r!.contentType ?? null });
  if (refusal !== null) return none(loc.key, refusal.answered, refusal.why, [refusal.requirement], r);
  const p = parseSilverlightFlashSubset(r!.body);
  if (p.policy === null) {
    const first = firstError(p.diagnostics);
    return none(loc.key, 'invalid', `the file is invalid${first ? `: ${first.message}` : ''}`, ['SL-FLASH-10', ...(first ? [first.requirement] : [])], r, p.diagnostics);
  }
  return { location: loc.key, answered: 'policy', policy: p.policy, response: r, why: "no clientaccesspolicy.xml was served; the crossdomain.xml fallback is read as Silverlight's subset", requirements: ['SL-HTTP-6', 'SL-FLASH-10'], diagnostics: p.diagnostics };
}
