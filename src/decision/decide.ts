/**
 * The decision function: may content from `origin` reach `target`, given what the network
 * answered (a world snapshot)? Dispatches on the client profile.
 *
 * Pure: no I/O, no clock, no randomness. Never throws: a request that cannot be read is denied
 * with a trace entry saying why (fail closed).
 *
 * @module
 */
import { createFlashDecider } from '../flash/decide.js';
import { createSilverlightDecider } from '../silverlight/decide.js';
import type { RequirementId } from '../diagnostics.js';
import type { WorldSnapshot } from '../world/world.js';
import type { ClientProfile, Decision, DecisionRequest } from './types.js';

/** Decides requests over one world; each policy location is parsed and compiled at most once. */
export interface Decider {
  /** Decides one request. Pure; never throws. */
  decide(request: DecisionRequest): Decision;
}

/** A denial for a request the dispatcher cannot hand to any profile. */
function denyUnreadable(request: DecisionRequest, client: ClientProfile, why: string, requirement: RequirementId | null): Decision {
  const requirements: RequirementId[] = requirement === null ? [] : [requirement];
  const origin = typeof request?.origin === 'string' ? request.origin : String(request?.origin);
  const target = typeof request?.target === 'string' ? request.target : String(request?.target);
  return {
    decision: 'deny',
    client,
    origin,
    target,
    reason: why,
    decidedBy: { location: null, rule: null, requirements },
    trace: [{ step: 'deny', why, requirements }],
  };
}

/**
 * Creates a {@link Decider} over `world`, caching per location the fetch, parse and compile work
 * of each profile. Use it to decide many requests against one world (the CLI, certify, bench).
 */
export function createDecider(world: WorldSnapshot): Decider {
  let flash: ReturnType<typeof createFlashDecider> | null = null;
  let silverlight: ReturnType<typeof createSilverlightDecider> | null = null;
  return {
    decide(request: DecisionRequest): Decision {
      try {
        const client = request?.client;
        switch (client) {
          case 'flash':
            return (flash ??= createFlashDecider(world)).decide(request);
          case 'silverlight':
            // spec/silverlight: Silverlight 4/5 in the browser (src/silverlight/decide.ts).
            return (silverlight ??= createSilverlightDecider(world)).decide(request);
          default:
            return denyUnreadable(request, 'flash', `unknown client profile ${JSON.stringify(client)}; denied`, 'FLASH-URL-12');
        }
      } catch (err) {
        // Unreachable by design (property tests feed arbitrary requests); if it happens, fail closed.
        return denyUnreadable(request, request?.client === 'silverlight' ? 'silverlight' : 'flash', `internal error while deciding (${err instanceof Error ? err.message : String(err)}); denied`, 'FLASH-URL-11');
      }
    },
  };
}

/**
 * Decides one request over a world snapshot, following the request's client profile
 * (`flash`: Flash Player 10+, strict sockets). Returns allow or deny with the full trace.
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
