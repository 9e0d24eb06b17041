/**
 * The one URL reader of the core: policy locations (world keys, `loadPolicyFile` URLs, redirects),
 * targets and origin URLs, parsed and normalised so that a world snapshot written by hand
 * (`HTTP://Example.COM:80/crossdomain.xml`, `xmlsocket://[0:0:0:0:0:0:0:1]:943`) and the location
 * a client's procedure asks for (`http://example.com/crossdomain.xml`, `xmlsocket://[::1]:943`)
 * are the same key, for every client (DECIDE-1, DECIDE-2).
 *
 * Hosts are normalised with the WHATWG URL host parser (what a browser hands the plugin): names
 * are lowercased (and IDNA-encoded), IPv4 addresses are put in dotted-decimal form, IPv6 addresses
 * are compressed and kept in brackets. Default ports are dropped from HTTP(S) location keys; socket
 * locations always carry their port.
 *
 * Failure follows the core's convention (`src/diagnostics.ts`): a reader returns `null` and reports
 * why into the {@link Reading}'s diagnostics, each naming the requirement the caller reads for.
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';
import type { WorldResponse, WorldSnapshot } from './world.js';

/** Diagnostic codes of the location reader. */
export const LOCATION_DIAGNOSTIC_CODES = ['not-a-url', 'unsupported-scheme', 'credentials', 'no-host', 'invalid-host', 'invalid-port', 'query-or-fragment'] as const;
/** One of {@link LOCATION_DIAGNOSTIC_CODES}. */
export type LocationDiagnosticCode = (typeof LOCATION_DIAGNOSTIC_CODES)[number];

/**
 * What a reader is reading and for whom: `what` names the text in messages (`origin`, `world key`),
 * `requirement` is the rule a failure reports (the reader is shared; the rule is the caller's), and
 * failures are appended to `diagnostics`.
 */
export interface Reading {
  what: string;
  requirement: RequirementId;
  diagnostics: Diagnostic[];
}

/** A reading of a world key (DECIDE-2) into `diagnostics`. */
export function worldKeyReading(diagnostics: Diagnostic[] = []): Reading {
  return { what: 'world key', requirement: 'DECIDE-2', diagnostics };
}

/** A socket policy endpoint: `xmlsocket://host:port`. */
export interface SocketLocation {
  kind: 'socket';
  /** Normalised host: lowercase name, dotted IPv4, or bracketed compressed IPv6. */
  host: string;
  port: number;
  /** The canonical key, `xmlsocket://host:port`. */
  key: string;
}

/** A URL policy file location: `http(s)://host[:port]/path`. */
export interface UrlLocation {
  kind: 'url';
  scheme: 'http' | 'https';
  /** Normalised host (as for {@link SocketLocation}). */
  host: string;
  /** The port, default ports filled in (80, 443). */
  port: number;
  /** The path, starting with `/`, without query or fragment. */
  path: string;
  /** The canonical key: scheme and host lowercase, default port omitted, path as given. */
  key: string;
}

/** A policy location of either kind. */
export type PolicyLocation = SocketLocation | UrlLocation;

/** A socket connection target, `socket://host:port`. */
export interface SocketTarget {
  kind: 'socket';
  host: string;
  port: number;
}

/** An HTTP(S) data-load target. */
export interface UrlTarget {
  kind: 'url';
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** Path as the URL parser normalises it (dot segments resolved, not percent-decoded), without query or fragment. */
  path: string;
  /** The path as written, before the URL parser resolved or decoded anything: after the authority, before `?` or `#`. */
  rawPath: string;
  /** The normalised URL. */
  href: string;
}

/** A target of either kind. */
export type Target = SocketTarget | UrlTarget;

/** How the origin's host reads: a name, an IP address, or none (a local `file:` origin). */
export type OriginHostKind = 'name' | 'ipv4' | 'ipv6' | 'local';

