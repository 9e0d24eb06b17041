/**
 * Domain checks: who a grant trusts (`LINT-DOMAIN-*`, `LINT-HEADERS-ANY-DOMAIN`,
 * `LINT-SL-DOMAIN-ANY`, `LINT-SL-SCHEME-WILDCARD`).
 *
 * @module
 */
import { pushAll } from '../../collections.js';
import type { RequirementId } from '../../diagnostics.js';
import type { FlashPolicy } from '../../flash/model.js';
import { parseDomainPattern } from '../../flash/domains.js';
import { classifyDomainUri } from '../../silverlight/domains.js';
import type { SilverlightPolicy } from '../../silverlight/model.js';
import type { LintContext } from '../context.js';
import type { Finding } from '../finding.js';
import { finding } from './check.js';
import { getDomain } from 'tldts';
import { judgeHost, judgeWildcardSuffix } from './hosts.js';

type Where = { location: { line: number; column: number; offset: number } } | undefined;

/** Findings for one exact host or one wildcard suffix, whatever the format. */
function judgeGrantHost(element: string, value: string, where: Where, host: string | null, suffix: string | null, sl = false): Finding[] {
  const req = (flash: RequirementId, silverlight: RequirementId): RequirementId => (sl ? silverlight : flash);
  if (suffix !== null) {
    const kind = judgeWildcardSuffix(suffix);
    if (kind === 'public-suffix') {
      return [finding('LINT-DOMAIN-PUBLIC-SUFFIX', `${element} "${value}" trusts every site registered under the public suffix "${suffix}": anyone can register a name there.`, where, value, req('FLASH-DOM-3', 'SL-DOM-7'))];
    }
    if (kind === 'local') {
      return [finding('LINT-DOMAIN-LOCAL', `${element} "${value}" trusts every host under the local-only suffix "${suffix}", i.e. whatever the visitor's own machine or network serves.`, where, value, req('FLASH-DOM-3', 'SL-DOM-7'))];
    }
    return [finding('LINT-DOMAIN-SUBDOMAIN-WILDCARD', `${element} "${value}" trusts every subdomain of ${suffix}, including forgotten or taken-over ones.`, where, value, req('FLASH-DOM-3', 'SL-DOM-7'))];
  }
  if (host !== null) {
    const kind = judgeHost(host);
    if (kind === 'local' || kind === 'local-ip') {
      return [finding('LINT-DOMAIN-LOCAL', `${element} "${value}" trusts a loopback, private or local-only origin: any local app or device (or a DNS-rebinding page) can use it.`, where, value, req('FLASH-DOM-5', 'SL-DOM-5'))];
    }
    if (kind === 'public-ip') {
      return [finding('LINT-DOMAIN-IP-LITERAL', `${element} "${value}" trusts an IP address; whoever holds that address later inherits the grant.`, where, value, req('FLASH-DOM-5', 'SL-DOM-5'))];
    }
  }
  return [];
}

/**
 * Flags who Flash grants trust: `*` (LINT-DOMAIN-ANY, LINT-HEADERS-ANY-DOMAIN), wildcards over a
 * public suffix, local-only suffix or any subdomain, IP literals, local origins, and domains that
 * can never match.
 *
 * Example policy where this check triggers: `<allow-access-from domain="*.github.io"/>`.
 * Confidence: no false positives for `*`, public suffixes and never-matching values; subdomain
 * wildcards and IP literals are informative.
 */
export const checkFlashDomains = (policy: FlashPolicy, context: LintContext): Finding[] => {
  const out: Finding[] = [];
  const elements = [
    ...policy.allowAccessFrom.map((r) => ({ name: 'allow-access-from', rule: r, headers: false })),
    ...policy.allowHttpRequestHeadersFrom.map((r) => ({ name: 'allow-http-request-headers-from', rule: r, headers: true })),
  ];
  for (const { name, rule, headers } of elements) {
    const where = rule.source;
    const value = rule.domain;
    const pattern = parseDomainPattern(value);
    switch (pattern.kind) {
      case 'any':
        if (headers) {
          // FLASH-URL-10
          out.push(finding('LINT-HEADERS-ANY-DOMAIN', `allow-http-request-headers-from domain="*" lets a SWF from any site send the headers "${rule.source?.raw['headers'] ?? ''}" with the visitor's cookies.`, where, value, 'FLASH-URL-10'));
        } else {
          // FLASH-DOM-1
          const what = context.kind === 'socket' ? 'open socket connections to the granted ports of this host' : "read this host's responses with the visitor's cookies";
          out.push(finding('LINT-DOMAIN-ANY', `allow-access-from domain="*" lets a SWF from any site ${what}.`, where, value, 'FLASH-DOM-1'));
        }
        break;
      case 'suffix':
        pushAll(out, judgeGrantHost(name, value, where, null, pattern.suffix));
        break;
      case 'name':
        pushAll(out, judgeGrantHost(name, value, where, pattern.name, null));
        break;
      case 'ip':
        pushAll(out, judgeGrantHost(name, value, where, pattern.address, null));
        break;
      case 'invalid':
        out.push(finding('LINT-DOMAIN-NEVER-MATCHES', `${name} domain="${value}" can never match: ${pattern.reason}.`, where, value, pattern.requirement ?? 'FLASH-DOM-6'));
        break;
    }
  }
  return out;
};

/**
 * Flags who Silverlight grants trust: `*`, `http://*`, `https://*`, wildcards over public or
 * local suffixes or any subdomain, IP literals, local origins, `file:///` callers, and URIs that can
 * never match.
 *
 * Example policy where this check triggers: `<domain uri="https://*"/>`.
 * Confidence: as for the Flash domain check.
 */
