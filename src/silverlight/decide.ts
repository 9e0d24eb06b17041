/**
 * The `silverlight` client profile of the decision function (spec/silverlight/6-http.md,
 * 7-flash-subset.md, 8-sockets.md): Silverlight 4/5 in the browser, without elevated trust.
 *
 * The procedure is pure. It takes the request as the one request reader read it (DECIDE-1) and the
 * world as indexed once for every client (DECIDE-2); what each policy location answered comes from
 * there (`fetch.ts`), as the effective policy Silverlight uses (`effective.ts`), compiled into an
 * index (`compile.ts`). Each location is fetched, parsed and compiled at most once per
 * {@link createSilverlightDecider}.
 *
 * Functions are named after the steps of the procedure:
 * - sockets: {@link decideSocket} → the port window → the policy of port 943 → a grant;
 * - HTTP: {@link decideHttp} → same origin → `/clientaccesspolicy.xml` → when none was served, the
 *   `crossdomain.xml` subset → a grant.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import { DecisionBuilder } from '../decision/builder.js';
import type { Decision, ParsedRequest, TraceEntry } from '../decision/types.js';
import { socketLocation, urlLocation, type IndexedWorld, type SocketTarget, type UrlTarget } from '../world/locations.js';
import type { SilverlightCaller } from './domains.js';
import { fetchClientAccessPolicy, fetchFlashSubset, fetchSocketPolicy, type FetchedSilverlightPolicy } from './fetch.js';
import { SILVERLIGHT_MAX_SOCKET_PORT, SILVERLIGHT_MIN_SOCKET_PORT, SILVERLIGHT_POLICY_PORT } from './model.js';
import { SILVERLIGHT_STEPS, type SilverlightSteps } from './steps.js';

/** A Silverlight decider over one world (same shape as the Flash one). */
export interface SilverlightDecider {
  /** Decides one request with the decider's profile (`silverlight` unless a profile's steps were given). Pure; never throws. */
  decide(request: ParsedRequest): Decision;
}

interface Env<P, F> {
  socketPolicy(host: string): FetchedSilverlightPolicy<P>;
  clientAccessPolicy(target: UrlTarget): FetchedSilverlightPolicy<P>;
  flashSubset(target: UrlTarget): FetchedSilverlightPolicy<F>;
}

/**
 * Creates a decider over a world indexed once (`indexWorld`), following `steps`: the reference
 * table (Silverlight 4/5 in the browser) unless a client profile's is given (src/profiles/).
 */
export function createSilverlightDecider<P, F>(world: IndexedWorld, steps: SilverlightSteps<P, F> = SILVERLIGHT_STEPS as unknown as SilverlightSteps<P, F>): SilverlightDecider {
  const cache = new Map<string, FetchedSilverlightPolicy<unknown>>();
  function cached<T>(key: string, make: () => FetchedSilverlightPolicy<T>): FetchedSilverlightPolicy<T> {
    let v = cache.get(key) as FetchedSilverlightPolicy<T> | undefined;
    if (v === undefined) cache.set(key, (v = make()));
    return v;
  }
  const env: Env<P, F> = {
    // SL-SOCK-2
    socketPolicy: (host) => {
      const loc = socketLocation(host, SILVERLIGHT_POLICY_PORT);
      return cached(`s|${loc.key}`, () => fetchSocketPolicy(world, loc, steps));
    },
    // SL-HTTP-2
    clientAccessPolicy: (target) => {
      const loc = urlLocation(target, '/clientaccesspolicy.xml');
      return cached(`c|${loc.key}`, () => fetchClientAccessPolicy(world, loc, steps));
    },
    // SL-HTTP-6
    flashSubset: (target) => {
      const loc = urlLocation(target, '/crossdomain.xml');
      return cached(`f|${loc.key}`, () => fetchFlashSubset(world, loc, steps));
    },
  };
  return {
    decide(request) {
      const b = DecisionBuilder.for(request);
      // SL-DOM-1: the caller is the XAP's URL.
      const caller = steps.caller(request);
      return request.target.kind === 'socket' ? decideSocket(b, env, steps, caller, request.target) : decideHttp(b, env, steps, caller, request.target, request);
    },
  };
}

function fetchEntry<T>(fetched: FetchedSilverlightPolicy<T>, used: boolean, requirements: RequirementId[]): TraceEntry {
  const e: TraceEntry = { step: 'fetch', location: fetched.location, answered: fetched.answered, used, why: fetched.why, requirements };
  if (fetched.diagnostics.length > 0 || fetched.answered === 'policy') e.diagnostics = fetched.diagnostics;
  return e;
}

