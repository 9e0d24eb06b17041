/**
 * The client configuration (spec/client-config.md): the administrator's and the user's last word.
 * Its one reader ({@link readClientConfig}, CLIENT-1) and the one place it is applied
 * ({@link decideByConfiguration}, CLIENT-2), before either client's procedure: the deny list for
 * both clients, Flash Player's mms.cfg socket settings, Silverlight's elevated trust.
 *
 * Failure follows the core's convention: `null` plus diagnostics naming the setting and the rule.
 *
 * @module
 */
import ipaddr from 'ipaddr.js';
import type { Diagnostic } from '../diagnostics.js';
import { ipLiteral } from '../ip-address.js';
import { MAX_PORT, normalizeHost, type Target } from '../world/locations.js';
import { DecisionBuilder } from './builder.js';
import type { PortRange } from '../flash/model.js';
import type { AddressRange, ClientSetting, Decision, ParsedClientConfig, ParsedRequest, TraceEntry } from './types.js';

/** Diagnostic codes of the client configuration reader. */
export const CLIENT_CONFIG_DIAGNOSTIC_CODES = ['invalid-client-config'] as const;

/** A configuration with no setting set: the client as installed (what a request without one gets). */
export function emptyClientConfig(): ParsedClientConfig {
  return { deny: { ports: [], addresses: [] }, flash: { disableSockets: false, enableSocketsTo: [] }, silverlight: { elevatedTrust: false } };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : `a ${typeof value}`;
}

/** The configuration being read: where its settings are named from (`clientConfig.` or nothing), and the diagnostics. */
interface ConfigReading {
  prefix: string;
  diagnostics: Diagnostic[];
}

// CLIENT-1
function problem(r: ConfigReading, path: string, message: string, value?: unknown): void {
  const d: Diagnostic = { severity: 'error', code: 'invalid-client-config', message: `${r.prefix}${path}: ${message}`, line: 1, column: 1, requirement: 'CLIENT-1' };
  if (value !== undefined) d.value = typeof value === 'string' ? value : describe(value);
  r.diagnostics.push(d);
}

/** The object at `path` with only `allowed` fields, or `null` (reported) when it is not one. */
function objectAt(r: ConfigReading, path: string, value: unknown, allowed: readonly string[]): Record<string, unknown> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problem(r, path || '(the configuration)', `must be an object${allowed.length ? ` with ${allowed.join(', ')}` : ''}, not ${describe(value)}`, value);
    return null;
  }
  const o = value as Record<string, unknown>;
  for (const field of Object.keys(o)) {
    if (!allowed.includes(field)) problem(r, path ? `${path}.${field}` : field, `unknown setting (expected ${allowed.map((a) => (path ? `${path}.${a}` : a)).join(', ')})`, field);
  }
  return o;
}

function arrayAt(r: ConfigReading, path: string, value: unknown, what: string): unknown[] | null {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problem(r, path, `must be an array of ${what}, not ${describe(value)}`, value);
    return null;
  }
  return value;
}

function booleanAt(r: ConfigReading, path: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    problem(r, path, `must be true or false, not ${describe(value)}`, value);
    return false;
  }
  return value;
}

const PORT_ITEM = /^([0-9]{1,5})(?:-([0-9]{1,5}))?$/;

// CLIENT-3
function readPort(r: ConfigReading, path: string, item: unknown): PortRange | null {
  let text: string;
  if (typeof item === 'number') text = Number.isInteger(item) && item >= 0 ? String(item) : 'x';
  else if (typeof item === 'string') text = item;
  else {
    problem(r, path, `must be a port number or a range "A-B", not ${describe(item)}`, item);
    return null;
  }
  const m = PORT_ITEM.exec(text);
  if (!m) {
    problem(r, path, `${describe(item)} is not a port number (1-${MAX_PORT}) or a range "A-B"`, item);
    return null;
  }
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1 || to < 1 || from > MAX_PORT || to > MAX_PORT) {
    problem(r, path, `${describe(item)}: a port lies from 1 to ${MAX_PORT}`, item);
    return null;
  }
  if (from > to) {
    problem(r, path, `${describe(item)} is a reversed range (${from} > ${to})`, item);
    return null;
  }
  return { from, to };
}

