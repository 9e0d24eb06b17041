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
// Flash: domain patterns, to-ports, grammar, parser and serializer (spec/flash/1-4).
export * from './flash/domains.js';
export * from './flash/ports.js';
export * from './flash/grammar.js';
export type { XmlRules } from './xml/document.js';
export { MAX_XML_DEPTH } from './xml/document.js';
export * from './flash/parse.js';
export * from './flash/serialize.js';
// Silverlight: clientaccesspolicy.xml model, parser, serializer and matchers (spec/silverlight/).
export * from './silverlight/model.js';
export { SILVERLIGHT_XML_RULES } from './silverlight/grammar.js';
export { parseSilverlightPolicy, SILVERLIGHT_DIAGNOSTIC_CODES } from './silverlight/parse.js';
export type { SilverlightDiagnosticCode, SilverlightParseOptions, SilverlightParseResult } from './silverlight/parse.js';
export { serializeSilverlightPolicy, withoutSource as silverlightWithoutSource, escapeXmlAttribute as escapeSilverlightAttribute } from './silverlight/serialize.js';
export { classifyDomainUri, matchDomainPattern, matchDomainUri as matchSilverlightDomainUri, callerOf as silverlightCallerOf } from './silverlight/domains.js';
export type { SilverlightCaller, SilverlightDomainPattern } from './silverlight/domains.js';
export { isHeaderAllowed as isSilverlightHeaderAllowed, isMethodAllowed as isSilverlightMethodAllowed, parseHeaderList as parseSilverlightHeaderList } from './silverlight/headers.js';
export { matchResourcePath as matchSilverlightResourcePath, findForbiddenPathSequence, isWholeSiteGrant, localRequestPath as silverlightLocalRequestPath, unresolvedRequestPath as silverlightUnresolvedRequestPath } from './silverlight/paths.js';
export { parseSilverlightFlashSubset, SILVERLIGHT_FLASH_SUBSET_DIAGNOSTIC_CODES, SILVERLIGHT_ACCEPTED_META_POLICIES } from './silverlight/flash-subset.js';
export type { SilverlightFlashSubsetResult, SilverlightFlashSubsetDiagnosticCode } from './silverlight/flash-subset.js';
export { createSilverlightDecider } from './silverlight/decide.js';
export type { SilverlightDecider } from './silverlight/decide.js';
export { compileSilverlightPolicy } from './silverlight/compile.js';
export type { OriginBuckets as SilverlightOriginBuckets, CompiledSilverlightPolicy, CompiledAllowFrom as CompiledSilverlightAllowFrom, SilverlightSocketGrant, LinearSilverlightPolicy } from './silverlight/compile.js';
export { admittingAllowFroms as silverlightAdmittingAllowFroms, findSocketGrant as findSilverlightSocketGrant } from './silverlight/compile.js';
export { effectiveSilverlightPolicy, readSilverlightPolicy, silverlightServingRefusal } from './silverlight/effective.js';
export type { EffectiveSilverlightPolicy, EffectiveAllowFrom as EffectiveSilverlightAllowFrom, SilverlightPolicyContext, SilverlightPolicyRead, UnusedGrant as SilverlightUnusedGrant } from './silverlight/effective.js';
export { SILVERLIGHT_POLICY_REQUEST as SILVERLIGHT_POLICY_REQUEST_TEXT, SILVERLIGHT_POLICY_REQUEST_BYTES, silverlightSocketPolicyLocation } from './silverlight/socket.js';
// World snapshots and the decision function (spec/flash/5-8): world reader, locations, Flash procedure.
export { parseWorld, responseHeader } from './world/parse.js';
export {
  parsePolicyLocation,
  normalizeLocation,
  normalizeHost,
  masterSocketLocation,
  masterUrlLocation,
  socketLocation,
  urlLocation,
  MASTER_SOCKET_PORT,
  parseSocketTarget,
  parseTarget,
  parseOriginUrl,
  rawRequestPath,
  resolveRedirect,
  indexWorld,
  lookupLocation,
  directoryOf,
  socketLocationKey,
  urlLocationKey,
  worldKeyReading,
  LOCATION_DIAGNOSTIC_CODES,
} from './world/locations.js';
export type { Reading, PolicyLocation, SocketLocation, UrlLocation, SocketTarget, UrlTarget, Target, OriginUrl, OriginHostKind, IndexedWorld, LocationDiagnosticCode } from './world/locations.js';
export type { WorldParseResult, WorldDiagnosticCode } from './world/parse.js';
export { WORLD_DIAGNOSTIC_CODES } from './world/parse.js';
export { acceptsPolicyContentType, acceptedPolicyContentTypes, mediaType } from './world/content-type.js';
export { POLICY_FILE_REQUEST, POLICY_FILE_REQUEST_BYTES, extractSocketPolicyText, SOCKET_FRAMING_DIAGNOSTIC_CODES } from './flash/socket.js';
export type { SocketPolicyText } from './flash/socket.js';
export * from './flash/meta.js';
export type { HostFilter } from './host-filter.js';
export { compileFlashPolicy, findAccessGrant, findAccessGrantLinear, findHeaderGrants, prepareLinear, ruleOrigin, headerPatternMatches } from './flash/compile.js';
export type { AccessTable, DomainIndex, HeaderBucket, CompiledFlashPolicy, CompiledAccessRule, CompiledHeaderRule, LinearPolicy, RuleOrigin } from './flash/compile.js';
export { effectiveFlashPolicy, readFlashPolicy, flashServingRefusal, effectiveSecure, applyHighPortRule, restrictToHighPorts, lowestGrantablePort, HIGH_PORT_THRESHOLD } from './flash/effective.js';
export type { EffectiveFlashPolicy, EffectiveAccessRule, EffectiveHeaderRule, FlashPolicyContext, FlashPolicyRead, FlashReadContext } from './flash/effective.js';
export { createFlashDecider } from './flash/decide.js';
export type { FlashDecider } from './flash/decide.js';
export { fetchSocketPolicy, fetchUrlPolicy, MAX_POLICY_REDIRECTS } from './flash/fetch.js';
export type { FetchedFlashPolicy } from './flash/fetch.js';
export { policyCoversTarget } from './flash/scope.js';
export { decide, createDecider, decideFlash, decideSilverlight } from './decision/decide.js';
export type { Decider } from './decision/decide.js';
export { readRequest, REQUEST_DIAGNOSTIC_CODES } from './decision/request.js';
export type { RequestReadResult } from './decision/request.js';
// The reference policy server (spec/server.md).
export {
  startPolicyServer,
  preparePolicies,
  checkPolicyServerOptions,
  PolicyServerStartError,
  attachPolicyResponder,
  nodePolicyHandler,
  expressPolicyMiddleware,
  fastifyPolicyHandler,
  policyHttpResponse,
  permittedCrossDomainPolicies,
  FLASH_POLICY_REQUEST,
  SILVERLIGHT_POLICY_REQUEST,
  DEFAULT_FLASH_PORT,
  DEFAULT_SILVERLIGHT_PORT,
} from './server/index.js';
export type {
  PolicyServerOptions,
  RunningPolicyServer,
  PolicyListener,
  PolicyReload,
  ReloadResult,
  PolicyServerCounters,
  PolicyServerEvent,
  PolicySet,
  PolicySlot,
  PreparedPolicy,
  PolicyProblem,
  InlineResponderOptions,
  AttachedPolicyResponder,
  Bindable,
} from './server/index.js';
export type { ListenerKind, PolicyServerEventSink, RefusalReason } from './server/events.js';
export type { FastifyLikeReply, FastifyLikeRequest, PolicyHttpResponse, PolicySource } from './server/http.js';
export type { InlineResponderCounters } from './server/inline.js';
export type { PolicyWarning } from './server/validate.js';
export type { ServicePort } from './lint/checks/ports.js';
// lint (spec/lint.md)
export * from './lint/finding.js';
export type { LintClient, LintContext, LintOptions, PolicyFormat, ServedFrom } from './lint/context.js';
export { LINT_CLIENTS, parseServedFrom, resolveLintContext, sniffRootElement } from './lint/context.js';
export type { CheckInfo, LintExample, ScannerRule } from './lint/catalogue.js';
export { CATALOGUE, CHECKS, CHECK_IDS, SCANNER_RULES, checkInfo } from './lint/catalogue.js';
export type { Check, CheckProfile, FlashCheck, SilverlightCheck } from './lint/checks/index.js';
export {
  FLASH_CHECKS,
  SILVERLIGHT_CHECKS,
  SILVERLIGHT_FLASH_SUBSET_CHECKS,
  CHECK_PROFILES,
  SERVICE_PORTS,
  WIDE_RANGE_THRESHOLD,
  checkContext,
  checkFlashDomains,
  checkFlashPorts,
  checkFlashServing,
  checkHeaderLists,
  checkSecureOverHttps,
  checkShadowedRules,
  checkSilverlightDomains,
  checkSilverlightGrants,
  checkSilverlightServing,
  checkSiteControl,
} from './lint/checks/index.js';
export type { AnyEffectivePolicy, AnyPolicy, LintReport } from './lint/lint.js';
export { diagnosticToFinding, lint, lintEffective, lintText, lintTextReport } from './lint/lint.js';
