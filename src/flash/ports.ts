/**
 * The `to-ports` attribute of socket policies (spec/flash/4-ports.md): parsing, membership and
 * the canonical spelling the serializer writes.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import type { PortRange, PortSpec } from './model.js';

/** The result of {@link parsePortRanges}: the spec, or why the value grants nothing. */
export type PortRangesResult =
  | { ok: true; spec: PortSpec }
  | { ok: false; reason: string; requirement?: RequirementId };

/** Highest TCP port. */
export const MAX_PORT = 65535;

/**
 * Parses a `to-ports` value (FLASH-PORT-1 … FLASH-PORT-4).
 *
 * `*` alone is every port; otherwise a comma-separated list of ports and inclusive ranges `A-B`,
 * spaces and tabs around items tolerated. Any bad item (empty, signed, not decimal, 0, above
 * 65535, reversed range, `*` among other items) makes the whole value invalid: a rule whose port
 * list we cannot read exactly grants nothing, rather than a guess. Never throws.
 */
export function parsePortRanges(value: string): PortRangesResult {
  const items = value.split(',');
  // FLASH-PORT-2
  if (items.length === 1 && trimItem(value) === '*') return { ok: true, spec: { any: true } };
  const ranges: PortRange[] = [];
  for (const rawItem of items) {
    const item = trimItem(rawItem);
    if (item === '') {
      return { ok: false, reason: value.trim() === '' ? 'the port list is empty' : 'the port list has an empty item', requirement: 'FLASH-PORT-3' };
    }
    // FLASH-PORT-2: `*` only stands alone.
    if (item.includes('*')) return { ok: false, reason: `"*" cannot be combined with other items ("${item}")`, requirement: 'FLASH-PORT-2' };
    // FLASH-PORT-1: `A` or `A-B`.
    const dash = item.indexOf('-');
    const fromText = dash < 0 ? item : item.slice(0, dash);
    const toText = dash < 0 ? item : item.slice(dash + 1);
    const from = readPort(fromText);
    const to = readPort(toText);
    if (from === null || to === null) {
      return { ok: false, reason: `"${item}" is not a port (1-65535) or a range of ports A-B`, requirement: 'FLASH-PORT-3' };
    }
    // FLASH-PORT-4
    if (from > to) return { ok: false, reason: `the range "${item}" is reversed (${from} > ${to})`, requirement: 'FLASH-PORT-4' };
    ranges.push({ from, to });
  }
  return { ok: true, spec: { any: false, ranges } };
}

/** Whether `port` is granted by `spec` (FLASH-PORT-5). Ports outside 1-65535 never are. */
export function portSpecContains(spec: PortSpec, port: number): boolean {
  if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) return false;
  // FLASH-PORT-2
  if (spec.any) return true;
  // FLASH-PORT-5
  for (const r of spec.ranges) if (port >= r.from && port <= r.to) return true;
  return false;
}

/**
 * The canonical spelling of `spec`: `*`, or the items in order joined by `,`, a single port as
 * `N` and a range as `A-B`. `parsePortRanges(formatPortSpec(s))` gives `s` back.
 */
export function formatPortSpec(spec: PortSpec): string {
  if (spec.any) return '*';
  return spec.ranges.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(',');
}

function trimItem(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return s.slice(a, b);
}

// FLASH-PORT-3: decimal digits only (no sign, no space, no hex), 1 to 65535.
function readPort(text: string): number | null {
  if (text.length === 0 || text.length > 5) return null;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return n >= 1 && n <= MAX_PORT ? n : null;
}
