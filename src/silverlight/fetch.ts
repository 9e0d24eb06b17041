/**
 * Fetching a Silverlight policy location from a world snapshot: what port 943 or the HTTP location
 * answered (nothing, a failed connection, a status, an unfinished answer), then what the client
 * reads in it — a `clientaccesspolicy.xml`, or for the `crossdomain.xml` fallback the Flash
 * subset. How each is read is the client profile's (`steps.ts`); the reference is Silverlight's.
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';
import type { TraceAnswer } from '../decision/types.js';
import type { IndexedWorld, PolicyLocation } from '../world/locations.js';
import { acceptedPolicyContentTypes } from '../world/content-type.js';
import { endedByClose, type WorldResponse } from '../world/world.js';
import { policyReadingOf, type SilverlightReadAnswer, type SilverlightSteps } from './steps.js';

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

function fromRead<T>(loc: PolicyLocation, read: SilverlightReadAnswer<T>, r: WorldResponse, why: string, requirements: RequirementId[]): FetchedSilverlightPolicy<T> {
  if (!read.ok) return none(loc.key, read.answered, read.why, read.requirements, r, read.diagnostics);
  return { location: loc.key, answered: 'policy', policy: read.policy, response: r, why, requirements, diagnostics: read.diagnostics };
}

// SL-SOCK-2, SL-SOCK-4, SL-SOCK-5, SL-SOCK-12
/** Fetches the socket policy of port 943: the answer as the client reads it, in Silverlight's own format only. */
export function fetchSocketPolicy<P, F>(world: IndexedWorld, loc: PolicyLocation, steps: SilverlightSteps<P, F>): FetchedSilverlightPolicy<P> {
  const r = world.get(loc.key);
  if (r === undefined) return none(loc.key, 'refused', 'nothing listens on port 943', ['SL-SOCK-12']);
  if (r.error !== undefined) return none(loc.key, r.error, `the connection to port 943 failed (${r.error})`, ['SL-SOCK-12'], r);
  const answer = steps.socketAnswer(r);
  if (answer.text === null) return none(loc.key, answer.answered, answer.why, answer.requirements, r);
  const read = steps.readPolicy(answer.text, 'socket', policyReadingOf(steps));
  if (!read.ok) return none(loc.key, read.answered, read.why, ['SL-SOCK-5', 'SL-SOCK-12', ...read.requirements], r, read.diagnostics);
  return fromRead(loc, read, r, 'a Silverlight policy was served on port 943', ['SL-SOCK-2', 'SL-SOCK-5']);
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

// SL-HTTP-4
function contentTypeRefusal<T, P, F>(loc: PolicyLocation, r: WorldResponse, steps: SilverlightSteps<P, F>): FetchedSilverlightPolicy<T> | null {
  const contentType = r.contentType ?? null;
  if (steps.acceptsContentType(contentType)) return null;
  return none(loc.key, 'content-type', `Content-Type ${contentType === null ? '(none)' : JSON.stringify(contentType)} is not ${acceptedPolicyContentTypes('silverlight')}`, ['SL-HTTP-4'], r);
}

// SL-HTTP-2, SL-HTTP-3, SL-HTTP-4
/** Fetches `/clientaccesspolicy.xml` of a root. */
export function fetchClientAccessPolicy<P, F>(world: IndexedWorld, loc: PolicyLocation, steps: SilverlightSteps<P, F>): FetchedSilverlightPolicy<P> {
  const r = world.get(loc.key);
  const failed = httpFailure<P>(loc, r) ?? contentTypeRefusal<P, P, F>(loc, r!, steps);
  if (failed !== null) return failed;
  const read = steps.readPolicy(r!.body, 'url', policyReadingOf(steps));
  if (!read.ok) return none(loc.key, read.answered, read.why, ['SL-XML-1', ...read.requirements], r, read.diagnostics);
  return fromRead(loc, read, r!, 'clientaccesspolicy.xml was obtained; crossdomain.xml will not be consulted', ['SL-HTTP-2', 'SL-HTTP-7']);
}

// SL-HTTP-6, SL-FLASH-10
/** Fetches the `crossdomain.xml` fallback of a root, read as Silverlight's subset of the Flash format. */
export function fetchFlashSubset<P, F>(world: IndexedWorld, loc: PolicyLocation, steps: SilverlightSteps<P, F>): FetchedSilverlightPolicy<F> {
  const r = world.get(loc.key);
  const failed = httpFailure<F>(loc, r) ?? contentTypeRefusal<F, P, F>(loc, r!, steps);
  if (failed !== null) return failed;
  return fromRead(loc, steps.readFlashSubset(r!.body), r!, "no clientaccesspolicy.xml was served; the crossdomain.xml fallback is read as Silverlight's subset", ['SL-HTTP-6', 'SL-FLASH-10']);
}