// CLIENT-4
function readAddressRange(r: ConfigReading, path: string, item: unknown): AddressRange | null {
  if (typeof item !== 'string') {
    problem(r, path, `must be an IP address or a CIDR range such as "10.0.0.0/8", not ${describe(item)}`, item);
    return null;
  }
  const slash = item.indexOf('/');
  const addressText = slash < 0 ? item : item.slice(0, slash);
  const address = ipaddr.IPv4.isValidFourPartDecimal(addressText) ? ipaddr.IPv4.parse(addressText) : ipaddr.IPv6.isValid(addressText) && addressText.includes(':') ? ipaddr.IPv6.parse(addressText) : null;
  if (address === null) {
    problem(r, path, `${describe(item)} is not an IPv4 address (four decimal parts) or an IPv6 address, with an optional /prefix`, item);
    return null;
  }
  const kind = address.kind();
  const bits = kind === 'ipv4' ? 32 : 128;
  const prefixText = slash < 0 ? String(bits) : item.slice(slash + 1);
  const prefix = /^[0-9]{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) {
    problem(r, path, `${describe(item)}: the prefix length must be a number from 0 to ${bits}`, item);
    return null;
  }
  const network = kind === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(`${addressText}/${prefix}`) : ipaddr.IPv6.networkAddressFromCIDR(`${addressText}/${prefix}`);
  const canonical = (a: ipaddr.IPv4 | ipaddr.IPv6): string => (a.kind() === 'ipv6' ? (a as ipaddr.IPv6).toRFC5952String() : a.toString());
  if (canonical(network) !== canonical(address)) {
    problem(r, path, `${describe(item)} has host bits set below /${prefix}; did you mean "${canonical(network)}/${prefix}"?`, item);
    return null;
  }
  return { text: item, kind, address: canonical(network), prefix };
}

// CLIENT-6: hosts are read by the URL host parser; a bare IPv6 address may be written without brackets.
/** Reads a host as the URL host parser does (`LOCALHOST` → `localhost`, `::1` → `[::1]`), or `null` with a diagnostic. */
export function readConfigHost(text: string, diagnostics: Diagnostic[], what: string): string | null {
  const bracketed = text.includes(':') && !text.startsWith('[') ? `[${text}]` : text;
  return normalizeHost(bracketed, { what, requirement: 'CLIENT-6', diagnostics });
}

// CLIENT-1
/**
 * Reads a client configuration (the JSON of spec/client-config.md). Strict: an unknown setting, a
 * value of the wrong type, a port, range, address or host that cannot be read is an error naming
 * the setting and the entry (`deny.ports[1]: …`), and the result is `null`. `prefix` is put before
 * every setting's name in messages (`clientConfig.` inside a request).
 */
export function readClientConfig(input: unknown, diagnostics: Diagnostic[], prefix = ''): ParsedClientConfig | null {
  const r: ConfigReading = { prefix, diagnostics };
  const before = diagnostics.length;
  const out = emptyClientConfig();
  const root = objectAt(r, '', input, ['deny', 'flash', 'silverlight']);
  if (root === null) return null;
  if (root.deny !== undefined) {
    const deny = objectAt(r, 'deny', root.deny, ['ports', 'addresses']);
    if (deny !== null) {
      (arrayAt(r, 'deny.ports', deny.ports, 'ports and ranges') ?? []).forEach((item, i) => {
        const range = readPort(r, `deny.ports[${i}]`, item);
        if (range !== null) out.deny.ports.push(range);
      });
      (arrayAt(r, 'deny.addresses', deny.addresses, 'addresses and CIDR ranges') ?? []).forEach((item, i) => {
        const range = readAddressRange(r, `deny.addresses[${i}]`, item);
        if (range !== null) out.deny.addresses.push(range);
      });
    }
  }
  if (root.flash !== undefined) {
    const flash = objectAt(r, 'flash', root.flash, ['disableSockets', 'enableSocketsTo']);
    if (flash !== null) {
      out.flash.disableSockets = booleanAt(r, 'flash.disableSockets', flash.disableSockets);
      (arrayAt(r, 'flash.enableSocketsTo', flash.enableSocketsTo, 'host names and IP addresses') ?? []).forEach((item, i) => {
        const path = `flash.enableSocketsTo[${i}]`;
        if (typeof item !== 'string') return problem(r, path, `must be a host name or an IP address, not ${describe(item)}`, item);
        const why: Diagnostic[] = [];
        const host = readConfigHost(item, why, 'host');
        if (host === null) problem(r, path, why[0]?.message ?? `${describe(item)} is not a host`, item);
        else out.flash.enableSocketsTo.push(host);
      });
    }
  }
  if (root.silverlight !== undefined) {
    const sl = objectAt(r, 'silverlight', root.silverlight, ['elevatedTrust']);
    if (sl !== null) out.silverlight.elevatedTrust = booleanAt(r, 'silverlight.elevatedTrust', sl.elevatedTrust);
  }
  return diagnostics.length > before ? null : out;
}

