/**
 * Port checks of Flash socket policies (`LINT-PORT-*`): what `to-ports` actually opens once the
 * 1024 rule (FLASH-SOCK-7) is applied.
 *
 * @module
 */
import { applyHighPortRule, lowestGrantablePort } from '../../flash/effective.js';
import type { FlashAllowAccessFrom, FlashPolicy, PortRange, PortSpec } from '../../flash/model.js';
import { MAX_PORT } from '../../flash/ports.js';
import type { LintContext } from '../context.js';
import type { Finding } from '../finding.js';
import { finding } from './check.js';

/** A well-known service port and what listens there. */
export interface ServicePort {
  port: number;
  service: string;
}

/**
 * Ports of services that trust connections by network position and must never be reachable from
 * a browser plugin (W3C public-webapps, January 2010, on policy files versus WebSocket: SMTP and
 * HTTP "might be black listed by default, no matter what the downloaded policy file says").
 * Port numbers: IANA service name and port number registry.
 */
export const SERVICE_PORTS: readonly ServicePort[] = [
  { port: 20, service: 'FTP data' },
  { port: 21, service: 'FTP' },
  { port: 22, service: 'SSH' },
  { port: 23, service: 'Telnet' },
  { port: 25, service: 'SMTP' },
  { port: 53, service: 'DNS' },
  { port: 80, service: 'HTTP' },
  { port: 110, service: 'POP3' },
  { port: 111, service: 'RPC portmapper' },
  { port: 135, service: 'MS RPC' },
  { port: 139, service: 'NetBIOS' },
  { port: 143, service: 'IMAP' },
  { port: 389, service: 'LDAP' },
  { port: 443, service: 'HTTPS' },
  { port: 445, service: 'SMB' },
  { port: 465, service: 'SMTPS' },
  { port: 587, service: 'SMTP submission' },
  { port: 636, service: 'LDAPS' },
  { port: 993, service: 'IMAPS' },
  { port: 995, service: 'POP3S' },
  { port: 1433, service: 'Microsoft SQL Server' },
  { port: 1521, service: 'Oracle database' },
  { port: 2049, service: 'NFS' },
  { port: 2375, service: 'Docker API' },
  { port: 3306, service: 'MySQL' },
  { port: 3389, service: 'RDP' },
  { port: 5432, service: 'PostgreSQL' },
  { port: 5900, service: 'VNC' },
  { port: 5984, service: 'CouchDB' },
  { port: 6379, service: 'Redis' },
  { port: 8080, service: 'HTTP alternate' },
  { port: 9200, service: 'Elasticsearch' },
  { port: 9300, service: 'Elasticsearch transport' },
  { port: 11211, service: 'Memcached' },
  { port: 27017, service: 'MongoDB' },
];

/** More ports than this in one rule is a "very wide" grant. */
export const WIDE_RANGE_THRESHOLD = 1000;

/** The port a socket policy is served from in this context (843 unless `--served-from` says otherwise). */
function servedFromPort(context: LintContext): number {
  return context.port ?? 843;
}

/** The ranges of a port spec (`*` is 1–65535). */
export function portRanges(spec: PortSpec): PortRange[] {
  return spec.any ? [{ from: 1, to: MAX_PORT }] : spec.ranges;
}

/** The ranges a rule really opens, and those the 1024 rule (FLASH-SOCK-7, applied by the effective policy's one function) cuts. */
export function effectiveRanges(spec: PortSpec, context: LintContext): { open: PortRange[]; cut: PortRange[] } {
  const applied = applyHighPortRule(spec, servedFromPort(context));
  return { open: applied.ports === null ? [] : portRanges(applied.ports).filter((r) => r.from <= r.to), cut: applied.cut };
}

/** Number of distinct ports in `ranges`. */
export function countPorts(ranges: readonly PortRange[]): number {
  return mergeRanges(ranges).reduce((n, r) => n + (r.to - r.from + 1), 0);
}

/** Sorted, merged, non-overlapping ranges. */
export function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = ranges.filter((r) => r.from <= r.to).map((r) => ({ ...r })).sort((a, b) => a.from - b.from);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push(r);
  }
  return out;
}

function formatSpec(rule: FlashAllowAccessFrom): string {
  const raw = rule.source?.raw['to-ports'];
  if (raw !== undefined) return raw;
  if (!rule.toPorts) return '';
  return rule.toPorts.any ? '*' : rule.toPorts.ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(',');
}

/**
 * Flags `to-ports="*"` (LINT-PORT-ANY), rules opening 1,000 ports or more (LINT-PORT-WIDE-RANGE),
 * reachable well-known service ports (LINT-PORT-SERVICE) and ports below 1024 in a policy served
 * from a high port (LINT-PORT-UNREACHABLE). Socket policies only: `to-ports` means nothing in a
 * URL policy (the parser reports it there).
 *
 * Example policy where this check triggers: `<allow-access-from domain="a.example" to-ports="25"/>`
 * served from `xmlsocket://host:843`.
 * Confidence: no false positives for `*`, service ports and unreachable ports; the wide-range
 * threshold is a judgement.
 */
export const checkFlashPorts = (policy: FlashPolicy, context: LintContext): Finding[] => {
  if (context.kind !== 'socket') return [];
  const out: Finding[] = [];
  const lowest = lowestGrantablePort(servedFromPort(context));
  for (const rule of policy.allowAccessFrom) {
    if (!rule.toPorts) continue;
    const where = rule.source;
    const value = formatSpec(rule);
    if (rule.toPorts.any) {
      // FLASH-PORT-2
      out.push(finding('LINT-PORT-ANY', `to-ports="*" lets ${rule.domain === '*' ? 'any site' : `SWFs from ${rule.domain}`} connect to every port of this host${lowest > 1 ? ` from ${lowest} up` : ''}.`, where, value, 'FLASH-PORT-2'));
    }
    const { open: effective, cut } = effectiveRanges(rule.toPorts, context);
    if (!rule.toPorts.any) {
      const n = countPorts(effective);
      if (n >= WIDE_RANGE_THRESHOLD) {
        out.push(finding('LINT-PORT-WIDE-RANGE', `to-ports="${value}" opens ${n} ports: nearly as open as "*".`, where, value, 'FLASH-PORT-1'));
      }
      const services = SERVICE_PORTS.filter((s) => effective.some((r) => s.port >= r.from && s.port <= r.to));
      if (services.length > 0) {
        // Name the first few; a wide range would otherwise list the whole table.
        const shown = services.slice(0, 6).map((s) => `${s.port} (${s.service})`).join(', ');
        const list = services.length > 6 ? `${shown} and ${services.length - 6} more` : shown;
        out.push(finding('LINT-PORT-SERVICE', `to-ports="${value}" reaches well-known service port${services.length > 1 ? 's' : ''} ${list}; such services must never be reachable from a policy grant.`, where, value, 'FLASH-PORT-5'));
      }
      if (cut.length > 0) {
        // FLASH-SOCK-7
        out.push(finding('LINT-PORT-UNREACHABLE', `to-ports="${value}" lists ports below ${lowest}, but a policy served from port ${servedFromPort(context)} can only grant ports from ${lowest} up: those never apply.`, where, value, 'FLASH-SOCK-7'));
      }
    }
  }
  return out;
};
