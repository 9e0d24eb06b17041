/**
 * Lint findings: what `xdpolicy lint` reports about a policy.
 *
 * A finding is a small immutable record with a stable symbolic ID (see {@link CHECKS} in
 * `catalogue.ts` and spec/lint.md), an ordered severity, the position of the offending text and
 * the offending value. IDs are grouped by family (`LINT-PARSE-…`, `LINT-DOMAIN-…`, `LINT-PORT-…`)
 * and never reused.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import type { FindingId } from './catalogue.js';

export type { FindingId } from './catalogue.js';

/**
 * How bad a finding is.
 * - `error`: the file, or an element of it, is not used at all (parse errors, voided elements);
 * - `high`: grants that expose the site to any origin or to a large, uncontrolled set of origins;
 * - `medium`: grants wider than they need to be, or serving problems that change what is honoured;
 * - `low`: weak or dead configuration worth cleaning up;
 * - `info`: facts for the reader (inferred context, parser notes).
 */
export type Severity = 'error' | 'high' | 'medium' | 'low' | 'info';

/** Every severity, worst first. */
export const SEVERITIES: readonly Severity[] = ['error', 'high', 'medium', 'low', 'info'];

/** How bad a severity is: lower is worse. Thresholds (`--fail-on`, {@link reaches}) use it. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  error: 0,
  high: 1,
  medium: 2,
  low: 3,
  info: 4,
};

// LINT-1: every finding names its check, severity, position and offending value.
/** One thing `lint` reports. */
export interface Finding {
  /** Stable ID of the check that raised it (spec/lint.md). */
  id: FindingId;
  severity: Severity;
  /** One sentence for people: what is wrong, and why it matters. */
  message: string;
  /** 1-based line of the offending text (1 when the finding is about the whole file). */
  line: number;
  /** 1-based column of the offending text. */
  column: number;
  /** The offending value as written (an attribute value, a port list, a header value). */
  value: string;
  /** The requirement of spec/ that the finding rests on, when there is one. */
  requirement?: RequirementId;
  /** The CWE the finding is an instance of, e.g. `CWE-942`. */
  cwe?: string;
  /** What to change (LINT-12): the catalogue's remediation, made specific to this finding where it can be. */
  remediation?: string;
  /** The fixed element, where it can be computed (LINT-12); every fix narrows what the file grants (LINT-13). */
  fix?: Fix;
}

/**
 * The fixes the linter computes, each of which can only narrow what the file grants (LINT-13):
 * - `trusted-domains`: a `*` grant rewritten to the domains named by `--trusted`;
 * - `ports-of-other-rules`: `to-ports="*"` rewritten to the ports the file's other rules use;
 * - `drop-secure-false`: `secure="false"` removed from a grant of an HTTPS policy (the default there is `true`).
 */
export type FixKind = 'trusted-domains' | 'ports-of-other-rules' | 'drop-secure-false';

/**
 * A computed fix of one element: `original` (the element's text, from `start` to `end`, UTF-16
 * offsets into the text linted) becomes `replacement`. As an edit: attribute `attribute` set to
 * each of `values` in turn (one copy of the element per value), or removed when `values` is null;
 * several fixes of one element compose (`applyFixes`).
 */
export interface Fix {
  kind: FixKind;
  start: number;
  end: number;
  original: string;
  replacement: string;
  attribute: string;
  values: readonly string[] | null;
}

// LINT-2: live exposure ranks above dead elements.
/**
 * The order findings are reported in: what a client grants today (`high`, `medium`) comes before
 * an `error`, which is about an element or file no client uses (it exposes nothing, and its
 * author's intent is lost); then `low` and `info`. A live `*` grant is listed above a voided
 * element. Thresholds keep {@link SEVERITY_RANK}: an `error` still reaches `--fail-on high`.
 */
export const REPORT_RANK: Readonly<Record<Severity, number>> = {
  high: 0,
  medium: 1,
  error: 2,
  low: 3,
  info: 4,
};

/** Every severity in report order ({@link REPORT_RANK}). */
export const REPORT_ORDER: readonly Severity[] = ['high', 'medium', 'error', 'low', 'info'];

/** True when `severity` is at least as bad as `threshold`. */
export function reaches(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] <= SEVERITY_RANK[threshold];
}

/** The worst severity among `findings`, or `null` when there are none. */
export function highestSeverity(findings: readonly Finding[]): Severity | null {
  let best: Severity | null = null;
  for (const f of findings) if (best === null || SEVERITY_RANK[f.severity] < SEVERITY_RANK[best]) best = f.severity;
  return best;
}

/** Whether `value` names a severity (for command-line parsing). */
export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/**
 * The order findings are reported in: {@link REPORT_RANK} (live exposure first), then line,
 * column, ID, value and message, so the order is total and independent of check order.
 */
// LINT-2: one total order, so the same input always prints the same list.
export function compareFindings(a: Finding, b: Finding): number {
  return (
    REPORT_RANK[a.severity] - REPORT_RANK[b.severity] ||
    a.line - b.line ||
    a.column - b.column ||
    cmp(a.id, b.id) ||
    cmp(a.value, b.value) ||
    cmp(a.message, b.message)
  );
}

/** Sorts findings in report order and drops exact duplicates (same ID, position and value). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const sorted = [...findings].sort(compareFindings);
  const out: Finding[] = [];
  for (const f of sorted) {
    const last = out[out.length - 1];
    if (last && last.id === f.id && last.line === f.line && last.column === f.column && last.value === f.value && last.message === f.message) continue;
    out.push(f);
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
