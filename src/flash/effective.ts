/**
 * The effective Flash policy: what Flash Player actually uses of a policy served in a given way,
 * computed once and read by the decision procedure, the linter, the conformance harness and the
 * server's validation.
 *
 * From the text a client received: the socket framing cut at the first NUL (FLASH-SOCK-2); the
 * response refused outright when its `Content-Type` or `X-Permitted-Cross-Domain-Policies` says so
 * (FLASH-URL-7, FLASH-META-7); the parser's model, in which voided elements are already gone; the
 * master's meta-policy applied (FLASH-META-*, FLASH-SOCK-6); and every rule marked usable — with its
 * `secure` default filled in (FLASH-SEC-2/3) and its ports cut by the 1024 rule (FLASH-SOCK-7) — or
 * never usable, with the requirement that voids it.
 *
 * Pure: no I/O.
 *
 * @module
 */
import type { Diagnostic, NeverApplies, RequirementId } from '../diagnostics.js';
import type { TraceAnswer, UnfinishedAnswer } from '../decision/types.js';
import { acceptedPolicyContentTypes, acceptsPolicyContentType } from '../world/content-type.js';
import type { WorldEnd } from '../world/world.js';
import type { XmlDocument } from '../xml/document.js';
import { parseDomainPattern, type DomainPattern } from './domains.js';
import { effectiveMetaPolicy, parseMetaPolicyHeader, type EffectiveMetaPolicy } from './meta.js';
import type { FlashAllowAccessFrom, FlashAllowHttpRequestHeadersFrom, FlashPolicy, FlashPolicyKind, FlashUrlScheme, PortRange, PortSpec } from './model.js';
import { readFlashGrammar, readFlashXml, type FlashParseOptions, type ToPortsReader } from './parse.js';
import { MAX_PORT, parsePortRanges } from './ports.js';
import { extractSocketPolicyText, type SocketPolicyText } from './socket.js';

/** How and where a policy was served: fixes framing, `secure` defaults, `to-ports`, the meta-policy and the 1024 rule. */
export interface FlashPolicyContext {
  kind: FlashPolicyKind;
  /** For URL policies: the scheme it was served over (default `http`). */
  scheme?: FlashUrlScheme;
  /** For socket policies: the port the policy was served from (FLASH-SOCK-7). */
  servedFromPort?: number;
  /** Whether this is the master policy (`/crossdomain.xml`, port 843). Default: true. */
  master?: boolean;
  /** URL policies: the response's `X-Permitted-Cross-Domain-Policies`, when it had one. */
  metaPolicyHeader?: string;
  /**
   * URL policies: the response's `Content-Type`; `null` when it had none (not accepted:
   * FLASH-URL-7); `undefined` when it is not known (the linter without `--content-type`, the server,
   * which sets it itself).
   */
  contentType?: string | null;
  /**
   * URL policies: the host and port the file was asked for (for a master, the target's); unknown
   * when a file is read without a location (the linter). A client may read rules against them.
   */
  location?: { host: string; port: number };
}

/** One `allow-access-from` of the policy, as the client uses it. */
export interface EffectiveAccessRule {
  /** Position among the policy's `allowAccessFrom` (document order). */
  index: number;
  rule: FlashAllowAccessFrom;
  pattern: DomainPattern;
  /** `secure` with the default filled in: true means only HTTPS origins are granted. */
  secure: boolean;
  /** Ports granted (socket policies), after the 1024 rule; `null` for URL policies. */
  ports: PortSpec | null;
  /** Ports the rule lists that the 1024 rule cuts (FLASH-SOCK-7); empty when none. */
  cutPorts: PortRange[];
  /** Why the rule never grants, or `null` when it can. */
  never: NeverApplies | null;
}

/** One `allow-http-request-headers-from`, as the client uses it. */
export interface EffectiveHeaderRule {
  index: number;
  rule: FlashAllowHttpRequestHeadersFrom;
  pattern: DomainPattern;
  secure: boolean;
  never: NeverApplies | null;
}

