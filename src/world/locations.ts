/**
 * Policy locations, socket targets and origin URLs: parsing and normalising them, so that a world
 * snapshot written by hand (`HTTP://Example.COM:80/crossdomain.xml`) and the location the decision
 * procedure asks for (`http://example.com/crossdomain.xml`) are the same key.
 *
 * Hosts are normalised with the WHATWG URL host parser (what a browser hands the player): names
 * are lowercased (and IDNA-encoded), IPv4 addresses are put in dotted-decimal form, IPv6 addresses
 * are compressed and kept in brackets. Default ports are dropped from HTTP(S) locations; socket
 * locations always carry their port.
 *
 * Nothing here throws: failure is a `{ ok: false, reason }` value naming what is wrong.
 *
 * @module
 */
import type { WorldResponse, WorldSnapshot } from './world.js';

/** The result of parsing something that may be malformed: the value, or why it is not one. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

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
  /** Path without query or fragment. */
  path: string;
  /** The normalised URL. */
  href: string;
}

/** The URL of the requesting SWF (or XAP), reduced to what the decision needs. */
export interface OriginUrl {
  /** `http`, `https` or `file`. */
  scheme: 'http' | 'https' | 'file';
  /** Normalised host; empty for a local (`file:`) origin. */
  host: string;
  /** Port with defaults filled in; 0 for `file:`. */
  port: number;
  /** The normalised URL. */
  href: string;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

/** The largest TCP port. */
export const MAX_PORT = 65535;

/**
 * Normalises a bare host as the URL host parser does. `[::1]` stays bracketed; anything that is
 * not a valid host (spaces, `@`, `/`, an empty string) is a failure.
 */
export function normalizeHost(host: string): Parsed<string> {
  if (host === '') return { ok: false, reason: 'the host is empty' };
  if (/[\s/?#@\\]/.test(host)) return { ok: false, reason: `'${host}' is not a valid host` };
  let parsed: URL;
  try {
    parsed = new URL(`http://${host}/`);
  } catch {
    return { ok: false, reason: `'${host}' is not a valid host` };
  }
  // `new URL('http://a:1/')` would read `:1` as a port; a bare host never carries one.
  if (parsed.port !== '' || parsed.hostname === '') return { ok: false, reason: `'${host}' is not a valid host` };
  return { ok: true, value: parsed.hostname };
}

/** Parses a decimal port 1–65535 (no signs, no spaces, no leading `+`). */
export function parsePort(text: string): Parsed<number> {
  if (!/^[0-9]{1,5}$/.test(text)) return { ok: false, reason: `'${text}' is not a port number` };
  const port = Number(text);
  if (port < 1 || port > MAX_PORT) return { ok: false, reason: `port ${port} is outside 1-65535` };
  return { ok: true, value: port };
}

/** `scheme://host:port` with an optional trailing `/`, the host possibly a bracketed IPv6. */
const HOST_PORT = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#[\]]*):([^/?#]*)\/?$/;

function parseHostPort(text: string, scheme: string, what: string): Parsed<{ host: string; port: number }> {
  const m = HOST_PORT.exec(text);
  if (!m || m[1]!.toLowerCase() !== scheme) {
    return { ok: false, reason: `${what} '${text}' is not of the form ${scheme}://host:port` };
  }
  const host = normalizeHost(m[2]!);
  if (!host.ok) return { ok: false, reason: `${what} '${text}': ${host.reason}` };
  const port = parsePort(m[3]!);
  if (!port.ok) return { ok: false, reason: `${what} '${text}': ${port.reason}` };
  return { ok: true, value: { host: host.value, port: port.value } };
}

/** The canonical key of a socket policy endpoint. */
export function socketLocationKey(host: string, port: number): string {
  return `xmlsocket://${host}:${port}`;
}

/** The canonical key of a URL policy location. */
export function urlLocationKey(scheme: 'http' | 'https', host: string, port: number, path: string): string {
  return `${scheme}://${host}${port === DEFAULT_PORTS[scheme] ? '' : `:${port}`}${path}`;
}

/** Parses an `http(s)://` URL strictly (no credentials); `what` names it in the failure. */
function parseHttpUrl(text: string, what: string): Parsed<{ scheme: 'http' | 'https'; host: string; port: number; path: string; href: string; search: string }> {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { ok: false, reason: `${what} '${text}' is not a valid URL` };
  }
  const scheme = u.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https') return { ok: false, reason: `${what} '${text}' must be an http:// or https:// URL` };
  // FLASH-URL-12: credentials before the host make a URL unreadable (the classic look-alike trick).
  if (u.username !== '' || u.password !== '') return { ok: false, reason: `${what} '${text}' must not carry credentials` };
  if (u.hostname === '') return { ok: false, reason: `${what} '${text}' has no host` };
  const port = u.port === '' ? DEFAULT_PORTS[scheme]! : Number(u.port);
  if (port < 1) return { ok: false, reason: `${what} '${text}': port 0 is not a port` };
  return { ok: true, value: { scheme, host: u.hostname, port, path: u.pathname, href: u.href, search: u.search } };
}

/**
 * Parses and normalises a world key: `xmlsocket://host:port` or `http(s)://host[:port]/path`.
 * A URL location must not carry a query or fragment (a policy location is a file).
 */
export function parsePolicyLocation(key: string): Parsed<PolicyLocation> {
  if (/^xmlsocket:/i.test(key)) {
    const hp = parseHostPort(key, 'xmlsocket', 'socket policy location');
    if (!hp.ok) return hp;
    return { ok: true, value: { kind: 'socket', host: hp.value.host, port: hp.value.port, key: socketLocationKey(hp.value.host, hp.value.port) } };
  }
  if (/^https?:/i.test(key)) {
    const u = parseHttpUrl(key, 'policy location');
    if (!u.ok) return u;
    if (u.value.search !== '' || key.includes('#')) {
      return { ok: false, reason: `policy location '${key}' must not have a query or fragment` };
    }
    const { scheme, host, port, path } = u.value;
    return { ok: true, value: { kind: 'url', scheme, host, port, path, key: urlLocationKey(scheme, host, port, path) } };
  }
  return { ok: false, reason: `policy location '${key}' must start with xmlsocket://, http:// or https://` };
}

/** The canonical form of a world key, or `null` when it is not a location. */
export function normalizeLocation(key: string): string | null {
  const p = parsePolicyLocation(key);
  return p.ok ? p.value.key : null;
}

/** FLASH-SOCK-4: the master socket policy location of a host, `xmlsocket://host:843`. */
export function masterSocketLocation(host: string): SocketLocation {
  return { kind: 'socket', host, port: MASTER_SOCKET_PORT, key: socketLocationKey(host, MASTER_SOCKET_PORT) };
}

/** FLASH-SOCK-4: the port of the master socket policy. */
export const MASTER_SOCKET_PORT = 843;

/** FLASH-URL-1: the master URL policy location of a target, `/crossdomain.xml` at its scheme, host and port. */
export function masterUrlLocation(target: { scheme: 'http' | 'https'; host: string; port: number }): UrlLocation {
  const path = '/crossdomain.xml';
  return { kind: 'url', scheme: target.scheme, host: target.host, port: target.port, path, key: urlLocationKey(target.scheme, target.host, target.port, path) };
}

/** Parses a `socket://host:port` connection target. */
export function parseSocketTarget(text: string): Parsed<SocketTarget> {
  const hp = parseHostPort(text, 'socket', 'socket target');
  if (!hp.ok) return hp;
  return { ok: true, value: { kind: 'socket', host: hp.value.host, port: hp.value.port } };
}

/** Parses a target: `socket://host:port` or an `http(s)://` URL. */
export function parseTarget(text: string): Parsed<SocketTarget | UrlTarget> {
  if (/^socket:/i.test(text)) return parseSocketTarget(text);
  if (/^https?:/i.test(text)) {
    const u = parseHttpUrl(text, 'target');
    if (!u.ok) return u;
    const { scheme, host, port, path, href } = u.value;
    return { ok: true, value: { kind: 'url', scheme, host, port, path, href } };
  }
  return { ok: false, reason: `target '${text}' must be socket://host:port or an http(s):// URL` };
}

/** Parses the URL of the requesting SWF: `http(s)://…` or `file:…` (a local SWF, no host). */
export function parseOriginUrl(text: string): Parsed<OriginUrl> {
  if (/^file:/i.test(text)) {
    let u: URL;
    try {
      u = new URL(text);
    } catch {
      return { ok: false, reason: `origin '${text}' is not a valid URL` };
    }
    // A file: URL with a host (file://server/share) is still a local SWF for Flash: no network origin.
    return { ok: true, value: { scheme: 'file', host: '', port: 0, href: u.href } };
  }
  if (/^https?:/i.test(text)) {
    const u = parseHttpUrl(text, 'origin');
    if (!u.ok) return u;
    return { ok: true, value: { scheme: u.value.scheme, host: u.value.host, port: u.value.port, href: u.value.href } };
  }
  return { ok: false, reason: `origin '${text}' must be an http://, https:// or file: URL` };
}

/** Resolves a (possibly relative) redirect `Location` against the URL it came from. */
export function resolveRedirect(location: UrlLocation, redirectTo: string): Parsed<UrlLocation> {
  let abs: string;
  try {
    abs = new URL(redirectTo, location.key).href;
  } catch {
    return { ok: false, reason: `redirect target '${redirectTo}' is not a valid URL` };
  }
  const u = parseHttpUrl(abs, 'redirect target');
  if (!u.ok) return u;
  const { scheme, host, port, path } = u.value;
  return { ok: true, value: { kind: 'url', scheme, host, port, path, key: urlLocationKey(scheme, host, port, path) } };
}

/** A world whose keys are normalised, for lookups. */
export type IndexedWorld = ReadonlyMap<string, WorldResponse>;

/**
 * Indexes a world by normalised location. Keys that are not locations are skipped (use
 * `parseWorld` to reject them); when two keys normalise to the same location the first wins.
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
