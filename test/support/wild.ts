/**
 * The real-world policy files of `../shared/wild` (see its README and SOURCES.tsv), for robustness
 * tests. They live outside the repository, so tests that use them skip, visibly, when absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One file of the wild set, with its SOURCES.tsv row. */
export interface WildFile {
  file: string;
  /** `flash-url`, `flash-socket`, `silverlight` or `unknown`. */
  kind: string;
  note: string;
  text: string;
}

// `../shared/wild` beside the checkout (/work/main → /work/shared), one level further up for a
// worktree (/work/wt/<name>), or wherever XDPOLICY_WILD points.
const CANDIDATES = [process.env.XDPOLICY_WILD, '../../../shared/wild/', '../../../../shared/wild/'];

/** The wild directory (with a trailing slash), or `undefined` when it is absent. */
export const WILD_DIR: string | undefined = CANDIDATES.filter((c): c is string => c !== undefined && c !== '')
  .map((c) => (c.startsWith('/') ? c.replace(/\/?$/, '/') : fileURLToPath(new URL(c, import.meta.url))))
  .find((dir) => existsSync(`${dir}SOURCES.tsv`));

/** Prints why a suite is skipped when the wild files are absent; returns whether they are present. */
export function wildPresent(suite: string): boolean {
  if (WILD_DIR === undefined) console.warn(`[${suite}] skipped: ../shared/wild is absent (the real-world files live outside the repository)`);
  return WILD_DIR !== undefined;
}

/** Every file listed in SOURCES.tsv, with its text (UTF-8, byte-exact as published). */
export function loadWildFiles(): WildFile[] {
  if (WILD_DIR === undefined) return [];
  const dir = WILD_DIR;
  const rows = readFileSync(`${dir}SOURCES.tsv`, 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '');
  return rows.map((row) => {
    const cols = row.split('\t');
    const file = cols[0] ?? '';
    return { file, kind: cols[4] ?? '', note: cols[5] ?? '', text: readFileSync(`${dir}${file}`, 'utf8') };
  });
}
