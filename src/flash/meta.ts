/**
 * Meta-policies (spec/flash/7-meta-policies.md): the "policy on policies" a host's master policy
 * declares, through `site-control` and the `X-Permitted-Cross-Domain-Policies` header, and which
 * policy files of the host it lets the player honour.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import { mediaType } from '../world/content-type.js';
import { META_POLICIES_BY_RESTRICTION, type FlashPolicy, type FlashPolicyKind, type FlashUrlScheme, type MetaPolicy } from './model.js';

/** The meta-policy in force for a host, and where it came from. */
export interface EffectiveMetaPolicy {
  value: MetaPolicy;
  /** `default` (no declaration), `site-control`, `header`, or `site-control+header`. */
  source: 'default' | 'site-control' | 'header' | 'site-control+header';
  /** Notes for the trace: each declaration read and how it was mapped. */
  notes: string[];
  requirements: RequirementId[];
}

/** The meta-policy value that restricts more (FLASH-GRAM-11, FLASH-META-6). */
export function moreRestrictive(a: MetaPolicy, b: MetaPolicy): MetaPolicy {
  return META_POLICIES_BY_RESTRICTION.indexOf(a) <= META_POLICIES_BY_RESTRICTION.indexOf(b) ? a : b;
}

// FLASH-META-1
/** The meta-policy when the master declares none: `master-only` for URL policies, `all` for sockets. */
export function defaultMetaPolicy(kind: FlashPolicyKind): MetaPolicy {
  return kind === 'socket' ? 'all' : 'master-only';
}

/**
 * Maps a value to one that applies to the transport: `by-content-type` and `by-ftp-filename` mean
 * nothing for sockets (FLASH-SOCK-10), `by-ftp-filename` means nothing over HTTP(S) (FLASH-META-5),
 * `by-content-type` nothing over FTP. An inapplicable value is read as `none`: failing closed.
 */
export function applicableMetaPolicy(value: MetaPolicy, kind: FlashPolicyKind, scheme: FlashUrlScheme | undefined): { value: MetaPolicy; requirement: RequirementId | null } {
  if (kind === 'socket') {
    // FLASH-SOCK-10
    if (value === 'by-content-type' || value === 'by-ftp-filename') return { value: 'none', requirement: 'FLASH-SOCK-10' };
    return { value, requirement: null };
  }
  // FLASH-META-5
  if (value === 'by-ftp-filename' && scheme !== 'ftp') return { value: 'none', requirement: 'FLASH-META-5' };
  if (value === 'by-content-type' && scheme === 'ftp') return { value: 'none', requirement: 'FLASH-META-4' };
  return { value, requirement: null };
}

/** A parsed `X-Permitted-Cross-Domain-Policies` header value. */
export interface MetaPolicyHeader {
  /** The meta-policy it declares, or `null` when it only says `none-this-response`. */
  value: MetaPolicy | null;
  /** FLASH-META-7: this response must not be used as a policy. */
  noneThisResponse: boolean;
  /** Items that are not meta-policy values (read as `none`). */
  unknown: string[];
}

const HEADER_VALUES = new Set<string>(['none', 'master-only', 'by-content-type', 'by-ftp-filename', 'all']);

// FLASH-META-6, FLASH-META-7
/**
 * Reads `X-Permitted-Cross-Domain-Policies`. Items are comma-separated (a header repeated by a
 * proxy arrives joined by commas), trimmed and compared case-insensitively. `none-this-response`
 * marks the response unusable; an unknown item is read as `none` (fail closed); several
 * meta-policy items combine to the most restrictive.
 */
export function parseMetaPolicyHeader(value: string): MetaPolicyHeader {
  let result: MetaPolicy | null = null;
  let noneThisResponse = false;
  const unknown: string[] = [];
  for (const raw of value.split(',')) {
    const item = raw.trim().toLowerCase();
    if (item === '') continue;
    if (item === 'none-this-response') {
      noneThisResponse = true;
      continue;
    }
    let v: MetaPolicy;
    if (HEADER_VALUES.has(item)) v = item as MetaPolicy;
    else {
      unknown.push(raw.trim());
      v = 'none';
    }
    result = result === null ? v : moreRestrictive(result, v);
  }
  // An empty header value declares nothing.
  return { value: result, noneThisResponse, unknown };
}

/**
 * The meta-policy in force for a host, from its master policy (`null` when there is none) and
 * the `X-Permitted-Cross-Domain-Policies` header on the master's response (URL policies only).
 */
