/**
 * Requirement IDs: where the spec declares them and where tests and the corpus name them.
 *
 * Shared by the corpus runner and the traceability test, so both agree on what an ID is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from '../../src/corpus/load.js';

/** The repository root (this file is test/support/requirements.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A requirement heading: `### FLASH-SOCK-7 — Title` (an em dash, or a plain `-`/`--` as a fallback). */
const HEADING = /^#{2,4}\s+([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+)\s+(?:—|--?)\s+\S/;

/** A requirement declared in spec/, with where it is declared. */
export interface SpecRequirement {
  id: string;
  /** `spec/…` path of the chapter. */
  file: string;
  line: number;
  title: string;
}

/** Every requirement heading under spec/ (every `*.md`, recursively), in file order. */
export function specRequirements(root: string = REPO_ROOT): SpecRequirement[] {
  const specDir = join(root, 'spec');
  const out: SpecRequirement[] = [];
  for (const rel of listFiles(specDir)) {
    if (!rel.endsWith('.md')) continue;
    const lines = readFileSync(join(specDir, rel), 'utf8').split('\n');
    lines.forEach((text, i) => {
      const m = HEADING.exec(text);
      if (m) out.push({ id: m[1] as string, file: `spec/${rel}`, line: i + 1, title: text.replace(/^#+\s+/, '') });
    });
  }
  return out;
}

/**
 * The families of IDs the spec uses (the first dash-separated word: `FLASH`, `SL`, …). A token in a
 * test that starts with one of these and ends in `-<number>` is taken as a reference to a
 * requirement; other ID-shaped tokens (`UTF-8`, a test's own `T-1`) are not.
 */
export function requirementFamilies(ids: Iterable<string>): Set<string> {
  const families = new Set<string>();
  for (const id of ids) families.add(id.split('-')[0] as string);
  return families;
}

/** Requirement-shaped tokens in `text` whose family is one of `families`. */
export function namedRequirements(text: string, families: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?<![A-Za-z0-9-])([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+)(?![A-Za-z0-9])/g)) {
    const id = m[1] as string;
    if (families.has(id.split('-')[0] as string)) found.push(id);
  }
  return found;
}
