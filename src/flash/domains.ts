/**
 * Domain patterns of Flash policies and how they match the requesting SWF's host
 * (spec/flash/3-domains.md).
 *
 * A `domain` attribute is parsed once into a {@link DomainPattern}; the host of the origin URL is
 * classified once into an {@link OriginHost}; {@link matchDomain} compares the two with no DNS and
 * no allocation. Anything we cannot read as one of the four forms Adobe documents is `invalid` and
 * never matches (fail closed).
 *
 * @module
 */
import ipaddr from 'ipaddr.js';
import type { RequirementId } from '../diagnostics.js';

/**
 * A parsed `domain` value.
 * - `any`: `*` (FLASH-DOM-1);
 * - `name`: an exact host name, lowercased (FLASH-DOM-2);
 * - `suffix`: `*.suffix`, the suffix lowercased without its leading dot (FLASH-DOM-3);
 * - `ip`: an IPv4 (four-part decimal) or IPv6 address, normalized (FLASH-DOM-5);
 * - `invalid`: anything else; it never matches. `reason` says why, `requirement` which rule
 *   (FLASH-DOM-4, FLASH-DOM-5 or FLASH-DOM-6).
 */
export type DomainPattern =
  | { kind: 'any' }
  | { kind: 'name'; name: string }
  | { kind: 'suffix'; suffix: string }
  | { kind: 'ip'; address: string }
  | { kind: 'invalid'; reason: string; requirement?: RequirementId };

/**
 * The host of the requesting SWF's URL, classified: a name (lowercased), an IP address
 * (normalized), or `local` for an origin without a host (a `file:` SWF).
 */
export type OriginHost = { kind: 'name'; name: string } | { kind: 'ip'; address: string } | { kind: 'local' };

const DIGITS_AND_DOTS = /^[0-9.]+$/;
const FOUR_PART_SHAPE = /^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/;

/**
 * Reads a `domain` attribute value as a pattern (FLASH-DOM-1 … FLASH-DOM-6).
 *
 * The value is used as written: surrounding whitespace is not trimmed (a host never contains a
 * space, so such a value is `invalid`). Never throws.
 */
export function parseDomainPattern(value: string): DomainPattern {
  // FLASH-DOM-1
  if (value === '*') return { kind: 'any' };
  if (value === '') return invalid('the domain is empty', 'FLASH-DOM-6');
  const lower = value.toLowerCase();
  // FLASH-DOM-6: a URL (or a piece of one) is not a domain; say so before anything else.
  if (lower.includes('://')) return invalid('a domain has no scheme', 'FLASH-DOM-6');
  if (lower.includes('/')) return invalid('a domain has no path', 'FLASH-DOM-6');

  // FLASH-DOM-3: `*.` followed by a name; the suffix also matches itself.
  if (lower.startsWith('*.')) {
    const suffix = lower.slice(2);
    if (suffix.includes('*')) return invalid('only one wildcard is allowed, as the leading "*."', 'FLASH-DOM-4');
    // FLASH-DOM-5: "Wildcards are not allowed in IP domain specifications."
    if (DIGITS_AND_DOTS.test(suffix) || suffix.includes(':') || suffix.startsWith('[')) {
      return invalid('a wildcard cannot cover IP addresses', 'FLASH-DOM-5');
    }
    const bad = hostNameProblem(suffix);
    if (bad !== null) return invalid(bad, 'FLASH-DOM-6');
    return { kind: 'suffix', suffix };
  }
  // FLASH-DOM-4: `www.*.com`, `*example.com`, `a*`, `*.`: a star anywhere else never matches.
  if (lower.includes('*')) return invalid('a wildcard is only allowed alone ("*") or as a leading "*."', 'FLASH-DOM-4');

  // FLASH-DOM-5: IP literals, exact.
  const ip = normalizeIpLiteral(lower);
  if (ip !== null) return { kind: 'ip', address: ip };
  if (DIGITS_AND_DOTS.test(lower)) return invalid('not a four-part decimal IPv4 address', 'FLASH-DOM-5');
  if (lower.startsWith('[') || lower.includes(':')) {
    // `[::1` or `host:8080`: not an address, and a port or scheme has no place here.
    if (/^[^:]+:\d*$/.test(lower)) return invalid('a domain has no port', 'FLASH-DOM-6');
    return invalid('not a valid IPv6 address', 'FLASH-DOM-5');
  }
  // FLASH-DOM-6
  const bad = hostNameProblem(lower);
  if (bad !== null) return invalid(bad, 'FLASH-DOM-6');
  // FLASH-DOM-2
  return { kind: 'name', name: lower };
}

