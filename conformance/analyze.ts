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
import { classifyDomainUri, defaultPort } from '../src/silverlight/domains.js';
import { createDecider } from '../src/decision/decide.js';
import { pushAll } from '../src/collections.js';
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
  /**
   * What a served policy names, as decision-matrix axes: the edges of every port range it grants
   * (and the ports just outside them), a caller origin for every domain it admits, and the paths of
   * a Silverlight policy's resources. Null when the parser rejects the policy.
   */
  policyAxes(text: string, client: ClientProfile, context: ServeContext): PolicyAxes | null;
  /**
   * The decisions over one world: the world is indexed and each location's policy read once per
   * profile, however many requests are asked (a matrix asks hundreds). Null when no decision
   * function is available. The world must not change while the returned function is in use.
   */
  decider(world: WorldSnapshot): ((request: DecisionRequest) => Decision) | null;
}

/** The ports, origins and paths a served policy names. */
export interface PolicyAxes {
  ports: number[];
  origins: string[];
  paths: string[];
}

/** A range's edges and the ports just outside it: where a grant starts and stops. */
function rangeEdges(from: number, to: number): number[] {
  return [from - 1, from, to, to + 1].filter((p) => p >= 1 && p <= 65535);
}

/** The host of a URL, bracketed when it is an IPv6 address. */
const urlHost = (h: string): string => (h.includes(':') ? `[${h}]` : h);

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
  const flashEffective = (text: string, context: ServeContext): EffectiveFlashPolicy | null => {
    try {
      return readFlashPolicy(text, flashContext(context)).effective;
    } catch {
      // The reader never throws by contract; if it does, there is no policy to read.
      return null;
    }
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
    flashEffective,
    lint(text, client, context) {
      // WIRE-POL-2 judges the reference's reading; what other clients make of the answer is the
      // matrices' "accepted by" view (WIRE-HARNESS-8), so no compatibility findings here (LINT-17).
      const options: LintOptions = { servedFrom: context.servedFrom, client, clients: [] };
      if (context.contentType !== undefined) options.contentType = context.contentType;
      if (context.headers !== undefined) options.headers = context.headers;
      return lintText(text, options);
    },
    policyAxes(text, client, context) {
      const axes: PolicyAxes = { ports: [], origins: [], paths: [] };
      if (client === 'flash') {
        const effective = flashEffective(text, context);
        if (!effective) return null;
        for (const a of effective.access) {
          // The ranges as written: where the 1024 rule cuts one, the matrix shows the cut as a deny.
          if (a.rule.toPorts && !a.rule.toPorts.any) for (const r of a.rule.toPorts.ranges) pushAll(axes.ports, rangeEdges(r.from, r.to));
          // A caller each named domain admits; `*` and never-matching values add none.
          const d = a.pattern;
          if (d.kind === 'name') axes.origins.push(`http://${d.name}/app.swf`);
          else if (d.kind === 'suffix') axes.origins.push(`http://sub.${d.suffix}/app.swf`);
          else if (d.kind === 'ip') axes.origins.push(`http://${urlHost(d.address)}/app.swf`);
        }
        return axes;
      }
      let policy;
      try {
        policy = readSilverlightPolicy(text, { kind: context.kind }).policy;
      } catch {
        return null;
      }
      if (!policy) return null;
      for (const entry of policy.policies) {
        for (const allow of entry.allowFrom) {
          for (const d of allow.domains) {
            const c = classifyDomainUri(d.uri);
            const port = (scheme: 'http' | 'https', p: number): string => (p === defaultPort(scheme) ? '' : `:${p}`);
            if (c.kind === 'root') axes.origins.push(`${c.scheme}://${urlHost(c.host)}${port(c.scheme, c.port)}/app.xap`);
            else if (c.kind === 'application') axes.origins.push(`${c.scheme}://${urlHost(c.host)}${port(c.scheme, c.port)}${c.path}`);
            else if (c.kind === 'subdomains') axes.origins.push(`${c.scheme}://sub.${c.suffix}${port(c.scheme, c.port)}/app.xap`);
          }
        }
        for (const grant of entry.grantTo) {
          for (const r of grant.socketResources) pushAll(axes.ports, rangeEdges(r.from, r.to));
          for (const r of grant.resources) {
            axes.paths.push(r.path);
            if (r.includeSubpaths) axes.paths.push(`${r.path.replace(/\/$/, '')}/sub/data.xml`);
          }
        }
      }
      return axes;
    },
    decider(world) {
      // Every profile is implemented: every answer is a decision (an unknown client is denied, DECIDE-1).
      const d = createDecider(world);
      return (request) => d.decide(request);
    },
  };
}