/** A port range as written: `25`, `6000-6063`. */
function formatPortRange(p: PortRange): string {
  return p.from === p.to ? String(p.from) : `${p.from}-${p.to}`;
}

/** The address of a target host when it is an IP literal (IPv4-mapped IPv6 read as IPv4), else `null`. */
function targetAddress(host: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const ip = ipLiteral(host);
  if (ip === null) return null;
  return ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress() ? (ip as ipaddr.IPv6).toIPv4Address() : ip;
}

/** The deny-list range holding `host`, if any (CLIENT-4). */
function deniedAddress(ranges: readonly AddressRange[], host: string): AddressRange | null {
  const addr = targetAddress(host);
  if (addr === null) return null;
  return ranges.find((range) => range.kind === addr.kind() && addr.match(ipaddr.parse(range.address), range.prefix)) ?? null;
}

function describeTarget(target: Target): string {
  return target.kind === 'socket' ? `socket://${target.host}:${target.port}` : target.href;
}

/** What the configuration says before the client's procedure: a decision, or notes for the trace. */
export type ConfigurationOutcome = { decision: Decision } | { notes: TraceEntry[] };

function blocked(request: ParsedRequest, setting: ClientSetting, why: string, requirement: 'CLIENT-3' | 'CLIENT-4' | 'CLIENT-5'): ConfigurationOutcome {
  const b = DecisionBuilder.for(request);
  b.add({ step: 'blocked', setting, why, requirements: [requirement, 'CLIENT-2'] });
  return { decision: b.denyBecause(`${describeTarget(request.target)}: ${why}; denied before any policy is asked for`, [requirement]) };
}

// CLIENT-2
/**
 * Applies the client configuration before any policy is asked for, in the order of CLIENT-2: the
 * deny list (both clients), then Flash's `disableSockets`/`enableSocketsTo` or Silverlight's
 * elevated trust. Returns the decision when a setting decides; otherwise the notes the trace of the
 * client's procedure starts with (a listed `enableSocketsTo` host).
 */
export function decideByConfiguration(request: ParsedRequest): ConfigurationOutcome {
  const config = request.clientConfig;
  const target = request.target;
  // CLIENT-3
  const port = config.deny.ports.find((p) => target.port >= p.from && target.port <= p.to);
  if (port !== undefined) {
    return blocked(request, 'deny.ports', `port ${target.port} is on the client's deny list (deny.ports: ${formatPortRange(port)})`, 'CLIENT-3');
  }
  // CLIENT-4
  const range = deniedAddress(config.deny.addresses, target.host);
  if (range !== null) {
    return blocked(request, 'deny.addresses', `${target.host} is in ${range.address}/${range.prefix}, on the client's deny list (deny.addresses: ${range.text})`, 'CLIENT-4');
  }
  const notes: TraceEntry[] = [];
  if (request.family === 'flash' && target.kind === 'socket' && config.flash.disableSockets) {
    // CLIENT-6
    if (config.flash.enableSocketsTo.includes(target.host)) {
      notes.push({ step: 'note', setting: 'flash.enableSocketsTo', why: `sockets are disabled (mms.cfg DisableSockets), but ${target.host} is listed in EnableSocketsTo: the socket policies decide`, requirements: ['CLIENT-6', 'CLIENT-5'] });
    } else {
      // CLIENT-5
      return blocked(request, 'flash.disableSockets', `Flash sockets are disabled on this client (mms.cfg DisableSockets = 1) and ${target.host} is not listed in EnableSocketsTo`, 'CLIENT-5');
    }
  }
  if (request.family === 'silverlight' && config.silverlight.elevatedTrust) {
    // CLIENT-8, CLIENT-9
    const requirement = target.kind === 'socket' ? 'CLIENT-8' : 'CLIENT-9';
    const what = target.kind === 'socket' ? 'opens a TCP connection to any host and port without a policy (no request to port 943, no 4502-4534 window)' : 'makes cross-domain HTTP requests without a policy (neither /clientaccesspolicy.xml nor /crossdomain.xml is asked for)';
    const b = DecisionBuilder.for(request);
    b.add({ step: 'trusted', setting: 'silverlight.elevatedTrust', why: `the application runs with elevated trust: it ${what}`, requirements: [requirement, 'CLIENT-2'] });
    return { decision: b.allow(`${describeTarget(target)}: allowed without a policy: the application runs with elevated trust (silverlight.elevatedTrust)`, [requirement]) };
  }
  return { notes };
}
