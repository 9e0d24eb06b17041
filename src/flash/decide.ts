/**
 * Flash Player 10's decision procedure over a world snapshot (spec/flash/5–8): may a SWF loaded
 * from `origin` open a socket to, or load data from, `target`?
 *
 * The procedure is pure. It takes the request as the one request reader read it (DECIDE-1) and the
 * world as indexed once for every client (DECIDE-2); what each policy location answered comes from
 * there (`fetch.ts`), as the effective policy the client uses (`effective.ts`). Every location
 * consulted, what it answered, why its policy was used or ignored and the rule that matched go
 * into the trace, with the requirement IDs applied at each step. Anything that cannot be read
 * ends in deny (FLASH-URL-11).
 *
 * Functions are named after the steps of the procedure:
 * - sockets: {@link decideSocketConnection} → consult the master on 843 → apply its meta-policy →
 *   consult `loadPolicyFile` socket locations → consult the destination port;
 * - data loads: {@link decideDataLoad} → same origin → consult the master `/crossdomain.xml` →
 *   the meta-policy → consult `loadPolicyFile` URLs in scope → grant access and headers.
 *
 * A {@link FlashDecider} caches the fetch, parse and compile of each location, so that deciding
 * many requests over one world parses each policy once.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import { DecisionBuilder, describeRule, traceRule } from '../decision/builder.js';
import type { Decision, ParsedRequest, TraceEntry, TraceRule } from '../decision/types.js';
import { masterUrlLocation, socketLocation, type IndexedWorld, type SocketTarget, type UrlLocation, type UrlTarget } from '../world/locations.js';
import { flashBlocksPort } from './blocked-ports.js';
import { findAccessGrant, findHeaderGrants, type CompiledAccessRule, type CompiledHeaderRule, type RuleOrigin } from './compile.js';
import { fetchSocketPolicy, fetchUrlPolicy, type FetchedFlashPolicy } from './fetch.js';
import { effectiveMetaPolicy, type EffectiveMetaPolicy } from './meta.js';
import { FLASH_STEPS, type FlashFetcher, type FlashSteps } from './steps.js';

/** Decides requests over one world, fetching, parsing and compiling each location at most once. */
export interface FlashDecider {
  /** Decides one request under the decider's profile (`flash` unless a profile's steps were given). Never throws. */
  decide(request: ParsedRequest): Decision;
}

/**
 * Creates a {@link FlashDecider} over a world indexed once (`indexWorld`), following `steps`: the
 * reference table (Flash Player 10+) unless a client profile's is given (src/profiles/).
 */
export function createFlashDecider(world: IndexedWorld, steps: FlashSteps = FLASH_STEPS): FlashDecider {
  const cache = new Map<string, FetchedFlashPolicy>();
  const cached = (key: string, make: () => FetchedFlashPolicy): FetchedFlashPolicy => {
    let v = cache.get(key);
    if (v === undefined) cache.set(key, (v = make()));
    return v;
  };
  const fetch: FlashFetcher = {
    socket: (loc, master) => cached(`s|${master ? 'm' : 'n'}|${loc.key}`, () => fetchSocketPolicy(world, loc, master, steps)),
    url: (loc, master) => cached(`u|${master ? 'm' : 'n'}|${loc.key}`, () => fetchUrlPolicy(world, loc, master, steps)),
  };
  return {
    decide(request) {
      const b = DecisionBuilder.for(request);
      const decided = steps.withoutPolicy(b, request, fetch);
      if (decided !== null) return decided;
      return request.target.kind === 'socket' ? decideSocketConnection(b, fetch, steps, request, request.target) : decideDataLoad(b, fetch, steps, request, request.target);
    },
  };
}

function accessRuleOf(r: CompiledAccessRule): TraceRule {
  const fallback: Record<string, string> = { domain: r.rule.domain };
  if (r.rule.secure !== null) fallback.secure = String(r.rule.secure);
  return traceRule('allow-access-from', r.rule.source, fallback);
}

function headerRuleOf(r: CompiledHeaderRule): TraceRule {
  return traceRule('allow-http-request-headers-from', r.rule.source, { domain: r.rule.domain, headers: r.rule.headers.join(',') });
}

function allowByRule(b: DecisionBuilder, location: string, rule: TraceRule, requirements: RequirementId[], what: string): Decision {
  return b.allow(`${what}: ${describeRule(rule)} at ${location}`, requirements, location, rule);
}

