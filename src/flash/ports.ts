/**
 * The `to-ports` attribute of socket policies (spec/flash/4-ports.md): parsing, membership and
 * the canonical spelling the serializer writes.
 *
 * @module
 */
import type { Diagnostic, RequirementId, SourceLocation } from '../diagnostics.js';
import { MAX_PORT } from '../world/locations.js';
import type { PortRange, PortSpec } from './model.js';

// The largest TCP port is a fact of TCP, not of this format: one definition, beside the location reader.
export { MAX_PORT };

/**
 * Parses a `to-ports` value (FLASH-PORT-1 … FLASH-PORT-4).
 *
 * `*` alone is every port; otherwise a comma-separated list of ports and inclusive ranges `A-B`,
 * spaces and tabs around items tolerated. Any bad item (empty, signed, not decimal, 0, above
 * 65535, reversed range, `*` among other items) makes the whole value invalid: a rule whose port
 * list we cannot read exactly grants nothing, rather than a guess. Never throws: an invalid value
 * is `null`, with an `invalid-to-ports` diagnostic at `at` (the attribute) naming the rule.
 */
export function parsePortRanges(value: string, diagnostics: Diagnostic[] = [], at: SourceLocation = { line: 1, column: 1, offset: 0 }): PortSpec | null {
  const fail = (reason: string, requirement: RequirementId): null => {
    diagnostics.push({ severity: 'error', code: 'invalid-to-ports', message: `to-ports="${value}" at line ${at.line} is invalid (${reason}); the element grants nothing.`, line: at.line, column: at.column, requirement, value });
    return null;
  };
  const items = value.split(',');
  // FLASH-PORT-2
  if (items.length === 1 && trimItem(value) === '*') return { any: true };
  const ranges: PortRange[] = [];
  for (const rawItem of items) {
    const item = trimItem(rawItem);
    if (item === '') {
      return fail(value.trim() === '' ? 'the port list is empty' : 'the port list has an empty item', 'FLASH-PORT-3');
    }
    // FLASH-PORT-2: `*` only stands alone.
    if (item.includes('*')) return fail(`"*" cannot be combined with other items ("${item}")`, 'FLASH-PORT-2');
    // FLASH-PORT-1: `A` or `A-B`.
    const dash = item.indexOf('-');
    const fromText = dash < 0 ? item : item.slice(0, dash);
    const toText = dash < 0 ? item : item.slice(dash + 1);
    const from = readPort(fromText);
    const to = readPort(toText);
    if (from === null || to === null) {
      return fail(`"${item}" is not a port (1-65535) or a range of ports A-B`, 'FLASH-PORT-3');
    }
    // FLASH-PORT-4
    if (from > to) return fail(`the range "${item}" is reversed (${from} > ${to})`, 'FLASH-PORT-4');
    ranges.push({ from, to });
  }
  return { any: false, ranges };
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