export const checkSilverlightDomains = (policy: SilverlightPolicy, context: LintContext): Finding[] => {
  const out: Finding[] = [];
  for (const entry of policy.policies) {
    for (const allow of entry.allowFrom) {
      for (const d of allow.domains) {
        const where = d.source;
        const value = d.uri;
        const pattern = classifyDomainUri(value);
        switch (pattern.kind) {
          case 'any':
            // SL-DOM-2: a socket carries no credentials; what `*` opens depends on the kind of policy.
            out.push(finding('LINT-SL-DOMAIN-ANY', `<domain uri="*"/> lets a XAP from any site ${context.kind === 'socket' ? 'open socket connections to the ports this policy grants on this host' : "use this policy's grants with the visitor's credentials"}.`, where, value, 'SL-DOM-2'));
            break;
          case 'scheme':
            out.push(finding('LINT-SL-SCHEME-WILDCARD', `<domain uri="${value}"/> admits every ${pattern.scheme} site: as open as "*".`, where, value, 'SL-DOM-3'));
            break;
          case 'file':
            out.push(finding('LINT-SL-LOCAL-FILE', `<domain uri="${value}"/> admits applications run from the visitor's own disk.`, where, value, 'SL-DOM-4'));
            break;
          case 'subdomains':
            pushAll(out, judgeGrantHost('domain uri', value, where, null, pattern.suffix, true));
            break;
          case 'root':
          case 'application':
            pushAll(out, judgeGrantHost('domain uri', value, where, pattern.host, null, true));
            break;
          case 'never':
            out.push(finding('LINT-DOMAIN-NEVER-MATCHES', `<domain uri="${value}"/> can never match: ${pattern.reason}.`, where, value, 'SL-DOM-8'));
            break;
        }
      }
    }
  }
  return out;
};

/** The registered domain (registrable domain of the Public Suffix List, private section included) of a host, or null (an IP, a public suffix itself, a local name). */
export function registeredDomain(host: string): string | null {
  const lower = host.toLowerCase().replace(/^\*\./, '');
  if (judgeHost(lower) !== 'ordinary') return null;
  return getDomain(lower, { allowPrivateDomains: true, validateHostname: false, detectIp: true });
}

/** One named host or wildcard of a grant: the element's words for it, its value, and its source. */
interface NamedHost {
  element: string;
  value: string;
  host: string;
  where: Where;
}

// LINT-14
/** A finding for each named host under a registered domain that is neither the served host's nor a `--trusted` one's. */
function judgeRegistered(hosts: readonly NamedHost[], context: LintContext): Finding[] {
  const own = context.host !== undefined ? registeredDomain(context.host) : null;
  const expected = new Set<string>();
  for (const t of context.trusted ?? []) {
    const d = registeredDomain(t);
    if (d !== null) expected.add(d);
  }
  const out: Finding[] = [];
  for (const h of hosts) {
    const registered = registeredDomain(h.host);
    if (registered === null || registered === own || expected.has(registered)) continue;
    const whose = own !== null ? `not this host's (${own})` : context.host !== undefined ? `not this host's (${context.host})` : 'named without --served-from, so the served host\'s own domain is not known';
    const hint = (context.trusted ?? []).length > 0 ? 'it is not among --trusted' : 'pass --trusted if it is expected';
    out.push(finding('LINT-DOMAIN-REGISTERED', `${h.element} "${h.value}" trusts the registered domain ${registered}, ${whose}: whoever controls ${registered} (its owner, or whoever registers it once it lapses) gets this grant; ${hint}.`, h.where, registered, 'LINT-14'));
  }
  return out;
}

/**
 * Lists the registered domains a Flash policy trusts beyond the served host's (LINT-DOMAIN-REGISTERED):
 * the input of a domain-takeover check, as nmap, w3af and Watcher list them.
 *
 * Example policy where this check triggers, served from `https://www.example.com/crossdomain.xml`:
 * `<allow-access-from domain="widgets.partner-cdn.net"/>`.
 * Confidence: certain; informative.
 */
export const checkFlashRegisteredDomains = (policy: FlashPolicy, context: LintContext): Finding[] => {
  const hosts: NamedHost[] = [];
  const add = (element: string, domain: string, where: Where): void => {
    const p = parseDomainPattern(domain);
    if (p.kind === 'name') hosts.push({ element, value: domain, host: p.name, where });
    else if (p.kind === 'suffix') hosts.push({ element, value: domain, host: p.suffix, where });
  };
  for (const r of policy.allowAccessFrom) add('allow-access-from', r.domain, r.source);
  for (const r of policy.allowHttpRequestHeadersFrom) add('allow-http-request-headers-from', r.domain, r.source);
  return judgeRegistered(hosts, context);
};

/**
 * Lists the registered domains a Silverlight policy admits beyond the served host's (LINT-DOMAIN-REGISTERED).
 *
 * Example policy where this check triggers: `<domain uri="https://widgets.partner-cdn.net"/>`.
 * Confidence: certain; informative.
 */
export const checkSilverlightRegisteredDomains = (policy: SilverlightPolicy, context: LintContext): Finding[] => {
  const hosts: NamedHost[] = [];
  for (const entry of policy.policies) {
    for (const allow of entry.allowFrom) {
      for (const d of allow.domains) {
        const p = classifyDomainUri(d.uri);
        if (p.kind === 'subdomains') hosts.push({ element: 'domain uri', value: d.uri, host: p.suffix, where: d.source });
        else if (p.kind === 'root' || p.kind === 'application') hosts.push({ element: 'domain uri', value: d.uri, host: p.host, where: d.source });
      }
    }
  }
  return judgeRegistered(hosts, context);
};
