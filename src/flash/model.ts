/**
 * The typed model of a Flash cross-domain policy (`crossdomain.xml` or a socket policy).
 *
 * The model holds only what the grammar (spec/flash/2-grammar.md) accepted: an element that grants
 * nothing because it is invalid is absent here and present as a diagnostic. Every element keeps
 * its source location and its attribute values as written, for diagnostics and findings; the
 * semantic fields are canonical, so `parse(serialize(m))` equals `m` once locations and raw values
 * are set aside (see `withoutSource`).
 *
 * @module
 */
import type { SourceLocation } from '../diagnostics.js';

/** Where a Flash policy was served from; fixes which attributes and meta-policies apply. */
export type FlashPolicyKind = 'url' | 'socket';

/** The transport of a URL policy: `secure` defaults and meta-policy values depend on it. */
export type FlashUrlScheme = 'http' | 'https' | 'ftp';

/** The values of `permitted-cross-domain-policies` (and of the header, minus `none-this-response`). */
export type MetaPolicy = 'none' | 'master-only' | 'by-content-type' | 'by-ftp-filename' | 'all';

/** The meta-policy values, most restrictive first (used to combine several declarations). */
export const META_POLICIES_BY_RESTRICTION: readonly MetaPolicy[] = ['none', 'master-only', 'by-ftp-filename', 'by-content-type', 'all'];

/** Where an element came from in the policy text. */
export interface ElementSource {
  location: SourceLocation;
  /** Attribute values as written (entity references decoded), keyed by attribute name. */
  raw: Readonly<Record<string, string>>;
}

/** An inclusive range of TCP ports. A single port is a range with `from === to`. */
export interface PortRange {
  from: number;
  to: number;
}

/** A parsed `to-ports` value: `*`, or a list of ranges in document order. */
export type PortSpec = { any: true } | { any: false; ranges: PortRange[] };

/** `<site-control permitted-cross-domain-policies="…"/>` */
export interface FlashSiteControl {
  /** The value as read; an unknown or inapplicable value is already mapped to `none` (FLASH-GRAM-10). */
  permittedCrossDomainPolicies: MetaPolicy;
  source?: ElementSource;
}

/** `<allow-access-from domain="…" to-ports="…" secure="…"/>` */
export interface FlashAllowAccessFrom {
  /** The domain pattern as written (case preserved); matching is in `src/flash/domains.ts`. */
  domain: string;
  /** `to-ports`, or `null` when absent (URL policies; FLASH-GRAM-6/7). */
  toPorts: PortSpec | null;
  /** `secure`, or `null` when absent (then the kind's default applies: FLASH-SEC-2/3). */
  secure: boolean | null;
  source?: ElementSource;
}

/** `<allow-http-request-headers-from domain="…" headers="…" secure="…"/>` */
export interface FlashAllowHttpRequestHeadersFrom {
  domain: string;
  /** The header patterns, trimmed, empty items dropped, in document order. */
  headers: string[];
  secure: boolean | null;
  source?: ElementSource;
}

/** `<allow-access-from-identity>`: recorded, never grants to a SWF (FLASH-GRAM-12). */
export interface FlashAllowAccessFromIdentity {
  /** `fingerprint` / `fingerprint-algorithm` of each `signatory/certificate`. */
  certificates: { fingerprint: string; fingerprintAlgorithm: string }[];
  source?: ElementSource;
}

/** A parsed Flash policy. */
export interface FlashPolicy {
  format: 'flash';
  /** Every `site-control`, in document order (more than one is reported: FLASH-GRAM-11). */
  siteControl: FlashSiteControl[];
  allowAccessFrom: FlashAllowAccessFrom[];
  allowHttpRequestHeadersFrom: FlashAllowHttpRequestHeadersFrom[];
  allowAccessFromIdentity: FlashAllowAccessFromIdentity[];
}

/** How the text being parsed was served; decides which rules of the grammar apply. */
export interface FlashParseContext {
  kind: FlashPolicyKind;
  /** For URL policies: the scheme it was served over (default `http`). */
  scheme?: FlashUrlScheme;
  /** Whether this is the master policy (`/crossdomain.xml`, port 843). Default: true. */
  master?: boolean;
}
