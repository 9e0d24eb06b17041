/**
 * Rules that add nothing (`LINT-RULE-SHADOWED`): a rule whose every grant another rule already
 * makes.
 *
 * @module
 */
import { parseDomainPattern, type DomainPattern } from '../../flash/domains.js';
import { effectiveSecure } from '../../flash/effective.js';
import type { FlashAllowAccessFrom, FlashPolicy } from '../../flash/model.js';
import type { LintContext } from '../context.js';
import type { Finding } from '../finding.js';
import { finding } from './check.js';
import { mergeRanges, portRanges } from './ports.js';

/** Whether every host `b` matches is matched by `a` (FLASH-DOM-1 … FLASH-DOM-5). */
export function domainCovers(a: DomainPattern, b: DomainPattern): boolean {
  if (a.kind === 'invalid' || b.kind === 'invalid') return false;
  if (a.kind === 'any') return true;
  if (b.kind === 'any') return false;
  const under = (host: string, suffix: string): boolean => host === suffix || host.endsWith(`.${suffix}`);
  if (a.kind === 'suffix') {
    if (b.kind === 'suffix') return under(b.suffix, a.suffix);
    if (b.kind === 'name') return under(b.name, a.suffix);
    return false;
  }
  if (a.kind === 'name') return b.kind === 'name' && b.name === a.name;
  return b.kind === 'ip' && b.address === a.address;
}

/** The `secure` a rule has in this context: the effective policy's one rule (FLASH-SEC-1/2/3). */
function secureIn(rule: FlashAllowAccessFrom, context: LintContext): boolean {
  return effectiveSecure(rule.secure, { kind: context.kind, ...(context.scheme !== undefined ? { scheme: context.scheme } : {}) });
}

function portsCover(a: FlashAllowAccessFrom, b: FlashAllowAccessFrom, context: LintContext): boolean {
  if (context.kind !== 'socket') return true;
  if (!a.toPorts || !b.toPorts) return false;
  if (a.toPorts.any) return true;
  if (b.toPorts.any) return false;
  const merged = mergeRanges(portRanges(a.toPorts));
  return b.toPorts.ranges.every((r) => r.from > r.to || merged.some((m) => m.from <= r.from && r.to <= m.to));
}

function covers(a: FlashAllowAccessFrom, pa: DomainPattern, b: FlashAllowAccessFrom, pb: DomainPattern, context: LintContext): boolean {
  // secure="false" grants every scheme; secure="true" only HTTPS SWFs.
  const secureOk = !secureIn(a, context) || secureIn(b, context);
  return secureOk && domainCovers(pa, pb) && portsCover(a, b, context);
}

/**
 * Flags an `allow-access-from` whose grant is contained in another rule's (wider or equal domain,
 * weaker or equal `secure`, more or the same ports). Of two identical rules the later one is
 * reported.
 *
 * Example policy where this check triggers: `<allow-access-from domain="*.example.com"/>` followed
 * by `<allow-access-from domain="www.example.com"/>`.
 * Confidence: no false positives; a rule covered only by two others together is not reported.
 */
export const checkShadowedRules = (policy: FlashPolicy, context: LintContext): Finding[] => {
  const out: Finding[] = [];
  const rules = policy.allowAccessFrom;
  const patterns = rules.map((r) => parseDomainPattern(r.domain));
  // Quadratic in the number of rules; policies beyond a few thousand rules are skipped to keep
  // lint linear-time on hostile inputs (the parser's own limits allow 100,000 elements).
  if (rules.length > 2000) return out;
  rules.forEach((b, j) => {
    const pb = patterns[j]!;
    for (let i = 0; i < rules.length; i++) {
      if (i === j) continue;
      const a = rules[i]!;
      const pa = patterns[i]!;
      if (!covers(a, pa, b, pb, context)) continue;
      // Identical grants: only the later one is redundant.
      if (covers(b, pb, a, pa, context) && i > j) continue;
      const line = a.source?.location.line;
      out.push(finding('LINT-RULE-SHADOWED', `allow-access-from domain="${b.domain}" adds nothing: the rule domain="${a.domain}"${line !== undefined ? ` on line ${line}` : ''} already grants all of it.`, b.source, b.domain, 'FLASH-URL-9'));
      break;
    }
  });
  return out;
};
