/**
 * The one place where the server asks whether a policy may be served: the clients' readers (the
 * effective policy, `src/flash/effective.ts`, `src/silverlight/effective.ts`) and the linter are
 * called from here only, so the server's notion of "valid" is one file. The text is the policy
 * itself, not a wire answer: the server adds the Flash NUL when it sends it (SRV-FRAME-6), so a NUL
 * in the file is an error, not framing.
 *
 * A policy is served only when it parses with no error diagnostic (SRV-VALID-1): a policy rejected
 * as a whole grants nothing (FLASH-XML-1), and an element dropped with an error does not grant what
 * its author meant, so serving it would turn a typo into a silent denial. Parser warnings and lint
 * findings of medium severity and above come back as warnings for the operator.
 *
 * @module
 */
import type { Diagnostic } from '../diagnostics.js';
import { readFlashPolicy } from '../flash/effective.js';
import type { FlashParseContext, MetaPolicy } from '../flash/model.js';
import type { LintContext } from '../lint/context.js';
import { reaches } from '../lint/finding.js';
import { lintEffective } from '../lint/lint.js';
import { readSilverlightPolicy } from '../silverlight/effective.js';

/** Something worth telling the operator about a policy that will nevertheless be served. */
export interface PolicyWarning {
  /** A lint finding ID or a diagnostic code. */
  id: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  /** The requirement of spec/ it relates to, when known. */
  requirement?: string;
}

/** The verdict on one policy text. */
export interface PolicyCheck {
  /** True when the policy may be served. */
  ok: boolean;
  /** Why it may not be served: error diagnostics with line and column. Empty when `ok`. */
  errors: Diagnostic[];
  /** Parser warnings and lint findings of medium severity and above. */
  warnings: PolicyWarning[];
  /**
   * For a Flash policy: the meta-policy its `site-control` declares (the most restrictive when
   * there are several), or `null` without one. Always `null` for Silverlight.
   */
  metaPolicy: MetaPolicy | null;
}

/** Where a Silverlight policy is served: the socket listener (port) or HTTP. */
export interface SilverlightServingContext {
  kind: 'socket' | 'url';
  port?: number;
}

function verdict(diagnostics: Diagnostic[], usable: boolean, metaPolicy: MetaPolicy | null, lintWarnings: PolicyWarning[]): PolicyCheck {
  let errors = diagnostics.filter((d) => d.severity === 'error');
  if (!usable && errors.length === 0) {
    errors = [{ severity: 'error', code: 'not-a-policy', message: 'the text is not a usable policy', line: 1, column: 1, requirement: 'SRV-VALID-1' }];
  }
  const warnings: PolicyWarning[] = diagnostics
    .filter((d) => d.severity === 'warning')
    .map((d) => ({ id: d.code, severity: d.severity, message: d.message, line: d.line, column: d.column, requirement: d.requirement }));
  const ok = usable && errors.length === 0;
  return { ok, errors: ok ? [] : errors, warnings: [...warnings, ...lintWarnings], metaPolicy: ok ? metaPolicy : null };
}

/** Lint findings of medium severity and above, as warnings (the parser's own are already listed). */
function lintWarnings(findings: ReturnType<typeof lintEffective>, diagnostics: Diagnostic[]): PolicyWarning[] {
  const seen = new Set(diagnostics.map((d) => `${d.line}:${d.column}:${d.message}`));
  return findings
    .filter((f) => f.severity !== 'error' && reaches(f.severity, 'medium') && !seen.has(`${f.line}:${f.column}:${f.message}`))
    .map((f) => ({ id: f.id, severity: f.severity, message: f.message, line: f.line, column: f.column, ...(f.requirement ? { requirement: f.requirement } : {}) }));
}


/**
 * Checks a Flash policy before it is served. A socket policy is checked as
 * `{ kind: 'socket', master: port === 843 }`; `/crossdomain.xml` as `{ kind: 'url', master: true }`.
 * `port` is the socket listener's port, for the linter.
 */
// SRV-VALID-1
export function checkFlashPolicy(text: string, context: FlashParseContext, port?: number): PolicyCheck {
  const { effective, diagnostics } = readFlashPolicy(text, { kind: context.kind, ...(context.scheme ? { scheme: context.scheme } : {}), master: context.master !== false, ...(context.kind === 'socket' && port !== undefined ? { servedFromPort: port } : {}) });
  if (!effective) return verdict(diagnostics, false, null, []);
  const lintContext: LintContext = {
    format: 'flash',
    kind: context.kind,
    master: context.master !== false,
    client: 'flash',
    ...(context.kind === 'url' ? { scheme: context.scheme ?? 'http', contentType: 'text/x-cross-domain-policy' } : {}),
    ...(port !== undefined ? { port } : {}),
  };
  // SRV-HTTP-2: the meta-policy the file's own site-control declares (the most restrictive of several), as the client reads it.
  const meta = effective.metaPolicy;
  return verdict(diagnostics, true, meta !== null && meta.source !== 'default' ? meta.value : null, lintWarnings(lintEffective(effective, lintContext), diagnostics));
}

/** Checks a Silverlight `clientaccesspolicy.xml` before it is served. */
// SRV-VALID-1
export function checkSilverlightPolicy(text: string, serving: SilverlightServingContext = { kind: 'socket', port: 943 }): PolicyCheck {
  const { effective, diagnostics } = readSilverlightPolicy(text, { kind: serving.kind });
  if (!effective) return verdict(diagnostics, false, null, []);
  const lintContext: LintContext = {
    format: 'silverlight',
    kind: serving.kind,
    master: true,
    client: 'silverlight',
    ...(serving.kind === 'url' ? { scheme: 'http' as const } : {}),
    ...(serving.port !== undefined ? { port: serving.port } : {}),
  };
  return verdict(diagnostics, true, null, lintWarnings(lintEffective(effective, lintContext), diagnostics));
}
