/**
 * `npm run vectors`: writes the client conformance vectors (`vectors/flash.json`,
 * `vectors/silverlight.json`) from corpus/ and spec/. The files are committed; test/conform-vectors
 * fails while they differ from what this script would write. `--check` only compares (exit 1 when
 * stale).
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceDecision } from '../conformance/kit/conform.js';
import { buildVectors, serializeVectors, type SpecRequirementInfo, type VectorProfile } from '../conformance/kit/vectors.js';
import { PROFILES, profilesOf } from '../src/profiles/index.js';
import { listFiles, loadCorpus } from '../src/corpus/load.js';
import { CLIENT_PROFILES } from '../src/decision/types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A requirement heading of spec/ (`### FLASH-DOM-3 — Title`). */
const HEADING = /^###\s+([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+)\s+—\s+(.+)$/;

/** Every requirement of spec/ with its title and its chapter (the file's first `# ` heading). */
export function specIndex(root: string = ROOT): SpecRequirementInfo[] {
  const out: SpecRequirementInfo[] = [];
  for (const rel of listFiles(join(root, 'spec'))) {
    if (!rel.endsWith('.md')) continue;
    const lines = readFileSync(join(root, 'spec', rel), 'utf8').split('\n');
    const chapter = lines.find((l) => l.startsWith('# '))?.slice(2).trim() ?? rel;
    for (const line of lines) {
      const m = HEADING.exec(line);
      if (m) out.push({ id: m[1]!, title: m[2]!.trim(), chapter, spec: `spec/${rel}` });
    }
  }
  return out;
}

/** The vectors files as they should be: file name (under vectors/) → text. */
export function generateVectors(root: string = ROOT): Map<string, string> {
  const cases = loadCorpus(join(root, 'corpus'));
  const spec = specIndex(root);
  const files = new Map<string, string>();
  for (const client of CLIENT_PROFILES) {
    // A profile enters the vectors once it is modelled (it replaces at least one step of its
    // reference); a profile not modelled yet decides as its reference and has checked nothing.
    const profiles: VectorProfile[] = profilesOf(client)
      .filter((name) => name !== client && Object.keys(PROFILES[name].overrides).length > 0)
      .map((name) => ({ name, description: `${PROFILES[name].title}: ${PROFILES[name].description}` }));
    const vectors = buildVectors(cases, client, spec, profiles, (profile, vector) => referenceDecision(vector, profile).decision);
    files.set(`${client}.json`, serializeVectors(vectors));
  }
  return files;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [name, text] of generateVectors()) {
    const path = join(ROOT, 'vectors', name);
    let old = '';
    try {
      old = readFileSync(path, 'utf8');
    } catch {
      // a new file
    }
    if (old === text) continue;
    stale++;
    if (check) process.stderr.write(`vectors/${name} is stale: run \`npm run vectors\`\n`);
    else writeFileSync(path, text);
  }
  const cases = [...generateVectors().values()].map((t) => (JSON.parse(t) as { cases: unknown[] }).cases.length);
  process.stdout.write(`vectors: ${cases.join(' + ')} cases${check ? (stale ? `, ${stale} file(s) stale` : ', up to date') : `, ${stale} file(s) written`}\n`);
  process.exitCode = check && stale ? 1 : 0;
}
