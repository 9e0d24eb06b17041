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
import { DecisionBuilder, traceRule } from '../decision/builder.js';
import type { Decision, ParsedRequest, TraceEntry, TraceRule } from '../decision/types.js';
import { responseHeader } from '../world/parse.js';
import { socketLocation, urlLocation, type IndexedWorld, type SocketTarget, type UrlTarget } from '../world/locations.js';
import type { WorldResponse } from '../world/world.js';
import { admittingAllowFroms, findSocketGrant, type CompiledSilverlightPolicy } from './compile.js';
import { callerOf, type SilverlightCaller } from './domains.js';
import { fetchClientAccessPolicy, fetchFlashSubset, fetchSocketPolicy, type FetchedSilverlightPolicy } from './fetch.js';
import { SILVERLIGHT_ACCEPTED_META_POLICIES } from './flash-subset.js';
import { disallowedHeaders, isHeaderAllowed, isMethodAllowed } from './headers.js';
import { SILVERLIGHT_MAX_SOCKET_PORT, SILVERLIGHT_MIN_SOCKET_PORT, SILVERLIGHT_POLICY_PORT, type SilverlightElementSource, type SilverlightFlashSubset } from './model.js';
import { findForbiddenPathSequence, localRequestPath, matchResourcePath, unresolvedRequestPath } from './paths.js';

/** A Silverlight decider over one world (same shape as the Flash one). */
export interface SilverlightDecider {
  /** Decides one request with the `silverlight` profile. Pure; never throws. */
  decide(request: ParsedRequest): Decision;
}

interface Env {
  socketPolicy(host: string): FetchedSilverlightPolicy<CompiledSilverlightPolicy>;
  clientAccessPolicy(target: UrlTarget): FetchedSilverlightPolicy<CompiledSilverlightPolicy>;
  flashSubset(target: UrlTarget): FetchedSilverlightPolicy<SilverlightFlashSubset>;
}

/** Creates a decider for the `silverlight` profile over a world indexed once (`indexWorld`). */
export function createSilverlightDecider(world: IndexedWorld): SilverlightDecider {
  const cache = new Map<string, FetchedSilverlightPolicy<unknown>>();
  function cached<T>(key: string, make: () => FetchedSilverlightPolicy<T>): FetchedSilverlightPolicy<T> {
    let v = cache.get(key) as FetchedSilverlightPolicy<T> | undefined;
    if (v === undefined) cache.set(key, (v = make()));
    return v;
  }
  const env: Env = {
    // SL-SOCK-2
    socketPolicy: (host) => {
      const loc = socketLocation(host, SILVERLIGHT_POLICY_PORT);
      return cached(`s|${loc.key}`, () => fetchSocketPolicy(world, loc));
    },
    // SL-HTTP-2
    clientAccessPolicy: (target) => {
      const loc = urlLocation(target, '/clientaccesspolicy.xml');
      return cached(`c|${loc.key}`, () => fetchClientAccessPolicy(world, loc));
    },
    // SL-HTTP-6
    flashSubset: (target) => {
      const loc = urlLocation(target, '/crossdomain.xml');
      return cached(`f|${loc.key}`, () => fetchFlashSubset(world, loc));
    },
  };
  return {
    decide(request) {
      const b = DecisionBuilder.for(request);
      // SL-DOM-1: the caller is the XAP's URL.
      const caller = callerOf(request.origin);
      return request.target.kind === 'socket' ? decideSocket(b, env, caller, request.target) : decideHttp(b, env, caller, request.target, request.method, request.headers);
    },
  };
}

function ruleOf(element: string, source: SilverlightElementSource | undefined): TraceRule | null {
  return source === undefined ? null : traceRule(element, source);
}

/** A trace entry with the rule of `source`, when the model has one. */
function withRule(entry: TraceEntry, element: string, source: SilverlightElementSource | undefined): TraceEntry {
  const rule = ruleOf(element, source);
  if (rule !== null) entry.rule = rule;
  return entry;
}

