/**
 * Fetching a Flash policy location from a world snapshot: what the location answered (nothing, a
 * failed connection, a redirect, a status, an unfinished answer), then the effective policy of
 * what arrived (`effective.ts`), compiled for deciding (`compile.ts`).
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';
import type { TraceAnswer } from '../decision/types.js';
import { resolveRedirect, type IndexedWorld, type SocketLocation, type UrlLocation } from '../world/locations.js';
import { responseHeader } from '../world/parse.js';
import { endedByClose, type WorldResponse } from '../world/world.js';
import { flashBlocksPort } from './blocked-ports.js';
import { compileFlashPolicy, type CompiledFlashPolicy } from './compile.js';
import { readFlashPolicy, type FlashPolicyRead } from './effective.js';

/** The most redirects followed for one policy location (a loop or a longer chain is unusable). */
export const MAX_POLICY_REDIRECTS = 5;

/** What fetching one policy location gave, after framing, status, type, parsing and compiling. */
export interface FetchedFlashPolicy {
  /** The location asked for. */
  requested: string;
  /** The location the policy finally came from (differs after a same-host redirect). */
  final: string;
  /** What the location answered. */
  answered: TraceAnswer;
  /** The compiled effective policy when the location served a usable one; otherwise `null`. */
  compiled: CompiledFlashPolicy | null;
  /** The response (after redirects), when there was one. */
  response: WorldResponse | undefined;
  /** Why the policy is usable or not, for people. */
  why: string;
  requirements: RequirementId[];
  /** The parser's diagnostics, when the response was read as a policy or rejected as one. */
  diagnostics: Diagnostic[];
  /** For a URL location: the final location, for scope checks. */
  finalUrl?: UrlLocation;
}

/** The fetch outcome of a read response: compiled when the client uses it. */
function fromRead(read: FlashPolicyRead, base: Omit<FetchedFlashPolicy, 'answered' | 'compiled' | 'why' | 'requirements' | 'diagnostics'>, requirements: RequirementId[]): FetchedFlashPolicy {
  const used = read.answered === 'policy' && read.effective !== null;
  return {
    ...base,
    answered: read.answered,
    compiled: used ? compileFlashPolicy(read.effective!) : null,
    why: read.why,
    requirements: [...requirements, ...read.requirements],
    // A response refused before it is read as a policy carries no parser diagnostics.
    diagnostics: read.answered === 'policy' || read.answered === 'invalid' ? read.diagnostics : [],
  };
}

/** Fetches a socket policy location from the world: framing (FLASH-SOCK-2), then the effective policy. */
export function fetchSocketPolicy(world: IndexedWorld, loc: SocketLocation, master: boolean): FetchedFlashPolicy {
  const base = { requested: loc.key, final: loc.key };
  const response = world.get(loc.key);
  if (response === undefined) {
    return { ...base, answered: 'refused', compiled: null, response, why: 'nothing listens there (connection refused)', requirements: [], diagnostics: [] };
  }
  if (response.error !== undefined) {
    return { ...base, answered: response.error, compiled: null, response, why: `the connection failed (${response.error})`, requirements: [], diagnostics: [] };
  }
  const read = readFlashPolicy(response.body, { kind: 'socket', servedFromPort: loc.port, master, framed: true, ...(response.end !== undefined ? { end: response.end } : {}) });
  return fromRead(read, { ...base, response }, []);
}

/**
 * Fetches a URL policy location from the world: redirects (FLASH-URL-8), status (FLASH-URL-6),
 * then the effective policy of the body (`none-this-response`, content type, parse).
 */
export function fetchUrlPolicy(world: IndexedWorld, requested: UrlLocation, master: boolean): FetchedFlashPolicy {
  const requirements: RequirementId[] = [];
  let loc = requested;
  const seen = new Set<string>([loc.key]);
  const fail = (answered: TraceAnswer, why: string, reqs: RequirementId[], response?: WorldResponse): FetchedFlashPolicy => ({
    requested: requested.key,
    final: loc.key,
    answered,
    compiled: null,
    response,
    why,
    requirements: [...requirements, ...reqs],
    diagnostics: [],
    finalUrl: loc,
  });
  let response: WorldResponse | undefined;
  for (let hops = 0; ; hops++) {
    response = world.get(loc.key);
    // FLASH-URL-6
    if (response === undefined) return fail('status 404', `${loc.key} is not there (404): no policy`, ['FLASH-URL-6']);
    if (response.error !== undefined) return fail(response.error, `the request failed (${response.error}): no policy`, ['FLASH-URL-6'], response);
    const status = response.status ?? 200;
    const redirectTo = status >= 300 && status < 400 ? responseHeader(response, 'location') : undefined;
    if (redirectTo === undefined) {
      if (status !== 200) return fail(`status ${status}`, `HTTP status ${status}, not 200: no policy`, ['FLASH-URL-6'], response);
      // FLASH-URL-6: a body that did not complete is a failed load, not a shorter policy.
      if (!endedByClose(response)) return fail(`unfinished (${response.end as Exclude<typeof response.end, 'close' | undefined>})`, `the response body did not complete (it ended by ${response.end}): no policy`, ['FLASH-URL-6'], response);
      break;
    }
    // FLASH-URL-8
    const why: Diagnostic[] = [];
    const next = resolveRedirect(loc, redirectTo, { what: 'redirect target', requirement: 'FLASH-URL-8', diagnostics: why });
    if (next === null) return fail('redirect', `${why[0]?.message ?? 'unreadable redirect'}: no policy`, ['FLASH-URL-8'], response);
    if (next.host !== requested.host) {
      return fail('redirect', `redirected to another host (${next.key}): the policy is unusable`, ['FLASH-URL-8'], response);
    }
    // FLASH-URL-15: a redirect to a blocked port is not followed (nothing is fetched there).
    if (flashBlocksPort(next.scheme, next.port)) {
      return fail('redirect', `redirected to ${next.key}, on a port Flash Player blocks: not followed, no policy`, ['FLASH-URL-15', 'FLASH-URL-14'], response);
    }
    if (seen.has(next.key) || hops + 1 > MAX_POLICY_REDIRECTS) {
      return fail('redirect', `redirect loop or more than ${MAX_POLICY_REDIRECTS} redirects: no policy`, ['FLASH-URL-8'], response);
    }
    seen.add(next.key);
    requirements.push('FLASH-URL-8');
    loc = next;
  }
  const header = responseHeader(response, 'x-permitted-cross-domain-policies');
  const read = readFlashPolicy(response.body, { kind: 'url', scheme: loc.scheme, master, contentType: response.contentType ?? null, ...(header !== undefined ? { metaPolicyHeader: header } : {}) });
  const fetched = fromRead(read, { requested: requested.key, final: loc.key, response, finalUrl: loc }, requirements);
  if (fetched.compiled !== null && loc.key !== requested.key) fetched.why = `a policy, after a same-host redirect to ${loc.key}`;
  return fetched;
}
