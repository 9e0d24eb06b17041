/**
 * Remediation (LINT-12) and fixes (LINT-13): what to change for each finding, and — where it can
 * be computed from the file — the fixed element, as an edit of the text that was linted.
 *
 * Three fixes are computed, and each can only narrow what the file grants (a property test decides
 * probe requests over the original and the fixed policy, both clients):
 * - a `*` grant (`allow-access-from`, `allow-http-request-headers-from`, Silverlight
 *   `<domain uri="*"/>`) becomes one element per `--trusted` domain (Silverlight: `http://` and
 *   `https://` for each): every caller they admit, `*` admitted;
 * - `to-ports="*"` becomes the ports the file's other rules grant: a subset of every port;
 * - `secure="false"` is removed from a grant of a policy served over HTTPS, where the default is
 *   `true` (FLASH-SEC-2, FLASH-SEC-4): HTTPS SWFs only, a subset of every scheme.
 *
 * Edits work on the text as written: an element is found by its source offset, its start tag is
 * read attribute by attribute (quotes respected), and only the attribute in question changes, so
 * comments, spacing and the rest of the file stay as they were.
 *
 * @module
 */
import type { FlashPolicy, PortRange } from '../flash/model.js';
import type { SilverlightPolicy } from '../silverlight/model.js';
import { checkInfo } from './catalogue.js';
import { mergeRanges, portRanges } from './checks/ports.js';
import type { LintContext } from './context.js';
import type { Finding, Fix, FixKind } from './finding.js';

/** One attribute of a start tag, by offsets into the text. */
interface TagAttribute {
  name: string;
  /** Offset of the whitespace before the name (removing the attribute removes from here). */
  lead: number;
  /** Offset of the opening quote. */
  valueStart: number;
  /** Offset just past the closing quote. */
  end: number;
  quote: string;
}

/** A start tag read from the text: its attributes and where it ends. */
interface StartTag {
  name: string;
  start: number;
  /** Offset just past `>`. */
  end: number;
  selfClosing: boolean;
  attributes: TagAttribute[];
}

const SPACE = /[\t\n\r ]/;

/** Reads the start tag at `offset` (the `<`); null when the text there is not one. */
export function readStartTag(text: string, offset: number): StartTag | null {
  if (text[offset] !== '<') return null;
  let i = offset + 1;
  const nameStart = i;
  while (i < text.length && !SPACE.test(text[i]!) && text[i] !== '>' && text[i] !== '/') i++;
  const name = text.slice(nameStart, i);
  if (name === '') return null;
  const attributes: TagAttribute[] = [];
  for (;;) {
    const lead = i;
    while (i < text.length && SPACE.test(text[i]!)) i++;
    if (i >= text.length) return null;
    if (text[i] === '>') return { name, start: offset, end: i + 1, selfClosing: false, attributes };
    if (text.startsWith('/>', i)) return { name, start: offset, end: i + 2, selfClosing: true, attributes };
    const an = i;
    while (i < text.length && !SPACE.test(text[i]!) && text[i] !== '=' && text[i] !== '>' && text[i] !== '/') i++;
    const attrName = text.slice(an, i);
    while (i < text.length && SPACE.test(text[i]!)) i++;
    if (attrName === '' || text[i] !== '=') return null;
    i++;
    while (i < text.length && SPACE.test(text[i]!)) i++;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") return null;
    const close = text.indexOf(quote, i + 1);
    if (close < 0) return null;
    attributes.push({ name: attrName, lead, valueStart: i, end: close + 1, quote });
    i = close + 1;
  }
}

/** The offset just past the element that starts at `tag` (`/>`, or its end tag). */
function elementEnd(text: string, tag: StartTag): number | null {
  if (tag.selfClosing) return tag.end;
  const close = text.indexOf(`</${tag.name}`, tag.end);
  if (close < 0) return null;
  const gt = text.indexOf('>', close);
  return gt < 0 ? null : gt + 1;
}

