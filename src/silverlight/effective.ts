/**
 * The effective Silverlight policy: what Silverlight actually uses of a `clientaccesspolicy.xml`
 * served in a given way, computed once and read by the decision procedure, the linter, the
 * conformance harness and the server's validation.
 *
 * From the text Silverlight received: the response refused outright when its `Content-Type` says
 * so (SL-HTTP-4); the parser's model, in which voided elements are already gone; and every
 * `allow-from` marked usable, or never usable with the requirement that voids it — an `allow-from`
 * with no `domain` admits nobody (SL-GRAM-7), and one whose `<policy>` grants nothing of the kind
 * the policy is read for (no `grant-to`, empty ones, or only `resource`s in a socket policy and
 * only `socket-resource`s in an HTTP one) never grants (SL-GRAM-5, SL-GRAM-9, SL-SOCK-11).
 *
 * Silverlight reads a socket answer up to the close, NUL included (SL-SOCK-4): there is no framing
 * to cut.
 *
 * Pure: no I/O.
 *
 * @module
 */
import type { Diagnostic, NeverApplies, RequirementId } from '../diagnostics.js';
import type { TraceAnswer } from '../decision/types.js';
import { acceptedPolicyContentTypes, acceptsPolicyContentType } from '../world/content-type.js';
import type { SilverlightAllowFrom, SilverlightElementSource, SilverlightPolicy, SilverlightPolicyEntry } from './model.js';
import { parseSilverlightPolicy, type SilverlightParseOptions } from './parse.js';
import { isWholeSiteGrant } from './paths.js';

/** How a Silverlight policy reached the client. */
export interface SilverlightPolicyContext {
  /** `socket`: answered on TCP port 943 (SL-SOCK-2); `url`: `/clientaccesspolicy.xml` over HTTP(S). */
  kind: 'socket' | 'url';
  /**
   * URL policies: the response's `Content-Type`; `null` when it had none (not accepted:
   * SL-HTTP-4); `undefined` when it is not known (the linter, the server).
   */
  contentType?: string | null;
}

/** One `allow-from` of the policy, as the client uses it. */
export interface EffectiveAllowFrom {
  /** Position of its `<policy>` and of it within that policy (document order). */
  policyIndex: number;
  allowFromIndex: number;
  entry: SilverlightPolicyEntry;
  allowFrom: SilverlightAllowFrom;
  /** Why it never grants, or `null` when it can. */
  never: NeverApplies | null;
}

/** A grant element that never applies where the policy is read (SL-SOCK-11). */
export interface UnusedGrant {
  element: 'resource' | 'socket-resource';
  policyIndex: number;
  source: SilverlightElementSource | undefined;
  never: NeverApplies;
}

/** A policy as the client uses it in one context. */
export interface EffectiveSilverlightPolicy {
  policy: SilverlightPolicy;
  context: SilverlightPolicyContext;
  /** When the client uses no policy from this response at all (its content type). */
  refused: NeverApplies | null;
  /** Every `allow-from`, in document order. */
  allowFroms: EffectiveAllowFrom[];
  /** `resource`s of a socket policy and `socket-resource`s of an HTTP one. */
  unusedGrants: UnusedGrant[];
  /** Whether the policy is the whole-site grant exempt from SL-PATH-5 (SL-PATH-6). */
  wholeSite: boolean;
}

// SL-HTTP-4
/** Why the client uses no policy at all from a URL response served this way, or `null`. */
export function silverlightServingRefusal(context: SilverlightPolicyContext): (NeverApplies & { answered: TraceAnswer }) | null {
  if (context.kind !== 'url' || context.contentType === undefined) return null;
  if (acceptsPolicyContentType('silverlight', context.contentType ?? undefined)) return null;
  return { answered: 'content-type', why: `Content-Type ${context.contentType === null ? '(none)' : JSON.stringify(context.contentType)} is not ${acceptedPolicyContentTypes('silverlight')}`, requirement: 'SL-HTTP-4' };
}

