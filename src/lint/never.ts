/**
 * Grants the client can never use (LINT-RULE-NEVER-APPLIES): the effective policy marks them, with
 * the requirement that voids them; the linter reports each once, at low severity, saying why it
 * never applies and what it would grant were it used — with the IDs the grant checks would raise
 * on it. The grant checks themselves run only over the grants that apply, so a `*` under
 * `site-control none` is no longer reported high next to "grants nothing".
 *
 * @module
 */
import type { NeverApplies, RequirementId } from '../diagnostics.js';
import type { EffectiveFlashPolicy } from '../flash/effective.js';
import type { FlashAllowAccessFrom, FlashAllowHttpRequestHeadersFrom, FlashPolicy } from '../flash/model.js';
import { describeFlashGrant } from '../flash/parse.js';
import type { EffectiveSilverlightPolicy } from '../silverlight/effective.js';
import type { SilverlightPolicy, SilverlightPolicyEntry } from '../silverlight/model.js';
import { describeSilverlightGrant } from '../silverlight/parse.js';
import type { Check, FlashCheck, SilverlightCheck } from './checks/check.js';
import { finding } from './checks/check.js';
import { checkShadowedRules } from './checks/rules.js';
import type { LintContext } from './context.js';
import type { Finding, FindingId } from './finding.js';

/**
 * Rules whose own `domain` never matches: the domain check reports them (LINT-DOMAIN-NEVER-MATCHES),
 * as for a rule the parser dropped; they are not folded into LINT-RULE-NEVER-APPLIES.
 */
const DOMAIN_PATTERN_RULES: ReadonlySet<RequirementId> = new Set<RequirementId>(['FLASH-DOM-4', 'FLASH-DOM-5', 'FLASH-DOM-6']);

function foldable(never: NeverApplies | null): never is NeverApplies {
  return never !== null && !DOMAIN_PATTERN_RULES.has(never.requirement);
}

/** The IDs `checks` raise on a model, in order, each once. */
function idsRaised<P>(checks: readonly Check<P>[], model: P, context: LintContext): FindingId[] {
  const ids = new Set<FindingId>();
  // Info findings (the registered domains a grant names) describe, they do not judge: not listed.
  for (const check of checks) for (const f of check(model, context)) if (f.severity !== 'info') ids.add(f.id);
  return [...ids];
}

function neverFinding(subject: string, never: NeverApplies, wouldGrant: string | null, ids: readonly FindingId[], where: Parameters<typeof finding>[2], value: string): Finding {
  const were = wouldGrant === null ? '' : ` Were it used, it would grant ${wouldGrant}${ids.length > 0 ? ` (${ids.join(', ')})` : ''}.`;
  return finding('LINT-RULE-NEVER-APPLIES', `${subject} never applies: ${never.why} (${never.requirement}).${were}`, where, value, never.requirement);
}

function flashSubject(element: string, rule: FlashAllowAccessFrom | FlashAllowHttpRequestHeadersFrom): string {
  const raw = rule.source?.raw;
  const attrs = raw ? Object.entries(raw).map(([k, v]) => `${k}="${v}"`).join(' ') : `domain="${rule.domain}"`;
  return `<${element} ${attrs}/>`;
}