/** A policy as the client uses it in one context. */
export interface EffectiveFlashPolicy {
  policy: FlashPolicy;
  context: FlashPolicyContext;
  /** The master's meta-policy (site-control and header); `null` for a policy that is not the master. */
  metaPolicy: EffectiveMetaPolicy | null;
  /** When the client uses no policy from this response at all (content type, `none-this-response`). */
  refused: NeverApplies | null;
  /** When the client's reading makes the whole file no policy (never for the reference: the parser rejects such a file). */
  invalid: NeverApplies | null;
  /** The lowest port this policy can grant (FLASH-SOCK-7): 1, or 1024 when served from a high port. */
  lowestGrantablePort: number;
  /** Every `allow-access-from`, in document order. */
  access: EffectiveAccessRule[];
  /** Every `allow-http-request-headers-from`, in document order. */
  headers: EffectiveHeaderRule[];
}

// FLASH-SOCK-7
/** The threshold of the 1024 rule: a socket policy served from this port or higher grants only ports from here up. */
export const HIGH_PORT_THRESHOLD = 1024;

// FLASH-SOCK-7
/** The lowest port a socket policy served from `servedFromPort` can grant. */
export function lowestGrantablePort(servedFromPort: number | undefined): number {
  return servedFromPort !== undefined && servedFromPort >= HIGH_PORT_THRESHOLD ? HIGH_PORT_THRESHOLD : 1;
}

// FLASH-SOCK-7
/**
 * The 1024 rule: what a `to-ports` grants from the port it was served from (`ports`, `null` when
 * nothing is left) and what the rule cuts away (`cut`).
 */
export function applyHighPortRule(spec: PortSpec, servedFromPort: number | undefined, lowestPort: (servedFromPort: number | undefined) => number = lowestGrantablePort): { ports: PortSpec | null; cut: PortRange[] } {
  const lowest = lowestPort(servedFromPort);
  if (lowest === 1) return { ports: spec, cut: [] };
  const ranges = spec.any ? [{ from: 1, to: MAX_PORT }] : spec.ranges;
  const kept: PortRange[] = [];
  const cut: PortRange[] = [];
  for (const r of ranges) {
    if (r.from < lowest) cut.push({ from: r.from, to: Math.min(r.to, lowest - 1) });
    if (r.to >= lowest) kept.push({ from: Math.max(r.from, lowest), to: r.to });
  }
  return { ports: kept.length === 0 ? null : { any: false, ranges: kept }, cut };
}

/** {@link applyHighPortRule}'s granted ports only. */
export function restrictToHighPorts(spec: PortSpec, servedFromPort: number | undefined): PortSpec | null {
  return applyHighPortRule(spec, servedFromPort).ports;
}

// FLASH-SEC-1, FLASH-SEC-2, FLASH-SEC-3
/**
 * `secure` as it applies: over HTTPS it defaults to true; in socket policies to false; over HTTP
 * (and FTP) it has no effect at all, so it is false whatever is written.
 */
export function effectiveSecure(secure: boolean | null, context: FlashPolicyContext): boolean {
  if (context.kind === 'socket') return secure ?? false;
  if ((context.scheme ?? 'http') === 'https') return secure ?? true;
  return false;
}

// FLASH-META-7, FLASH-URL-7
/** Why the client uses no policy at all from a URL response served this way, or `null`. */
export function flashServingRefusal(context: FlashPolicyContext): (NeverApplies & { answered: TraceAnswer }) | null {
  if (context.kind !== 'url') return null;
  if (context.metaPolicyHeader !== undefined && parseMetaPolicyHeader(context.metaPolicyHeader).noneThisResponse) {
    return { answered: 'none-this-response', why: 'the response says X-Permitted-Cross-Domain-Policies: none-this-response: not used as a policy', requirement: 'FLASH-META-7' };
  }
  if (context.contentType !== undefined && !acceptsPolicyContentType('flash', context.contentType ?? undefined)) {
    const got = context.contentType === null ? 'no Content-Type' : `Content-Type '${context.contentType}'`;
    return { answered: 'content-type', why: `${got} is not an accepted policy type (${acceptedPolicyContentTypes('flash')}): no policy`, requirement: 'FLASH-URL-7' };
  }
  return null;
}