function describeCaller(caller: SilverlightCaller): string {
  if (caller.scheme === 'file') return caller.host === '' ? 'a local (file:) XAP' : `a file: XAP on host ${caller.host}`;
  return `${caller.scheme}://${caller.host}:${caller.port}${caller.path}`;
}

function fetchEntry<T>(fetched: FetchedSilverlightPolicy<T>, used: boolean, requirements: RequirementId[]): TraceEntry {
  const e: TraceEntry = { step: 'fetch', location: fetched.location, answered: fetched.answered, used, why: fetched.why, requirements };
  if (fetched.diagnostics.length > 0 || fetched.answered === 'policy') e.diagnostics = fetched.diagnostics;
  return e;
}

/** Socket connections (SL-SOCK-*): only ports 4502–4534, and only with the policy of port 943. */
function decideSocket(b: DecisionBuilder, env: Env, caller: SilverlightCaller, sock: SocketTarget): Decision {
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
  const compiled = fetched.policy;
  // SL-SOCK-10: an allow-from admitting the XAP, and a socket-resource of the same policy covering the port.
  // SL-SOCK-11: only socket-resource elements are consulted here; resource elements play no part.
  const grant = findSocketGrant(compiled, caller, sock.port);
  if (grant !== null) {
    const a = grant.allowFrom;
    const s = grant.resource;
    b.add(withRule({ step: 'match', location, why: `<domain uri="${a.uri}"> admits the XAP`, requirements: ['SL-SOCK-10'] }, 'domain', a.domainSource));
    return b.allow(`the policy on ${location} admits the XAP (uri="${a.uri}") and grants TCP port ${sock.port} (port="${s.from === s.to ? s.from : `${s.from}-${s.to}`}")`, ['SL-SOCK-10', 'SL-SOCK-9'], location, ruleOf('socket-resource', s.source));
  }
  const admitted = admittingAllowFroms(compiled, caller);
  if (admitted.length === 0) {
    b.add({ step: 'no-match', location, why: 'no <domain> of the policy admits the XAP', requirements: ['SL-DOM-2'] });
    return b.denyBecause(`the policy on ${location} admits no caller like ${describeCaller(caller)}; denied`, ['SL-SOCK-10'], location);
  }
  b.add({ step: 'no-match', location, why: `the policies admitting the XAP grant no tcp socket-resource covering port ${sock.port}`, requirements: ['SL-SOCK-10'] });
  return b.denyBecause(`the policy on ${location} admits the XAP but grants no TCP access to port ${sock.port}; denied`, ['SL-SOCK-10'], location);
}

/** HTTP requests (SL-HTTP-*): same origin, then `/clientaccesspolicy.xml`, then (when none was served) the `crossdomain.xml` subset. */
function decideHttp(b: DecisionBuilder, env: Env, caller: SilverlightCaller, target: UrlTarget, method: string, headers: readonly string[]): Decision {
  // SL-HTTP-1
  if (caller.scheme === target.scheme && caller.host === target.host && caller.port === target.port) {
    b.add({ step: 'same-origin', why: `the XAP and ${target.href} share scheme, host and port: no policy is needed`, requirements: ['SL-HTTP-1'] });
    return b.allow(`the target has the XAP's own scheme, host and port: same origin, no policy needed`, ['SL-HTTP-1']);
  }
  // SL-HTTP-2
  const sl = env.clientAccessPolicy(target);
  if (sl.policy !== null) {
    b.add(fetchEntry(sl, true, sl.requirements));
    return decideWithSilverlightPolicy(b, sl.policy, sl.location, caller, target, method, headers);
  }
  // SL-HTTP-6: a file that was served (status 200, an accepted content type) and then rejected is
  // the answer: it grants nothing, and crossdomain.xml is not read (fail closed).
  if (sl.answered === 'invalid') {
    b.add(fetchEntry(sl, false, ['SL-HTTP-2', 'SL-HTTP-6', ...sl.requirements]));
    return b.denyBecause(`${sl.location} was served and rejected (${sl.why}); a rejected clientaccesspolicy.xml does not open the crossdomain.xml fallback; denied`, ['SL-HTTP-6'], sl.location);
  }
  b.add(fetchEntry(sl, false, ['SL-HTTP-2', ...sl.requirements]));

  // SL-HTTP-6: only now, with no clientaccesspolicy.xml served.
  const fl = env.flashSubset(target);
  if (fl.policy === null) {
    b.add(fetchEntry(fl, false, ['SL-HTTP-6', ...fl.requirements]));
    return b.denyBecause(`no policy: ${sl.location}: ${sl.why}; ${fl.location}: ${fl.why}; denied`, ['SL-HTTP-9']);
  }
  b.add(fetchEntry(fl, true, fl.requirements));
  return decideWithFlashSubset(b, fl.policy, fl.response, fl.location, caller, target.scheme, method, headers);
}

