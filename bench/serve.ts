/**
 * `npm run bench:serve [-- --soak] [--seconds N] [--rounds N] [--concurrency N] [--node-loadgen] [--no-write]`:
 * runs bench/serve, prints the figures and writes docs/benchmarks-serve.md. Without --soak it takes
 * about a minute (a 20,000-connection soak); --soak runs 100,000 connections. The load comes from
 * the C generator (bench/c/loadgen.c, built with gcc; without gcc the Node one, with a note);
 * --node-loadgen uses the Node generator for comparison. Exit 1 when a target fails.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureServe, serveBenchMarkdown, serveBenchResult } from './serve/measure.js';

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const soak = args.includes('--soak');
const report = await measureServe({
  seconds: value('--seconds') ?? 1.5,
  rounds: value('--rounds') ?? 7,
  concurrency: value('--concurrency'),
  generator: args.includes('--node-loadgen') ? 'node' : 'c',
  soakConnections: soak ? 100_000 : 20_000,
  log: (l) => process.stdout.write(`${l}\n`),
});
const result = serveBenchResult(report);
for (const f of result.figures) process.stdout.write(`${f.label}: ${f.value.toFixed(2)} ${f.unit}\n`);
for (const t of result.targets) process.stdout.write(`${t.pass ? 'PASS' : 'FAIL'} ${t.target}: ${t.measured}\n`);
if (!args.includes('--no-write')) {
  const env = `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.platform()} ${os.arch()}`;
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  writeFileSync(join(root, 'docs', 'benchmarks-serve.md'), serveBenchMarkdown(report, env, `npm run bench:serve${args.length ? ` -- ${args.join(' ')}` : ''}`));
  process.stdout.write('wrote docs/benchmarks-serve.md\n');
}
process.exitCode = result.targets.every((t) => t.pass) ? 0 : 1;
