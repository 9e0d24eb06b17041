/**
 * The pure half of the docs builder: finding requirements in spec/ Markdown, finding the code,
 * tests and corpus cases that name them, and putting the two together into a traceability matrix.
 *
 * Nothing here touches the file system; `build.ts` reads the files and hands their text in, so the
 * rules (what counts as a requirement, what counts as a reference) are unit-tested on strings.
 *
 * @module
 */

/** A requirement heading of spec/: `### FLASH-SOCK-7 — Title`. */
export interface Requirement {
  id: string;
  title: string;
  /** Repository path of the chapter, e.g. `spec/flash/6-sockets.md`. */
  file: string;
  /** 1-based line of the heading. */
  line: number;
}

/** One place in the repository that names a requirement. */
export interface Reference {
  id: string;
  /** Repository path, `/`-separated. */
  file: string;
  /** 1-based line. */
  line: number;
  /** The line's text, trimmed (shown in the matrix). */
  text: string;
}

/** A corpus case that names a requirement. */
export interface CaseReference {
  id: string;
  /** The case's stable ID (its `id` field), or its path when it has none. */
  caseId: string;
  /** Repository path of the sidecar. */
  file: string;
  /** 1-based line of the first mention of the requirement in the sidecar. */
  line: number;
}

/**
 * The shape of a requirement ID: upper-case words joined by `-`, ending in a number
 * (`FLASH-SOCK-7`, `SL-PATH-3`, `LINT-9`). Used only on spec headings, where the heading format
 * makes it unambiguous; references elsewhere are matched against the known IDs only, so `UTF-8`
 * or `CWE-942` in a comment is never taken for a requirement.
 */
export const REQUIREMENT_ID_SHAPE = /[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+/;

const HEADING = /^(#{2,6})\s+(.*?)\s*#*\s*$/;
const REQUIREMENT_HEADING = new RegExp(`^(${REQUIREMENT_ID_SHAPE.source})(?:\\s*(?:—|–|-{1,2}|:)\\s*(.*))?$`);

/** Splits a heading's text into a requirement ID and title, or `null` when it is not a requirement. */
export function parseRequirementHeading(text: string): { id: string; title: string } | null {
  const m = REQUIREMENT_HEADING.exec(text.trim());
  if (!m || m[1] === undefined) return null;
  return { id: m[1], title: (m[2] ?? '').trim() };
}

/**
 * A catalogue entry heading that is not a numbered requirement: `### LINT-PARSE-DTD — Title`
 * (an upper-case dashed ID, then a dash and a title). The findings catalogue names its checks this
 * way; they get their ID as anchor, like requirements, but are not numbered requirements.
 */
export function parseEntryHeading(text: string): { id: string; title: string } | null {
  const m = /^([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\s+(?:—|–|--?)\s+(.*)$/.exec(text.trim());
  if (!m || m[1] === undefined) return null;
  return { id: m[1], title: (m[2] ?? '').trim() };
}

/**
 * Every requirement heading of one Markdown chapter, skipping fenced code blocks (an example
 * heading inside a code sample is not a requirement).
 */
export function extractRequirements(markdown: string, file: string, parse: (text: string) => { id: string; title: string } | null = parseRequirementHeading): Requirement[] {
  const out: Requirement[] = [];
  let fence: string | null = null;
  markdown.split(/\r?\n/).forEach((line, i) => {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f?.[1]) {
      if (fence === null) fence = f[1][0]!;
      else if (f[1][0] === fence) fence = null;
      return;
    }
    if (fence !== null) return;
    const h = HEADING.exec(line);
    if (!h || h[2] === undefined) return;
    const req = parse(h[2]);
    if (req) out.push({ ...req, file, line: i + 1 });
  });
  return out;
}

/** Requirements declared more than once (IDs are contracts: each must be unique). */
export function findDuplicateRequirements(reqs: readonly Requirement[]): { id: string; places: string[] }[] {
  const byId = new Map<string, string[]>();
  for (const r of reqs) byId.set(r.id, [...(byId.get(r.id) ?? []), `${r.file}:${r.line}`]);
  return [...byId].filter(([, places]) => places.length > 1).map(([id, places]) => ({ id, places }));
}

/**
 * A matcher for the known IDs as whole tokens: `FLASH-SOCK-1` must not match inside
 * `FLASH-SOCK-10`, and `X-FLASH-SOCK-1` is not `FLASH-SOCK-1` either.
 */
export function idMatcher(ids: Iterable<string>): RegExp | null {
  const list = [...new Set(ids)].sort((a, b) => b.length - a.length).map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (list.length === 0) return null;
  return new RegExp(`(?<![A-Za-z0-9_-])(${list.join('|')})(?![A-Za-z0-9_]|-[A-Za-z0-9])`, 'g');
}

/** Every mention of a known ID in a text file, one reference per (ID, line). */
export function scanReferences(text: string, file: string, matcher: RegExp | null): Reference[] {
  if (!matcher) return [];
  const out: Reference[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const seen = new Set<string>();
    for (const m of line.matchAll(matcher)) {
      const id = m[1]!;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ id, file, line: i + 1, text: line.trim().slice(0, 160) });
    }
  });
  return out;
}