/**
 * Classifies the host of a URL (as `new URL(u).hostname` gives it, or a raw host) for matching.
 *
 * IPv4 counts as an address only in strict four-part decimal form (ipaddr.js
 * `isValidFourPartDecimal`); IPv6 is accepted with or without brackets and normalized (RFC 5952).
 * The empty host (a `file:` URL) is `local`. Never throws.
 */
export function classifyHost(host: string): OriginHost {
  if (host === '') return { kind: 'local' };
  const lower = host.toLowerCase();
  const ip = normalizeIpLiteral(lower);
  if (ip !== null) return { kind: 'ip', address: ip };
  return { kind: 'name', name: lower };
}

/**
 * Whether `pattern` grants `host` (FLASH-DOM-1 … FLASH-DOM-7). No DNS: a name never matches an
 * address or the reverse; only `*` matches a local origin; `invalid` never matches.
 */
export function matchDomain(pattern: DomainPattern, host: OriginHost): boolean {
  switch (pattern.kind) {
    // FLASH-DOM-1
    case 'any':
      return true;
    // FLASH-DOM-2
    case 'name':
      return host.kind === 'name' && host.name === pattern.name;
    // FLASH-DOM-3: the suffix itself, or a host ending in "." + suffix (never `evilsuffix`).
    case 'suffix': {
      if (host.kind !== 'name') return false;
      const name = host.name;
      const suffix = pattern.suffix;
      if (name.length === suffix.length) return name === suffix;
      return name.length > suffix.length && name.endsWith(suffix) && name.charCodeAt(name.length - suffix.length - 1) === 46 /* . */;
    }
    // FLASH-DOM-5
    case 'ip':
      return host.kind === 'ip' && host.address === pattern.address;
    // FLASH-DOM-4, FLASH-DOM-6 (and FLASH-DOM-7: a local origin only ever matches `*`)
    case 'invalid':
      return false;
  }
}

/** The canonical spelling of a pattern (what `domain` would say), for traces and messages. */
export function formatDomainPattern(pattern: DomainPattern): string {
  switch (pattern.kind) {
    case 'any':
      return '*';
    case 'name':
      return pattern.name;
    case 'suffix':
      return `*.${pattern.suffix}`;
    case 'ip':
      return pattern.address.includes(':') ? `[${pattern.address}]` : pattern.address;
    case 'invalid':
      return '(invalid)';
  }
}

function invalid(reason: string, requirement: RequirementId): DomainPattern {
  return { kind: 'invalid', reason, requirement };
}

/** The normalized address when `lower` is a strict IPv4 or an IPv6 literal (bracketed or not). */
function normalizeIpLiteral(lower: string): string | null {
  // Ask ipaddr.js only about strings that can be addresses: it answers "no" by throwing and
  // catching, which costs microseconds per host name.
  if (FOUR_PART_SHAPE.test(lower)) return ipaddr.IPv4.isValidFourPartDecimal(lower) ? ipaddr.IPv4.parse(lower).toString() : null;
  if (lower.indexOf(':') < 0) return null;
  let inner = lower;
  if (inner.startsWith('[') && inner.endsWith(']')) inner = inner.slice(1, -1);
  // A zone (`%eth0`) names an interface of the machine, not a host another SWF can come from.
  if (inner.includes(':') && !inner.includes('%') && ipaddr.IPv6.isValid(inner)) {
    try {
      return ipaddr.IPv6.parse(inner).toRFC5952String();
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Why `name` (lowercase) is not a DNS host name, or null when it is one. One pass over the
 * characters: labels of letters, digits, `-` and `_`, 1-63 long, no `-` at either end.
 */
function hostNameProblem(name: string): string | null {
  if (name.length === 0) return 'the name is empty';
  if (name.length > 253) return 'the name is longer than 253 characters';
  let labelStart = 0;
  for (let i = 0; i <= name.length; i++) {
    const c = i < name.length ? name.charCodeAt(i) : 46; /* a final "." closes the last label */
    if (c === 46 /* . */) {
      const len = i - labelStart;
      if (len === 0) return 'the name has an empty label (a leading, trailing or doubled dot)';
      if (len > 63) return `a label of the name is longer than 63 characters`;
      if (name.charCodeAt(labelStart) === 45 || name.charCodeAt(i - 1) === 45) return `"${name.slice(labelStart, i)}" starts or ends with a hyphen`;
      labelStart = i + 1;
    } else if (c > 0x7e) {
      return 'a non-ASCII name must be written in its ASCII (xn--) form';
    } else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95)) {
      return `"${name.charAt(i)}" cannot occur in a host name`;
    }
  }
  return null;
}