/** The outcome of asking one socket policy for a grant. */
function consultSocketPolicy(
  b: DecisionBuilder,
  fetched: FetchedFlashPolicy,
  origin: RuleOrigin,
  target: SocketTarget,
  role: string,
  requirements: RequirementId[],
): CompiledAccessRule | null {
  const compiled = fetched.compiled!;
  const servedFrom = compiled.context.servedFromPort ?? 0;
  // FLASH-SOCK-7: the effective policy knows the lowest port it can grant.
  if (target.port < compiled.effective.lowestGrantablePort) {
    b.obstacle(
      {
        step: 'no-match',
        location: fetched.final,
        used: false,
        why: `${role} is served from port ${servedFrom}, so it can grant only ports ${compiled.effective.lowestGrantablePort} and higher, not ${target.port}`,
        requirements: [...requirements, 'FLASH-SOCK-7'],
      },
      ['FLASH-SOCK-7'],
    );
    return null;
  }
  const grant = findAccessGrant(compiled, origin, target.port);
  if (grant) {
    b.add({ step: 'match', location: fetched.final, used: true, why: `${role} grants port ${target.port} to this origin`, rule: accessRuleOf(grant), requirements: [...requirements, ...grantRequirements(grant, true)] });
  } else {
    b.add({ step: 'no-match', location: fetched.final, used: false, why: `${role} has no allow-access-from granting port ${target.port} to this origin`, requirements: [...requirements, 'FLASH-PORT-5'] });
  }
  return grant;
}

/** The requirements a granting rule rests on: its domain form, `secure`, ports. */
function grantRequirements(r: CompiledAccessRule, socket: boolean): RequirementId[] {
  const dom: Record<string, RequirementId> = { any: 'FLASH-DOM-1', name: 'FLASH-DOM-2', suffix: 'FLASH-DOM-3', ip: 'FLASH-DOM-5', invalid: 'FLASH-DOM-6' };
  const out: RequirementId[] = [dom[r.pattern.kind]!];
  if (socket) out.push('FLASH-PORT-5', 'FLASH-SEC-3');
  else out.push('FLASH-URL-9');
  return out;
}

// FLASH-URL-15
/**
 * A `loadPolicyFile` URL on a blocked port is refused when it is called, whatever the target: it is
 * never fetched, and the trace says so. Returns whether `loc` was refused.
 */
function refuseBlockedPolicyLocation(b: DecisionBuilder, steps: FlashSteps, loc: UrlLocation): boolean {
  if (!steps.blocksPolicyLocation(loc)) return false;
  b.add({ step: 'ignore', location: loc.key, used: false, why: `port ${loc.port} is on Flash Player's blocked list, so Security.loadPolicyFile refuses this location: it is never fetched`, requirements: ['FLASH-URL-15', 'FLASH-URL-14'] });
  return true;
}

/** The trace entry of a location fetched: what it answered, whether it was used, and the parser's diagnostics. */
export function fetchEntry(fetched: FetchedFlashPolicy, used: boolean, why: string, requirements: RequirementId[]): TraceEntry {
  const e: TraceEntry = { step: 'fetch', location: fetched.requested, answered: fetched.answered, used, why, requirements };
  if (fetched.diagnostics.length > 0) e.diagnostics = fetched.diagnostics;
  return e;
}

// FLASH-SOCK-3
/**
 * Socket connections (FLASH-SOCK-3 … FLASH-SOCK-8): every connection needs a socket policy, even
 * to the SWF's own host. The master on 843 first; then `loadPolicyFile` socket locations of the
 * target host; then the destination port — the last two only when the master's meta-policy
 * admits non-master policies (`steps.socketLocations`).
 */