/**
 * IDs that look like ours (same first word as a known requirement, e.g. `FLASH-`) but are not
 * declared anywhere in spec/: a stale or mistyped reference. Reported, with its place.
 */
export function scanUnknownIds(text: string, file: string, known: ReadonlySet<string>): Reference[] {
  const families = new Set([...known].map((id) => id.split('-')[0]!));
  if (families.size === 0) return [];
  const shape = new RegExp(`(?<![A-Za-z0-9_-])(${REQUIREMENT_ID_SHAPE.source})(?![A-Za-z0-9_]|-[A-Za-z0-9])`, 'g');
  const out: Reference[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    for (const m of line.matchAll(shape)) {
      const id = m[1]!;
      if (!known.has(id) && families.has(id.split('-')[0]!)) out.push({ id, file, line: i + 1, text: line.trim().slice(0, 160) });
    }
  });
  return out;
}

/**
 * The requirements a corpus sidecar names, with the line of their first mention. Any mention
 * counts (the case's `requirements`, a request's `requirements`, a wire scenario's
 * `requirement`), because the sidecar formats grow and every one of them names IDs the same way.
 */
export function scanCaseReferences(sidecarText: string, file: string, matcher: RegExp | null): CaseReference[] {
  let caseId = file;
  try {
    const parsed = JSON.parse(sidecarText) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as { id?: unknown }).id === 'string') caseId = (parsed as { id: string }).id;
  } catch {
    // an invalid sidecar is the corpus test's business; its mentions still count here
  }
  const first = new Map<string, number>();
  for (const r of scanReferences(sidecarText, file, matcher)) if (!first.has(r.id)) first.set(r.id, r.line);
  return [...first].map(([id, line]) => ({ id, caseId, file, line }));
}

/** One row of the traceability matrix. */
export interface TraceRow {
  requirement: Requirement;
  code: Reference[];
  tests: Reference[];
  corpus: CaseReference[];
}

/** What the matrix found wrong: each entry names the requirement and what it lacks. */
export interface TraceProblem {
  id: string;
  file: string;
  line: number;
  message: string;
}

/** Puts the references under their requirement, in spec order. */
export function buildMatrix(
  reqs: readonly Requirement[],
  code: readonly Reference[],
  tests: readonly Reference[],
  corpus: readonly CaseReference[],
): TraceRow[] {
  const group = <T extends { id: string }>(xs: readonly T[]): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const x of xs) m.set(x.id, [...(m.get(x.id) ?? []), x]);
    return m;
  };
  const c = group(code);
  const t = group(tests);
  const k = group(corpus);
  return reqs.map((r) => ({ requirement: r, code: c.get(r.id) ?? [], tests: t.get(r.id) ?? [], corpus: k.get(r.id) ?? [] }));
}

/** Requirements that no test and no corpus case names: the build fails on these. */
export function untestedRequirements(rows: readonly TraceRow[]): TraceProblem[] {
  return rows
    .filter((r) => r.tests.length === 0 && r.corpus.length === 0)
    .map((r) => ({
      id: r.requirement.id,
      file: r.requirement.file,
      line: r.requirement.line,
      message: `${r.requirement.id} (${r.requirement.file}:${r.requirement.line}) has no test and no corpus case naming it`,
    }));
}

/**
 * A GitHub-style slug for a heading that is not a requirement: lower case, punctuation dropped,
 * spaces to `-`. `used` makes slugs unique within a page (`-1`, `-2`, …).
 */
export function slugify(text: string, used: Set<string>): string {
  const base =
    text
      .toLowerCase()
      .replace(/<[^>]*>/g, '')
      .replace(/&[a-z0-9#]+;/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s+/g, '-') || 'section';
  let slug = base;
  for (let n = 1; used.has(slug); n++) slug = `${base}-${n}`;
  used.add(slug);
  return slug;
}

/** Natural order for chapter files: `2-grammar.md` before `10-x.md`. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}