/** The URL of the requesting SWF (or XAP), reduced to what the decisions need. */
export interface OriginUrl {
  /** `http`, `https` or `file`. */
  scheme: 'http' | 'https' | 'file';
  /** Normalised host as the URL serialises it (`a.com`, `10.0.0.1`, `[::1]`); empty for a local (`file:`) origin. */
  host: string;
  hostKind: OriginHostKind;
  /** For an IP host: the address without brackets (`::1`, `10.0.0.1`). */
  address?: string;
  /** Port with defaults filled in; 0 for `file:`. */
  port: number;
  /** Path as the URL parser normalises it (not percent-decoded); `/` for `file:` origins is their path too. */
  path: string;
  /** The normalised URL. */
  href: string;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

/** The largest TCP port. */
export const MAX_PORT = 65535;

function fail(reading: Reading, code: LocationDiagnosticCode, message: string, value: string): null {
  reading.diagnostics.push({ severity: 'error', code, message, line: 1, column: 1, requirement: reading.requirement, value });
  return null;
}

/**
 * Normalises a bare host as the URL host parser does. `[::1]` stays bracketed; anything that is
 * not a valid host (spaces, `@`, `/`, an empty string) is a failure.
 */
export function normalizeHost(host: string, reading: Reading): string | null {
  if (host === '') return fail(reading, 'no-host', `${reading.what}: the host is empty`, host);
  if (/[\s/?#@\\]/.test(host)) return fail(reading, 'invalid-host', `${reading.what}: '${host}' is not a valid host`, host);
  let parsed: URL;
  try {
    parsed = new URL(`http://${host}/`);
  } catch {
    return fail(reading, 'invalid-host', `${reading.what}: '${host}' is not a valid host`, host);
  }
  // `new URL('http://a:1/')` would read `:1` as a port; a bare host never carries one.
  if (parsed.port !== '' || parsed.hostname === '') return fail(reading, 'invalid-host', `${reading.what}: '${host}' is not a valid host`, host);
  return parsed.hostname;
}

/** Parses a decimal port 1–65535 (no signs, no spaces, no leading `+`). */
export function parsePort(text: string, reading: Reading): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return fail(reading, 'invalid-port', `${reading.what}: '${text}' is not a port number`, text);
  const port = Number(text);
  if (port < 1 || port > MAX_PORT) return fail(reading, 'invalid-port', `${reading.what}: port ${port} is outside 1-65535`, text);
  return port;
}

/** `scheme://host:port` with an optional trailing `/`, the host possibly a bracketed IPv6. */
const HOST_PORT = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#[\]]*):([^/?#]*)\/?$/;

function parseHostPort(text: string, scheme: string, reading: Reading): { host: string; port: number } | null {
  const m = HOST_PORT.exec(text);
  if (!m || m[1]!.toLowerCase() !== scheme) {
    return fail(reading, 'not-a-url', `${reading.what} '${text}' is not of the form ${scheme}://host:port`, text);
  }
  const inner: Reading = { ...reading, what: `${reading.what} '${text}'` };
  const host = normalizeHost(m[2]!, inner);
  if (host === null) return null;
  const port = parsePort(m[3]!, inner);
  if (port === null) return null;
  return { host, port };
}

/** The canonical key of a socket policy endpoint. */
export function socketLocationKey(host: string, port: number): string {
  return `xmlsocket://${host}:${port}`;
}

/** The canonical key of a URL policy location. */
export function urlLocationKey(scheme: 'http' | 'https', host: string, port: number, path: string): string {
  return `${scheme}://${host}${port === DEFAULT_PORTS[scheme] ? '' : `:${port}`}${path}`;
}

interface HttpUrl {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
  href: string;
  search: string;
}

/** The authority's port of a `scheme://` URL as written (after any user information), or null. */
const WRITTEN_PORT = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:[\]]*):([^/?#]*)/;

/**
 * Why the URL parser refused `text`, in words, where the port is the reason (`http://a:70000/`
 * fails as a whole in WHATWG URL); otherwise the generic "is not a valid URL".
 */
function notAUrl(text: string, reading: Reading): null {
  const port = WRITTEN_PORT.exec(text)?.[1];
  if (port !== undefined && port !== '') {
    const inner: Reading = { ...reading, what: `${reading.what} '${text}'` };
    if (parsePort(port, inner) === null) return null;
  }
  return fail(reading, 'not-a-url', `${reading.what} '${text}' is not a valid URL`, text);
}

/** Parses an `http(s)://` URL strictly (no credentials, a host, a port other than 0). */
function parseHttpUrl(text: string, reading: Reading): HttpUrl | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return notAUrl(text, reading);
  }
  const scheme = u.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https') return fail(reading, 'unsupported-scheme', `${reading.what} '${text}' must be an http:// or https:// URL`, text);
  // FLASH-URL-12, SL-DOM-11: credentials before the host make a URL unreadable (the classic look-alike trick).
  if (u.username !== '' || u.password !== '') return fail(reading, 'credentials', `${reading.what} '${text}' must not carry credentials (user information before the host)`, text);
  if (u.hostname === '') return fail(reading, 'no-host', `${reading.what} '${text}' has no host`, text);
  const port = u.port === '' ? DEFAULT_PORTS[scheme]! : Number(u.port);
  if (port < 1) return fail(reading, 'invalid-port', `${reading.what} '${text}': port 0 is not a port`, text);
  return { scheme, host: u.hostname, port, path: u.pathname, href: u.href, search: u.search };
}

