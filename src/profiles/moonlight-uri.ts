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
 * `Parse`'s authority: the user information up to the first `@`, then (`withPort`) a port after the
 * last `:` — unless that ends the authority, or the port has one character or ends in `]`: then it
 * is no port and stays in the host.
 */
function splitMonoAuthority(authority: string, port: number, withPort: boolean): { userinfo: string; host: string; port: number } | string {
  const at = authority.indexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : '';
  const host = at >= 0 ? authority.slice(at + 1) : authority;
  const colon = withPort ? host.lastIndexOf(':') : -1;
  const text = host.slice(colon + 1);
  if (colon < 0 || text.length <= 1 || text.endsWith(']')) return { userinfo, host, port };
  const n = parseNetInteger(text);
  if (n === null || n < 0 || n > 65535) return 'invalid port number';
  return { userinfo, host: host.slice(0, colon), port: n };
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
  const split = splitMonoAuthority(slash < 0 ? rest : rest.slice(0, slash), defaultPort(scheme), true);
  if (typeof split === 'string') return split;
  const { userinfo, port } = split;
  const authority = split.host;
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

/**
 * What mono's `Uri` keeps of a value it reads with the scheme `file` (fields as after `ParseUri`:
 * `host` and `path` escaped by `EscapeString`, the host's ASCII letters lower-cased when it is
 * longer than one character and not bracketed).
 */
export interface MonoFileUri {
  userinfo: string;
  host: string;
  /** −1 (the `file` scheme's default) unless the value names one. */
  port: number;
  /** As parsed, never `Reduce`d (`Parse` reduces only other schemes); may be empty (`\\server`). */
  path: string;
  /** `Query` (escaped) and `Fragment` (`#` and the escaped rest), empty when absent. */
  query: string;
  fragment: string;
  isUnc: boolean;
}

const HEX = '0123456789ABCDEF';
const isHexDigit = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
/** `IsHexEncoding`: `%` and two hexadecimal digits at `i` of `s`. */
const isHexEncoding = (s: string, i: number): boolean => i + 3 <= s.length && s[i] === '%' && isHexDigit(s[i + 1]) && isHexDigit(s[i + 2]);

/**
 * `EscapeString (str, false, true, brackets)`: each UTF-8 byte of `str` that is a control, space,
 * non-ASCII, one of `<>%"{}|\^` and backtick, `#`, or (with `brackets`) `[`/`]` becomes `%XX`; an
 * existing `%XX` is kept. As in mono, the `%XX` test reads `str` at the byte's index, so after a
 * non-ASCII character it looks at the wrong place.
 */
export function monoEscape(str: string, brackets = true): string {
  const data = new TextEncoder().encode(str);
  let out = '';
  for (let i = 0; i < data.length; i++) {
    const c = data[i] as number;
    if (c === 0x25 && isHexEncoding(str, i)) {
      out += `%${str[i + 1]}${str[i + 2]}`;
      i += 2;
      continue;
    }
    const ch = String.fromCharCode(c);
    if (c <= 0x20 || c >= 0x7f || '<>%"{}|\\^`#'.includes(ch) || (brackets && (ch === '[' || ch === ']'))) out += `%${HEX[c >> 4]}${HEX[c & 15]}`;
    else out += ch;
  }
  return out;
}

/** `HexUnescapeMultiByte` at `s[i]` (a `%XX`): the character(s) and the index after what was read. */
function unescapeAt(s: string, i: number): [string, number] {
  const first = parseInt(s.slice(i + 1, i + 3), 16);
  let bytes = 0;
  for (let m = first >> 4; (m & 8) === 8; m <<= 1) bytes++;
  if (bytes <= 1) return [String.fromCharCode(first), i + 3];
  let cp = first & (0xff >> (bytes + 1));
  let at = i + 3;
  for (let k = 1; k < bytes; k++) {
    // A following byte must be a %XX of the form 10xxxxxx; otherwise the first byte stands alone.
    if (!isHexEncoding(s, at) || (parseInt(s[at + 1] as string, 16) & 0xc) !== 0x8) return [String.fromCharCode(first), i + 3];
    cp = (cp << 6) | (parseInt(s.slice(at + 1, at + 3), 16) & 0x3f);
    at += 3;
  }
  if (cp <= 0xffff) return [String.fromCharCode(cp), at];
  cp -= 0x10000;
  return [String.fromCharCode((cp >> 10) | 0xd800, (cp & 0x3ff) | 0xdc00), at];
}

/** `Unescape (str, excludeSpecial)`: every `%XX` decoded (UTF-8 sequences as one character); with `excludeSpecial`, `#`, `%` and `?` stay escaped. */
export function monoUnescape(str: string, excludeSpecial = false): string {
  let out = '';
  for (let i = 0; i < str.length; ) {
    if (!isHexEncoding(str, i)) {
      out += str[i++];
      continue;
    }
    const [x, next] = unescapeAt(str, i);
    out += excludeSpecial && x === '#' ? '%23' : excludeSpecial && x === '%' ? '%25' : excludeSpecial && x === '?' ? '%3F' : x;
    i = next;
  }
  return out;
}

/** `CheckHostName` is not `Unknown`: an IPv4 address, a domain name or an IPv6 address (bracketed; see {@link monoIPv6}). */
function isMonoHost(name: string): boolean {
  return isMonoIPv4(name) || isMonoDomain(name) || monoIPv6(name) !== null;
}

/** `ParseUri` after `Parse`: the host escaped (brackets kept) and lower-cased, the path escaped. */
function finishMonoFile(u: MonoFileUri): MonoFileUri {
  let host = monoEscape(u.host, false);
  if (host.length > 1 && host[0] !== '[' && host[host.length - 1] !== ']') host = host.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return { ...u, host, path: u.path.length > 0 ? monoEscape(u.path) : u.path };
}

const FILE_DEFAULTS = { userinfo: '', port: -1, query: '', fragment: '', isUnc: false };

/**
 * Reads `value` as mono's `new Uri (value)` (`Uri.TryCreate (value, UriKind.Absolute)`) does when
 * it reads it with the scheme `file`: a `file:` scheme in any ASCII case, a Unix path (`/…`, no
 * `:`), a Windows path (`C:/…`, `C:\…`) or a UNC path (`\\server\share`, no `:`). Gives why it
 * refuses such a value (`string`), or `null` when mono reads the value with another scheme, as
 * relative, or refuses it before knowing its scheme.
 */
export function readMonoFileUri(value: string): MonoFileUri | string | null {
  if (value.length <= 1) return null;
  const colon = value.indexOf(':');
  if (colon === 0) return null;
  if (colon < 0) {
    // ParseAsUnixAbsoluteFilePath: "//x" is the path /x, not a host.
    if (value[0] === '/') return finishMonoFile({ ...FILE_DEFAULTS, host: '', path: value.startsWith('//') ? `/${value.replace(/^\/+/, '')}` : value });
    if (value.startsWith('\\\\')) {
      // ParseAsWindowsUNC: the host up to the next "\", not checked; no query or fragment.
      const rest = value.replace(/^\\+/, '');
      const sep = rest.indexOf('\\');
      return finishMonoFile({ ...FILE_DEFAULTS, isUnc: true, host: sep > 0 ? rest.slice(0, sep) : rest, path: sep > 0 ? rest.slice(sep).replace(/\\/g, '/') : '' });
    }
    return null;
  }
  if (colon === 1) {
    if (!/^[A-Za-z]/.test(value)) return null;
    // ParseAsWindowsAbsoluteFilePath
    if (value.length > 2 && value[2] !== '\\' && value[2] !== '/') return 'Relative file path is not allowed';
    return finishMonoFile({ ...FILE_DEFAULTS, host: '', path: value.replace(/\\/g, '/') });
  }
  if (value.slice(0, colon).replace(/[A-Z]/g, (c) => c.toLowerCase()) !== 'file') return null;
  let rest = value.slice(colon + 1);
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = `#${monoEscape(rest.slice(hash + 1))}`;
    rest = rest.slice(0, hash);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = monoEscape(rest.slice(q));
    rest = rest.slice(0, q);
  }
  if (rest.length < 2 || (rest[0] === '/' && rest[1] !== '/')) return 'The Authority/Host could not be parsed';
  let unixAbsPath = rest.startsWith('///') || rest === '//';
  if (rest.startsWith('//')) {
    rest = rest.slice(2);
    const slashes = 2 + (/^\/*/.exec(rest)?.[0].length ?? 0);
    // Four slashes or more: the rest is a host and path (UNC); exactly three: a path.
    if (slashes >= 4) {
      unixAbsPath = false;
      rest = rest.replace(/^\/+/, '');
    } else if (slashes >= 3) rest = rest.slice(1);
    if (rest.length > 1 && rest[1] === ':') unixAbsPath = false;
  }
  const slash = unixAbsPath ? -1 : rest.indexOf('/');
  let path = '/';
  if (slash >= 0) {
    path = rest.slice(slash);
    rest = rest.slice(0, slash);
  }
  // A Unix path (three slashes) has no port.
  const split = splitMonoAuthority(rest, -1, !unixAbsPath);
  if (typeof split === 'string') return split;
  const { userinfo, port } = split;
  rest = split.host;
  let host = rest;
  let isUnc = false;
  if (unixAbsPath) {
    path = `/${rest}`;
    host = '';
  } else if (host.length === 2 && host[1] === ':') {
    // A Windows drive: "C:" and the path.
    path = host + path;
    host = '';
  } else isUnc = true;
  if (host.length > 0) {
    if (!isMonoHost(host)) return 'The hostname could not be parsed';
    const v6 = monoIPv6(host);
    if (v6 !== null) host = v6;
  }
  return finishMonoFile({ userinfo, host, port, path, query, fragment, isUnc });
}

/** `DnsSafeHost`: the host unescaped. */
export function monoDnsSafeHost(u: MonoFileUri): string {
  return monoUnescape(u.host);
}

/**
 * `LocalPath` of a `file` URI on Moonlight's platform (Linux: the directory separator is `/`): the
 * path unescaped; a Windows path (`C:/…`, longer than three characters) not read as UNC with `\`
 * for `/`; an empty one `/`.
 */
export function monoLocalPath(u: MonoFileUri): string {
  const windows = u.path.length > 3 && u.path[1] === ':' && (u.path[2] === '\\' || u.path[2] === '/');
  const p = monoUnescape(u.path);
  const local = !u.isUnc && windows ? p.replace(/\//g, '\\') : p;
  return local === '' ? '/' : local;
}

/**
 * `ToString ()` of a `file` URI: `GetLeftPart (UriPartial.Path)` — `file://`, a `/` before a
 * Windows path, the user information, the host, a port other than −1, the path `Reduce`d — then the
 * query and fragment, unescaped except `#`, `%` and `?`.
 */
export function monoFileToString(u: MonoFileUri): string {
  const left = `file://${u.path.length > 1 && u.path[1] === ':' ? '/' : ''}${u.userinfo.length > 0 ? `${u.userinfo}@` : ''}${u.host}${u.port !== -1 ? `:${u.port}` : ''}${u.path.length > 0 ? monoReduce(u.path) : ''}`;
  const query = u.query.length === 0 ? '' : u.query.startsWith('?') ? `?${monoUnescape(u.query.slice(1), true)}` : monoUnescape(u.query, true);
  return monoUnescape(left, true) + query + u.fragment;
}

/** `CrossDomainPolicyManager.GetRoot` of a `file` URI: `file://` and `DnsSafeHost`, the port when it is not −1, then `/`. */
export function monoFileRoot(u: MonoFileUri): string {
  return `file://${monoDnsSafeHost(u)}${u.port === -1 ? '' : `:${u.port}`}/`;
}