function decideSocketConnection(b: DecisionBuilder, fetch: FlashFetcher, steps: FlashSteps, request: ParsedRequest, target: SocketTarget): Decision {
  const origin = steps.ruleOrigin(request);
  const requirementsBase: RequirementId[] = ['FLASH-SOCK-3'];
  let allowed = { loadPolicy: true, destination: true };

  // FLASH-SOCK-8: a client holding a policy for the target's address (fetched before the
  // connection) decides with it alone; such a client has already traced the socket locations
  // loadPolicyFile named.
  const held = steps.heldSocketPolicy({ b, fetch, request, target, steps });
  if (held?.policy) {
    const policy = held.policy;
    const grant = consultSocketPolicy(b, policy, origin, target, `the socket policy held for ${target.host} (from ${policy.final})`, ['FLASH-SOCK-8']);
    if (grant) return allowByRule(b, policy.final, accessRuleOf(grant), ['FLASH-SOCK-8', ...grantRequirements(grant, true)], `the socket policy held for ${target.host}, fetched from ${policy.final}, grants port ${target.port}`);
    return b.deny(`the socket policy held for ${target.host} (from ${policy.final}) does not grant port ${target.port}, and this client asks no other location while it holds one`, ['FLASH-SOCK-8']);
  }

  // FLASH-SOCK-4: the master socket policy on port 843 of the target host.
  const masterLoc = steps.masterSocketLocation(target.host);
  const consulted = new Set<string>();
  if (masterLoc === null) {
    b.add({ step: 'note', why: `this client has no master socket policy location: it asks the loadPolicyFile locations and the destination port`, requirements: [...requirementsBase, 'FLASH-SOCK-4'] });
  } else {
    consulted.add(masterLoc.key);
    const master = fetch.socket(masterLoc, true);
    if (master.compiled === null) {
      // FLASH-SOCK-5: no usable master (nothing listening, the 3-second wait expired, empty,
      // malformed): fall back as if port 843 did not exist, with the socket default `all`.
      const waited = master.answered === 'timeout' ? 'no answer within the 3-second wait' : master.why;
      const after = steps.unusableMasterSocket(master.answered);
      if (after === 'nothing') {
        // A client whose only socket policy is the master's: without one, nothing else is asked.
        b.add(fetchEntry(master, false, `master socket policy: ${waited}; this client asks no other location`, [...requirementsBase, 'FLASH-SOCK-4', 'FLASH-SOCK-5', ...master.requirements]));
        return b.denyBecause(`no usable socket policy on ${masterLoc.key} (${waited}), and this client asks no other location`, ['FLASH-SOCK-5'], masterLoc.key);
      }
      if (after === 'destination-only') {
        allowed = { loadPolicy: false, destination: true };
        b.add(fetchEntry(master, false, `master socket policy: ${waited}; this client then asks only the destination port`, [...requirementsBase, 'FLASH-SOCK-4', 'FLASH-SOCK-5', ...master.requirements]));
      } else {
        b.add(fetchEntry(master, false, `master socket policy: ${waited}; no master, so fall back to the other locations`, [...requirementsBase, 'FLASH-SOCK-4', 'FLASH-SOCK-5', ...master.requirements]));
      }
    } else {
      const meta: EffectiveMetaPolicy = master.compiled.effective.metaPolicy ?? effectiveMetaPolicy(null, undefined, { kind: 'socket' });
      b.add(fetchEntry(master, true, 'master socket policy found on port 843', [...requirementsBase, 'FLASH-SOCK-4', ...master.requirements]));
      b.add({ step: 'meta-policy', location: masterLoc.key, why: meta.notes.join('; '), requirements: ['FLASH-SOCK-6', ...meta.requirements] });
      // FLASH-SOCK-6, FLASH-META-2
      if (meta.value === 'none') {
        return b.denyBecause(`the master socket policy ${masterLoc.key} declares meta-policy 'none': no socket connection to ${target.host} is allowed`, ['FLASH-SOCK-6', 'FLASH-META-2'], masterLoc.key);
      }
      const grant = consultSocketPolicy(b, master, origin, target, 'the master socket policy', ['FLASH-SOCK-4']);
      if (grant) return allowByRule(b, master.final, accessRuleOf(grant), ['FLASH-SOCK-4', ...grantRequirements(grant, true)], `the master socket policy grants port ${target.port}`);
      // FLASH-SOCK-6, FLASH-META-3
      if (meta.value === 'master-only') {
        return b.denyBecause(`the master socket policy ${masterLoc.key} does not grant port ${target.port}, and its meta-policy 'master-only' rules out every other socket policy`, ['FLASH-SOCK-6', 'FLASH-META-3'], masterLoc.key);
      }
      allowed = steps.socketLocations(meta.value);
    }
  }

  // FLASH-SOCK-8: socket policy locations named by Security.loadPolicyFile, in call order.
  const urlLocations = request.loadPolicy.filter((l) => l.location !== null && l.location.kind === 'url');
  for (const { text, location: loc, diagnostics } of request.loadPolicy) {
    if (loc !== null && loc.kind === 'url') continue;
    if (held !== null) continue;
    if (loc === null) {
      b.add({ step: 'ignore', location: text, used: false, why: `not a policy location: ${diagnostics[0]?.message ?? text}`, requirements: ['FLASH-SOCK-8'] });
      continue;
    }
    if (!allowed.loadPolicy) {
      b.add({ step: 'ignore', location: loc.key, used: false, why: "the master's meta-policy rules out the policies loadPolicyFile names", requirements: ['FLASH-SOCK-6', 'FLASH-SOCK-8'] });
      continue;
    }
    if (loc.host !== target.host) {
      b.add({ step: 'ignore', location: loc.key, used: false, why: `applies only to connections to ${loc.host}, not ${target.host}`, requirements: ['FLASH-SOCK-8'] });
      continue;
    }
    if (consulted.has(loc.key)) {
      b.add({ step: 'ignore', location: loc.key, used: false, why: 'already consulted', requirements: ['FLASH-SOCK-8'] });
      continue;
    }
    consulted.add(loc.key);
    const fetched = fetch.socket(loc, false);
    if (fetched.compiled === null) {
      const why = fetched.answered === 'timeout' ? 'no answer (loadPolicyFile waits without the 3-second limit, so this means no policy)' : fetched.why;
      b.add(fetchEntry(fetched, false, `loadPolicyFile socket policy: ${why}`, ['FLASH-SOCK-8', ...fetched.requirements]));
      continue;
    }
    b.add(fetchEntry(fetched, true, 'loadPolicyFile socket policy found', ['FLASH-SOCK-8', 'FLASH-SOCK-9', ...fetched.requirements]));
    const grant = consultSocketPolicy(b, fetched, origin, target, "the policy named by loadPolicyFile", ['FLASH-SOCK-8']);
    if (grant) return allowByRule(b, fetched.final, accessRuleOf(grant), ['FLASH-SOCK-8', ...grantRequirements(grant, true)], `the loadPolicyFile socket policy on port ${loc.port} grants port ${target.port}`);
  }

  // FLASH-SOCK-5: the destination port itself.
  const destLoc = socketLocation(target.host, target.port);
  if (!allowed.destination) {
    b.add({ step: 'ignore', location: destLoc.key, used: false, why: "the master's meta-policy is not 'all': the destination port is not asked", requirements: ['FLASH-SOCK-6', 'FLASH-SOCK-5'] });
  } else if (consulted.has(destLoc.key)) {
    b.add({ step: 'ignore', location: destLoc.key, used: false, why: 'the destination port was already consulted', requirements: ['FLASH-SOCK-5'] });
  } else {
    const dest = fetch.socket(destLoc, destLoc.key === masterLoc?.key);
    if (dest.compiled === null) {
      b.add(fetchEntry(dest, false, `socket policy on the destination port: ${dest.why}`, ['FLASH-SOCK-5', ...dest.requirements]));
    } else {
      b.add(fetchEntry(dest, true, 'socket policy found on the destination port', ['FLASH-SOCK-5', 'FLASH-SOCK-9', ...dest.requirements]));
      const grant = consultSocketPolicy(b, dest, origin, target, 'the destination port policy', ['FLASH-SOCK-5']);
      if (grant) return allowByRule(b, dest.final, accessRuleOf(grant), ['FLASH-SOCK-5', ...grantRequirements(grant, true)], `the socket policy on the destination port grants port ${target.port}`);
    }
  }
  const legacy = steps.legacySocketGrant({ b, fetch, request, origin, target, urlLocations, steps });
  if (legacy !== null) return legacy;
  return b.deny(`no socket policy grants ${request.origin.href} a connection to ${target.host}:${target.port}`, ['FLASH-SOCK-3']);
}