function decideWithSilverlightPolicy(b: DecisionBuilder, compiled: CompiledSilverlightPolicy, location: string, caller: SilverlightCaller, target: UrlTarget, method: string, headers: readonly string[]): Decision {
  // SL-PATH-5, SL-PATH-6
  const raw = target.rawPath;
  const forbidden = findForbiddenPathSequence(raw);
  if (forbidden !== null) {
    const unresolved = unresolvedRequestPath(raw);
    const shown = unresolved === raw ? JSON.stringify(raw) : `${JSON.stringify(raw)} (read by the URL parser as ${JSON.stringify(unresolved)})`;
    if (!compiled.wholeSite) {
      b.add({ step: 'no-match', location, why: `the request path ${shown} contains "${forbidden}" and the policy is not a lone path="/" grant with subpaths`, requirements: ['SL-PATH-5', 'SL-PATH-6'] });
      return b.denyBecause(`the request path contains "${forbidden}" before the query, which Silverlight refuses unless the policy grants the whole site; denied`, ['SL-PATH-5'], location);
    }
    b.add({ step: 'note', location, why: `the request path contains "${forbidden}", allowed because the policy is a lone path="/" grant with subpaths`, requirements: ['SL-PATH-6'] });
  }
  // SL-PATH-1: resources match the decoded path.
  const localPath = localRequestPath(target);
  const admitted = admittingAllowFroms(compiled, caller);
  if (admitted.length === 0) {
    b.add({ step: 'no-match', location, why: `no <domain> admits ${describeCaller(caller)}`, requirements: ['SL-DOM-8'] });
    return b.denyBecause(`${location} admits no caller like ${describeCaller(caller)}; denied`, ['SL-HTTP-8'], location);
  }
  let lastMiss: { why: string; requirements: RequirementId[] } | null = null;
  for (const a of admitted) {
    // SL-HDR-8
    if (!isMethodAllowed(a.allowFrom.httpMethods, method)) {
      lastMiss = { why: `<allow-from> at line ${a.allowFrom.source?.location.line ?? '?'} admits the XAP but not method ${method} (only GET and POST without http-methods="*")`, requirements: ['SL-HDR-8'] };
      b.add(withRule({ step: 'no-match', location, why: lastMiss.why, requirements: lastMiss.requirements }, 'allow-from', a.allowFrom.source));
      continue;
    }
    // SL-HDR-7: every header must be allowed by this same allow-from.
    const refused = disallowedHeaders(a.allowFrom.httpRequestHeaders, headers);
    if (refused.length > 0) {
      lastMiss = { why: `<allow-from> at line ${a.allowFrom.source?.location.line ?? '?'} admits the XAP but not header ${refused.join(', ')}`, requirements: ['SL-HDR-7'] };
      b.add(withRule({ step: 'no-match', location, why: lastMiss.why, requirements: lastMiss.requirements }, 'allow-from', a.allowFrom.source));
      continue;
    }
    for (const gt of a.entry.grantTo) {
      for (const r of gt.resources) {
        if (matchResourcePath(r, localPath)) {
          b.add(withRule({ step: 'match', location, why: `<domain uri="${a.uri}"> admits the XAP`, requirements: ['SL-HTTP-8'] }, 'domain', a.domainSource));
          const reqs: RequirementId[] = ['SL-HTTP-8', r.includeSubpaths ? 'SL-PATH-3' : 'SL-PATH-2'];
          return b.allow(`${location} admits the XAP (uri="${a.uri}") and grants path ${JSON.stringify(localPath)} (resource path="${r.path}"${r.includeSubpaths ? ' include-subpaths="true"' : ''})`, reqs, location, ruleOf('resource', r.source));
        }
      }
    }
    lastMiss = { why: `the policy admitting the XAP (uri="${a.uri}") grants no resource matching ${JSON.stringify(localPath)} (case-sensitive)`, requirements: ['SL-PATH-1'] };
    b.add({ step: 'no-match', location, why: lastMiss.why, requirements: lastMiss.requirements });
  }
  return b.denyBecause(`${location}: ${lastMiss?.why ?? 'no grant'}; denied`, ['SL-HTTP-8', ...(lastMiss?.requirements ?? [])], location);
}

