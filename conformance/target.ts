/**
 * Certification targets. What certify tests is a policy location — `xmlsocket://host:port` for a
 * socket policy server, `http(s)://host[:port]/path` for a URL policy file — so a target *is* the
 * core's {@link PolicyLocation}, parsed and normalised by the core's `parsePolicyLocation`, the
 * same key a `decide --world` snapshot uses. This module only adds what the command line allows on
 * top (a bare `https://host` means its `/crossdomain.xml`) and certify's client inference.
 *
 * @module
 */
import type { ClientProfile } from '../src/decision/types.js';
import type { Diagnostic } from '../src/diagnostics.js';
import { parsePolicyLocation, type PolicyLocation } from '../src/world/locations.js';

/** Something certify can test: a policy location of the core. */
export type Target = PolicyLocation;

/** A command-line target as certify reads it: the location, or why it is not one (for the usage error). */
export type TargetResult = { ok: true; value: Target } | { ok: false; reason: string };

const EXPECTED = 'expected xmlsocket://host:port or http(s)://host[:port]/crossdomain.xml';

/**
 * Parses one command-line target into the core's policy location. An `http(s)://` URL without a
 * path is its `/crossdomain.xml`. Never throws: a failure names what is wrong.
 */
export function parseCertifyTarget(text: string): TargetResult {
  let given = text;
  if (/^https?:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      if (url.pathname === '/' && url.search === '' && url.hash === '') given = new URL('/crossdomain.xml', url).href;
    } catch {
      // parsePolicyLocation names the problem
    }
  }
  const why: Diagnostic[] = [];
  const location = parsePolicyLocation(given, { what: 'target', requirement: 'DECIDE-2', diagnostics: why });
  if (location !== null) return { ok: true, value: location };
  return { ok: false, reason: `${why[0]?.message ?? `'${text}' is not a policy location`}; ${EXPECTED} (843 for Flash, 943 for Silverlight)` };
}

/** The host as a socket connects to it: an IPv6 address without the brackets of the location key. */
export function connectHost(host: string): string {
  return /^\[.*\]$/.test(host) ? host.slice(1, -1) : host;
}

/** True for an IPv4 loopback address, 127.0.0.0/8 (where certify's load probe can rotate its source address). */
export function isIpv4Loopback(host: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The client a port implies (843 → flash, 943 → silverlight), or null. */
export function clientFromPort(port: number): ClientProfile | null {
  if (port === 843) return 'flash';
  if (port === 943) return 'silverlight';
  return null;
}

/** The client a URL policy path implies, or null. */
export function clientFromPath(path: string): ClientProfile | null {
  const base = path.toLowerCase();
  if (base.endsWith('/clientaccesspolicy.xml')) return 'silverlight';
  if (base.endsWith('.xml')) return 'flash';
  return null;
}
