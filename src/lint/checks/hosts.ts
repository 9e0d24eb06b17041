/**
 * How the domain checks judge a host or a wildcard suffix: public suffix (tldts, private section
 * included), local-only, IP address (ipaddr.js, strict four-part decimal IPv4), or ordinary.
 *
 * @module
 */
import ipaddr from 'ipaddr.js';
import { parse as parseDomain } from 'tldts';
import { ipLiteral } from '../../ip-address.js';

/** What a host or suffix is, for the domain checks. */
export type HostKind = 'public-suffix' | 'local' | 'public-ip' | 'local-ip' | 'ordinary';

/**
 * Suffixes that name only local or non-public hosts: loopback (RFC 6761 `localhost`), mDNS
 * (`local`, RFC 6762), `home.arpa` (RFC 8375), `internal` (ICANN reserved for private use, 2024),
 * `test` (RFC 6761), and the unofficial but common `lan`, `localdomain`, `intranet`, `corp`.
 */
export const LOCAL_SUFFIXES: readonly string[] = ['localhost', 'local', 'home.arpa', 'internal', 'test', 'lan', 'localdomain', 'intranet', 'corp'];

/** Whether `name` (lowercase, no trailing dot) is or ends in a local-only suffix. */
export function isLocalName(name: string): boolean {
  return LOCAL_SUFFIXES.some((s) => name === s || name.endsWith(`.${s}`));
}

/**
 * ipaddr.js ranges whose addresses only the visitor's own machine or network serves: loopback,
 * RFC 1918 private, carrier-grade NAT, link-local, IPv6 unique-local, the unspecified address and
 * broadcast. Other special ranges (documentation TEST-NETs, reserved, multicast) are not "local":
 * a grant to them is judged as any other IP literal.
 */
export const LOCAL_RANGES: readonly string[] = ['loopback', 'private', 'carrierGradeNat', 'linkLocal', 'uniqueLocal', 'unspecified', 'broadcast'];

/** Whether an address is in a local-only range ({@link LOCAL_RANGES}); IPv4-mapped IPv6 is judged as IPv4. */
export function isLocalAddress(addr: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return isLocalAddress(v6.toIPv4Address());
  }
  return LOCAL_RANGES.includes(addr.range());
}

/** Judges an exact host (a `domain` name or address). */
export function judgeHost(host: string): HostKind {
  const lower = host.toLowerCase();
  const ip = ipLiteral(lower);
  if (ip) return isLocalAddress(ip) ? 'local-ip' : 'public-ip';
  if (isLocalName(lower)) return 'local';
  return 'ordinary';
}

/**
 * Judges the suffix of a wildcard `*.suffix`: a public suffix of the Public Suffix List (ICANN or
 * private section: `com`, `co.uk`, `github.io`), a local-only suffix, or an ordinary domain.
 * A name the list does not know (the list's implicit `*` rule) is not treated as a public suffix.
 */
export function judgeWildcardSuffix(suffix: string): HostKind {
  const lower = suffix.toLowerCase();
  if (isLocalName(lower)) return 'local';
  const r = parseDomain(lower, { allowPrivateDomains: true, validateHostname: false, detectIp: true });
  if (r.isIp) return 'ordinary';
  if (r.publicSuffix === lower && (r.isIcann === true || r.isPrivate === true)) return 'public-suffix';
  return 'ordinary';
}
