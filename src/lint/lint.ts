/**
 * `lint`: run the catalogue's checks over what the client reads of a policy; `lintText`: read the
 * text as the client does first, and report the reader's verdicts as findings too.
 *
 * Pipeline (csp-evaluator's): text → the client's reader (framing, serving, parser) → typed model →
 * effective policy, computed once for the context (`src/flash/effective.ts`,
 * `src/silverlight/effective.ts`) → checks (pure functions, per format) → findings, sorted by
 * severity then position. The grant checks see only the grants the client can use; a grant it can
 * never use gets one LINT-RULE-NEVER-APPLIES finding (`never.ts`). Nothing here throws on any input
 * or any model the parsers produce.
 *
 * @module
 */
import { pushAll } from '../collections.js';
import type { Diagnostic } from '../diagnostics.js';
import { effectiveFlashPolicy, readFlashPolicy, type EffectiveFlashPolicy, type FlashReadContext } from '../flash/effective.js';
import type { FlashPolicy } from '../flash/model.js';
import { effectiveSilverlightPolicy, readSilverlightPolicy, type EffectiveSilverlightPolicy, type SilverlightPolicyContext } from '../silverlight/effective.js';
import type { SilverlightPolicy } from '../silverlight/model.js';
import { CHECK_PROFILES, checkContext } from './checks/index.js';
import { finding } from './checks/check.js';
import { checkCompatibility } from './checks/compat.js';
import { resolveLintContext, type LintContext, type LintOptions } from './context.js';
import { sortFindings, type Finding, type FindingId } from './finding.js';
import { withFixes } from './fix.js';
import { splitFlashGrants, splitSilverlightGrants } from './never.js';

/** A policy of either format, as the parsers produce it. */
export type AnyPolicy = FlashPolicy | SilverlightPolicy;

/** An effective policy of either format. */
export type AnyEffectivePolicy = EffectiveFlashPolicy | EffectiveSilverlightPolicy;

/** Diagnostic codes that mean a DTD or entity payload (LINT-PARSE-DTD). */
const DTD_CODES = new Set(['internal-dtd-subset', 'undeclared-entity']);

/**
 * Parser warnings that a check of the catalogue reports itself, with more to say: the generic
 * LINT-PARSE-WARNING is not repeated for them.
 */
const COVERED_BY_CHECKS = new Set(['domain-never-matches']);

const META_HEADER = 'x-permitted-cross-domain-policies';

// LINT-4
/** How the Flash client reads a file served as `context` says: framing for a socket policy, serving for a URL policy. */
export function flashReadContext(context: LintContext): FlashReadContext {
  const read: FlashReadContext = { kind: context.kind, master: context.master };
  if (context.kind === 'socket') {
    // FLASH-SOCK-2: a socket policy is linted as the server sends it; the NUL that ends it is framing.
    read.framed = true;
    if (context.port !== undefined) read.servedFromPort = context.port;
  } else {
    read.scheme = context.scheme ?? 'http';
    if (context.contentType !== undefined) read.contentType = context.contentType;
    const header = context.headers?.[META_HEADER];
    if (header !== undefined) read.metaPolicyHeader = header;
  }
  return read;
}

/** How Silverlight reads a file served as `context` says. */
export function silverlightReadContext(context: LintContext): SilverlightPolicyContext {
  return context.kind === 'url' && context.contentType !== undefined ? { kind: 'url', contentType: context.contentType } : { kind: context.kind };
}

/** The effective policy of a parsed model in a lint context (what the client uses of it, served so). */
export function effectivePolicyFor(policy: AnyPolicy, context: LintContext): AnyEffectivePolicy {
  return policy.format === 'flash' ? effectiveFlashPolicy(policy, flashReadContext(context)) : effectiveSilverlightPolicy(policy, silverlightReadContext(context));
}

/**
 * Runs the checks of the context's client profile (`CHECK_PROFILES`) over the effective policy,
 * plus the context checks; returns the findings sorted by severity (worst first), then line and
 * column. Pure and deterministic.
 */
export function lintEffective(effective: AnyEffectivePolicy, context: LintContext): Finding[] {
  const findings: Finding[] = [...checkContext(effective.policy.format, context)];
  const profile = CHECK_PROFILES[context.client] ?? CHECK_PROFILES.all;
  // A check can return one finding per rule, and a policy can hold 100,000 rules: append in a
  // loop, never as call arguments (src/collections.ts).
  if (effective.policy.format === 'flash') {
    const e = effective as EffectiveFlashPolicy;
    const { usable, never } = splitFlashGrants(e, profile.flash.grants, context);
    for (const check of profile.flash.grants) pushAll(findings, check(usable, context));
    for (const check of profile.flash.file) pushAll(findings, check(e.policy, context));
    pushAll(findings, never);
  } else {
    const e = effective as EffectiveSilverlightPolicy;
    const { usable, never } = splitSilverlightGrants(e, profile.silverlight.grants, context);
    for (const check of profile.silverlight.grants) pushAll(findings, check(usable, context));
    for (const check of profile.silverlight.file) pushAll(findings, check(e.policy, context));
    pushAll(findings, never);
  }
  return sortFindings(findings);
}

