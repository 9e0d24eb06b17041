/**
 * `npm run bench:conform`: the whole corpus (both vectors files) through the built-in adapter, as
 * a user runs it (`node bin/xdpolicy.js adapter`, compiled; run `npm run build` first), against the
 * issue's target of 5 s; and the runner's own overhead per case, beside what deciding the case
 * in-process costs (a ratio: machines differ, the ratio less).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { referenceDecision, runConform } from '../conformance/kit/conform.js';
import { defaultVectorsFile, readVectorFile } from '../conformance/kit/vectors.js';
import { minOf } from '../src/collections.js';
import { CLIENT_PROFILES } from '../src/decision/types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TARGET_MS = 5000;
const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;

const walls: number[] = [];
let cases = 0;
let runnerMs = 0;
let decideMs = 0;
for (let round = 0; round < ROUNDS; round++) {
  let wall = 0;
  for (const client of CLIENT_PROFILES) {
    const vectors = readVectorFile(readFileSync(defaultVectorsFile(client), 'utf8')).file!;
    const command = [process.execPath, join(ROOT, 'bin', 'xdpolicy.js'), 'adapter', '--client', client];
    const t0 = performance.now();
    const report = await runConform({ impl: command.join(' '), command, vectors, casesSource: client, cwd: ROOT });
    wall += performance.now() - t0;
    for (const c of vectors.cases) referenceDecision(c, client);
    if (report.exitCode !== 0) throw new Error(`${client}: exit ${report.exitCode}: ${report.run.problem ?? `${report.summary.fail} disagreements`}`);
    if (round === ROUNDS - 1) {
      // Warm by now: the vectors have been decided in-process in every earlier round too.
      cases += report.summary.total;
      const d0 = performance.now();
      for (const c of vectors.cases) referenceDecision(c, client);
      decideMs += performance.now() - d0;
    }
    if (round === ROUNDS - 1) runnerMs += report.timing.runnerMsPerCase * report.summary.total;
  }
  walls.push(wall);
}
const best = minOf(walls, 0);
const perCase = runnerMs / cases;
process.stdout.write(
  `conform, whole corpus (${cases} cases, both clients) through \`xdpolicy adapter\`: best of ${ROUNDS} ${(best / 1000).toFixed(2)} s ` +
    `(${walls.map((w) => (w / 1000).toFixed(2)).join(', ')}); target ≤ ${TARGET_MS / 1000} s: ${best <= TARGET_MS ? 'PASS' : 'FAIL'} (${(best / TARGET_MS).toFixed(2)}× the target)\n` +
    `runner's own time per case: ${(perCase * 1000).toFixed(0)} µs = ${(perCase / (decideMs / cases)).toFixed(2)}× an in-process decision of the case (${((decideMs / cases) * 1000).toFixed(0)} µs)\n`,
);
