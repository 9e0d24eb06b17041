/**
 * `lint`: run the catalogue's checks over a parsed policy; `lintText`: parse first, with the
 * parser the context calls for, and report the parser's verdicts as findings too.
 *
 * Pipeline (csp-evaluator's): text → parser → typed model → checks (pure functions, per format)
 * → findings, sorted by severity then position. Nothing here throws on any input or any model the
 * parsers produce.
 *
 * @module
 */
import { pushAll } from '../collections.js';
import type { Diagnostic } from '../diagnostics.js';
import type { FlashParseContext, FlashPolicy } from '../flash/model.js';
import { parseFlashPolicy } from '../flash/parse.js';
import type { SilverlightPolicy } from '../silverlight/model.js';
import { parseSilverlightPolicy } from '../silverlight/parse.js';
import { CHECK_PROFILES, checkContext } from './checks/index.js';
import { finding } from './checks/check.js';
import { resolveLintContext, type LintContext, type LintOptions } from './context.js';
import { sortFindings, type Finding, type FindingId } from './finding.js';

/** A policy of either format, as the parsers produce it. */
export type AnyPolicy = FlashPolicy | SilverlightPolicy;

/** Diagnostic codes that mean a DTD or entity payload (LINT-PARSE-DTD). */
const DTD_CODES = new Set(['internal-dtd-subset', 'undeclared-entity']);

/**
 * Parser warnings that a check of the catalogue reports itself, with more to say: the generic
 * LINT-PARSE-WARNING is not repeated for them.
 */
const COVERED_BY_CHECKS = new Set(['domain-never-matches']);

/**
 * Runs the checks of the context's client profile for the policy's format (`CHECK_PROFILES`),
 * plus the context checks; returns the findings sorted by severity (worst first), then line and
 * column. Pure and deterministic.
 */
export function lint(policy: AnyPolicy, context: LintContext): Finding[] {
  const findings: Finding[] = [...checkContext(policy.format, context)];
  const profile = CHECK_PROFILES[context.client] ?? CHECK_PROFILES.all;
  // A check can return one finding per rule, and a policy can hold 100,000 rules: append in a
  // loop, never as call arguments (src/collections.ts).
  if (policy.format === 'flash') for (const check of profile.flash) pushAll(findings, check(policy, context));
  else for (const check of profile.silverlight) pushAll(findings, check(policy, context));
  return sortFindings(findings);
}

/** Everything `lintText` worked out about one file. */
export interface LintReport {
  /** The context the checks ran under (given or inferred). */
  context: LintContext;
  /** The parsed policy, or `null` when the parser rejected the file. */
  policy: AnyPolicy | null;
  /** The parser's diagnostics, as it gave them. */
  diagnostics: Diagnostic[];
  /** Findings, sorted; parse diagnostics included. */
  findings: Finding[];
  /** Set when `servedFrom` could not be read (the context was then inferred). */
  servedFromError?: string;
}

/** Turns one parse diagnostic into a finding (LINT-PARSE-*). */
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
  return finding(id, `${prefix}${d.message} [${d.code}]`, where, value, d.requirement);
}

/**
 * Parses `text` with the parser its context calls for (Flash or Silverlight, URL or socket,
 * master or not), reports every parse diagnostic as a finding, and lints the policy when one was
 * produced. Never throws.
 */
// LINT-5: the parsers never throw and every check is total, so bad input ends as findings.
export function lintTextReport(text: string, options: LintOptions = {}): LintReport {
  const resolved = resolveLintContext(text, options);
  const context = resolved.context;
  if (resolved.error !== undefined) context.inferred = `${context.inferred ?? 'the context was inferred'} (${resolved.error})`;
  let policy: AnyPolicy | null;
  let diagnostics: Diagnostic[];
  if (context.format === 'silverlight') {
    ({ policy, diagnostics } = parseSilverlightPolicy(text));
  } else {
    const parseContext: FlashParseContext = { kind: context.kind, master: context.master };
    if (context.kind === 'url') parseContext.scheme = context.scheme ?? 'http';
    ({ policy, diagnostics } = parseFlashPolicy(text, parseContext));
  }
  const findings = diagnostics.filter((d) => !(policy !== null && d.severity !== 'error' && COVERED_BY_CHECKS.has(d.code))).map((d) => diagnosticToFinding(d, policy === null));
  if (policy) pushAll(findings, lint(policy, context));
  else pushAll(findings, checkContext(context.format, context));
  const report: LintReport = { context, policy, diagnostics, findings: sortFindings(findings) };
  if (resolved.error !== undefined) report.servedFromError = resolved.error;
  return report;
}

/** {@link lintTextReport}, keeping only the findings. */
export function lintText(text: string, options: LintOptions = {}): Finding[] {
  return lintTextReport(text, options).findings;
}
