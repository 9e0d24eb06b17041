/**
 * xdpolicy — the reference toolkit for cross-domain policy files.
 *
 * The package root exports the typed library API: parsers, models, the decision function, the
 * linter and the policy server. Every export carries TSDoc.
 *
 * @packageDocumentation
 */
export * from './diagnostics.js';
export type { XmlLimits } from './xml/document.js';
export { DEFAULT_XML_LIMITS } from './xml/document.js';
export * from './flash/model.js';
export * from './world/world.js';
export * from './decision/types.js';
export * from './corpus/types.js';
export { loadCorpus, defaultCorpusDir } from './corpus/load.js';
export * from './flash/domains.js';
export * from './flash/ports.js';
export * from './flash/grammar.js';
export * from './flash/parse.js';
export * from './flash/serialize.js';