/** Why a `<policy>`'s grants never apply in this context, or `null` when one can. */
function entryNever(entry: SilverlightPolicyEntry, context: SilverlightPolicyContext): NeverApplies | null {
  const socket = context.kind === 'socket';
  if (entry.grantTo.some((g) => (socket ? g.socketResources.length > 0 : g.resources.length > 0))) return null;
  // SL-GRAM-5
  if (entry.grantTo.length === 0) return { why: 'its <policy> has no usable <grant-to>', requirement: 'SL-GRAM-5' };
  // SL-GRAM-9
  if (entry.grantTo.every((g) => g.resources.length === 0 && g.socketResources.length === 0)) return { why: 'the <grant-to> of its <policy> grants nothing', requirement: 'SL-GRAM-9' };
  // SL-SOCK-11
  return socket
    ? { why: 'its <policy> grants only HTTP resources, and resource elements play no part in socket decisions', requirement: 'SL-SOCK-11' }
    : { why: 'its <policy> grants only socket ports, and socket-resource elements play no part in HTTP decisions', requirement: 'SL-SOCK-11' };
}

/** The effective policy of a parsed model in a context. Never throws on a model the parser produced. */
export function effectiveSilverlightPolicy(policy: SilverlightPolicy, context: SilverlightPolicyContext): EffectiveSilverlightPolicy {
  const refusal = silverlightServingRefusal(context);
  const refused: NeverApplies | null = refusal === null ? null : { why: refusal.why, requirement: refusal.requirement };
  const socket = context.kind === 'socket';
  const allowFroms: EffectiveAllowFrom[] = [];
  const unusedGrants: UnusedGrant[] = [];
  policy.policies.forEach((entry, policyIndex) => {
    const ofEntry = refused ?? entryNever(entry, context);
    entry.allowFrom.forEach((allowFrom, allowFromIndex) => {
      // SL-GRAM-7
      const never = ofEntry ?? (allowFrom.domains.length === 0 ? { why: 'it lists no <domain>, so it admits nobody', requirement: 'SL-GRAM-7' as RequirementId } : null);
      allowFroms.push({ policyIndex, allowFromIndex, entry, allowFrom, never });
    });
    // SL-SOCK-11
    for (const g of entry.grantTo) {
      if (socket) {
        for (const r of g.resources) unusedGrants.push({ element: 'resource', policyIndex, source: r.source, never: refused ?? { why: 'resource elements play no part in socket decisions', requirement: 'SL-SOCK-11' } });
      } else {
        for (const r of g.socketResources) unusedGrants.push({ element: 'socket-resource', policyIndex, source: r.source, never: refused ?? { why: 'socket-resource elements play no part in HTTP decisions (a socket policy comes from port 943)', requirement: 'SL-SOCK-11' } });
      }
    }
  });
  return { policy, context, refused, allowFroms, unusedGrants, wholeSite: isWholeSiteGrant(policy) };
}

/** What Silverlight made of a text: the effective policy, or why there is none. */
export interface SilverlightPolicyRead {
  /** `policy` when the client uses the text as a policy; otherwise what it got instead. */
  answered: TraceAnswer;
  policy: SilverlightPolicy | null;
  /** The effective policy whenever there is a model (also for a refused response: every rule never applies). */
  effective: EffectiveSilverlightPolicy | null;
  why: string;
  requirements: RequirementId[];
  diagnostics: Diagnostic[];
}

/** Reads a `clientaccesspolicy.xml` as Silverlight does: serving (SL-HTTP-4), parsing, then {@link effectiveSilverlightPolicy}. Never throws. */
export function readSilverlightPolicy(text: string, context: SilverlightPolicyContext, options: SilverlightParseOptions = {}): SilverlightPolicyRead {
  const { policy, diagnostics } = parseSilverlightPolicy(text, options);
  const effective = policy === null ? null : effectiveSilverlightPolicy(policy, context);
  const refusal = silverlightServingRefusal(context);
  if (refusal !== null) return { answered: refusal.answered, policy, effective, why: refusal.why, requirements: [refusal.requirement], diagnostics };
  if (policy === null) {
    const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
    return { answered: 'invalid', policy, effective, why: `the file is invalid${first ? `: ${first.message}` : ''}`, requirements: first ? [first.requirement] : ['SL-XML-1'], diagnostics };
  }
  return { answered: 'policy', policy, effective, why: 'a Silverlight policy', requirements: [], diagnostics };
}