// DECIDE-2
/**
 * Parses and normalises a policy location: `xmlsocket://host:port` or `http(s)://host[:port]/path`.
 * A URL location must not carry a query or fragment (a policy location is a file).
 */
export function parsePolicyLocation(key: string, reading: Reading): PolicyLocation | null {
  if (/^xmlsocket:/i.test(key)) {
    const hp = parseHostPort(key, 'xmlsocket', reading);
    if (hp === null) return null;
    return { kind: 'socket', host: hp.host, port: hp.port, key: socketLocationKey(hp.host, hp.port) };
  }
  if (/^https?:/i.test(key)) {
    const u = parseHttpUrl(key, reading);
    if (u === null) return null;
    if (u.search !== '' || key.includes('#')) {
      return fail(reading, 'query-or-fragment', `${reading.what} '${key}' must not have a query or fragment`, key);
    }
    const { scheme, host, port, path } = u;
    return { kind: 'url', scheme, host, port, path, key: urlLocationKey(scheme, host, port, path) };
  }
  return fail(reading, 'unsupported-scheme', `${reading.what} '${key}' must start with xmlsocket://, http:// or https://`, key);
}

/** The canonical form of a world key, or `null` when it is not a location ({@link parsePolicyLocation} says why). */
export function normalizeLocation(key: string): string | null {
  return parsePolicyLocation(key, worldKeyReading())?.key ?? null;
}

/** FLASH-SOCK-4: the port of the master socket policy. */
export const MASTER_SOCKET_PORT = 843;

/** FLASH-SOCK-4: the master socket policy location of a host, `xmlsocket://host:843`. */
export function masterSocketLocation(host: string): SocketLocation {
  return socketLocation(host, MASTER_SOCKET_PORT);
}

/** The socket location `xmlsocket://host:port` of a normalised host. */
export function socketLocation(host: string, port: number): SocketLocation {
  return { kind: 'socket', host, port, key: socketLocationKey(host, port) };
}

/** The URL location at `path` of a target's scheme, host and port. */
export function urlLocation(target: { scheme: 'http' | 'https'; host: string; port: number }, path: string): UrlLocation {
  return { kind: 'url', scheme: target.scheme, host: target.host, port: target.port, path, key: urlLocationKey(target.scheme, target.host, target.port, path) };
}

/** FLASH-URL-1: the master URL policy location of a target, `/crossdomain.xml` at its scheme, host and port. */
export function masterUrlLocation(target: { scheme: 'http' | 'https'; host: string; port: number }): UrlLocation {
  return urlLocation(target, '/crossdomain.xml');
}

/** Parses a `socket://host:port` connection target. */
export function parseSocketTarget(text: string, reading: Reading): SocketTarget | null {
  const hp = parseHostPort(text, 'socket', reading);
  return hp === null ? null : { kind: 'socket', host: hp.host, port: hp.port };
}

