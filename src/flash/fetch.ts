/**
 * Fetching a Flash policy location from a world snapshot: what the location answered (nothing, a
 * failed connection, a redirect, a status, an unfinished answer), then the effective policy of
 * what arrived (`effective.ts`), compiled for deciding (`compile.ts`). How each step reads the
 * answer is the client profile's (`steps.ts`); the reference is Flash Player 10's.
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
import { readFlashPolicy, type FlashPolicyRead, type FlashReadSteps } from './effective.js';

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
  /** Whether the file was read as the master policy. */
  master: boolean;
}

/** What following a URL location gave: a body to read as a policy, or why there is none. */
export type UrlAnswer =
  | {
      ok: true;
      response: WorldResponse;
      /** The location the body came from. */
      final: UrlLocation;
      /** The `Content-Type` the client judges the body by (`null`: none). */
      contentType: string | null;
      /** The `X-Permitted-Cross-Domain-Policies` header the client reads, if any. */
      metaPolicyHeader: string | undefined;
      requirements: RequirementId[];
    }
  | { ok: false; final: UrlLocation; answered: TraceAnswer; why: string; requirements: RequirementId[]; response?: WorldResponse };

/** The fetch outcome of a read response: compiled when the client uses it. */
function fromRead(read: FlashPolicyRead, base: Pick<FetchedFlashPolicy, 'requested' | 'final' | 'response' | 'finalUrl' | 'master'>, requirements: RequirementId[]): FetchedFlashPolicy {
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
export function fetchSocketPolicy(world: IndexedWorld, loc: SocketLocation, master: boolean, steps: FlashReadSteps): FetchedFlashPolicy {
  const base = { requested: loc.key, final: loc.key, master };
  const response = world.get(loc.key);
  if (response === undefined) {
    return { ...base, answered: 'refused', compiled: null, response, why: 'nothing listens there (connection refused)', requirements: [], diagnostics: [] };
  }
  if (response.error !== undefined) {
    return { ...base, answered: response.error, compiled: null, response, why: `the connection failed (${response.error})`, requirements: [], diagnostics: [] };
  }
  const read = readFlashPolicy(response.body, { kind: 'socket', servedFromPort: loc.port, master, framed: true, ...(response.end !== undefined ? { end: response.end } : {}) }, {}, steps);
  return fromRead(read, { ...base, response }, []);
}

// FLASH-URL-6, FLASH-URL-8, FLASH-URL-15
/**
 * Flash Player 10's way from a URL location to a body: same-host redirects (FLASH-URL-8), at most
 * {@link MAX_POLICY_REDIRECTS}, never to a blocked port (FLASH-URL-15); then status 200 and a
 * complete body (FLASH-URL-6).
 */
export function flashUrlAnswer(world: IndexedWorld, requested: UrlLocation): UrlAnswer {
  const requirements: RequirementId[] = [];
  let loc = requested;
  const seen = new Set<string>([loc.key]);
  const fail = (answered: TraceAnswer, why: string, reqs: RequirementId[], response?: WorldResponse): UrlAnswer => ({
    ok: false,
    final: loc,
    answered,
    why,
    requirements: [...requirements, ...reqs],
    ...(response !== undefined ? { response } : {}),
  });
  for (let hops = 0; ; hops++) {
    const response = world.get(loc.key);
    // FLASH-URL-6
    if (response === undefined) return fail('status 404', `${loc.key} is not there (404): no policy`, ['FLASH-URL-6']);
    if (response.error !== undefined) return fail(response.error, `the request failed (${response.error}): no policy`, ['FLASH-URL-6'], response);
    const status = response.status ?? 200;
    const redirectTo = status >= 300 && status < 400 ? responseHeader(response, 'location') : undefined;
    if (redirectTo === undefined) {
      if (status !== 200) return fail(`status ${status}`, `HTTP status ${status}, not 200: no policy`, ['FLASH-URL-6'], response);
      // FLASH-URL-6: a body that did not complete is a failed load, not a shorter policy.
      if (!endedByClose(response)) return fail(`unfinished (${response.end as Exclude<typeof response.end, 'close' | undefined>})`, `the response body did not complete (it ended by ${response.end}): no policy`, ['FLASH-URL-6'], response);
      return { ok: true, response, final: loc, contentType: response.contentType ?? null, metaPolicyHeader: responseHeader(response, 'x-permitted-cross-domain-policies'), requirements };
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
}

/** The steps {@link fetchUrlPolicy} takes from a profile: the reading steps, the way to a body, and what a master is. */
export interface FlashUrlFetchSteps extends FlashReadSteps {
  urlAnswer(world: IndexedWorld, requested: UrlLocation): UrlAnswer;
  isMasterUrl(final: UrlLocation, requestedAsMaster: boolean): boolean;
}

/**
 * Fetches a URL policy location from the world: redirects, status and body (`steps.urlAnswer`),
 * then the effective policy of the body (`none-this-response`, content type, parse).
 */
export function fetchUrlPolicy(world: IndexedWorld, requested: UrlLocation, master: boolean, steps: FlashUrlFetchSteps): FetchedFlashPolicy {
  const answer = steps.urlAnswer(world, requested);
  if (!answer.ok) {
    return { requested: requested.key, final: answer.final.key, answered: answer.answered, compiled: null, response: answer.response, why: answer.why, requirements: answer.requirements, diagnostics: [], finalUrl: answer.final, master };
  }
  const loc = answer.final;
  const asMaster = steps.isMasterUrl(loc, master);
  const read = readFlashPolicy(
    answer.response.body,
    { kind: 'url', scheme: loc.scheme, master: asMaster, contentType: answer.contentType, location: { host: requested.host, port: requested.port }, ...(answer.metaPolicyHeader !== undefined ? { metaPolicyHeader: answer.metaPolicyHeader } : {}) },
    {},
    steps,
  );
  const fetched = fromRead(read, { requested: requested.key, final: loc.key, response: answer.response, finalUrl: loc, master: asMaster }, answer.requirements);
  if (fetched.compiled !== null && loc.key !== requested.key) fetched.why = `a policy, after a same-host redirect to ${loc.key}`;
  return fetched;
}
