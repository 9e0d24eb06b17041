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
import { parseXmlDocument, type XmlRules } from '../src/xml/document.js';

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
  /** True: a model was produced; false: rejected as a whole; null: no parser for the format. */
  valid: boolean | null;
  diagnostics: Diagnostic[];
  /** Which check ran: the format's parser, or only the XML front end when the parser is missing. */
  checkedBy: 'flash-parser' | 'silverlight-parser' | 'xml-only';
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
  /** Null when no linter is available. */
  lint(text: string, client: ClientProfile, context: ServeContext): LintFindingLike[] | null;
  /** Null when no decision function is available. */
  decide(request: DecisionRequest, world: WorldSnapshot): Decision | null;
}

type AnyFn = (...args: unknown[]) => unknown;

/** Imports a library module if this build has it (modules land independently); null otherwise. */
async function optionalModule(specifier: string): Promise<Record<string, unknown> | null> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** XML rules for the fallback well-formedness check: strict, as Flash reads. */
const FALLBACK_XML_RULES: XmlRules = {
  wellFormed: 'WIRE-POL-1',
  contentOutsideRoot: 'WIRE-POL-1',
  entities: 'WIRE-POL-1',
  limits: 'WIRE-POL-1',
  characters: 'WIRE-POL-1',
  bom: 'WIRE-POL-1',
  allowBom: true,
  leadingWhitespace: 'WIRE-POL-1',
  allowLeadingWhitespace: false,
};

/** Well-formedness plus the expected root, when the format's parser is not in this build. */
function validateXmlOnly(text: string, format: ClientProfile): PolicyValidity {
  const diagnostics: Diagnostic[] = [];
  const doc = parseXmlDocument(text, FALLBACK_XML_RULES, diagnostics);
  const wanted = format === 'flash' ? 'cross-domain-policy' : 'access-policy';
  if (doc && doc.root.name !== wanted) {
    diagnostics.push({
      severity: 'error',
      code: 'wrong-root',
      message: `The root element is <${doc.root.name}>; a ${format} policy has <${wanted}>.`,
      line: doc.root.location.line,
      column: doc.root.location.column,
      requirement: 'WIRE-POL-1',
    });
  }
  return { valid: diagnostics.every((d) => d.severity !== 'error'), diagnostics, checkedBy: 'xml-only' };
}

/** The library's analyzers, with whatever this build provides. */
export async function loadAnalyzers(): Promise<Analyzers> {
  const [flash, silverlight, lintMod, decideMod] = await Promise.all([
    optionalModule('../src/flash/parse.js'),
    optionalModule('../src/silverlight/parse.js'),
    optionalModule('../src/lint/index.js'),
    optionalModule('../src/decision/decide.js'),
  ]);
  const parseFlash = flash?.['parseFlashPolicy'] as AnyFn | undefined;
  const parseSl = silverlight?.['parseSilverlightPolicy'] as AnyFn | undefined;
  const lintText = lintMod?.['lintText'] as AnyFn | undefined;
  const decide = decideMod?.['decide'] as AnyFn | undefined;
  return {
    validate(text, format, context) {
      try {
        if (format === 'flash' && parseFlash) {
          const r = parseFlash(text, { kind: context.kind, scheme: context.scheme, master: context.master ?? false }) as {
            policy: unknown;
            diagnostics: Diagnostic[];
          };
          return { valid: r.policy !== null, diagnostics: r.diagnostics, checkedBy: 'flash-parser' };
        }
        if (format === 'silverlight' && parseSl) {
          const r = parseSl(text) as { policy: unknown; diagnostics: Diagnostic[] };
          return { valid: r.policy !== null, diagnostics: r.diagnostics, checkedBy: 'silverlight-parser' };
        }
      } catch (err) {
        return {
          valid: false,
          diagnostics: [{ severity: 'error', code: 'parser-threw', message: String(err), line: 1, column: 1, requirement: 'WIRE-POL-1' }],
          checkedBy: format === 'flash' ? 'flash-parser' : 'silverlight-parser',
        };
      }
      return validateXmlOnly(text, format);
    },
    lint(text, client, context) {
      if (!lintText) return null;
      const options: Record<string, unknown> = { servedFrom: context.servedFrom, client };
      if (context.contentType !== undefined) options['contentType'] = context.contentType;
      if (context.headers !== undefined) options['headers'] = context.headers;
      return lintText(text, options) as LintFindingLike[];
    },
    decide(request, world) {
      if (!decide) return null;
      return decide(request, world) as Decision;
    },
  };
}
