/**
 * Silverlight grant checks (`LINT-SL-*` beyond domains): request headers, methods, whole-site
 * resources and whole-range socket grants.
 *
 * @module
 */
import { allowsAnyMethod } from '../../silverlight/headers.js';
import { SILVERLIGHT_MAX_SOCKET_PORT, SILVERLIGHT_MIN_SOCKET_PORT, type SilverlightPolicy } from '../../silverlight/model.js';
import type { LintContext } from '../context.js';
import type { Finding } from '../finding.js';
import { finding } from './check.js';
import { mergeRanges } from './ports.js';

/**
 * Flags `http-request-headers="*"` (LINT-SL-HEADERS-ANY), `http-methods="*"`
 * (LINT-SL-METHODS-ANY), `<resource path="/" include-subpaths="true"/>` (LINT-SL-WHOLE-SITE) and a
 * policy whose socket resources cover the whole 4502–4534 range (LINT-SL-SOCKET-ALL-PORTS).
 *
 * Example policy where this check triggers: `<allow-from http-request-headers="*">`.
 * Confidence: no false positives; the last three are informative.
 */
export const checkSilverlightGrants = (policy: SilverlightPolicy, _context: LintContext): Finding[] => {
  const out: Finding[] = [];
  for (const entry of policy.policies) {
    for (const allow of entry.allowFrom) {
      if (allow.httpRequestHeaders.includes('*')) {
        out.push(finding('LINT-SL-HEADERS-ANY', 'allow-from http-request-headers="*" lets the admitted XAPs send any request header, authentication and CSRF headers included.', allow.source, allow.source?.raw['http-request-headers'] ?? '*', 'SL-HDR-3'));
      }
      if (allowsAnyMethod(allow.httpMethods)) {
        out.push(finding('LINT-SL-METHODS-ANY', 'allow-from http-methods="*" lets the admitted XAPs send PUT, DELETE and any other method.', allow.source, allow.source?.raw['http-methods'] ?? '*', 'SL-HDR-8'));
      }
    }
    for (const grant of entry.grantTo) {
      for (const r of grant.resources) {
        if (r.path === '/' && r.includeSubpaths) {
          out.push(finding('LINT-SL-WHOLE-SITE', '<resource path="/" include-subpaths="true"/> grants every path of this host.', r.source, r.path, 'SL-PATH-3'));
        }
      }
    }
    const sockets = entry.grantTo.flatMap((g) => g.socketResources);
    const merged = mergeRanges(sockets.map((s) => ({ from: s.from, to: s.to })));
    if (merged.some((m) => m.from <= SILVERLIGHT_MIN_SOCKET_PORT && m.to >= SILVERLIGHT_MAX_SOCKET_PORT)) {
      const first = sockets[0];
      out.push(finding('LINT-SL-SOCKET-ALL-PORTS', `The policy grants every Silverlight socket port (${SILVERLIGHT_MIN_SOCKET_PORT}-${SILVERLIGHT_MAX_SOCKET_PORT}).`, first?.source, sockets.map((s) => (s.from === s.to ? `${s.from}` : `${s.from}-${s.to}`)).join(','), 'SL-SOCK-1'));
    }
  }
  return out;
};
