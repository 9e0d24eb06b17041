/**
 * `xdpolicy/corpus`: the corpus shipped with the package — good, malformed and hostile policy
 * files and wire scenarios, each with the verdicts it expects per client — read from disk
 * (Node.js only; the record types are also exported by the package root).
 *
 * @module xdpolicy/corpus
 */
export type * from './types.js';
export { loadCorpus, defaultCorpusDir, listFiles } from './load.js';