/** The Flash model split by what the client uses: the grants that apply, and a finding for each that never does. */
export function splitFlashGrants(effective: EffectiveFlashPolicy, grantChecks: readonly FlashCheck[], context: LintContext): { usable: FlashPolicy; never: Finding[] } {
  const policy = effective.policy;
  const usable: FlashPolicy = {
    ...policy,
    allowAccessFrom: effective.access.filter((r) => !foldable(r.never)).map((r) => r.rule),
    allowHttpRequestHeadersFrom: effective.headers.filter((r) => !foldable(r.never)).map((r) => r.rule),
  };
  const kind = effective.context.kind;
  // What the grant checks would say of one grant alone (shadowing needs two rules, and means nothing here).
  const alone = grantChecks.filter((c) => c !== checkShadowedRules);
  const only = (a: FlashAllowAccessFrom[], h: FlashAllowHttpRequestHeadersFrom[]): FlashPolicy => ({ ...policy, siteControl: [], allowAccessFrom: a, allowHttpRequestHeadersFrom: h });
  const never: Finding[] = [];
  for (const r of effective.access) {
    if (!foldable(r.never)) continue;
    const raw = r.rule.source?.raw;
    const grant = describeFlashGrant('allow-access-from', { domain: r.rule.domain, 'to-ports': raw?.['to-ports'] ?? (r.rule.toPorts === null ? undefined : r.rule.toPorts.any ? '*' : r.rule.toPorts.ranges.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(',')) }, kind);
    never.push(neverFinding(flashSubject('allow-access-from', r.rule), r.never, grant, idsRaised(alone, only([r.rule], []), context), r.rule.source, r.rule.domain));
  }
  for (const r of effective.headers) {
    if (!foldable(r.never)) continue;
    const grant = describeFlashGrant('allow-http-request-headers-from', { domain: r.rule.domain, headers: r.rule.source?.raw['headers'] ?? r.rule.headers.join(',') }, kind);
    never.push(neverFinding(flashSubject('allow-http-request-headers-from', r.rule), r.never, grant, idsRaised(alone, only([], [r.rule]), context), r.rule.source, r.rule.domain));
  }
  return { usable, never };
}

/** What a `<policy>` grants of the kind the file is read for, in words. */
function entryGrant(entry: SilverlightPolicyEntry, uris: readonly string[]): string {
  const resources = entry.grantTo.flatMap((g) => g.resources);
  const ports = entry.grantTo.flatMap((g) => g.socketResources).map((s) => (s.from === s.to ? `${s.from}` : `${s.from}-${s.to}`));
  return describeSilverlightGrant(uris, resources, ports);
}

/** The Silverlight model split by what the client uses: the grants that apply, and a finding for each that never does. */
export function splitSilverlightGrants(effective: EffectiveSilverlightPolicy, grantChecks: readonly SilverlightCheck[], context: LintContext): { usable: SilverlightPolicy; never: Finding[] } {
  const socket = effective.context.kind === 'socket';
  const never: Finding[] = [];
  const usableEntries: SilverlightPolicyEntry[] = [];
  effective.policy.policies.forEach((entry, policyIndex) => {
    const mine = effective.allowFroms.filter((a) => a.policyIndex === policyIndex);
    const usableAllowFroms = mine.filter((a) => a.never === null).map((a) => a.allowFrom);
    for (const a of mine) {
      if (a.never === null) continue;
      const uris = a.allowFrom.domains.map((d) => d.uri);
      const model: SilverlightPolicy = { format: 'silverlight', policies: [{ ...entry, allowFrom: [a.allowFrom] }] };
      never.push(neverFinding(`<allow-from> admitting ${uris.length > 0 ? uris.join(', ') : 'nobody'}`, a.never, entryGrant(entry, uris), idsRaised(grantChecks, model, context), a.allowFrom.source, uris.join(',')));
    }
    // The grants of a <policy> that admits nobody are covered by its allow-from's finding.
    if (usableAllowFroms.length === 0) return;
    for (const g of effective.unusedGrants) {
      if (g.policyIndex !== policyIndex) continue;
      const raw = g.source?.raw;
      const subject = `<${g.element}${raw ? ` ${Object.entries(raw).map(([k, v]) => `${k}="${v}"`).join(' ')}` : ''}/>`;
      never.push(neverFinding(subject, g.never, null, [], g.source, raw?.['path'] ?? raw?.['port'] ?? ''));
    }
    usableEntries.push({ ...entry, allowFrom: usableAllowFroms, grantTo: entry.grantTo.map((g) => (socket ? { ...g, resources: [] } : { ...g, socketResources: [] })) });
  });
  return { usable: { format: 'silverlight', policies: usableEntries }, never };
}
