/**
 * Context checks (`LINT-CONTEXT-*`): say what was assumed about how the file is served, and
 * whether the chosen client reads it at all. They look only at the context and the format.
 *
 * @module
 */
import type { LintContext, PolicyFormat } from '../context.js';
import type { Finding } from '../finding.js';
import { finding } from './check.js';

/**
 * Reports an inferred context (LINT-CONTEXT-INFERRED) and a client that never reads this file
 * (LINT-CONTEXT-CLIENT): Flash never reads a Silverlight policy; Silverlight never reads a Flash
 * socket policy, nor a Flash URL policy other than `/crossdomain.xml`.
 *
 * Example where this check triggers: any file linted without `--served-from`.
 * Confidence: certain.
 */
export function checkContext(format: PolicyFormat, context: LintContext): Finding[] {
  const out: Finding[] = [];
  if (context.inferred !== undefined) out.push(finding('LINT-CONTEXT-INFERRED', `${context.inferred[0]?.toUpperCase() ?? ''}${context.inferred.slice(1)}.`, undefined, context.servedFrom ?? ''));
  if (context.client === 'flash' && format === 'silverlight') {
    out.push(finding('LINT-CONTEXT-CLIENT', 'Flash Player never reads a Silverlight clientaccesspolicy.xml; lint it with --client silverlight or all.', undefined, 'flash'));
  } else if (context.client === 'silverlight' && format === 'flash' && (context.kind === 'socket' || !context.master)) {
    out.push(finding('LINT-CONTEXT-CLIENT', `Silverlight reads a Flash policy only at /crossdomain.xml, never ${context.kind === 'socket' ? 'from a socket port' : 'at another path'}; lint it with --client flash or all.`, undefined, 'silverlight'));
  }
  return out;
}