/**
 * Data loads (FLASH-URL-*): same origin needs no policy; otherwise the master `/crossdomain.xml`
 * sets the meta-policy and may grant; `loadPolicyFile` URLs in scope may grant when the
 * meta-policy honours them; request headers each need an `allow-http-request-headers-from`.
 */
function decideDataLoad(b: DecisionBuilder, fetch: FlashFetcher, steps: FlashSteps, request: ParsedRequest, target: UrlTarget): Decision {
  const originUrl = request.origin;
  // FLASH-URL-14: a blocked port is refused before anything else, the SWF's own origin included.
  if (flashBlocksPort(target.scheme, target.port)) {
    const why = `port ${target.port} is on Flash Player's blocked list for ${target.scheme === 'https' ? 'HTTPS (read as HTTP)' : 'HTTP'}: the request is refused before any policy is asked for, whatever any policy says`;
    b.add({ step: 'blocked', why, requirements: ['FLASH-URL-14'] });
    return b.denyBecause(`${target.href}: ${why}`, ['FLASH-URL-14']);
  }
  // FLASH-URL-2
  if (steps.sameOrigin(request, target)) {
    b.add({ step: 'same-origin', why: `the SWF and ${target.href} share scheme, host and port: no policy is needed`, requirements: ['FLASH-URL-2'] });
    return b.allow(`same origin: ${target.scheme}://${target.host}:${target.port} loads its own data without a policy`, ['FLASH-URL-2']);
  }
  const free = steps.policyFreeLoad(request, target);
  if (free !== null) {
    b.add({ step: 'note', why: free.why, requirements: free.requirements });
    return b.allow(`${target.href}: ${free.why}`, free.requirements);
  }
  const origin = steps.ruleOrigin(request);
  const headers = steps.headersToCheck(request.headers);
  if (headers.length < request.headers.length) {
    b.add({ step: 'note', why: `this client does not check the request headers (${request.headers.filter((h) => !headers.includes(h)).join(', ')}) against any policy`, requirements: ['FLASH-URL-10'] });
  }

  // FLASH-URL-1: the master policy, at /crossdomain.xml of the target's scheme, host and port.
  const masterLoc = masterUrlLocation(target);
  const master = fetch.url(masterLoc, true);
  let meta: EffectiveMetaPolicy;
  if (master.compiled === null) {
    meta = effectiveMetaPolicy(null, undefined, { kind: 'url', scheme: target.scheme });
    b.obstacle(fetchEntry(master, false, `master policy: ${master.why}`, ['FLASH-URL-1', ...master.requirements]), master.requirements);
  } else if (!master.master) {
    // A profile whose client decides master-ness by the final URL (the reference never does): a
    // master location that ends elsewhere is no master, and a non-master declares no meta-policy.
    b.add(fetchEntry(master, false, `master location answered a file that is no master for this client (it ended at ${master.final})`, ['FLASH-URL-1', 'FLASH-URL-8', ...master.requirements]));
    return b.denyBecause(`${masterLoc.key} ended at ${master.final}, which this client does not read as the master: no policy file of ${target.host} is honoured`, ['FLASH-URL-1', 'FLASH-URL-8'], masterLoc.key);
  } else {
    meta = master.compiled.effective.metaPolicy ?? effectiveMetaPolicy(null, undefined, { kind: 'url', scheme: target.scheme });
    b.add(fetchEntry(master, true, `master policy: ${master.why}`, ['FLASH-URL-1', ...master.requirements]));
  }
  b.add({ step: 'meta-policy', location: masterLoc.key, why: meta.notes.join('; '), requirements: meta.requirements.length ? meta.requirements : ['FLASH-META-1'] });
  // FLASH-META-2
  if (meta.value === 'none') {
    return b.denyBecause(`the master policy ${masterLoc.key} declares meta-policy 'none': no policy file of ${target.host} is honoured`, ['FLASH-META-2'], masterLoc.key);
  }

  // Candidate policies in the order the player consults them: the master, then loadPolicyFile URLs.
  const honoured: FetchedFlashPolicy[] = [];
  if (master.compiled !== null) {
    const scope = steps.masterCoversTarget(master, target);
    if (scope.covers) honoured.push(master);
    else b.obstacle({ step: 'ignore', location: master.final, used: false, why: scope.why, requirements: [scope.requirement, 'FLASH-URL-8'] });
  }

  let accessGrant: { fetched: FetchedFlashPolicy; rule: CompiledAccessRule } | null = null;
  const headerGrants: (({ fetched: FetchedFlashPolicy; rule: CompiledHeaderRule }) | null)[] = headers.map(() => null);
  const satisfied = (): boolean => accessGrant !== null && headerGrants.every((g) => g !== null);
  const consult = (fetched: FetchedFlashPolicy, role: string): void => {
    const compiled = fetched.compiled!;
    if (accessGrant === null) {
      const grant = findAccessGrant(compiled, origin);
      if (grant) {
        accessGrant = { fetched, rule: grant };
        b.add({ step: 'match', location: fetched.final, used: true, why: `${role} grants access to this origin`, rule: accessRuleOf(grant), requirements: grantRequirements(grant, false) });
      } else {
        const secureNote = !origin.https && compiled.context.scheme === 'https' && compiled.accessRules.some((r) => r.secure);
        const entry: TraceEntry = { step: 'no-match', location: fetched.final, used: false, why: `${role} has no allow-access-from matching this origin${secureNote ? ' (over HTTPS, secure defaults to true: a non-HTTPS SWF needs secure="false")' : ''}`, requirements: secureNote ? ['FLASH-URL-9', 'FLASH-SEC-2'] : ['FLASH-URL-9'] };
        if (secureNote) b.obstacle(entry, ['FLASH-SEC-2']);
        else b.add(entry);
      }
    }
    const pending = headers.map((h, i) => (headerGrants[i] === null ? h : null));
    if (pending.some((h) => h !== null)) {
      const found = findHeaderGrants(compiled, origin, pending.map((h) => h ?? ''));
      found.forEach((g, i) => {
        if (pending[i] !== null && g !== null) {
          headerGrants[i] = { fetched, rule: g };
          b.add({ step: 'match', location: fetched.final, used: true, why: `${role} allows sending header ${headers[i]}`, rule: headerRuleOf(g), requirements: ['FLASH-URL-10', 'FLASH-SEC-4'] });
        }
      });
    }
  };

  for (const fetched of honoured) consult(fetched, 'the master policy');

  // FLASH-URL-5: loadPolicyFile URLs, honoured only as the meta-policy allows.
  for (const { text, location: loc, diagnostics } of request.loadPolicy) {
    if (satisfied()) break;
    if (loc === null || loc.kind !== 'url') {
      b.add({ step: 'ignore', location: text, used: false, why: loc !== null ? 'a socket policy never authorizes a data load' : `not a policy location: ${diagnostics[0]?.message ?? text}`, requirements: ['FLASH-URL-5'] });
      continue;
    }
    if (refuseBlockedPolicyLocation(b, steps, loc)) continue;
    const scope = steps.loadPolicyCandidate(loc, target);
    if (!scope.covers) {
      b.obstacle({ step: 'ignore', location: loc.key, used: false, why: scope.why, requirements: [scope.requirement, 'FLASH-URL-5'] }, [scope.requirement]);
      continue;
    }
    if (loc.key === masterLoc.key) {
      b.add({ step: 'ignore', location: loc.key, used: false, why: 'this is the master policy, already consulted', requirements: ['FLASH-URL-5'] });
      continue;
    }
    const fetched = fetch.url(loc, false);
    if (fetched.compiled === null) {
      b.add(fetchEntry(fetched, false, `loadPolicyFile policy: ${fetched.why}`, ['FLASH-URL-5', ...fetched.requirements]));
      continue;
    }
    const governing = fetched.master ? null : steps.governingMeta(fetched, meta.value, fetch);
    const permit = governing === null ? { permitted: true, requirement: 'FLASH-URL-5' as RequirementId, why: 'read as a master policy: no other meta-policy governs it' } : steps.metaPermits(governing, { master: false, contentType: fetched.response?.contentType, path: fetched.finalUrl!.path });
    if (!permit.permitted) {
      b.obstacle(fetchEntry(fetched, false, `loadPolicyFile policy ignored: ${permit.why}`, ['FLASH-URL-5', permit.requirement]), [permit.requirement]);
      continue;
    }
    const rescope = steps.fileCoversTarget(fetched, target);
    if (!rescope.covers) {
      b.obstacle(fetchEntry(fetched, false, `loadPolicyFile policy ignored after its redirect: ${rescope.why}`, ['FLASH-URL-8', rescope.requirement]));
      continue;
    }
    b.add(fetchEntry(fetched, true, `loadPolicyFile policy honoured: ${permit.why}; ${rescope.why}`, ['FLASH-URL-5', permit.requirement, 'FLASH-META-8', ...fetched.requirements]));
    consult(fetched, `the policy at ${fetched.final}`);
  }

  const grant = accessGrant as { fetched: FetchedFlashPolicy; rule: CompiledAccessRule } | null;
  if (grant === null) {
    return b.deny(`no policy in scope grants ${originUrl.href} access to ${target.href}`, ['FLASH-URL-9', 'FLASH-URL-11']);
  }
  const missing = headers.filter((_, i) => headerGrants[i] === null);
  if (missing.length > 0) {
    return b.denyBecause(`access is granted by ${grant.fetched.final}, but no policy in scope allows sending header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, ['FLASH-URL-10'], grant.fetched.final);
  }
  const rule = accessRuleOf(grant.rule);
  return allowByRule(b, grant.fetched.final, rule, grantRequirements(grant.rule, false), `${grant.fetched === master ? 'the master policy' : 'the policy'} grants access`);
}
