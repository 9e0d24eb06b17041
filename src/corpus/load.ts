/**
 * Loads the corpus: every `*.case.json` under a directory, with file references resolved.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dictionary } from '../collections.js';
import type { WorldResponse } from '../world/world.js';
import type { CorpusCase, CorpusCaseFile } from './types.js';

/** The corpus shipped with the package (`corpus/` at the package root). */
export function defaultCorpusDir(): string {
  // src/corpus/load.ts and dist/src/corpus/load.js both sit two or three levels below the root.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      if (statSync(join(dir, 'corpus')).isDirectory() && statSync(join(dir, 'package.json')).isFile()) return join(dir, 'corpus');
    } catch {
      // keep climbing
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the corpus/ directory of the xdpolicy package');
}

/** Every file below `dir`, as paths relative to `dir` with `/` separators, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Loads every case below `dir` (default: the package corpus), optionally only under `subdir`.
 * Throws with the sidecar's path when a sidecar is not valid JSON or names a missing file.
 */
export function loadCorpus(dir: string = defaultCorpusDir(), subdir = ''): CorpusCase[] {
  const root = join(dir, subdir);
  const cases: CorpusCase[] = [];
  for (const rel of listFiles(root)) {
    if (!rel.endsWith('.case.json')) continue;
    const sidecarPath = join(root, rel);
    const path = relative(dir, sidecarPath).split(sep).join('/');
    let file: CorpusCaseFile;
    try {
      file = JSON.parse(readFileSync(sidecarPath, 'utf8')) as CorpusCaseFile;
    } catch (err) {
      throw new Error(`corpus/${path}: not valid JSON: ${(err as Error).message}`);
    }
    const base = dirname(sidecarPath);
    const read = (name: string): string => {
      try {
        return readFileSync(join(base, name), 'utf8');
      } catch {
        throw new Error(`corpus/${path}: names a file that does not exist: ${name}`);
      }
    };
    const resolvedWorld = dictionary<WorldResponse>();
    for (const [location, entry] of Object.entries(file.world ?? {})) {
      const { bodyFile, appendNul, body, ...rest } = entry;
      let text = bodyFile !== undefined ? read(bodyFile) : (body ?? '');
      if (appendNul) text += '\u0000';
      resolvedWorld[location] = { ...rest, body: text };
    }
    const loaded: CorpusCase = { ...file, path, resolvedWorld };
    if (file.policyFile !== undefined) loaded.policyText = read(file.policyFile);
    cases.push(loaded);
  }
  return cases;
}