export function effectiveMetaPolicy(
  master: FlashPolicy | null,
  header: string | undefined,
  context: { kind: FlashPolicyKind; scheme?: FlashUrlScheme },
): EffectiveMetaPolicy {
  const notes: string[] = [];
  const requirements: RequirementId[] = [];
  let fromSiteControl: MetaPolicy | null = null;
  // FLASH-GRAM-11: several site-control elements combine to the most restrictive.
  for (const sc of master?.siteControl ?? []) {
    const mapped = applicableMetaPolicy(sc.permittedCrossDomainPolicies, context.kind, context.scheme);
    if (mapped.requirement) {
      notes.push(`site-control '${sc.permittedCrossDomainPolicies}' does not apply to ${context.kind === 'socket' ? 'socket' : context.scheme ?? 'http'} policies: read as 'none'`);
      requirements.push(mapped.requirement);
    }
    fromSiteControl = fromSiteControl === null ? mapped.value : moreRestrictive(fromSiteControl, mapped.value);
  }
  if ((master?.siteControl.length ?? 0) > 1) requirements.push('FLASH-GRAM-11');
  if (fromSiteControl !== null) notes.push(`site-control declares '${fromSiteControl}'`);

  let fromHeader: MetaPolicy | null = null;
  if (header !== undefined && context.kind === 'url') {
    const h = parseMetaPolicyHeader(header);
    if (h.value !== null) {
      const mapped = applicableMetaPolicy(h.value, context.kind, context.scheme);
      if (mapped.requirement) requirements.push(mapped.requirement);
      fromHeader = mapped.value;
      notes.push(`X-Permitted-Cross-Domain-Policies declares '${fromHeader}'${h.unknown.length ? ` (unknown ${h.unknown.map((u) => `'${u}'`).join(', ')} read as 'none')` : ''}`);
      requirements.push('FLASH-META-6');
    }
  }

  if (fromSiteControl === null && fromHeader === null) {
    const value = defaultMetaPolicy(context.kind);
    return { value, source: 'default', notes: [`no meta-policy declared: default '${value}' for ${context.kind} policies`], requirements: ['FLASH-META-1', ...requirements] };
  }
  if (fromSiteControl !== null && fromHeader !== null) {
    // FLASH-META-6: both present, the more restrictive applies.
    const value = moreRestrictive(fromSiteControl, fromHeader);
    notes.push(`site-control and header both present: the more restrictive '${value}' applies`);
    return { value, source: 'site-control+header', notes, requirements };
  }
  return fromHeader !== null
    ? { value: fromHeader, source: 'header', notes, requirements }
    : { value: fromSiteControl!, source: 'site-control', notes, requirements };
}

/** A policy file a meta-policy is asked about. */
export interface MetaPolicyCandidate {
  /** Whether it is the master (`/crossdomain.xml`, port 843). */
  master: boolean;
  /** Its HTTP `Content-Type` (URL policies). */
  contentType?: string;
  /** Its URL path (FTP policies). */
  path?: string;
}

/** The exact content type `by-content-type` asks for. */
export const POLICY_CONTENT_TYPE = 'text/x-cross-domain-policy';

/**
 * Whether a meta-policy lets the player honour a policy file of the host, and the requirement
 * deciding it.
 */
export function metaPolicyPermits(meta: MetaPolicy, candidate: MetaPolicyCandidate): { permitted: boolean; requirement: RequirementId; why: string } {
  switch (meta) {
    // FLASH-META-2
    case 'none':
      return { permitted: false, requirement: 'FLASH-META-2', why: "meta-policy 'none' forbids every policy file of the host, the master included" };
    // FLASH-META-3
    case 'master-only':
      return candidate.master
        ? { permitted: true, requirement: 'FLASH-META-3', why: "the master policy is honoured under 'master-only'" }
        : { permitted: false, requirement: 'FLASH-META-3', why: "meta-policy 'master-only' honours only the master policy" };
    // FLASH-META-4
    case 'by-content-type': {
      if (candidate.master) return { permitted: true, requirement: 'FLASH-META-4', why: "the master policy is honoured under 'by-content-type'" };
      const type = candidate.contentType === undefined ? null : mediaType(candidate.contentType);
      return type === POLICY_CONTENT_TYPE
        ? { permitted: true, requirement: 'FLASH-META-4', why: `served as ${POLICY_CONTENT_TYPE}, as 'by-content-type' requires` }
        : { permitted: false, requirement: 'FLASH-META-4', why: `meta-policy 'by-content-type' requires Content-Type ${POLICY_CONTENT_TYPE}, got ${type === null ? 'none' : `'${type}'`}` };
    }
    // FLASH-META-5
    case 'by-ftp-filename': {
      if (candidate.master) return { permitted: true, requirement: 'FLASH-META-5', why: "the master policy is honoured under 'by-ftp-filename'" };
      const ok = candidate.path?.endsWith('/crossdomain.xml') ?? false;
      return ok
        ? { permitted: true, requirement: 'FLASH-META-5', why: "named crossdomain.xml, as 'by-ftp-filename' requires" }
        : { permitted: false, requirement: 'FLASH-META-5', why: "meta-policy 'by-ftp-filename' honours only files named crossdomain.xml" };
    }
    // FLASH-META-9
    case 'all':
      return { permitted: true, requirement: 'FLASH-META-9', why: "meta-policy 'all' honours every policy file of the host" };
  }
}
