/**
 * What the harness asks of the library about a served policy: is it well formed and valid under
 * our spec (the format parsers), what does lint find, and what does each client decide (`decide`).
 *
 * The harness talks to the library through this one seam ({@link Analyzers}), so tests can inject
 * their own and the checks stay independent of how the library is assembled.
 *
 * @module
 */
import type { Diagnostic } from '../src/diagnostics.js';
import type { ClientProfile, Decision, DecisionRequest } from '../src/decision/types.js';
import type { WorldSnapshot } from '../src/world/world.js';
import { readFlashPolicy, type EffectiveFlashPolicy, type FlashReadContext } from '../src/flash/effective.js';
import { readSilverlightPolicy } from '../src/silverlight/effective.js';
import { decide } from '../src/decision/decide.js';
import { lintText } from '../src/lint/lint.js';
import type { LintOptions } from '../src/lint/context.js';

/** How a policy was served, for the parser. */
export interface ServeContext {
  /** `url` for HTTP(S) policies, `socket` for socket policies. */
  kind: 'url' | 'socket';
  scheme?: 'http' | 'https';
  /** Whether the location is a master location (`/crossdomain.xml`, port 843). */
  master?: boolean;
  /** The location, e.g. `xmlsocket://127.0.0.1:843`. */
  servedFrom: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** The parser's verdict on a served policy. */
export interface PolicyValidity {
  /** True: a model was produced; false: rejected as a whole. */
  valid: boolean;
  diagnostics: Diagnostic[];
  /** Which parser ran. */
  checkedBy: 'flash-parser' | 'silverlight-parser';
}

/** A lint finding, as far as the harness needs it (a subset of the library's `Finding`). */
export interface LintFindingLike {
  id: string;
  severity: string;
  message: string;
  line?: number;
  column?: number;
  value?: string;
  requirement?: string;
}

/** The library functions the harness uses. */
export interface Analyzers {
  validate(text: string, format: ClientProfile, context: ServeContext): PolicyValidity;
  /**
   * The Flash client's effective policy of a served policy (null when its reader rejects it), so
   * checks read `site-control`, the meta-policy in force and the like from the client's one reader
   * rather than re-reading the text.
   */
  flashEffective(text: string, context: ServeContext): EffectiveFlashPolicy | null;
  /** Null when no linter is available. */
  lint(text: string, client: ClientProfile, context: ServeContext): LintFindingLike[] | null;
  /** Null when no decision function is available. */
  decide(request: DecisionRequest, world: WorldSnapshot): Decision | null;
}

/** The library's analyzers: the format parsers, the linter and `decide`. */
export async function loadAnalyzers(): Promise<Analyzers> {
  // The text a check hands over is the policy as the client reads it (a socket answer already cut at its NUL).
  const flashContext = (context: ServeContext): FlashReadContext => {
    const header = context.headers?.['x-permitted-cross-domain-policies'];
    return {
      kind: context.kind,
      ...(context.scheme ? { scheme: context.scheme } : {}),
      master: context.master ?? false,
      ...(header !== undefined ? { metaPolicyHeader: header } : {}),
    };
  };
  return {
    validate(text, format, context) {
      const checkedBy = format === 'flash' ? 'flash-parser' : 'silverlight-parser';
      try {
        const r = format === 'flash' ? readFlashPolicy(text, flashContext(context)) : readSilverlightPolicy(text, { kind: context.kind });
        return { valid: r.policy !== null, diagnostics: r.diagnostics, checkedBy };
      } catch (err) {
        // The parsers never throw by contract; if one does, the policy is not accepted.
        return {
          valid: false,
          diagnostics: [{ severity: 'error', code: 'parser-threw', message: String(err), line: 1, column: 1, requirement: 'WIRE-POL-1' }],
          checkedBy,
        };
      }
    },
    flashEffective(text, context) {
      try {
        return readFlashPolicy(text, flashContext(context)).effective;
      } catch {
        // The reader never throws by contract; if it does, there is no policy to read.
        return null;
      }
    },
    lint(text, client, context) {
      const options: LintOptions = { servedFrom: context.servedFrom, client };
      if (context.contentType !== undefined) options.contentType = context.contentType;
      if (context.headers !== undefined) options.headers = context.headers;
      return lintText(text, options);
    },
    decide(request, world) {
      // Both client profiles are implemented: every answer is a decision (an unknown client is denied, DECIDE-1).
      return decide(request, world);
    },
  };
}