function metaNone(context: FlashPolicyContext): NeverApplies {
  return context.kind === 'socket'
    ? { why: "the master's meta-policy 'none' allows no socket connection to this host", requirement: 'FLASH-SOCK-6' }
    : { why: "the master's meta-policy 'none' disables every policy of this host, this one included", requirement: 'FLASH-META-2' };
}

/** Where a client's grammar stopped reading a file (a client that stops at its first bad element); the reference never stops. */
export interface GrammarStop {
  /** The element it stopped at, as written. */
  element: string;
  line: number;
  column: number;
  why: string;
}

/** What a grammar made of a document: the model, or `null` when the whole file is rejected, and where it stopped. */
export interface FlashGrammarRead {
  policy: FlashPolicy | null;
  /** Set when the client stopped reading at an element (the rules before it were read); `null` for the reference. */
  stoppedAt: GrammarStop | null;
}

/** What a file's reading leaves unusable, beyond single rules: the whole file, or its own rules. */
export interface FileValidity {
  /** The whole file is no policy (answered `invalid`). */
  invalid: NeverApplies | null;
  /** The file stands (its meta-policy counts) but none of its own rules grant. */
  ownRulesVoid: NeverApplies | null;
}

/** How the socket framing left a response: the policy text, or why there is none (FLASH-SOCK-2). */
export type FramedAnswer =
  | { text: string; framing: SocketPolicyText | null; how: string; diagnostics: Diagnostic[] }
  | { text: null; framing: SocketPolicyText | null; answered: TraceAnswer; why: string; requirements: RequirementId[] };

/**
 * The steps of reading a Flash policy, from the text a client received to the effective policy. The
 * reference values are {@link FLASH_READ_STEPS}; a client profile replaces some (src/profiles/).
 */
export interface FlashReadSteps {
  /** FLASH-SOCK-2: the policy text in a socket answer that ended as `end` says. */
  framing(answer: string, end: WorldEnd): FramedAnswer;
  /** FLASH-META-7, FLASH-URL-7: why no policy at all is used from a URL response served this way. */
  servingRefusal(context: FlashPolicyContext): (NeverApplies & { answered: TraceAnswer }) | null;
  /** FLASH-XML-*: the XML document, or `null` (with diagnostics) when the client rejects the text. */
  xmlDocument(text: string, diagnostics: Diagnostic[], options: FlashParseOptions): XmlDocument | null;
  /** FLASH-XML-3, FLASH-GRAM-*: the model of a document (`toPorts` reads `to-ports`). */
  grammar(doc: XmlDocument, context: FlashPolicyContext, diagnostics: Diagnostic[], toPorts: ToPortsReader): FlashGrammarRead;
  /** FLASH-PORT-*: a `to-ports` value. */
  toPorts: ToPortsReader;
  /** What a stop of the grammar, or the meta-policy read, leaves of the file (the reference's grammar never stops). */
  fileValidity(policy: FlashPolicy, stoppedAt: GrammarStop | null, meta: EffectiveMetaPolicy | null, context: FlashPolicyContext): FileValidity;
  /** FLASH-META-*, FLASH-SOCK-6, FLASH-SOCK-10: the meta-policy a master declares (`null` for a file that is not the master). */
  metaPolicy(policy: FlashPolicy, header: string | undefined, context: FlashPolicyContext): EffectiveMetaPolicy | null;
  /** FLASH-DOM-*: a `domain` value as a pattern. */
  /** FLASH-DOM-*: a `domain` value as a pattern, in the policy's context (a client may read socket and URL policies differently). */
  domainPattern(domain: string, context: FlashPolicyContext): DomainPattern;
  /** FLASH-SEC-*: whether a rule grants only HTTPS origins. */
  secure(secure: boolean | null, context: FlashPolicyContext): boolean;
  /** FLASH-SOCK-7: the lowest port a socket policy served from this port can grant. */
  lowestGrantablePort(servedFromPort: number | undefined): number;
  /** FLASH-GRAM-6: a client's own reason an `allow-access-from` never grants in this context (none for the reference: `to-ports` has no effect in URL policies). */
  accessRuleNever(rule: FlashAllowAccessFrom, context: FlashPolicyContext): NeverApplies | null;
}

