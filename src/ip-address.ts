/**
 * IP literals, read strictly (ipaddr.js): a four-part decimal IPv4 address or an IPv6 address, with
 * or without brackets. Shared by the lint's host checks and the client configuration's deny list, so
 * both read an address the same way.
 *
 * Pure: no I/O, no Node-only imports.
 *
 * @module
 */
import ipaddr from 'ipaddr.js';

/** What a four-part decimal IPv4 address is made of. */
const FOUR_PART_CHARS = /^[0-9.]+$/;

/** The normalized address when `host` is a strict IPv4 or an IPv6 literal (brackets allowed), else null. */
export function ipLiteral(host: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  // Neither form can be a name with letters and no colon: answered without ipaddr.js, whose
  // refusals throw (about 50 µs a host name, the bulk of linting a policy of many named hosts).
  if (!h.includes(':') && !FOUR_PART_CHARS.test(h)) return null;
  try {
    if (ipaddr.IPv4.isValidFourPartDecimal(h)) return ipaddr.IPv4.parse(h);
    if (h.includes(':') && ipaddr.IPv6.isValid(h)) return ipaddr.IPv6.parse(h);
  } catch {
    return null;
  }
  return null;
}