function escapeAttribute(value: string, quote: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(quote === '"' ? /"/g : /'/g, quote === '"' ? '&quot;' : '&apos;');
}

/**
 * An element's text with attribute `attribute` set to each of `values` (one copy per value), or
 * removed (`values` null). `element` starts with its start tag. Null when the start tag cannot be
 * read or lacks the attribute.
 */
function editElement(element: string, attribute: string, values: readonly string[] | null): string[] | null {
  const tag = readStartTag(element, 0);
  const attr = tag?.attributes.find((a) => a.name === attribute);
  if (!tag || !attr) return null;
  if (values === null) return [element.slice(0, attr.lead) + element.slice(attr.end)];
  return values.map((v) => `${element.slice(0, attr.valueStart)}${attr.quote}${escapeAttribute(v, attr.quote)}${attr.quote}${element.slice(attr.end)}`);
}

/** What separates the copies of an element: a line break and the element's own indentation, or a space when it shares its line. */
function separatorAt(text: string, start: number): string {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indent = text.slice(lineStart, start);
  if (!/^[\t ]*$/.test(indent)) return ' ';
  const crlf = lineStart >= 2 && text[lineStart - 2] === '\r';
  return `${crlf ? '\r\n' : '\n'}${indent}`;
}

/** The element at `offset` edited by every edit given, in order; null when one cannot be applied. */
function composeEdits(text: string, start: number, end: number, edits: readonly { attribute: string; values: readonly string[] | null }[]): string | null {
  let variants = [text.slice(start, end)];
  for (const e of edits) {
    const next: string[] = [];
    for (const v of variants) {
      const edited = editElement(v, e.attribute, e.values);
      if (edited === null) return null;
      for (const x of edited) next.push(x);
    }
    variants = next;
  }
  return variants.join(separatorAt(text, start));
}

/** Builds the fix of one element's attribute, or null when the element cannot be read there. */
function elementFix(text: string, offset: number, kind: FixKind, attribute: string, values: readonly string[] | null): Fix | null {
  const tag = readStartTag(text, offset);
  if (tag === null) return null;
  const end = elementEnd(text, tag);
  if (end === null) return null;
  const replacement = composeEdits(text, offset, end, [{ attribute, values }]);
  if (replacement === null) return null;
  return { kind, start: offset, end, original: text.slice(offset, end), replacement, attribute, values };
}

function formatRanges(ranges: readonly PortRange[]): string {
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(',');
}

/** Where each model element a fix can edit starts, by `line:column`, and what the fixes share: computed once per policy. */
interface FixIndex {
  access: Map<string, number>;
  headers: Map<string, number>;
  domains: Map<string, number>;
  /** The ports the rules without `to-ports="*"` grant, merged (`to-ports="*"` becomes these). */
  otherPorts: string | null;
}

type Located = { source?: { location: { line: number; column: number; offset: number } } };

function byPosition(items: readonly Located[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) {
    const loc = item.source?.location;
    if (loc && !out.has(`${loc.line}:${loc.column}`)) out.set(`${loc.line}:${loc.column}`, loc.offset);
  }
  return out;
}

function indexOf(policy: FlashPolicy | SilverlightPolicy): FixIndex {
  if (policy.format === 'silverlight') {
    const domains: Located[] = [];
    for (const p of policy.policies) for (const a of p.allowFrom) for (const d of a.domains) domains.push(d);
    return { access: new Map(), headers: new Map(), domains: byPosition(domains), otherPorts: null };
  }
  const ports: PortRange[] = [];
  for (const r of policy.allowAccessFrom) {
    if (r.toPorts === null || r.toPorts.any) continue;
    for (const p of portRanges(r.toPorts)) ports.push(p);
  }
  const merged = mergeRanges(ports);
  return { access: byPosition(policy.allowAccessFrom), headers: byPosition(policy.allowHttpRequestHeadersFrom), domains: new Map(), otherPorts: merged.length > 0 ? formatRanges(merged) : null };
}

/** The values a `*` grant becomes: the `--trusted` domains (Silverlight: an `http://` and an `https://` URI for each). */
function trustedValues(context: LintContext, silverlight: boolean): string[] {
  const out: string[] = [];
  for (const d of context.trusted ?? []) {
    if (silverlight) out.push(`http://${d}`, `https://${d}`);
    else out.push(d);
  }
  return out;
}

// LINT-12
/**
 * Each finding with, where it can be computed, its fix, and its remediation made specific (what
 * the fix needs when it cannot be computed). `text` is the text that was linted; `policy` its
 * parsed model (null: the file was rejected). Pure, linear in the findings; never throws.
 */
export function withFixes(findings: readonly Finding[], text: string, policy: FlashPolicy | SilverlightPolicy | null, context: LintContext): Finding[] {
  if (policy === null) return [...findings];
  const index = indexOf(policy);
  return findings.map((f) => {
    const computed = computeFix(f, text, index, context);
    if (computed.fix === null && computed.note === undefined) return f;
    const out: Finding = { ...f };
    if (computed.fix !== null) out.fix = computed.fix;
    if (computed.note !== undefined) out.remediation = `${f.remediation ?? checkInfo(f.id).remediation} ${computed.note}`;
    return out;
  });
}

function computeFix(f: Finding, text: string, index: FixIndex, context: LintContext): { fix: Fix | null; note?: string } {
  const noTrusted = 'Give --trusted DOMAIN (the sites that need access) to get the fixed element.';
  const key = `${f.line}:${f.column}`;
  switch (f.id) {
    case 'LINT-DOMAIN-ANY':
    case 'LINT-HEADERS-ANY-DOMAIN': {
      const values = trustedValues(context, false);
      if (values.length === 0) return { fix: null, note: noTrusted };
      const offset = (f.id === 'LINT-DOMAIN-ANY' ? index.access : index.headers).get(key);
      return { fix: offset !== undefined ? elementFix(text, offset, 'trusted-domains', 'domain', values) : null };
    }
    case 'LINT-SL-DOMAIN-ANY': {
      const values = trustedValues(context, true);
      if (values.length === 0) return { fix: null, note: noTrusted };
      const offset = index.domains.get(key);
      return { fix: offset !== undefined ? elementFix(text, offset, 'trusted-domains', 'uri', values) : null };
    }
    case 'LINT-PORT-ANY': {
      const offset = index.access.get(key);
      if (offset === undefined) return { fix: null };
      if (index.otherPorts === null) return { fix: null, note: 'No other rule of the file names ports, so the fixed element cannot be computed: name the ports the server listens on.' };
      return { fix: elementFix(text, offset, 'ports-of-other-rules', 'to-ports', [index.otherPorts]) };
    }
    case 'LINT-SECURE-FALSE-HTTPS': {
      const offset = index.access.get(key) ?? index.headers.get(key);
      return { fix: offset !== undefined ? elementFix(text, offset, 'drop-secure-false', 'secure', null) : null };
    }
    default:
      return { fix: null };
  }
}

// LINT-13
/**
 * The text with every fix applied; fixes of one element compose (a `*` grant with
 * `secure="false"` becomes one element per trusted domain, each without `secure`). A fix whose
 * element cannot be read is left out. Overlapping elements never occur (elements of the model do
 * not nest).
 */
export function applyFixes(text: string, fixes: readonly Fix[]): string {
  const byStart = new Map<number, Fix[]>();
  for (const f of fixes) {
    const list = byStart.get(f.start);
    if (list) list.push(f);
    else byStart.set(f.start, [f]);
  }
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  let out = '';
  let pos = 0;
  for (const start of starts) {
    const group = byStart.get(start)!;
    const end = group[0]!.end;
    if (start < pos) continue;
    const replacement = composeEdits(text, start, end, group);
    if (replacement === null) continue;
    out += text.slice(pos, start) + replacement;
    pos = end;
  }
  return out + text.slice(pos);
}

/** The fixes of `findings`, one per finding that has one. */
export function fixesOf(findings: readonly Finding[]): Fix[] {
  const out: Fix[] = [];
  for (const f of findings) if (f.fix !== undefined) out.push(f.fix);
  return out;
}

/** Offsets at which each line of `text` starts. */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * A unified diff (`diff -u`, three lines of context) of what {@link applyFixes} changes, computed
 * from the edits themselves: linear in the file, however many elements change.
 */
export function fixDiff(text: string, fixes: readonly Fix[], name: string): string {
  const starts = lineStarts(text);
  const oldLines = splitLines(text);
  // Changed blocks: original lines [from, to] become `lines`.
  const sorted = [...fixes].sort((a, b) => a.start - b.start);
  const blocks: { from: number; to: number; fixes: Fix[] }[] = [];
  for (const f of sorted) {
    const from = lineOf(starts, f.start);
    const to = lineOf(starts, Math.max(f.start, f.end - 1));
    const last = blocks[blocks.length - 1];
    if (last && from <= last.to) {
      last.to = Math.max(last.to, to);
      last.fixes.push(f);
    } else blocks.push({ from, to, fixes: [f] });
  }
  if (blocks.length === 0) return '';
  const CONTEXT = 3;
  const hunks: string[] = [];
  let shift = 0;
  let i = 0;
  while (i < blocks.length) {
    // One hunk: blocks whose context overlaps.
    let j = i;
    while (j + 1 < blocks.length && blocks[j + 1]!.from - blocks[j]!.to - 1 <= 2 * CONTEXT) j++;
    const hunkFrom = Math.max(0, blocks[i]!.from - CONTEXT);
    const hunkTo = Math.min(oldLines.length - 1, blocks[j]!.to + CONTEXT);
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    let line = hunkFrom;
    for (let k = i; k <= j; k++) {
      const b = blocks[k]!;
      for (; line < b.from; line++, oldCount++, newCount++) body.push(` ${oldLines[line]}`);
      const blockStart = starts[b.from]!;
      const blockEnd = b.to + 1 < starts.length ? starts[b.to + 1]! : text.length;
      const original = text.slice(blockStart, blockEnd);
      const fixed = applyFixes(original, b.fixes.map((f) => ({ ...f, start: f.start - blockStart, end: f.end - blockStart })));
      const removed = splitLines(original);
      const added = splitLines(fixed);
      for (const r of removed) body.push(`-${r}`);
      for (const a of added) body.push(`+${a}`);
      oldCount += removed.length;
      newCount += added.length;
      line = b.to + 1;
    }
    for (; line <= hunkTo; line++, oldCount++, newCount++) body.push(` ${oldLines[line]}`);
    hunks.push(`@@ -${hunkFrom + 1},${oldCount} +${hunkFrom + 1 + shift},${newCount} @@\n${body.join('\n')}`);
    shift += newCount - oldCount;
    i = j + 1;
  }
  return `--- ${name}\n+++ ${name} (fixed)\n${hunks.join('\n')}\n`;
}
