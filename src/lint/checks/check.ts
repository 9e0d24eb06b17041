/**
 * What a check is, and the one helper that builds its findings from the catalogue.
 *
 * A check is a pure function of the parsed model and the lint context (csp-evaluator's
 * `CheckerFunction`): no I/O, no state, never throws on any model the parsers produce.
 *
 * @module
 */
import type { RequirementId, SourceLocation } from '../../diagnostics.js';
import type { FlashPolicy } from '../../flash/model.js';
import type { SilverlightPolicy } from '../../silverlight/model.js';
import { checkInfo } from '../catalogue.js';
import type { LintContext } from '../context.js';
import type { Finding, FindingId } from '../finding.js';

/** A check over a policy of type `P`. */
export type Check<P> = (policy: P, context: LintContext) => Finding[];

/** A check over a Flash policy. */
export type FlashCheck = Check<FlashPolicy>;

/** A check over a Silverlight policy. */
export type SilverlightCheck = Check<SilverlightPolicy>;

/** The start of the file: where findings about the whole file point. */
export const FILE_START: SourceLocation = { line: 1, column: 1, offset: 0 };

/**
 * A finding of check `id` (severity and CWE come from the catalogue) at `where` (an element's
 * source location; the file start when the model carries none).
 */
export function finding(id: FindingId, message: string, where: { location: SourceLocation } | SourceLocation | undefined, value: string, requirement?: RequirementId): Finding {
  const info = checkInfo(id);
  const loc = where === undefined ? FILE_START : 'location' in where ? where.location : where;
  const f: Finding = { id, severity: info.severity, message, line: loc.line, column: loc.column, value, remediation: info.remediation };
  const req = requirement ?? info.requirements[0];
  if (req !== undefined) f.requirement = req;
  if (info.cwe !== undefined) f.cwe = info.cwe;
  return f;
}