/** {@link lintEffective} over a parsed model, read as the context says (no framing: the model is already read). */
export function lint(policy: AnyPolicy, context: LintContext): Finding[] {
  return lintEffective(effectivePolicyFor(policy, context), context);
}

/** Everything `lintText` worked out about one file. */
export interface LintReport {
  /** The context the checks ran under (given or inferred). */
  context: LintContext;
  /** The parsed policy, or `null` when the reader rejected the file. */
  policy: AnyPolicy | null;
  /** The effective policy the checks read, or `null` when the reader rejected the file. */
  effective: AnyEffectivePolicy | null;
  /** The reader's diagnostics, as it gave them. */
  diagnostics: Diagnostic[];
  /** Findings, sorted; parse diagnostics included. */
  findings: Finding[];
  /** Set when `servedFrom` could not be read (the context was then inferred). */
  servedFromError?: string;
}

/** Turns one parse diagnostic into a finding (LINT-PARSE-*); a voided element's finding says what it would have granted. */
export function diagnosticToFinding(d: Diagnostic, rejected: boolean): Finding {
  // A diagnostic from the XML validator can lack a column ("<?x" gives `column: undefined`);
  // a finding always has a position, so fall back to the start of the line.
  const where = { line: Number.isInteger(d.line) && d.line >= 1 ? d.line : 1, column: Number.isInteger(d.column) && d.column >= 1 ? d.column : 1, offset: 0 };
  const value = d.value ?? '';
  let id: FindingId;
  if (DTD_CODES.has(d.code)) id = 'LINT-PARSE-DTD';
  else if (d.severity === 'error') id = rejected ? 'LINT-PARSE-REJECTED' : 'LINT-PARSE-VOIDED';
  else if (d.severity === 'warning') id = 'LINT-PARSE-WARNING';
  else id = 'LINT-PARSE-NOTE';
  const prefix = id === 'LINT-PARSE-REJECTED' ? 'The file is rejected: ' : id === 'LINT-PARSE-VOIDED' ? 'Element ignored: ' : '';
  const lost = id === 'LINT-PARSE-VOIDED' && d.wouldGrant !== undefined ? ` It would have granted ${d.wouldGrant}.` : '';
  return finding(id, `${prefix}${d.message} [${d.code}]${lost}`, where, value, d.requirement);
}

/**
 * Reads `text` with the reader its context calls for (Flash or Silverlight, URL or socket, master
 * or not) — for a Flash socket policy, as the server sends it, cut at its NUL — reports every
 * diagnostic as a finding, and lints the effective policy when there is one. Never throws.
 */
// LINT-5: the readers never throw and every check is total, so bad input ends as findings.
export function lintTextReport(text: string, options: LintOptions = {}): LintReport {
  const resolved = resolveLintContext(text, options);
  const context = resolved.context;
  if (resolved.error !== undefined) context.inferred = `${context.inferred ?? 'the context was inferred'} (${resolved.error})`;
  const read = context.format === 'silverlight' ? readSilverlightPolicy(text, silverlightReadContext(context)) : readFlashPolicy(text, flashReadContext(context));
  const { policy, effective, diagnostics } = read;
  const findings = diagnostics.filter((d) => !(policy !== null && d.severity !== 'error' && COVERED_BY_CHECKS.has(d.code))).map((d) => diagnosticToFinding(d, policy === null));
  // A text the reader gives up on before parsing (a socket answer with nothing before its NUL) is rejected too.
  if (policy === null && !diagnostics.some((d) => d.severity === 'error')) findings.push(finding('LINT-PARSE-REJECTED', `The file is rejected: ${read.why}.`, undefined, '', read.requirements[0]));
  if (effective !== null) pushAll(findings, lintEffective(effective, context));
  else pushAll(findings, checkContext(context.format, context));
  // LINT-17: the other clients read the text, so they are compared even when the reference rejects it.
  pushAll(findings, checkCompatibility(text, context, options.clients === undefined ? {} : { clients: options.clients }));
  // LINT-12: what to change, and the fixed element where it can be computed from the text.
  const report: LintReport = { context, policy, effective, diagnostics, findings: withFixes(sortFindings(findings), text, policy, context) };
  if (resolved.error !== undefined) report.servedFromError = resolved.error;
  return report;
}

/** {@link lintTextReport}, keeping only the findings. */
export function lintText(text: string, options: LintOptions = {}): Finding[] {
  return lintTextReport(text, options).findings;
}
