/**
 * The policy server's suite for `npm run bench` (bench/run.ts finds it): a bounded run of
 * bench/serve (about a minute). `npm run bench:serve -- --soak` runs the 100,000-connection soak
 * and writes docs/benchmarks-serve.md.
 */
import type { BenchSuite } from './suite.js';
import { measureServe, serveBenchResult } from './serve/measure.js';

export const suite: BenchSuite = {
  name: 'serve',
  async run() {
    return serveBenchResult(await measureServe({ log: (l) => process.stdout.write(`  ${l}\n`) }));
  },
};
