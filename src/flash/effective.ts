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
import { parseDomainPattern, type DomainPattern } from './domains.js';
import { effectiveMetaPolicy, parseMetaPolicyHeader, type EffectiveMetaPolicy } from './meta.js';
import type { FlashAllowAccessFrom, FlashAllowHttpRequestHeadersFrom, FlashPolicy, FlashPolicyKind, FlashUrlScheme, PortRange, PortSpec } from './model.js';
import { parseFlashPolicy, type FlashParseOptions } from './parse.js';
import { MAX_PORT } from './ports.js';
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
export function applyHighPortRule(spec: PortSpec, servedFromPort: number | undefined): { ports: PortSpec | null; cut: PortRange[] } {
  const lowest = lowestGrantablePort(servedFromPort);
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

/**
 * The effective policy of a parsed model in a context: the meta-policy of a master applied, and
 * every rule usable or marked with why it never grants. Never throws on a model the parser produced.
 */
export function effectiveFlashPolicy(policy: FlashPolicy, context: FlashPolicyContext): EffectiveFlashPolicy {
  const socket = context.kind === 'socket';
  const refusal = flashServingRefusal(context);
  const refused: NeverApplies | null = refusal === null ? null : { why: refusal.why, requirement: refusal.requirement };
  const metaPolicy = context.master === false ? null : effectiveMetaPolicy(policy, socket ? undefined : context.metaPolicyHeader, { kind: context.kind, ...(context.scheme ? { scheme: context.scheme } : {}) });
  // FLASH-META-2, FLASH-SOCK-6: under 'none' the master's own grants never apply either.
  const disabled = refused ?? (metaPolicy?.value === 'none' ? metaNone(context) : null);

  const access = policy.allowAccessFrom.map((rule, index): EffectiveAccessRule => {
    const pattern = parseDomainPattern(rule.domain);
    const out: EffectiveAccessRule = { index, rule, pattern, secure: effectiveSecure(rule.secure, context), ports: null, cutPorts: [], never: disabled };
    if (socket && rule.toPorts !== null) {
      const applied = applyHighPortRule(rule.toPorts, context.servedFromPort);
      out.ports = applied.ports;
      out.cutPorts = applied.cut;
    }
    if (out.never !== null) return out;
    if (pattern.kind === 'invalid') out.never = { why: `domain '${rule.domain}' never matches: ${pattern.reason}`, requirement: pattern.requirement ?? 'FLASH-DOM-6' };
    // FLASH-GRAM-7
    else if (socket && rule.toPorts === null) out.never = { why: 'a socket rule without to-ports grants nothing', requirement: 'FLASH-GRAM-7' };
    // FLASH-SOCK-7
    else if (socket && out.ports === null) out.never = { why: `served from port ${context.servedFromPort}, this policy can grant only ports ${HIGH_PORT_THRESHOLD} and higher, and this rule names none`, requirement: 'FLASH-SOCK-7' };
    return out;
  });

  // FLASH-GRAM-9: header grants exist only in HTTP(S) URL policies.
  const headerApplies = !socket && (context.scheme ?? 'http') !== 'ftp';
  const headers = policy.allowHttpRequestHeadersFrom.map((rule, index): EffectiveHeaderRule => {
    const pattern = parseDomainPattern(rule.domain);
    // FLASH-SEC-4
    const out: EffectiveHeaderRule = { index, rule, pattern, secure: effectiveSecure(rule.secure, context), never: disabled };
    if (out.never !== null) return out;
    if (!headerApplies) out.never = { why: 'header grants apply only in HTTP and HTTPS policies', requirement: 'FLASH-GRAM-9' };
    else if (pattern.kind === 'invalid') out.never = { why: `domain '${rule.domain}' never matches: ${pattern.reason}`, requirement: pattern.requirement ?? 'FLASH-DOM-6' };
    return out;
  });

  return { policy, context, metaPolicy, refused, lowestGrantablePort: socket ? lowestGrantablePort(context.servedFromPort) : 1, access, headers };
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
 * then {@link effectiveFlashPolicy}. Never throws.
 */
export function readFlashPolicy(text: string, context: FlashReadContext, options: FlashParseOptions = {}): FlashPolicyRead {
  const socket = context.kind === 'socket';
  let policyText = text;
  let framing: SocketPolicyText | null = null;
  const diagnostics: Diagnostic[] = [];
  const none = (answered: TraceAnswer, why: string, requirements: RequirementId[]): FlashPolicyRead => ({ answered, policy: null, effective: null, why, requirements, diagnostics, framing });
  if (socket && context.framed) {
    // FLASH-SOCK-2
    framing = extractSocketPolicyText(text);
    // Without a NUL only the server's close ends the read; an answer still open (or reset, or cut
    // at the recorder's limit) is what the player had read so far, not a policy.
    const end = context.end ?? 'close';
    if (framing.terminatedBy === 'close' && end !== 'close') {
      const unfinished: UnfinishedAnswer = `unfinished (${end})`;
      return none(unfinished, `no NUL arrived and the server did not close the connection (the response ended by ${end}): the player never finished reading a policy`, ['FLASH-SOCK-2']);
    }
    if (framing.text === null) return none('empty', 'the response was empty: no policy', ['FLASH-SOCK-2']);
    policyText = framing.text;
    if (framing.ignoredAfterNul > 0) {
      diagnostics.push({ severity: 'info', code: 'ignored-after-nul', message: `${framing.ignoredAfterNul} character${framing.ignoredAfterNul > 1 ? 's' : ''} after the NUL that ends the policy ${framing.ignoredAfterNul > 1 ? 'are' : 'is'} not part of it.`, line: 1, column: 1, requirement: 'FLASH-SOCK-2' });
    }
  }
  const parsed = parseFlashPolicy(policyText, { kind: context.kind, ...(context.scheme ? { scheme: context.scheme } : {}), master: context.master !== false }, options);
  for (const d of parsed.diagnostics) diagnostics.push(d);
  const effective = parsed.policy === null ? null : effectiveFlashPolicy(parsed.policy, context);
  const read: FlashPolicyRead = { answered: 'policy', policy: parsed.policy, effective, why: '', requirements: [], diagnostics, framing };
  const refusal = flashServingRefusal(context);
  if (refusal !== null) return { ...read, answered: refusal.answered, why: refusal.why, requirements: [refusal.requirement] };
  if (parsed.policy === null) {
    const first = firstError(parsed.diagnostics);
    return { ...read, answered: 'invalid', why: `the policy is malformed and grants nothing (${first ? `${first.requirement}: ${first.message}` : 'rejected'})`, requirements: ['FLASH-XML-1'] };
  }
  if (!socket) return { ...read, why: 'a policy', requirements: ['FLASH-URL-7'] };
  const how = framing === null ? 'a policy' : framing.terminatedBy === 'nul' ? 'a policy, terminated by NUL' : 'a policy, ended by the server closing the connection';
  return { ...read, why: how, requirements: ['FLASH-SOCK-2'] };
}