function decideWithFlashSubset(b: DecisionBuilder, policy: SilverlightFlashSubset, response: WorldResponse | undefined, location: string, caller: SilverlightCaller, scheme: 'http' | 'https', method: string, headers: readonly string[]): Decision {
  // SL-FLASH-5: the header and every site-control must say all, master-only or by-ftp-filename.
  const metas: { value: string; from: string }[] = policy.siteControl.map((v) => ({ value: v, from: '<site-control>' }));
  const header = response === undefined ? undefined : responseHeader(response, 'x-permitted-cross-domain-policies');
  if (header !== undefined) metas.push({ value: header.trim(), from: 'X-Permitted-Cross-Domain-Policies' });
  for (const m of metas) {
    if (!SILVERLIGHT_ACCEPTED_META_POLICIES.includes(m.value)) {
      const why = `${m.from} says ${JSON.stringify(m.value)}; Silverlight uses a crossdomain.xml only under all, master-only or by-ftp-filename`;
      b.add({ step: 'meta-policy', location, why, requirements: ['SL-FLASH-5'] });
      return b.denyBecause(`${why}; denied`, ['SL-FLASH-5'], location);
    }
  }
  // SL-FLASH-8: no http-methods in Flash files: GET and POST only.
  if (!isMethodAllowed([], method)) return b.denyBecause(`method ${method} is not GET or POST, and a crossdomain.xml cannot allow other methods; denied`, ['SL-FLASH-8'], location);
  // SL-FLASH-6: secure (default true) over HTTPS admits only HTTPS callers.
  const secureOk = (secure: boolean): boolean => scheme !== 'https' || !secure || caller.scheme === 'https';
  if (policy.allowAccessFrom.length === 0) return b.denyBecause(`${location} has no allow-access-from: it grants nothing; denied`, ['SL-FLASH-9'], location);
  // SL-FLASH-4
  const star = policy.allowAccessFrom.filter((e) => e.domain === '*');
  if (star.length === 0) {
    return b.denyBecause(`${location} has no allow-access-from domain="*"; Silverlight honours no other domain in a crossdomain.xml; denied`, ['SL-FLASH-4'], location);
  }
  const grant = star.find((e) => secureOk(e.secure));
  if (grant === undefined) {
    return b.denyBecause(`${location} is served over HTTPS and its domain="*" grant is secure; the XAP is not loaded over HTTPS; denied`, ['SL-FLASH-6'], location);
  }
  b.add(withRule({ step: 'match', location, why: 'allow-access-from domain="*" admits every caller', requirements: ['SL-FLASH-4'] }, 'allow-access-from', grant.source));
  // SL-FLASH-7
  for (const h of headers) {
    if (isHeaderAllowed([], h)) continue;
    const ok = policy.allowHttpRequestHeadersFrom.some((e) => e.domain === '*' && secureOk(e.secure) && isHeaderAllowed(e.headers, h));
    if (!ok) return b.denyBecause(`header ${h} is not allowed by an allow-http-request-headers-from domain="*" of ${location}; denied`, ['SL-FLASH-7'], location);
  }
  return b.allow(`${location} (read as Silverlight's crossdomain.xml subset) grants every caller with allow-access-from domain="*"; no path restriction applies`, ['SL-FLASH-4', 'SL-FLASH-8'], location, ruleOf('allow-access-from', grant.source));
}
