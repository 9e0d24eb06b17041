/**
 * Meta-policy and serving checks (`LINT-META-*`, `LINT-SERVE-*`): `site-control`, the
 * `X-Permitted-Cross-Domain-Policies` header and the `Content-Type` a file is served with.
 *
 * @module
 */
import { META_POLICIES_BY_RESTRICTION, type FlashPolicy, type MetaPolicy } from '../../flash/model.js';
import type { SilverlightPolicy } from '../../silverlight/model.js';
import { acceptsPolicyContentType } from '../../world/content-type.js';
import type { LintContext } from '../context.js';
import type { Finding } from '../finding.js';
import { finding } from './check.js';

const META_HEADER = 'x-permitted-cross-domain-policies';

/**
 * Flags `site-control` problems in the master policy: `all` (LINT-META-ALL), `by-content-type`
 * (LINT-META-BY-CONTENT-TYPE), several elements that agree (LINT-META-DUPLICATE) or disagree
 * (LINT-META-CONFLICT), and `none` next to grants that therefore never apply
 * (LINT-META-NONE-WITH-GRANTS). A `site-control` outside the master is ignored by clients (the
 * parser reports it), so only duplicates are reported there.
 *
 * Example policy where this check triggers:
 * `<site-control permitted-cross-domain-policies="all"/>`.
 * Confidence: no false positives.
 */
export const checkSiteControl = (policy: FlashPolicy, context: LintContext): Finding[] => {
  const out: Finding[] = [];
  const controls = policy.siteControl;
  if (controls.length === 0) return out;
  if (context.master) {
    for (const sc of controls) {
      const raw = sc.source?.raw['permitted-cross-domain-policies'] ?? sc.permittedCrossDomainPolicies;
      if (sc.permittedCrossDomainPolicies === 'all') {
        out.push(finding('LINT-META-ALL', `permitted-cross-domain-policies="all" lets every policy file on this host${context.kind === 'socket' ? ' (any port)' : ''} grant access, not only this master.`, sc.source, raw, context.kind === 'socket' ? 'FLASH-SOCK-6' : 'FLASH-META-1'));
      } else if (sc.permittedCrossDomainPolicies === 'by-content-type' && context.kind === 'url') {
        out.push(finding('LINT-META-BY-CONTENT-TYPE', 'permitted-cross-domain-policies="by-content-type" honours any file on this host served as text/x-cross-domain-policy.', sc.source, raw, 'FLASH-META-4'));
      }
    }
  }
  if (controls.length > 1) {
    const values = controls.map((sc) => sc.permittedCrossDomainPolicies);
    const distinct = [...new Set(values)];
    const second = controls[1];
    if (distinct.length > 1) {
      const strictest = META_POLICIES_BY_RESTRICTION.find((m) => distinct.includes(m)) ?? 'none';
      out.push(finding('LINT-META-CONFLICT', `${controls.length} site-control elements disagree (${values.join(', ')}); the most restrictive, "${strictest}", applies.`, second?.source, values.join(','), 'FLASH-GRAM-11'));
    } else {
      out.push(finding('LINT-META-DUPLICATE', `site-control appears ${controls.length} times with the same value "${distinct[0] ?? ''}".`, second?.source, values.join(','), 'FLASH-GRAM-11'));
    }
  }
  if (context.master) {
    const strictest = META_POLICIES_BY_RESTRICTION.find((m) => controls.some((sc) => sc.permittedCrossDomainPolicies === m));
    const grants = policy.allowAccessFrom.length + policy.allowHttpRequestHeadersFrom.length;
    if (strictest === 'none' && grants > 0) {
      const sc = controls.find((c) => c.permittedCrossDomainPolicies === 'none');
      out.push(finding('LINT-META-NONE-WITH-GRANTS', `permitted-cross-domain-policies="none" disables every policy of this host, this one included: its ${grants} grant${grants > 1 ? 's' : ''} never apply.`, sc?.source, sc?.source?.raw['permitted-cross-domain-policies'] ?? 'none', context.kind === 'socket' ? 'FLASH-SOCK-6' : 'FLASH-META-2'));
    }
  }
  return out;
};

function contentTypeFindings(format: 'flash' | 'silverlight', context: LintContext): Finding[] {
  if (context.kind !== 'url' || context.contentType === undefined) return [];
  const ct = context.contentType;
  // FLASH-URL-7, SL-HTTP-4: the one rule of src/world/content-type.ts.
  if (acceptsPolicyContentType(format, ct)) return [];
  const shown = ct === '' ? '(none)' : ct;
  return [
    finding(
      'LINT-SERVE-CONTENT-TYPE',
      `The file is served with Content-Type ${shown}, which ${format === 'flash' ? 'Flash Player' : 'Silverlight'} rejects: the policy is ignored. Serve it as ${format === 'flash' ? 'text/x-cross-domain-policy' : 'text/xml'}.`,
      undefined,
      ct,
      format === 'flash' ? 'FLASH-URL-7' : 'SL-HTTP-4',
    ),
  ];
}

/**
 * Flags how a Flash URL policy is served, when the context knows: a Content-Type clients reject
 * (LINT-SERVE-CONTENT-TYPE), and the `X-Permitted-Cross-Domain-Policies` header saying `all`
 * (LINT-SERVE-META-HEADER-ALL), disabling the file (LINT-SERVE-META-HEADER-UNUSABLE) or
 * disagreeing with `site-control` (LINT-SERVE-META-HEADER-CONFLICT).
 *
 * Example where this check triggers: a policy served with `Content-Type: application/octet-stream`.
 * Confidence: certain when the response is known; silent when it is not.
 */
export const checkFlashServing = (policy: FlashPolicy, context: LintContext): Finding[] => {
  const out = contentTypeFindings('flash', context);
  if (context.kind !== 'url') return out;
  const header = context.headers?.[META_HEADER];
  if (header === undefined) return out;
  const value = header.trim().toLowerCase();
  const known = (META_POLICIES_BY_RESTRICTION as readonly string[]).includes(value);
  if (value === 'none-this-response' || !known) {
    // FLASH-META-7, FLASH-META-6
    const why = value === 'none-this-response' ? 'says this response is not a policy' : 'has a value clients do not know, read as "none"';
    out.push(finding('LINT-SERVE-META-HEADER-UNUSABLE', `X-Permitted-Cross-Domain-Policies: ${header} ${why}: the grants of this file are never used.`, undefined, header, value === 'none-this-response' ? 'FLASH-META-7' : 'FLASH-META-6'));
    return out;
  }
  if (value === 'all' && context.master) {
    out.push(finding('LINT-SERVE-META-HEADER-ALL', 'X-Permitted-Cross-Domain-Policies: all lets every policy file on this host grant access.', undefined, header, 'FLASH-META-6'));
  }
  const sc = policy.siteControl[0];
  if (sc && context.master && sc.permittedCrossDomainPolicies !== (value as MetaPolicy)) {
    out.push(finding('LINT-SERVE-META-HEADER-CONFLICT', `X-Permitted-Cross-Domain-Policies: ${header} disagrees with site-control "${sc.permittedCrossDomainPolicies}"; the more restrictive applies.`, sc.source, header, 'FLASH-META-6'));
  }
  return out;
};

/**
 * Flags a Silverlight URL policy served with a Content-Type Silverlight rejects.
 *
 * Example where this check triggers: `clientaccesspolicy.xml` served as `application/json`.
 * Confidence: certain when the Content-Type is known.
 */
export const checkSilverlightServing = (_policy: SilverlightPolicy, context: LintContext): Finding[] => contentTypeFindings('silverlight', context);
