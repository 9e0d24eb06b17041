/**
 * The named steps of Silverlight's procedure (spec/silverlight/6-http.md, 7-flash-subset.md,
 * 8-sockets.md) and the reference value of each: Silverlight 4/5 in the browser, the `silverlight`
 * profile. The procedure (`decide.ts`, `fetch.ts`) reads every step from a table of this shape; a
 * client profile (src/profiles/) is this table with some steps replaced. What a profile reads a
 * policy into (`P`, `F`) is its own: the reference compiles an index, a profile may keep its
 * client's model.
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';
import type { DecisionBuilder } from '../decision/builder.js';
import type { Decision, ParsedClientConfig, ParsedRequest, TraceAnswer } from '../decision/types.js';
import type { SocketTarget, Target, UrlTarget } from '../world/locations.js';
import { acceptsPolicyContentType } from '../world/content-type.js';
import { endedByClose, type WorldResponse } from '../world/world.js';
import { compileSilverlightPolicy, type CompiledSilverlightPolicy } from './compile.js';
import type { SilverlightCaller } from './domains.js';
import { callerOf } from './domains.js';
import { readSilverlightPolicy } from './effective.js';
import { parseSilverlightFlashSubset } from './flash-subset.js';
import { decideFlashSubset, decideHttpGrant, decideSocketGrant } from './grant.js';
import type { SilverlightFlashSubset } from './model.js';

/** What a policy text gave: the policy the client uses, or why none. */
export type SilverlightReadAnswer<P> =
  | { ok: true; policy: P; diagnostics: Diagnostic[] }
  | { ok: false; answered: TraceAnswer; why: string; requirements: RequirementId[]; diagnostics: Diagnostic[] };

/** What a socket answer gave: the text, or why there is none (SL-SOCK-4). */
export type SilverlightSocketAnswer = { text: string } | { text: null; answered: TraceAnswer; why: string; requirements: RequirementId[] };

/** Every named step of the Silverlight procedure, over the profile's policy forms `P` (clientaccesspolicy.xml) and `F` (the crossdomain.xml subset). */
export interface SilverlightSteps<P = CompiledSilverlightPolicy, F = SilverlightFlashSubset> {
  /** CLIENT-2: the settings of the client configuration this client honours. */
  clientConfig(config: ParsedClientConfig, target: Target): ParsedClientConfig;
  /** SL-DOM-1: the calling application. */
  caller(request: ParsedRequest): SilverlightCaller;
  /** SL-SOCK-4: the policy text in what port 943 answered. */
  socketAnswer(response: WorldResponse): SilverlightSocketAnswer;
  /** SL-HTTP-4: whether a `Content-Type` (`null`: none) is accepted for a policy. */
  acceptsContentType(contentType: string | null): boolean;
  /** SL-XML-*, SL-GRAM-*: a `clientaccesspolicy.xml` text read into the policy the client uses. */
  readPolicy(text: string, kind: 'socket' | 'url'): SilverlightReadAnswer<P>;
  /** SL-SOCK-9, SL-SOCK-10: the socket decision over the policy of port 943. */
  decideSocketGrant(b: DecisionBuilder, policy: P, caller: SilverlightCaller, sock: SocketTarget, location: string): Decision;
  /** SL-HTTP-8, SL-PATH-*, SL-HDR-*: the HTTP decision over a `clientaccesspolicy.xml`. */
  decideHttpGrant(b: DecisionBuilder, policy: P, location: string, caller: SilverlightCaller, target: UrlTarget, method: string, headers: readonly string[], request: ParsedRequest): Decision;
  /** SL-HTTP-6: what follows a `clientaccesspolicy.xml` that was served and rejected. */
  afterRejectedPolicy(): 'deny' | 'fallback';
  /** SL-FLASH-1 … SL-FLASH-3, SL-FLASH-10: a `crossdomain.xml` read as the subset. */
  readFlashSubset(text: string): SilverlightReadAnswer<F>;
  /** SL-FLASH-4 … SL-FLASH-9: the HTTP decision over the subset. */
  decideFlashSubset(b: DecisionBuilder, policy: F, response: WorldResponse | undefined, location: string, caller: SilverlightCaller, scheme: 'http' | 'https', method: string, headers: readonly string[]): Decision;
}

// SL-SOCK-4
/** Silverlight reads port 943 until the server closes: an answer that ended otherwise, or an empty one, is no policy. */
function readUntilClose(r: WorldResponse): SilverlightSocketAnswer {
  // SL-SOCK-4: only the server's close ends the response; one still open (or reset, or cut at the
  // recorder's limit) is what Silverlight had read so far, not a policy.
  if (!endedByClose(r)) return { text: null, answered: `unfinished (${r.end as 'reset' | 'timeout' | 'limit'})`, why: `port 943 did not close the connection (the response ended by ${r.end}); Silverlight reads until the close`, requirements: ['SL-SOCK-4', 'SL-SOCK-12'] };
  if (r.body === '') return { text: null, answered: 'empty', why: 'port 943 closed the connection without sending a policy', requirements: ['SL-SOCK-4', 'SL-SOCK-12'] };
  return { text: r.body };
}

function firstError(diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  return diagnostics.find((d) => d.severity === 'error');
}

/** The reference reading: the parser and the effective policy (`effective.ts`), compiled (`compile.ts`). */
function readAndCompile(text: string, kind: 'socket' | 'url'): SilverlightReadAnswer<CompiledSilverlightPolicy> {
  const read = readSilverlightPolicy(text, { kind });
  if (read.answered !== 'policy' || read.effective === null) {
    const first = firstError(read.diagnostics);
    return { ok: false, answered: read.answered, why: `${kind === 'socket' ? 'the policy from port 943 is' : 'the file is'} invalid${first ? `: ${first.message}` : ''}`, requirements: first ? [first.requirement] : ['SL-XML-1'], diagnostics: read.diagnostics };
  }
  return { ok: true, policy: compileSilverlightPolicy(read.effective), diagnostics: read.diagnostics };
}

// SL-FLASH-10
function readSubset(text: string): SilverlightReadAnswer<SilverlightFlashSubset> {
  const p = parseSilverlightFlashSubset(text);
  if (p.policy !== null) return { ok: true, policy: p.policy, diagnostics: p.diagnostics };
  const first = firstError(p.diagnostics);
  return { ok: false, answered: 'invalid', why: `the file is invalid${first ? `: ${first.message}` : ''}`, requirements: ['SL-FLASH-10', ...(first ? [first.requirement] : [])], diagnostics: p.diagnostics };
}

/** The reference step table: Silverlight 4/5 in the browser (spec/silverlight/). */
export const SILVERLIGHT_STEPS: SilverlightSteps = {
  clientConfig: (config) => config,
  // SL-DOM-1: the caller is the XAP's URL.
  caller: (request) => callerOf(request.origin),
  socketAnswer: readUntilClose,
  // SL-HTTP-4
  acceptsContentType: (contentType) => acceptsPolicyContentType('silverlight', contentType ?? undefined),
  readPolicy: readAndCompile,
  decideSocketGrant,
  decideHttpGrant: (b, policy, location, caller, target, method, headers) => decideHttpGrant(b, policy, location, caller, target, method, headers),
  // SL-HTTP-6: a served, rejected clientaccesspolicy.xml is the answer (fail closed).
  afterRejectedPolicy: () => 'deny',
  readFlashSubset: readSubset,
  decideFlashSubset,
};
