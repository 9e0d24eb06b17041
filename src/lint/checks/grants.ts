/**
 * Checks of what Flash grants allow beyond the domain: `secure` over HTTPS
 * (`LINT-SECURE-FALSE-HTTPS`) and request-header lists (`LINT-HEADERS-ALL`).
 *
 * @module
 */
import type { FlashPolicy } from '../../flash/model.js';
import type { LintContext } from '../context.js';
import type { Finding } from '../finding.js';
import { finding } from './check.js';

/**
 * Flags `secure="false"` on any grant of a policy served over HTTPS: an HTTP-loaded SWF of the
 * named domain (replaceable by anyone on the network path) then reads HTTPS data.
 *
 * Example policy where this check triggers, served from `https://host/crossdomain.xml`:
 * `<allow-access-from domain="www.example.com" secure="false"/>`.
 * Confidence: no false positives when `--served-from` is right; not raised when the scheme is
 * unknown or HTTP.
 */
export const checkSecureOverHttps = (policy: FlashPolicy, context: LintContext): Finding[] => {
  if (context.kind !== 'url' || context.scheme !== 'https') return [];
  const out: Finding[] = [];
  const rules = [
    ...policy.allowAccessFrom.map((r) => ({ name: 'allow-access-from', rule: r })),
    ...policy.allowHttpRequestHeadersFrom.map((r) => ({ name: 'allow-http-request-headers-from', rule: r })),
  ];
  for (const { name, rule } of rules) {
    if (rule.secure !== false) continue;
    // FLASH-SEC-2, FLASH-SEC-4
    out.push(finding('LINT-SECURE-FALSE-HTTPS', `${name} domain="${rule.domain}" secure="false" in an HTTPS policy lets SWFs loaded over plain HTTP read HTTPS data, undoing TLS.`, rule.source, rule.source?.raw['secure'] ?? 'false', name === 'allow-access-from' ? 'FLASH-SEC-2' : 'FLASH-SEC-4'));
  }
  return out;
};

/**
 * Flags `headers="*"` on `allow-http-request-headers-from`.
 *
 * Example policy where this check triggers:
 * `<allow-http-request-headers-from domain="www.example.com" headers="*"/>`.
 * Confidence: no false positives.
 */
export const checkHeaderLists = (policy: FlashPolicy, _context: LintContext): Finding[] => {
  const out: Finding[] = [];
  for (const rule of policy.allowHttpRequestHeadersFrom) {
    if (!rule.headers.some((h) => h === '*')) continue;
    // FLASH-URL-10
    out.push(finding('LINT-HEADERS-ALL', `allow-http-request-headers-from domain="${rule.domain}" headers="*" lets those SWFs send any request header, authentication and CSRF headers included.`, rule.source, rule.source?.raw['headers'] ?? '*', 'FLASH-URL-10'));
  }
  return out;
};
