/**
 * Rules that add nothing (`LINT-RULE-SHADOWED`): a rule whose every grant another rule already
 * makes.
 *
 * @module
 */
import { parseDomainPattern, type DomainPattern } from '../../flash/domains.js';
import { effectiveSecure } from '../../flash/effective.js';
import type { FlashAllowAccessFrom, FlashPolicy, PortRange } from '../../flash/model.js';
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

/** What the shadowed-rule check compares of one rule, computed once. */
interface RuleFacts {
  rule: FlashAllowAccessFrom;
  pattern: DomainPattern;
  secure: boolean;
  /** Merged port ranges (socket policies); `null` without `to-ports`; `any` for `*`. */
  ports: PortRange[] | 'any' | null;
}

function portsCover(a: RuleFacts, b: RuleFacts, context: LintContext): boolean {
  if (context.kind !== 'socket') return true;
  if (a.ports === null || b.ports === null) return false;
  if (a.ports === 'any') return true;
  if (b.ports === 'any') return false;
  const merged = a.ports;
  return b.ports.every((r) => merged.some((m) => m.from <= r.from && r.to <= m.to));
}

function covers(a: RuleFacts, b: RuleFacts, context: LintContext): boolean {
  // secure="false" grants every scheme; secure="true" only HTTPS SWFs.
  const secureOk = !a.secure || b.secure;
  return secureOk && domainCovers(a.pattern, b.pattern) && portsCover(a, b, context);
}

/** The index key of the rules with pattern `p` (one bucket per exact pattern). */
function bucketKey(p: DomainPattern): string | null {
  switch (p.kind) {
    case 'any':
      return '*';
    case 'name':
      return `name:${p.name}`;
    case 'suffix':
      return `suffix:${p.suffix}`;
    case 'ip':
      return `ip:${p.address}`;
    default:
      return null;
  }
}

/** `a.b.c` → `a.b.c`, `b.c`, `c`: every name a wildcard `*.S` must have as S to cover a host under it. */
function dotSuffixes(name: string): string[] {
  const out = [name];
  for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) out.push(name.slice(i + 1));
  return out;
}

/** The buckets whose rules can cover a rule of pattern `p` ({@link domainCovers}): `*`, the same pattern, and the wildcards over its dot-suffixes. */
function coveringKeys(p: DomainPattern): string[] {
  switch (p.kind) {
    case 'any':
      return ['*'];
    case 'name':
      return ['*', `name:${p.name}`, ...dotSuffixes(p.name).map((s) => `suffix:${s}`)];
    case 'suffix':
      return ['*', ...dotSuffixes(p.suffix).map((s) => `suffix:${s}`)];
    case 'ip':
      return ['*', `ip:${p.address}`];
    default:
      return [];
  }
}

// LINT-16
/**
 * Most pairs of rules the shadowed-rule check compares in one policy. Rules are indexed by domain,
 * so a policy compares each rule only with the rules whose domain can cover it: 100,000 rules for
 * distinct hosts take about as many comparisons. Only a policy with many rules for one domain
 * whose port lists do not cover one another (1,001 `*` rules, each for another port) reaches the
 * bound; the check then stops and says so (LINT-CHECK-INCOMPLETE), never silently.
 */
export const SHADOW_COMPARISON_BUDGET = 1_000_000;

/**
 * Flags an `allow-access-from` whose grant is contained in another rule's (wider or equal domain,
 * weaker or equal `secure`, more or the same ports). Of two identical rules the later one is
 * reported; the covering rule named is the first one in the file.
 *
 * Example policy where this check triggers: `<allow-access-from domain="*.example.com"/>` followed
 * by `<allow-access-from domain="www.example.com"/>`.
 * Confidence: no false positives; a rule covered only by two others together is not reported.
 */
export const checkShadowedRules = (policy: FlashPolicy, context: LintContext): Finding[] => {
  const out: Finding[] = [];
  const facts: RuleFacts[] = policy.allowAccessFrom.map((rule) => ({
    rule,
    pattern: parseDomainPattern(rule.domain),
    secure: secureIn(rule, context),
    ports: rule.toPorts === null ? null : rule.toPorts.any ? 'any' : mergeRanges(portRanges(rule.toPorts)),
  }));
  // The index: rule positions by exact domain pattern, in file order.
  const buckets = new Map<string, number[]>();
  facts.forEach((f, i) => {
    const key = bucketKey(f.pattern);
    if (key === null) return;
    const list = buckets.get(key);
    if (list) list.push(i);
    else buckets.set(key, [i]);
  });
  let compared = 0;
  for (let j = 0; j < facts.length; j++) {
    const b = facts[j]!;
    let first = -1;
    for (const key of coveringKeys(b.pattern)) {
      const list = buckets.get(key);
      if (list === undefined) continue;
      for (const i of list) {
        if (first >= 0 && i >= first) break;
        if (i === j) continue;
        if (++compared > SHADOW_COMPARISON_BUDGET) {
          out.push(
            finding(
              'LINT-CHECK-INCOMPLETE',
              `The shadowed-rule check (LINT-RULE-SHADOWED) stopped after ${SHADOW_COMPARISON_BUDGET.toLocaleString('en-US')} comparisons of rules for the same domains: the ${facts.length - j} rules from line ${b.rule.source?.location.line ?? '?'} on were not checked for being shadowed.`,
              b.rule.source,
              String(facts.length - j),
              'LINT-16',
            ),
          );
          return out;
        }
        const a = facts[i]!;
        if (!covers(a, b, context)) continue;
        // Identical grants: only the later one is redundant.
        if (i > j && covers(b, a, context)) continue;
        first = i;
        break;
      }
    }
    if (first < 0) continue;
    const a = facts[first]!.rule;
    const line = a.source?.location.line;
    out.push(finding('LINT-RULE-SHADOWED', `allow-access-from domain="${b.rule.domain}" adds nothing: the rule domain="${a.domain}"${line !== undefined ? ` on line ${line}` : ''} already grants all of it.`, b.rule.source, b.rule.domain, 'FLASH-URL-9'));
  }
  return out;
};