/** The request path as written: after the authority, before the first `?` or `#` (`/` when empty). */
export function rawRequestPath(target: string): string {
  const schemeEnd = target.indexOf('://');
  // The parser skips any further '/' or '\' before the host (WHATWG "special authority ignore slashes").
  let rest = schemeEnd < 0 ? target : target.slice(schemeEnd + 3).replace(/^[/\\]+/, '');
  // The authority ends at the first '/', '\', '?' or '#' (WHATWG treats '\' like '/' for http).
  // A tab or newline (which the parser removes) cannot form any of these, so the boundaries found
  // here are the parser's.
  const authorityEnd = rest.search(/[/\\?#]/);
  rest = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const cut = rest.search(/[?#]/);
  const path = cut < 0 ? rest : rest.slice(0, cut);
  return path === '' ? '/' : path;
}

// DECIDE-1
/** Parses a target: `socket://host:port` or an `http(s)://` URL. */
export function parseTarget(text: string, reading: Reading): Target | null {
  if (/^socket:/i.test(text)) return parseSocketTarget(text, reading);
  if (/^https?:/i.test(text)) {
    const u = parseHttpUrl(text, reading);
    if (u === null) return null;
    const { scheme, host, port, path, href } = u;
    return { kind: 'url', scheme, host, port, path, rawPath: rawRequestPath(text), href };
  }
  return fail(reading, 'unsupported-scheme', `${reading.what} '${text}' must be socket://host:port or an http(s):// URL`, text);
}

function hostKindOf(host: string): { hostKind: OriginHostKind; address?: string } {
  if (host.startsWith('[')) return { hostKind: 'ipv6', address: host.slice(1, -1) };
  // The URL parser reads every host that ends in a number as IPv4 and writes it dotted-decimal.
  if (/^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(host)) return { hostKind: 'ipv4', address: host };
  return { hostKind: 'name' };
}

// DECIDE-1
/** Parses the URL of the requesting SWF or XAP: `http(s)://…` or `file:…` (a local application, no host). */
export function parseOriginUrl(text: string, reading: Reading): OriginUrl | null {
  if (/^file:/i.test(text)) {
    let u: URL;
    try {
      u = new URL(text);
    } catch {
      return fail(reading, 'not-a-url', `${reading.what} '${text}' is not a valid URL`, text);
    }
    // A file: URL with a host (file://server/share) is still a local application: no network origin.
    return { scheme: 'file', host: '', hostKind: 'local', port: 0, path: u.pathname, href: u.href };
  }
  if (/^https?:/i.test(text)) {
    const u = parseHttpUrl(text, reading);
    if (u === null) return null;
    return { scheme: u.scheme, host: u.host, ...hostKindOf(u.host), port: u.port, path: u.path, href: u.href };
  }
  return fail(reading, 'unsupported-scheme', `${reading.what} '${text}' must be an http://, https:// or file: URL`, text);
}

/** Resolves a (possibly relative) redirect `Location` against the URL it came from. */
export function resolveRedirect(location: UrlLocation, redirectTo: string, reading: Reading): UrlLocation | null {
  let abs: string;
  try {
    abs = new URL(redirectTo, location.key).href;
  } catch {
    return fail(reading, 'not-a-url', `${reading.what} '${redirectTo}' is not a valid URL`, redirectTo);
  }
  const u = parseHttpUrl(abs, reading);
  if (u === null) return null;
  return urlLocation(u, u.path);
}

/** A world whose keys are normalised, for lookups. */
export type IndexedWorld = ReadonlyMap<string, WorldResponse>;

// DECIDE-2
/**
 * Indexes a world by normalised location, once for every client. Keys that are not locations are
 * skipped (use `parseWorld` to reject them); when two keys normalise to the same location the
 * first wins.
 */
export function indexWorld(world: WorldSnapshot): IndexedWorld {
  const map = new Map<string, WorldResponse>();
  for (const key of Object.keys(world)) {
    const norm = normalizeLocation(key);
    if (norm !== null && !map.has(norm)) map.set(norm, world[key]!);
  }
  return map;
}

/** What the world says a location answered; `undefined` means nothing is there. */
export function lookupLocation(world: IndexedWorld, location: PolicyLocation | string): WorldResponse | undefined {
  const key = typeof location === 'string' ? normalizeLocation(location) : location.key;
  return key === null ? undefined : world.get(key);
}

/** The directory of a URL path: everything up to and including its last `/`. */
export function directoryOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1) || '/';
}
