/**
 * Diagnostics: what the readers of the core (parsers, the URL and request readers, the world
 * reader) report about their input — and the core's one failure convention.
 *
 * **The failure convention.** A function of the core (everything under `src/` but the edges: the
 * CLI and the server) that can fail to read its input gives no value — `null` — and says why in
 * diagnostics:
 * - a reader of a part (a URL, a location, a port list, an XML document) takes the `Diagnostic[]`
 *   to report into and returns the value or `null` (`parseXmlDocument`, `parsePolicyLocation`,
 *   `parseOriginUrl`, `parsePortRanges`, `parseServedFrom`);
 * - a reader of a whole input returns its value or `null` beside the diagnostics, which it gives
 *   on success too (warnings, notes): `{ policy, diagnostics }` of the policy parsers and readers,
 *   `{ world, diagnostics }` of `parseWorld`, `{ request, diagnostics }` of `readRequest`.
 *
 * Nothing is thrown and nothing is returned as `{ ok: false }` or `{ error }`: a `null` always
 * comes with at least one error diagnostic naming what is wrong, where, and the requirement of
 * spec/ it enforces, so a reader can go from a message to the rule and back. Only the edges turn
 * diagnostics into something else: the CLI into messages and exit statuses, the server into a
 * refusal, certify into verdicts, and `decide` into a denial whose trace carries them (a decision
 * itself never fails: it allows or denies). Absence is not failure: a lookup that finds nothing
 * (`findAccessGrant`, `lookupLocation`) returns `null` or `undefined` with no diagnostic.
 *
 * @module
 */

import type { RequirementId } from './requirements.js';

export type { RequirementId } from './requirements.js';
export { REQUIREMENT_IDS } from './requirements.js';

/** How bad a diagnostic is. `error` means the element (or the whole file) it names is not used. */
export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/** A position in the policy text; `line` and `column` are 1-based, `offset` is 0-based (UTF-16 units). */
export interface SourceLocation {
  line: number;
  column: number;
  offset: number;
}

/** One thing a parser or evaluator noticed about its input. */
export interface Diagnostic {
  severity: DiagnosticSeverity;
  /** A stable machine-readable code, such as `content-outside-root`; see each module's code list. */
  code: string;
  /** A sentence for people, naming what is wrong and where. */
  message: string;
  /** 1-based line of the offending text. */
  line: number;
  /** 1-based column of the offending text. */
  column: number;
  /** The requirement of spec/ that this diagnostic enforces. */
  requirement: RequirementId;
  /** The offending value (an attribute value, an element name, a snippet), when there is one. */
  value?: string;
  /**
   * For an error that drops a granting element: what the element would have granted, had it been
   * valid (`SWFs from any site socket connections to ports 843-9000`), so nothing is dropped
   * without saying what was lost.
   */
  wouldGrant?: string;
}

/** Rank of each severity, worst first: used to sort and to compare against thresholds. */
export const DIAGNOSTIC_SEVERITY_RANK: Readonly<Record<DiagnosticSeverity, number>> = {
  error: 0,
  warning: 1,
  info: 2,
};

/**
 * Why a rule of a policy (or a whole response) can never grant in the context it is read in: a
 * sentence and the requirement that says so. The effective policies (`src/flash/effective.ts`,
 * `src/silverlight/effective.ts`) mark rules with it; the linter reports it.
 */
export interface NeverApplies {
  why: string;
  requirement: RequirementId;
}

/** True when any diagnostic in the list is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
