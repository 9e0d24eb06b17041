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
// Silverlight: clientaccesspolicy.xml model, parser, serializer and matchers (spec/silverlight/).
export * from './silverlight/model.js';
export { SILVERLIGHT_XML_RULES } from './silverlight/grammar.js';
export { parseSilverlightPolicy, SILVERLIGHT_DIAGNOSTIC_CODES } from './silverlight/parse.js';
export type { SilverlightDiagnosticCode, SilverlightParseOptions, SilverlightParseResult } from './silverlight/parse.js';
export { serializeSilverlightPolicy, withoutSource as silverlightWithoutSource, escapeXmlAttribute as escapeSilverlightAttribute } from './silverlight/serialize.js';
export { classifyDomainUri, matchDomainPattern, matchDomainUri as matchSilverlightDomainUri, parseCaller as parseSilverlightCaller } from './silverlight/domains.js';
export type { SilverlightCaller, SilverlightDomainPattern } from './silverlight/domains.js';
export { isHeaderAllowed as isSilverlightHeaderAllowed, isMethodAllowed as isSilverlightMethodAllowed, parseHeaderList as parseSilverlightHeaderList } from './silverlight/headers.js';
export { matchResourcePath as matchSilverlightResourcePath, findForbiddenPathSequence, isWholeSiteGrant, rawRequestPath as silverlightRawRequestPath } from './silverlight/paths.js';
export { parseSilverlightFlashSubset, SILVERLIGHT_FLASH_SUBSET_DIAGNOSTIC_CODES, SILVERLIGHT_ACCEPTED_META_POLICIES } from './silverlight/flash-subset.js';
export type { SilverlightFlashSubsetResult, SilverlightFlashSubsetDiagnosticCode } from './silverlight/flash-subset.js';
export { createSilverlightDecider, decideSilverlight, compileSilverlightPolicy, isAcceptedPolicyContentType as isAcceptedSilverlightPolicyContentType } from './silverlight/decide.js';
export type { SilverlightDecider, CompiledSilverlightPolicy } from './silverlight/decide.js';
export { SILVERLIGHT_POLICY_REQUEST, SILVERLIGHT_POLICY_REQUEST_BYTES, silverlightSocketPolicyLocation } from './silverlight/socket.js';