// FLASH-SOCK-2
/** The reference framing: the text up to the first NUL, or the close; an answer still open is no policy. */
export function frameSocketAnswer(answer: string, end: WorldEnd): FramedAnswer {
  const framing = extractSocketPolicyText(answer);
  // Without a NUL only the server's close ends the read; an answer still open (or reset, or cut
  // at the recorder's limit) is what the player had read so far, not a policy.
  if (framing.terminatedBy === 'close' && end !== 'close') {
    const unfinished: UnfinishedAnswer = `unfinished (${end})`;
    return { text: null, framing, answered: unfinished, why: `no NUL arrived and the server did not close the connection (the response ended by ${end}): the player never finished reading a policy`, requirements: ['FLASH-SOCK-2'] };
  }
  if (framing.text === null) return { text: null, framing, answered: 'empty', why: 'the response was empty: no policy', requirements: ['FLASH-SOCK-2'] };
  const diagnostics: Diagnostic[] = [];
  if (framing.ignoredAfterNul > 0) {
    diagnostics.push({ severity: 'info', code: 'ignored-after-nul', message: `${framing.ignoredAfterNul} character${framing.ignoredAfterNul > 1 ? 's' : ''} after the NUL that ends the policy ${framing.ignoredAfterNul > 1 ? 'are' : 'is'} not part of it.`, line: 1, column: 1, requirement: 'FLASH-SOCK-2' });
  }
  return { text: framing.text, framing, how: framing.terminatedBy === 'nul' ? 'a policy, terminated by NUL' : 'a policy, ended by the server closing the connection', diagnostics };
}

/** The reference steps of reading a Flash policy (Flash Player 10+). */
export const FLASH_READ_STEPS: FlashReadSteps = {
  framing: frameSocketAnswer,
  servingRefusal: flashServingRefusal,
  xmlDocument: readFlashXml,
  grammar: (doc, context, diagnostics, toPorts) => ({ policy: readFlashGrammar(doc, context, diagnostics, toPorts), stoppedAt: null }),
  toPorts: parsePortRanges,
  // The reference grammar never stops; if a grammar ever did, the file would grant nothing (fail closed).
  fileValidity: (_policy, stoppedAt) => ({ invalid: stoppedAt === null ? null : { why: `the file stopped at <${stoppedAt.element}>: ${stoppedAt.why}`, requirement: 'FLASH-XML-1' }, ownRulesVoid: null }),
  metaPolicy: (policy, header, context) => (context.master === false ? null : effectiveMetaPolicy(policy, context.kind === 'socket' ? undefined : header, { kind: context.kind, ...(context.scheme ? { scheme: context.scheme } : {}) })),
  domainPattern: (domain) => parseDomainPattern(domain),
  secure: effectiveSecure,
  lowestGrantablePort,
  // FLASH-GRAM-6
  accessRuleNever: () => null,
};

/**
 * The effective policy of a parsed model in a context: the meta-policy of a master applied, and
 * every rule usable or marked with why it never grants. Never throws on a model the parser produced.
 * `steps` are the reference's unless a client profile gives its own; `stoppedAt` is where a
 * profile's grammar stopped (never, for the reference).
 */
