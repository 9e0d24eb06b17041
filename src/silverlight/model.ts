/**
 * The typed model of a Silverlight `clientaccesspolicy.xml` (spec/silverlight/2-grammar.md).
 *
 * Shape: a file holds `policies`; each policy holds `allowFrom` (who: domains, request headers,
 * methods) and `grantTo` (what: HTTP resources and socket ports). The model holds only what the
 * grammar accepted: a voided `<policy>`, `<allow-from>` or `<grant-to>` is absent here and present
 * as a diagnostic, so a consumer (decide, lint) can never grant through a voided element by
 * mistake. Every element keeps its source location and its attributes as written (`source`); the
 * semantic fields are canonical, so `parse(serialize(m))` equals `m` once sources are set aside
 * (see `withoutSource` in `serialize.ts`).
 *
 * @module
 */
import type { SourceLocation } from '../diagnostics.js';

/** Where an element came from in the policy text. */
export interface SilverlightElementSource {
  location: SourceLocation;
  /** Attribute values as written (entity references decoded), keyed by attribute name. */
  raw: Readonly<Record<string, string>>;
}

/** The lowest TCP port a Silverlight socket may reach (SL-SOCK-1). */
export const SILVERLIGHT_MIN_SOCKET_PORT = 4502;
/** The highest TCP port a Silverlight socket may reach (SL-SOCK-1). */
export const SILVERLIGHT_MAX_SOCKET_PORT = 4534;
/** The port of the Silverlight socket policy server (SL-SOCK-2). */
export const SILVERLIGHT_POLICY_PORT = 943;

/** `<domain uri="…"/>`: a caller the `allow-from` admits; matching is in `domains.ts`. */
export interface SilverlightDomain {
  /** The `uri` attribute as written (never empty). */
  uri: string;
  source?: SilverlightElementSource;
}

/** `<allow-from http-request-headers="…" http-methods="…">`: who may use the policy's grants. */
export interface SilverlightAllowFrom {
  /** Callers admitted; empty when the element listed none (it then admits nobody: SL-GRAM-7). */
  domains: SilverlightDomain[];
  /**
   * `http-request-headers` split at commas, items trimmed, empty items dropped (SL-HDR-1).
   * Empty when the attribute is absent or empty: only Content-Type may then be sent (SL-HDR-6).
   */
  httpRequestHeaders: string[];
  /**
   * `http-methods` split at commas, items exactly as written (not trimmed, none dropped); empty when
   * absent. Only the list `['*']` — the value exactly `*` — allows methods beyond GET and POST
   * (SL-HDR-8).
   */
  httpMethods: string[];
  source?: SilverlightElementSource;
}

/** `<resource path="…" include-subpaths="…"/>`: an HTTP path granted on the policy's host. */
export interface SilverlightResource {
  /** The path as written (non-empty: SL-GRAM-12); compared case-sensitively (SL-PATH-1). */
  path: string;
  /** `include-subpaths`, default false (SL-GRAM-11). */
  includeSubpaths: boolean;
  source?: SilverlightElementSource;
}

/** `<socket-resource port="…" protocol="tcp"/>`: TCP ports granted (only valid, `tcp` ones are kept). */
export interface SilverlightSocketResource {
  /** Inclusive port range within 4502–4534; a single port has `from === to` (SL-SOCK-7). */
  from: number;
  to: number;
  /** Always `tcp`: other protocols grant nothing and are left out of the model (SL-SOCK-9). */
  protocol: 'tcp';
  source?: SilverlightElementSource;
}

/** `<grant-to>`: what the policy's callers may reach. */
export interface SilverlightGrantTo {
  resources: SilverlightResource[];
  socketResources: SilverlightSocketResource[];
  source?: SilverlightElementSource;
}

/** One `<policy>`: grants apply only to callers of the same policy (SL-GRAM-16). */
export interface SilverlightPolicyEntry {
  allowFrom: SilverlightAllowFrom[];
  grantTo: SilverlightGrantTo[];
  source?: SilverlightElementSource;
}

/** A parsed `clientaccesspolicy.xml`: the policies that survived voiding, in document order. */
export interface SilverlightPolicy {
  format: 'silverlight';
  policies: SilverlightPolicyEntry[];
}

/** What a Silverlight client reads from a `crossdomain.xml` it falls back to (SL-FLASH-*). */
export interface SilverlightFlashSubset {
  format: 'silverlight-flash-subset';
  /** `permitted-cross-domain-policies` of every `site-control`, in document order. */
  siteControl: string[];
  /** `allow-access-from` entries: `domain` as written and `secure` (default true: SL-FLASH-6). */
  allowAccessFrom: { domain: string; secure: boolean; source?: SilverlightElementSource }[];
  /** `allow-http-request-headers-from` entries. */
  allowHttpRequestHeadersFrom: { domain: string; headers: string[]; secure: boolean; source?: SilverlightElementSource }[];
}
