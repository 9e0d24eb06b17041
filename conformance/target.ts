/**
 * Certification targets: `xmlsocket://host:port` for socket policy servers and
 * `http(s)://host[:port]/crossdomain.xml|/clientaccesspolicy.xml` for URL policies.
 *
 * @module
 */
import { isIP } from 'node:net';
import type { ClientProfile } from '../src/decision/types.js';

/** A socket policy server. */
export interface SocketTarget {
  kind: 'socket';
  /** As given, normalised: `xmlsocket://host:port`. */
  url: string;
  host: string;
  port: number;
}

/** A URL policy file. */
export interface HttpTarget {
  kind: 'http';
  url: string;
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
}

/** Something certify can test. */
export type Target = SocketTarget | HttpTarget;

/** A target that could not be parsed: the message names what is wrong. */
export interface TargetError {
  error: string;
}

/** Parses one command-line target. Never throws. */
export function parseTarget(text: string): Target | TargetError {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `'${text}' is not a URL; expected xmlsocket://host:port or http(s)://host[:port]/crossdomain.xml` };
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.protocol === 'xmlsocket:') {
    if (url.port === '') return { error: `'${text}': an xmlsocket:// target needs an explicit port (843 for Flash, 943 for Silverlight)` };
    if (host === '') return { error: `'${text}': no host` };
    const port = Number(url.port);
    return { kind: 'socket', url: `xmlsocket://${formatHost(host)}:${port}`, host, port };
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    const scheme = url.protocol === 'http:' ? 'http' : 'https';
    const port = url.port === '' ? (scheme === 'http' ? 80 : 443) : Number(url.port);
    const path = url.pathname === '/' ? '/crossdomain.xml' : url.pathname;
    const normal = `${scheme}://${formatHost(host)}${url.port === '' ? '' : `:${port}`}${path}${url.search}`;
    return { kind: 'http', url: normal, scheme, host, port, path: `${path}${url.search}` };
  }
  return { error: `'${text}': unsupported scheme '${url.protocol}'; use xmlsocket://, http:// or https://` };
}

/** `[::1]` for IPv6 literals, the name otherwise. */
export function formatHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The client a port implies (843 → flash, 943 → silverlight), or null. */
export function clientFromPort(port: number): ClientProfile | null {
  if (port === 843) return 'flash';
  if (port === 943) return 'silverlight';
  return null;
}

/** The client a URL policy path implies, or null. */
export function clientFromPath(path: string): ClientProfile | null {
  const base = path.split('?')[0]!.toLowerCase();
  if (base.endsWith('/clientaccesspolicy.xml')) return 'silverlight';
  if (base.endsWith('.xml')) return 'flash';
  return null;
}