export function effectiveFlashPolicy(policy: FlashPolicy, context: FlashPolicyContext, steps: FlashReadSteps = FLASH_READ_STEPS, stoppedAt: GrammarStop | null = null): EffectiveFlashPolicy {
  const socket = context.kind === 'socket';
  const refusal = steps.servingRefusal(context);
  const refused: NeverApplies | null = refusal === null ? null : { why: refusal.why, requirement: refusal.requirement };
  const metaPolicy = steps.metaPolicy(policy, context.metaPolicyHeader, context);
  const validity = steps.fileValidity(policy, stoppedAt, metaPolicy, context);
  // FLASH-META-2, FLASH-SOCK-6: under 'none' the master's own grants never apply either.
  const disabled = refused ?? validity.invalid ?? validity.ownRulesVoid ?? (metaPolicy?.value === 'none' ? metaNone(context) : null);
  const lowestPort = steps.lowestGrantablePort;

  const access = policy.allowAccessFrom.map((rule, index): EffectiveAccessRule => {
    const pattern = steps.domainPattern(rule.domain, context);
    const out: EffectiveAccessRule = { index, rule, pattern, secure: steps.secure(rule.secure, context), ports: null, cutPorts: [], never: disabled };
    if (socket && rule.toPorts !== null) {
      const applied = applyHighPortRule(rule.toPorts, context.servedFromPort, lowestPort);
      out.ports = applied.ports;
      out.cutPorts = applied.cut;
    }
    if (out.never !== null) return out;
    if (pattern.kind === 'invalid') out.never = { why: `domain '${rule.domain}' never matches: ${pattern.reason}`, requirement: pattern.requirement ?? 'FLASH-DOM-6' };
    // FLASH-GRAM-7
    else if (socket && rule.toPorts === null) out.never = { why: 'a socket rule without to-ports grants nothing', requirement: 'FLASH-GRAM-7' };
    // FLASH-SOCK-7
    else if (socket && out.ports === null) out.never = { why: `served from port ${context.servedFromPort}, this policy can grant only ports ${HIGH_PORT_THRESHOLD} and higher, and this rule names none`, requirement: 'FLASH-SOCK-7' };
    else out.never = steps.accessRuleNever(rule, context);
    return out;
  });

  // FLASH-GRAM-9: header grants exist only in HTTP(S) URL policies.
  const headerApplies = !socket && (context.scheme ?? 'http') !== 'ftp';
  const headers = policy.allowHttpRequestHeadersFrom.map((rule, index): EffectiveHeaderRule => {
    const pattern = steps.domainPattern(rule.domain, context);
    // FLASH-SEC-4
    const out: EffectiveHeaderRule = { index, rule, pattern, secure: steps.secure(rule.secure, context), never: disabled };
    if (out.never !== null) return out;
    if (!headerApplies) out.never = { why: 'header grants apply only in HTTP and HTTPS policies', requirement: 'FLASH-GRAM-9' };
    else if (pattern.kind === 'invalid') out.never = { why: `domain '${rule.domain}' never matches: ${pattern.reason}`, requirement: pattern.requirement ?? 'FLASH-DOM-6' };
    return out;
  });

  return { policy, context, metaPolicy, refused, invalid: validity.invalid, lowestGrantablePort: socket ? lowestPort(context.servedFromPort) : 1, access, headers };
}

/** How a text reached the client, beyond the policy context. */
export interface FlashReadContext extends FlashPolicyContext {
  /** Socket policies: the text is the server's answer as sent, to be cut at the first NUL (FLASH-SOCK-2). */
  framed?: boolean;
  /** How the answer ended after the text (default `close`): only the close ends a read with no NUL. */
  end?: WorldEnd;
}