/** Socket connections (SL-SOCK-*): only ports 4502–4534, and only with the policy of port 943. */
function decideSocket<P, F>(b: DecisionBuilder, env: Env<P, F>, steps: SilverlightSteps<P, F>, caller: SilverlightCaller, sock: SocketTarget): Decision {
  // SL-SOCK-1: the port window is checked before any policy is asked for.
  if (sock.port < SILVERLIGHT_MIN_SOCKET_PORT || sock.port > SILVERLIGHT_MAX_SOCKET_PORT) {
    return b.denyBecause(`port ${sock.port} is outside 4502-4534, the only ports a Silverlight socket may reach; denied without asking for a policy`, ['SL-SOCK-1']);
  }
  if (caller.scheme !== 'file' && caller.host === sock.host) {
    // SL-SOCK-6
    b.add({ step: 'note', why: `the target is the XAP's own host ${sock.host}; a socket policy is still required`, requirements: ['SL-SOCK-6'] });
  }
  // SL-SOCK-2
  const fetched = env.socketPolicy(sock.host);
  const location = fetched.location;
  if (fetched.policy === null) {
    b.add(fetchEntry(fetched, false, ['SL-SOCK-2', ...fetched.requirements]));
    // SL-SOCK-12: no other location is tried.
    return b.denyBecause(`no socket policy from ${location} (${fetched.why}); Silverlight tries no other location; denied`, ['SL-SOCK-12'], location);
  }
  b.add(fetchEntry(fetched, true, fetched.requirements));
  return steps.decideSocketGrant(b, fetched.policy, caller, sock, location);
}

/** HTTP requests (SL-HTTP-*): same origin, then `/clientaccesspolicy.xml`, then (when none was served) the `crossdomain.xml` subset. */
function decideHttp<P, F>(b: DecisionBuilder, env: Env<P, F>, steps: SilverlightSteps<P, F>, caller: SilverlightCaller, target: UrlTarget, request: ParsedRequest): Decision {
  const { method, headers } = request;
  // SL-HTTP-1
  if (caller.scheme === target.scheme && caller.host === target.host && caller.port === target.port) {
    b.add({ step: 'same-origin', why: `the XAP and ${target.href} share scheme, host and port: no policy is needed`, requirements: ['SL-HTTP-1'] });
    return b.allow(`the target has the XAP's own scheme, host and port: same origin, no policy needed`, ['SL-HTTP-1']);
  }
  // SL-HTTP-2
  const sl = env.clientAccessPolicy(target);
  if (sl.policy !== null) {
    b.add(fetchEntry(sl, true, sl.requirements));
    return steps.decideHttpGrant(b, sl.policy, sl.location, caller, target, method, headers, request);
  }
  // SL-HTTP-6: a file that was served (status 200, an accepted content type) and then rejected is
  // the answer: it grants nothing, and crossdomain.xml is not read (fail closed).
  if (sl.answered === 'invalid') {
    if (steps.afterRejectedPolicy() === 'deny') {
      b.add(fetchEntry(sl, false, ['SL-HTTP-2', 'SL-HTTP-6', ...sl.requirements]));
      return b.denyBecause(`${sl.location} was served and rejected (${sl.why}); a rejected clientaccesspolicy.xml does not open the crossdomain.xml fallback; denied`, ['SL-HTTP-6'], sl.location);
    }
    b.add(fetchEntry(sl, false, ['SL-HTTP-2', 'SL-HTTP-6', ...sl.requirements]));
    b.add({ step: 'note', location: sl.location, why: 'this client reads crossdomain.xml after a served clientaccesspolicy.xml it rejected', requirements: ['SL-HTTP-6'] });
  } else {
    b.add(fetchEntry(sl, false, ['SL-HTTP-2', ...sl.requirements]));
  }

  // SL-HTTP-6: only now, with no clientaccesspolicy.xml served.
  const fl = env.flashSubset(target);
  if (fl.policy === null) {
    b.add(fetchEntry(fl, false, ['SL-HTTP-6', ...fl.requirements]));
    return b.denyBecause(`no policy: ${sl.location}: ${sl.why}; ${fl.location}: ${fl.why}; denied`, ['SL-HTTP-9']);
  }
  b.add(fetchEntry(fl, true, fl.requirements));
  return steps.decideFlashSubset(b, fl.policy, fl.response, fl.location, caller, target.scheme, method, headers);
}

