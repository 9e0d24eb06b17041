/**
 * Matching `<domain uri="…">` against the calling application (spec/silverlight/3-domains.md).
 *
 * The caller is the XAP, not the HTML page that hosts it (SL-DOM-1). A `uri` is classified once
 * ({@link classifyDomainUri}) into one of a few shapes; matching a shape is then a handful of
 * string comparisons, and a value that can never match is reported by the parser instead of being
 * silently useless.
 *
 * @module
 */
import { parseOriginUrl, type OriginUrl } from '../world/locations.js';

/** The calling application, reduced to what domain matching needs. */
export type SilverlightCaller =
  | {
      scheme: 'file';
      /** The host of a `file:` XAP (`server` in `file://server/share/app.xap`); empty for `file:///…` (SL-DOM-4). */
      host: string;
      /** The XAP's normalised URL, for a client profile that reads it its own way (silverlight/9#15). */
      href: string;
    }
  | {
      scheme: 'http' | 'https';
      host: string;
      port: number;
      path: string;
      /** Every proper dot-suffix of `host`, longest first (`a.b.c` → `b.c`, `c`), for SL-DOM-7 lookups. */
      suffixes?: readonly string[];
      /** Whether the XAP's path as written holds a percent escape (`path` is decoded); a client profile that compares escaped paths reads it (silverlight/9#3b). */
      escaped?: boolean;
    };

/** A local (`file:`) caller. */
export type SilverlightLocalCaller = Extract<SilverlightCaller, { scheme: 'file' }>;

/** A classified `uri` value. */
export type SilverlightDomainPattern =
  /** `*`: every caller (SL-DOM-2). */
  | { kind: 'any' }
  /** `http://*` or `https://*`: every caller of that scheme on its default port (SL-DOM-3). */
  | { kind: 'scheme'; scheme: 'http' | 'https' }
  /** `file:///`: local applications (SL-DOM-4). */
  | { kind: 'file' }
  /** `scheme://host[:port][/]`: callers at exactly that root (SL-DOM-5). */
  | { kind: 'root'; scheme: 'http' | 'https'; host: string; port: number }
  /** `scheme://host[:port]/path/app.xap`: exactly that application (SL-DOM-6). */
  | { kind: 'application'; scheme: 'http' | 'https'; host: string; port: number; path: string }
  /** `scheme://*.suffix[:port][/]`: subdomains of `suffix`, dot boundary (SL-DOM-7). */
  | { kind: 'subdomains'; scheme: 'http' | 'https'; suffix: string; port: number }
  /**
   * `scheme://*.ending[:port][/]` as Moonlight reads it: callers whose host ends with `ending`,
   * no dot boundary. The reference never
   * classifies a value this way; a client profile's `domainPattern` step may (silverlight/9#3).
   */
  | { kind: 'host-ending'; scheme: 'http' | 'https'; ending: string; port: number }
  /**
   * A value a client profile reads its own way for local (`file:`) callers: `admits` decides each
   * one. The reference never classifies a value this way; a client profile's `fileDomainPattern`
   * step may (silverlight/9#15).
   */
  | { kind: 'local'; admits: (caller: SilverlightLocalCaller) => boolean }
  /** A value that never matches, with the reason (SL-DOM-8). */
  | { kind: 'never'; reason: string };

/** The default port of `http` and `https` (SL-DOM-5). */
export function defaultPort(scheme: 'http' | 'https'): number {
  return scheme === 'https' ? 443 : 80;
}

const SCHEME_WILDCARDS: Readonly<Record<string, 'http' | 'https'>> = { 'http://*': 'http', 'https://*': 'https' };

