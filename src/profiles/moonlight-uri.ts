/**
 * How Moonlight's `System.Uri` (mono/mono `mcs/class/System/System/Uri.cs` @ 018e3b25, `Parse`,
 * `CheckHostName`, `IsIPv4Address`, `IsDomainAddress`, `Reduce`) reads an absolute `http:` or
 * `https:` URL: the parts `ClientAccessPolicy.cs` compares. Written from what that code does (read
 * for facts only); it differs from the WHATWG URL parser the reference uses: no IPv4 shorthand
 * (`0.0.1` stays a host name), no trimming, `\` is no separator in the authority, a one-character
 * port is no port, the host is lower-cased in ASCII only.
 *
 * @module
 */
import { defaultPort } from '../silverlight/domains.js';

/** What mono's `Uri` keeps of an `http(s)://authority/path?query#fragment` value. */
export interface MonoHttpUri {
  scheme: 'http' | 'https';
  /** `UserInfo` (empty when none). */
  userinfo: string;
  /** `Host` as `DnsSafeHost` gives it: ASCII letters lower-cased, an IPv6 address with its brackets. */
  host: string;
  port: number;
  /** `LocalPath` of an http(s) URL: the path after `Reduce` (`.` and `..` segments resolved, empty segments dropped). */
  localPath: string;
  /** `Query` and `Fragment` as written (empty when absent; `?` alone is not empty). */
  query: string;
  fragment: string;
}

/** `Int32.Parse`/`UInt16.Parse` with the invariant culture's integer style: blanks around, one sign. */
function parseNetInteger(text: string): number | null {
  const m = /^[\t-\r ]*([+-]?)(\d+)[\t-\r ]*$/.exec(text);
  if (m === null) return null;
  const n = Number(m[2]);
  return m[1] === '-' ? (n === 0 ? 0 : -n) : n;
}

/** `IsIPv4Address`: exactly four dot-separated integers, each 0–255. */
function isMonoIPv4(name: string): boolean {
  const parts = name.split('.');
  if (parts.length !== 4) return false;
  return parts.every((p) => {
    const n = parseNetInteger(p);
    return n !== null && n >= 0 && n <= 255;
  });
}

const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;

/**
 * `IsDomainAddress`: the first character a letter or digit, then letters, digits, `-`, `_` and
 * `.` (the label-start test runs only once, so `a..b` and `a.-b` pass), fewer than 64 characters
 * per label.
 */
function isMonoDomain(name: string): boolean {
  let count = 0;
  for (const c of name) {
    if (count === 0) {
      if (!LETTER_OR_DIGIT.test(c)) return false;
    } else if (c === '.') {
      count = 0;
    } else if (!LETTER_OR_DIGIT.test(c) && c !== '-' && c !== '_') {
      return false;
    }
    if (++count === 64) return false;
  }
  return true;
}

/** A bracketed IPv6 address in the compressed form `IPv6Address.ToString (true)` writes, or `null`. */
function monoIPv6(name: string): string | null {
  if (!(name.length > 2 && name.startsWith('[') && name.endsWith(']'))) return null;
  try {
    const host = new URL(`http://${name}/`).hostname;
    return host.startsWith('[') ? host : null;
  } catch {
    return null;
  }
}

/** `Reduce`: `\` read as `/`, empty and `.` segments dropped, `..` removes the previous one (none: skipped). */
export function monoReduce(path: string): string {
  const p = path.replace(/\\/g, '/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      out.pop();
      continue;
    }
    out.push(seg);
  }
  if (out.length === 0) return '/';
  return `${p.startsWith('/') ? '/' : ''}${out.join('/')}${p.endsWith('/') ? '/' : ''}`;
}

/**
 * Reads `value` as mono's `Uri.TryCreate (value, UriKind.Absolute)` reads an `http:` or `https:`
 * URL, or gives why it refuses (`string`). Other schemes and forms are not read here (`null`).
 */
export function readMonoHttpUri(value: string): MonoHttpUri | string | null {
  // The scheme is lower-cased.
  const m = /^(https?):/i.exec(value);
  if (m === null) return null;
  const scheme = (m[1] as string).toLowerCase() as 'http' | 'https';
  let rest = value.slice(m[0].length);
  let fragment = '';
  let query = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash);
    rest = rest.slice(0, hash);
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q);
    rest = rest.slice(0, q);
  }
  if (rest.length < 2 || (rest[0] === '/' && rest[1] !== '/')) return 'the authority could not be parsed';
  if (rest.startsWith('//')) rest = rest.slice(2);
  const slash = rest.indexOf('/');
  const rawPath = slash < 0 ? '/' : rest.slice(slash);
  let authority = slash < 0 ? rest : rest.slice(0, slash);
  let userinfo = '';
  const at = authority.indexOf('@');
  if (at >= 0) {
    userinfo = authority.slice(0, at);
    authority = authority.slice(at + 1);
  }
  let port = defaultPort(scheme);
  const colon = authority.lastIndexOf(':');
  if (colon >= 0 && colon !== authority.length - 1) {
    const text = authority.slice(colon + 1);
    // A one-character port, or one ending in "]", is no port: it stays in the host.
    if (text.length > 1 && !text.endsWith(']')) {
      const n = parseNetInteger(text);
      if (n === null || n < 0 || n > 65535) return 'invalid port number';
      port = n;
      authority = authority.slice(0, colon);
    }
  }
  if (authority === '') return 'the hostname could not be parsed';
  let host: string;
  if (isMonoIPv4(authority) || isMonoDomain(authority)) host = authority.replace(/[A-Z]/g, (c) => c.toLowerCase());
  else {
    const v6 = monoIPv6(authority);
    if (v6 === null) return 'the hostname could not be parsed';
    host = v6;
  }
  return { scheme, userinfo, host, port, localPath: monoReduce(rawPath), query, fragment };
}