/** What the client made of a text: the effective policy, or why there is none. */
export interface FlashPolicyRead {
  /** `policy` when the client uses the text as a policy; otherwise what it got instead. */
  answered: TraceAnswer;
  /** The parser's model, when the text was parsed and accepted as a document. */
  policy: FlashPolicy | null;
  /**
   * The effective policy whenever there is a model — also for a response the client refuses (then
   * every rule never applies, with the refusal's requirement), so the linter can say what it says.
   */
  effective: EffectiveFlashPolicy | null;
  /** Why, for people: `a policy, terminated by NUL`, or why there is no policy. */
  why: string;
  requirements: RequirementId[];
  /** The parser's diagnostics (and the framing's note on bytes after the NUL). */
  diagnostics: Diagnostic[];
  /** Socket framing, when `framed`. */
  framing: SocketPolicyText | null;
}

function firstError(diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  return diagnostics.find((x) => x.severity === 'error') ?? diagnostics[0];
}

/**
 * Reads a Flash policy as the client does, from the text it received to the effective policy:
 * framing (FLASH-SOCK-2), serving (FLASH-URL-7, FLASH-META-7), parsing (FLASH-XML-*, FLASH-GRAM-*),
 * then {@link effectiveFlashPolicy}. `steps` are the reference's unless a client profile gives its
 * own. Never throws.
 */
export function readFlashPolicy(text: string, context: FlashReadContext, options: FlashParseOptions = {}, steps: FlashReadSteps = FLASH_READ_STEPS): FlashPolicyRead {
  const socket = context.kind === 'socket';
  let policyText = text;
  let framing: SocketPolicyText | null = null;
  let how = 'a policy';
  const diagnostics: Diagnostic[] = [];
  if (socket && context.framed) {
    // FLASH-SOCK-2
    const framed = steps.framing(text, context.end ?? 'close');
    framing = framed.framing;
    if (framed.text === null) return { answered: framed.answered, policy: null, effective: null, why: framed.why, requirements: framed.requirements, diagnostics, framing };
    policyText = framed.text;
    how = framed.how;
    for (const d of framed.diagnostics) diagnostics.push(d);
  }
  const parseContext = { kind: context.kind, ...(context.scheme ? { scheme: context.scheme } : {}), master: context.master !== false };
  let read: FlashGrammarRead = { policy: null, stoppedAt: null };
  try {
    const doc = steps.xmlDocument(typeof policyText === 'string' ? policyText : String(policyText), diagnostics, options);
    if (doc !== null) read = steps.grammar(doc, parseContext, diagnostics, steps.toPorts);
  } catch (err) {
    // Unreachable by design (the fuzz campaign checks); if it ever happens, fail closed, loudly.
    diagnostics.push({ severity: 'error', code: 'internal-error', message: `Internal parser failure, policy rejected: ${err instanceof Error ? err.message : String(err)}`, line: 1, column: 1, requirement: 'FLASH-XML-1' });
    read = { policy: null, stoppedAt: null };
  }
  const effective = read.policy === null ? null : effectiveFlashPolicy(read.policy, context, steps, read.stoppedAt);
  const result: FlashPolicyRead = { answered: 'policy', policy: read.policy, effective, why: '', requirements: [], diagnostics, framing };
  const refusal = steps.servingRefusal(context);
  if (refusal !== null) return { ...result, answered: refusal.answered, why: refusal.why, requirements: [refusal.requirement] };
  if (read.policy === null) {
    const first = firstError(diagnostics);
    return { ...result, answered: 'invalid', why: `the policy is malformed and grants nothing (${first ? `${first.requirement}: ${first.message}` : 'rejected'})`, requirements: ['FLASH-XML-1'] };
  }
  if (effective !== null && effective.invalid !== null) {
    return { ...result, answered: 'invalid', why: `the policy is invalid and grants nothing (${effective.invalid.requirement}: ${effective.invalid.why})`, requirements: [effective.invalid.requirement] };
  }
  if (!socket) return { ...result, why: how, requirements: ['FLASH-URL-7'] };
  return { ...result, why: how, requirements: ['FLASH-SOCK-2'] };
}
