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
import type { SilverlightCaller, SilverlightDomainPattern } from './domains.js';
import { callerOf, classifyDomainUri } from './domains.js';
import { readSilverlightPolicy } from './effective.js';
import { parseSilverlightFlashSubset } from './flash-subset.js';
import { decideFlashSubset, decideHttpGrant, decideSocketGrant } from './grant.js';
import type { SilverlightFlashSubset, SilverlightPolicy } from './model.js';
import { forbiddenRequestPath, isWholeSiteGrant, type ForbiddenPathSequence } from './paths.js';

/** What a policy text gave: the policy the client uses, or why none. */
export type SilverlightReadAnswer<P> =
  | { ok: true; policy: P; diagnostics: Diagnostic[] }
  | { ok: false; answered: TraceAnswer; why: string; requirements: RequirementId[]; diagnostics: Diagnostic[] };

/** The steps a `readPolicy` step reads a policy with (the profile's own). */
export interface SilverlightPolicyReading {
  domainPattern(uri: string): SilverlightDomainPattern;
  wholeSite(policy: SilverlightPolicy, text: string): boolean;
}

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
  /** SL-DOM-2 … SL-DOM-8: a `<domain uri>` value as the pattern callers are matched with. */
  domainPattern(uri: string): SilverlightDomainPattern;
  /**
   * SL-DOM-4, SL-DOM-10: a `<domain uri>` value the client reads its own way for local (`file:`)
   * callers, as that pattern; `null` leaves the value to `domainPattern`. The reference reads every
   * value there (`file:///` included), so its answer is always `null`.
   */
  fileDomainPattern(uri: string): SilverlightDomainPattern | null;
  /** SL-PATH-6: whether a policy read from `text` is the whole-site grant exempt from SL-PATH-5. */
  wholeSite(policy: SilverlightPolicy, text: string): boolean;
  /** SL-XML-*, SL-GRAM-*: a `clientaccesspolicy.xml` text read into the policy the client uses, its domains and whole-site form read by `reading` ({@link policyReadingOf} the steps). */
  readPolicy(text: string, kind: 'socket' | 'url', reading: SilverlightPolicyReading): SilverlightReadAnswer<P>;
  /** SL-SOCK-9, SL-SOCK-10: the socket decision over the policy of port 943. */
  decideSocketGrant(b: DecisionBuilder, policy: P, caller: SilverlightCaller, sock: SocketTarget, location: string): Decision;
  /** SL-PATH-5: the forbidden sequence (`..`, `./`, `%`) the client finds in the request, `target` as read and `given` as written, or `null`. */
  forbiddenPathSequence(target: UrlTarget, given: string): ForbiddenPathSequence | null;
  /** SL-HTTP-8, SL-PATH-*, SL-HDR-*: the HTTP decision over a `clientaccesspolicy.xml`, `forbidden` what `forbiddenPathSequence` found. */
  decideHttpGrant(b: DecisionBuilder, policy: P, location: string, caller: SilverlightCaller, target: UrlTarget, method: string, headers: readonly string[], request: ParsedRequest, forbidden: ForbiddenPathSequence | null): Decision;
  /** SL-HTTP-6: what follows a `clientaccesspolicy.xml` that was served and rejected. */
  afterRejectedPolicy(): 'deny' | 'fallback';
  /** SL-FLASH-1 … SL-FLASH-3, SL-FLASH-10: a `crossdomain.xml` read as the subset. */
  readFlashSubset(text: string): SilverlightReadAnswer<F>;
  /** SL-FLASH-4 … SL-FLASH-9: the HTTP decision over the subset. */
  decideFlashSubset(b: DecisionBuilder, policy: F, response: WorldResponse | undefined, location: string, caller: SilverlightCaller, scheme: 'http' | 'https', method: string, headers: readonly string[]): Decision;
}

/**
 * The reading a `readPolicy` step is given: each `<domain uri>` read by `fileDomainPattern`, then
 * (when that gives `null`) by `domainPattern`; `wholeSite` as the steps say.
 */
export function policyReadingOf(steps: Pick<SilverlightSteps<unknown, unknown>, 'domainPattern' | 'fileDomainPattern' | 'wholeSite'>): SilverlightPolicyReading {
  const { domainPattern, fileDomainPattern, wholeSite } = steps;
  if (fileDomainPattern === SILVERLIGHT_STEPS.fileDomainPattern) return { domainPattern, wholeSite };
  return { domainPattern: (uri) => fileDomainPattern(uri) ?? domainPattern(uri), wholeSite };
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
function readAndCompile(text: string, kind: 'socket' | 'url', reading: SilverlightPolicyReading): SilverlightReadAnswer<CompiledSilverlightPolicy> {
  const read = readSilverlightPolicy(text, { kind });
  if (read.answered !== 'policy' || read.effective === null) {
    const first = firstError(read.diagnostics);
    return { ok: false, answered: read.answered, why: `${kind === 'socket' ? 'the policy from port 943 is' : 'the file is'} invalid${first ? `: ${first.message}` : ''}`, requirements: first ? [first.requirement] : ['SL-XML-1'], diagnostics: read.diagnostics };
  }
  return { ok: true, policy: compileSilverlightPolicy(read.effective, reading.domainPattern, reading.wholeSite(read.effective.policy, text)), diagnostics: read.diagnostics };
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
  // SL-DOM-2 … SL-DOM-8
  domainPattern: classifyDomainUri,
  // SL-DOM-4: file:/// is read by domainPattern like every other value.
  fileDomainPattern: () => null,
  // SL-PATH-6
  wholeSite: (policy) => isWholeSiteGrant(policy),
  readPolicy: readAndCompile,
  decideSocketGrant,
  // SL-PATH-5
  forbiddenPathSequence: (target) => forbiddenRequestPath(target),
  decideHttpGrant: (b, policy, location, caller, target, method, headers, _request, forbidden) => decideHttpGrant(b, policy, location, caller, target, method, headers, forbidden),
  // SL-HTTP-6: a served, rejected clientaccesspolicy.xml is the answer (fail closed).
  afterRejectedPolicy: () => 'deny',
  readFlashSubset: readSubset,
  decideFlashSubset,
};
