/**
 * The decision function: may content from `origin` reach `target`, given what the network
 * answered (a world snapshot)? Reads the request once (DECIDE-1), indexes the world once for every
 * client (DECIDE-2), applies the client configuration (CLIENT-2), then hands both to the client's
 * procedure.
 *
 * Pure: no I/O, no clock, no randomness. Never throws: a request that cannot be read is denied
 * with a trace entry saying why (fail closed).
 *
 * @module
 */
import { createFlashDecider, type FlashDecider } from '../flash/decide.js';
import { flashStepsOf, PROFILES, silverlightStepsOf, type ProfileRegistry } from '../profiles/index.js';
import { createSilverlightDecider, type SilverlightDecider } from '../silverlight/decide.js';
import { indexWorld } from '../world/locations.js';
import type { WorldSnapshot } from '../world/world.js';
import { DecisionBuilder } from './builder.js';
import { decideByConfiguration } from './client-config.js';
import { readRequest, type RequestReadResult } from './request.js';
import { PROFILE_NAMES, type Decision, type DecisionRequest, type ParsedRequest, type ProfileName } from './types.js';

/** Decides requests over one world; each policy location is parsed and compiled at most once. */
export interface Decider {
  /** Decides one request. Pure; never throws. */
  decide(request: DecisionRequest): Decision;
  /** Decides a request the request reader already read ({@link readRequest}), without reading it again. */
  decideParsed(request: ParsedRequest): Decision;
}

// DECIDE-1
/** The denial of a request the reader could not read: one `invalid-request` step, then deny. */
function denyUnreadable(read: RequestReadResult): Decision {
  const b = new DecisionBuilder(read.client, read.given, null);
  const first = read.diagnostics[0];
  const why = first?.message ?? 'the request could not be read';
  const requirements = first === undefined ? (['DECIDE-1'] as const) : [first.requirement];
  b.add({ step: 'invalid-request', why, requirements: [...requirements], diagnostics: read.diagnostics });
  return b.denyBecause(`${why}; denied`, [...requirements]);
}

/** A denial for a failure of ours while deciding: unreachable by design, and fail closed if not. */
function denyInternal(request: ParsedRequest, err: unknown): Decision {
  const why = `internal error while deciding (${err instanceof Error ? err.message : String(err)}); denied`;
  return DecisionBuilder.for(request).denyBecause(why, [request.family === 'flash' ? 'FLASH-URL-11' : 'SL-HTTP-9']);
}

/** Options of {@link createDecider}. */
export interface DeciderOptions {
  /** The profile definitions followed: {@link PROFILES} unless given (tests take one override out with `withoutOverride`). */
  profiles?: ProfileRegistry;
}

/**
 * Creates a {@link Decider} over `world`: the world is indexed once, for every client, and each
 * profile caches per location the fetch, parse and compile of its policies. Use it to decide many
 * requests against one world (the CLI, certify, bench), under one profile or several.
 */
export function createDecider(world: WorldSnapshot, options: DeciderOptions = {}): Decider {
  const indexed = indexWorld(world);
  const registry = options.profiles ?? PROFILES;
  const deciders = new Map<ProfileName, FlashDecider | SilverlightDecider>();
  // Each profile follows its family's procedure with its own step table (src/profiles/).
  const deciderFor = (request: ParsedRequest): FlashDecider | SilverlightDecider => {
    let d = deciders.get(request.client);
    if (d === undefined) {
      d = request.family === 'flash' ? createFlashDecider(indexed, flashStepsOf(request.client, registry)) : createSilverlightDecider(indexed, silverlightStepsOf(request.client, registry));
      deciders.set(request.client, d);
    }
    return d;
  };
  const decideParsed = (request: ParsedRequest): Decision => {
    try {
      // CLIENT-2: the client configuration has the last word, before any policy is asked for —
      // the settings the profile's client honours.
      const honoured = (request.family === 'flash' ? flashStepsOf(request.client, registry) : silverlightStepsOf(request.client, registry)).clientConfig(request.clientConfig, request.target);
      const configured = decideByConfiguration(honoured === request.clientConfig ? request : { ...request, clientConfig: honoured });
      if ('decision' in configured) return configured.decision;
      const decision = deciderFor(request).decide(request);
      if (configured.notes.length > 0) decision.trace = [...configured.notes, ...decision.trace];
      return decision;
    } catch (err) {
      // Unreachable by design (property tests feed arbitrary requests); if it happens, fail closed.
      return denyInternal(request, err);
    }
  };
  return {
    decide(request: DecisionRequest): Decision {
      const read = readRequest(request);
      return read.request === null ? denyUnreadable(read) : decideParsed(read.request);
    },
    decideParsed,
  };
}

/**
 * Decides one request over a world snapshot, following the request's client profile
 * (`flash`: Flash Player 10+, strict sockets; `silverlight`: Silverlight 4/5 in the browser; or a
 * client modelled on one of them: spec/profiles.md).
 * Returns allow or deny with the full trace.
 *
 * @example
 * ```ts
 * const d = decide(
 *   { client: 'flash', origin: 'http://a.com/m.swf', target: 'socket://b.com:5000' },
 *   { 'xmlsocket://b.com:843': { body: '<cross-domain-policy><allow-access-from domain="a.com" to-ports="5000"/></cross-domain-policy>\0' } },
 * );
 * d.decision; // 'allow'
 * ```
 */
export function decide(request: DecisionRequest, world: WorldSnapshot): Decision {
  return createDecider(world).decide(request);
}

/** The decisions of one request under several profiles, by profile name, in the order asked. */
export type ProfileDecisions = Partial<Record<ProfileName, Decision>>;

/**
 * Decides one request under each profile of `clients` (default: every profile, {@link PROFILE_NAMES})
 * over one world indexed once: what `xdpolicy decide --client all` prints. Compare each with its
 * family's reference (`profileFamily`) to see where a client departs.
 *
 * @example
 * ```ts
 * const all = decideProfiles({ origin: 'http://a.com/m.swf', target: 'socket://b.com:5005' }, world);
 * all.flash?.decision; all.lightspark?.decision;
 * ```
 */
export function decideProfiles(request: Omit<DecisionRequest, 'client'>, world: WorldSnapshot, clients: readonly ProfileName[] = PROFILE_NAMES, options: DeciderOptions = {}): ProfileDecisions {
  const decider = createDecider(world, options);
  const out: ProfileDecisions = {};
  for (const client of clients) out[client] = decider.decide({ ...request, client });
  return out;
}

/** Decides one request under the `flash` profile (Flash Player 10+, strict sockets), whatever client it names. */
export function decideFlash(request: Omit<DecisionRequest, 'client'> & { client?: ProfileName }, world: WorldSnapshot): Decision {
  return decide({ ...request, client: 'flash' }, world);
}

/**
 * Decides one request under the `silverlight` profile (Silverlight 4/5 in the browser), whatever
 * client it names.
 *
 * @example
 * ```ts
 * decideSilverlight(
 *   { origin: 'http://a.com/app.xap', target: 'socket://b.com:4502' },
 *   { 'xmlsocket://b.com:943': { body: '<access-policy>…</access-policy>' } },
 * ).decision;
 * ```
 */
export function decideSilverlight(request: Omit<DecisionRequest, 'client'> & { client?: ProfileName }, world: WorldSnapshot): Decision {
  return decide({ ...request, client: 'silverlight' }, world);
}