/** Parses an absolute `http(s):` URL (WHATWG rules) or gives `null`. */
function parseHttpUrl(value: string): URL | null {
  if (!/^https?:\/\//i.test(value)) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function urlScheme(url: URL): 'http' | 'https' {
  return url.protocol === 'https:' ? 'https' : 'http';
}

function urlPort(url: URL): number {
  const scheme = urlScheme(url);
  return url.port === '' ? defaultPort(scheme) : Number(url.port);
}

/** Decodes percent-escapes where they form UTF-8, leaving anything else as written. */
export function safeDecodePath(path: string): string {
  if (path.indexOf('%') < 0) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Classifies a `<domain uri>` value into the shape it matches (SL-DOM-2 … SL-DOM-8).
 * Never throws: anything unusable is `{ kind: 'never', reason }`.
 */
export function classifyDomainUri(uri: string): SilverlightDomainPattern {
  // SL-DOM-2
  if (uri === '*') return { kind: 'any' };
  // SL-DOM-3
  const schemeWildcard = SCHEME_WILDCARDS[uri];
  if (schemeWildcard !== undefined) return { kind: 'scheme', scheme: schemeWildcard };
  // SL-DOM-4
  if (uri === 'file:///') return { kind: 'file' };
  // SL-DOM-8: the value is compared as written; surrounding whitespace is not trimmed away.
  if (uri !== uri.trim()) return { kind: 'never', reason: 'the uri has whitespace around it' };
  if (/[?#]/.test(uri)) return { kind: 'never', reason: 'a uri with a query or fragment never matches' };

  // SL-DOM-7: the only wildcard is a leading `*.` right after `scheme://`.
  const sub = /^(https?):\/\/\*\.(.*)$/i.exec(uri);
  if (sub) {
    const scheme = (sub[1] as string).toLowerCase() as 'http' | 'https';
    const rest = sub[2] as string;
    if (rest.includes('*')) return { kind: 'never', reason: 'a wildcard may appear only once, as the leading "*." of the host' };
    const url = parseHttpUrl(`${scheme}://${rest}`);
    if (url === null || url.hostname === '') return { kind: 'never', reason: 'the part after "*." is not a host name' };
    if (url.username !== '' || url.password !== '') return { kind: 'never', reason: 'a uri with user information never matches' };
    if (url.pathname !== '/') return { kind: 'never', reason: 'a wildcard uri may not have a path' };
    if (/^\d+(\.\d+){3}$/.test(url.hostname) || url.hostname.startsWith('[')) {
      return { kind: 'never', reason: 'a wildcard over an IP address never matches' };
    }
    return { kind: 'subdomains', scheme, suffix: url.hostname, port: urlPort(url) };
  }

  const url = parseHttpUrl(uri);
  if (url === null) {
    if (/^file:/i.test(uri)) return { kind: 'never', reason: 'the only file uri is exactly "file:///"' };
    if (!/^[a-z][a-z0-9+.-]*:/i.test(uri)) return { kind: 'never', reason: 'the uri has no scheme (write http://… or https://…)' };
    return { kind: 'never', reason: 'only http, https, "*" and "file:///" uris can match a caller' };
  }
  if (uri.slice(uri.indexOf('//') + 2).split('/')[0]?.includes('*')) {
    return { kind: 'never', reason: 'a wildcard may appear only as the leading "*." of the host' };
  }
  if (url.username !== '' || url.password !== '') return { kind: 'never', reason: 'a uri with user information never matches' };
  const scheme = urlScheme(url);
  // SL-DOM-5
  if (url.pathname === '/') return { kind: 'root', scheme, host: url.hostname, port: urlPort(url) };
  // SL-DOM-6
  return { kind: 'application', scheme, host: url.hostname, port: urlPort(url), path: safeDecodePath(url.pathname) };
}

/**
 * The calling application as domain matching sees it (SL-DOM-1), from the origin the request
 * reader read (DECIDE-1): the XAP's scheme, host, port and percent-decoded path, with the host's
 * proper dot-suffixes for SL-DOM-7 lookups; a `file:` origin keeps its scheme and the host of its
 * URL, empty for `file:///…` (SL-DOM-4, SL-DOM-10), and the URL itself (a client profile may read
 * it otherwise: silverlight/9#15).
 */
export function callerOf(origin: OriginUrl): SilverlightCaller {
  // SL-DOM-4: the request reader keeps no host for a file: origin; its normalised URL still has it.
  if (origin.scheme === 'file') return { scheme: 'file', host: fileHost(origin.href), href: origin.href };
  const host = origin.host;
  const suffixes: string[] = [];
  for (let i = host.indexOf('.'); i >= 0; i = host.indexOf('.', i + 1)) suffixes.push(host.slice(i + 1));
  const caller: SilverlightCaller = { scheme: origin.scheme, host, port: origin.port, path: safeDecodePath(origin.path), suffixes };
  if (origin.path.includes('%')) caller.escaped = true;
  return caller;
}

/**
 * The host of a normalised `file:` URL (`''` for `file:///…`). SL-DOM-4: a path that starts with
 * two or more slashes (`file:////server/share/app.xap`) is the UNC path `\\server\share`, as .NET's
 * and mono's `Uri` read four slashes or more, so its host is `server` — the URL parser would keep
 * none and let `file:///` admit a network share.
 */
function fileHost(href: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  if (url.host !== '') return url.host;
  const unc = /^\/{2,}([^/]+)/.exec(url.pathname);
  return unc ? unc[1]!.toLowerCase() : '';
}

/** Whether a classified `uri` admits `caller` (SL-DOM-2 … SL-DOM-10). */
export function matchDomainPattern(pattern: SilverlightDomainPattern, caller: SilverlightCaller): boolean {
  switch (pattern.kind) {
    // SL-DOM-2
    case 'any':
      return true;
    // SL-DOM-3: `http://*` admits http callers on port 80 only; `https://*` https callers on 443.
    case 'scheme':
      return caller.scheme !== 'file' && caller.scheme === pattern.scheme && caller.port === defaultPort(pattern.scheme);
    // SL-DOM-4, SL-DOM-10: `file:///` is the root of a file: XAP without a host only; Moonlight
    // compares it with the XAP's root `file://host/` (ClientAccessPolicy.cs:206-209).
    case 'file':
      return caller.scheme === 'file' && caller.host === '';
    // SL-DOM-5, SL-DOM-9: scheme, host and port all equal; no cross-scheme match.
    case 'root':
      return caller.scheme !== 'file' && caller.scheme === pattern.scheme && caller.host === pattern.host && caller.port === pattern.port;
    // SL-DOM-6
    case 'application':
      return caller.scheme !== 'file' && caller.scheme === pattern.scheme && caller.host === pattern.host && caller.port === pattern.port && caller.path === pattern.path;
    // SL-DOM-7: dot boundary — `*.contoso.com` admits `a.contoso.com`, never `evilcontoso.com`
    // nor the bare `contoso.com`.
    case 'subdomains':
      return caller.scheme !== 'file' && caller.scheme === pattern.scheme && caller.port === pattern.port && caller.host.endsWith(`.${pattern.suffix}`);
    // A client profile's reading (silverlight/9#3): a plain EndsWith on the host, no dot boundary.
    case 'host-ending':
      return caller.scheme !== 'file' && caller.scheme === pattern.scheme && caller.port === pattern.port && caller.host.endsWith(pattern.ending);
    // A client profile's reading of local callers (silverlight/9#15).
    case 'local':
      return caller.scheme === 'file' && pattern.admits(caller);
    // SL-DOM-8
    case 'never':
      return false;
  }
}

/** Whether the `uri` value admits the application at `origin` (convenience over the request reader and the two steps). */
export function matchDomainUri(uri: string, origin: string): boolean {
  const parsed = parseOriginUrl(origin, { what: 'origin', requirement: 'SL-DOM-1', diagnostics: [] });
  return parsed !== null && matchDomainPattern(classifyDomainUri(uri), callerOf(parsed));
}
