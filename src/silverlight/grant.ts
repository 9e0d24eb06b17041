/**
 * The reference decisions over a policy Silverlight obtained (spec/silverlight/4-paths.md,
 * 5-headers.md, 7-flash-subset.md, 8-sockets.md): which rule of a `clientaccesspolicy.xml` grants a
 * socket port or an HTTP request, and what the `crossdomain.xml` subset allows. They are steps of
 * the Silverlight procedure (`steps.ts`): a client profile may replace them.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import { traceRule, type DecisionBuilder } from '../decision/builder.js';
import type { Decision, TraceEntry, TraceRule } from '../decision/types.js';
import { responseHeader } from '../world/parse.js';
import type { SocketTarget, UrlTarget } from '../world/locations.js';
import type { WorldResponse } from '../world/world.js';
import { admittingAllowFroms, findSocketGrant, type CompiledSilverlightPolicy } from './compile.js';
import type { SilverlightCaller } from './domains.js';
import { SILVERLIGHT_ACCEPTED_META_POLICIES } from './flash-subset.js';
import { disallowedHeaders, isHeaderAllowed, isMethodAllowed } from './headers.js';
import type { SilverlightElementSource, SilverlightFlashSubset } from './model.js';
import { findForbiddenPathSequence, localRequestPath, matchResourcePath, unresolvedRequestPath } from './paths.js';

export function ruleOf(element: string, source: SilverlightElementSource | undefined): TraceRule | null {
  return source === undefined ? null : traceRule(element, source);
}

/** A trace entry with the rule of `source`, when the model has one. */
export function withRule(entry: TraceEntry, element: string, source: SilverlightElementSource | undefined): TraceEntry {
  const rule = ruleOf(element, source);
  if (rule !== null) entry.rule = rule;
  return entry;
}

export function describeCaller(caller: SilverlightCaller): string {
  if (caller.scheme === 'file') return caller.host === '' ? 'a local (file:) XAP' : `a file: XAP on host ${caller.host}`;
  return `${caller.scheme}://${caller.host}:${caller.port}${caller.path}`;
}

// SL-SOCK-9, SL-SOCK-10, SL-SOCK-11
/** The socket decision over the policy of port 943: an `allow-from` admitting the XAP and a tcp `socket-resource` of the same policy covering the port. */
export function decideSocketGrant(b: DecisionBuilder, compiled: CompiledSilverlightPolicy, caller: SilverlightCaller, sock: SocketTarget, location: string): Decision {
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

// SL-HTTP-8, SL-PATH-1 … SL-PATH-6, SL-HDR-7, SL-HDR-8
/** The HTTP decision over a `clientaccesspolicy.xml`: the path restrictions, then an `allow-from` admitting the XAP, its method and headers, and a resource of its policy. */
export function decideHttpGrant(b: DecisionBuilder, compiled: CompiledSilverlightPolicy, location: string, caller: SilverlightCaller, target: UrlTarget, method: string, headers: readonly string[]): Decision {
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

// SL-FLASH-4 … SL-FLASH-9
/** The HTTP decision over the `crossdomain.xml` subset: the meta-policies, then `allow-access-from domain="*"` and the header rules. */
export function decideFlashSubset(b: DecisionBuilder, policy: SilverlightFlashSubset, response: WorldResponse | undefined, location: string, caller: SilverlightCaller, scheme: 'http' | 'https', method: string, headers: readonly string[]): Decision {
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
