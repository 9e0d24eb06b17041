/**
 * xdpolicy — the reference toolkit for cross-domain policy files.
 *
 * The package root is the portable core: the parsers and serializers, world snapshots, the
 * decision function and its factory, the linter and its catalogue, and the record types. It does
 * no I/O and runs anywhere JavaScript does: nothing reachable from here imports a Node.js module,
 * and its declarations name no Node.js type (test/layering.test.ts and test/package.test.ts
 * prove it). The parts that need Node.js are on subpaths:
 *
 * - `xdpolicy/server` — the reference policy server and the HTTP handlers (`src/server/`);
 * - `xdpolicy/corpus` — loading the corpus shipped with the package (`src/corpus/`);
 * - `xdpolicy/conformance` — the certify harness (`conformance/`).
 *
 * Every export carries TSDoc.
 *
 * @module xdpolicy
 */

// --- Records: diagnostics, policy models, worlds, decisions, findings, corpus cases -----------
export * from './diagnostics.js';
export * from './flash/model.js';
export * from './silverlight/model.js';
export * from './world/world.js';
export * from './decision/types.js';
export * from './lint/finding.js';
export type * from './corpus/types.js';

// --- XML front end limits ----------------------------------------------------------------------
export type { XmlLimits, XmlRules } from './xml/document.js';
export { DEFAULT_XML_LIMITS, MAX_XML_DEPTH, isDotNetWhiteSpace } from './xml/document.js';

// --- Flash: domain patterns, to-ports, grammar, parser, serializer, meta-policies (spec/flash/) -
export { parseDomainPattern, formatDomainPattern, matchDomain, classifyHost } from './flash/domains.js';
export type { DomainPattern, OriginHost } from './flash/domains.js';
export { parsePortRanges, formatPortSpec, portSpecContains, MAX_PORT } from './flash/ports.js';
export {
  FLASH_XML_RULES,
  FLASH_ROOT_ELEMENT,
  FLASH_POLICY_ELEMENTS,
  FLASH_ELEMENT_ATTRIBUTES,
  FLASH_META_POLICY_VALUES,
  headerGrantsApply,
  metaPolicyApplies,
  isIgnorableRootAttribute,
} from './flash/grammar.js';
export type { FlashPolicyElementName } from './flash/grammar.js';
export { parseFlashPolicy, FLASH_DIAGNOSTIC_CODES, FLASH_GRAMMAR_DIAGNOSTIC_CODES } from './flash/parse.js';
export type { FlashDiagnosticCode, FlashParseOptions, FlashParseResult } from './flash/parse.js';
export { serializeFlashPolicy, flashPolicy, FlashPolicyBuilder, escapeAttribute, withoutSource } from './flash/serialize.js';
export type { AllowAccessFromOptions, FlashSerializeOptions } from './flash/serialize.js';
export { POLICY_FILE_REQUEST, POLICY_FILE_REQUEST_BYTES, extractSocketPolicyText, SOCKET_FRAMING_DIAGNOSTIC_CODES } from './flash/socket.js';
export type { SocketPolicyText } from './flash/socket.js';
export {
  POLICY_CONTENT_TYPE,
  parseMetaPolicyHeader,
  effectiveMetaPolicy,
  applicableMetaPolicy,
  defaultMetaPolicy,
  moreRestrictive,
  metaPolicyPermits,
} from './flash/meta.js';
export type { EffectiveMetaPolicy, MetaPolicyCandidate, MetaPolicyHeader } from './flash/meta.js';
// The effective Flash policy: what the client uses of a policy served in a given way (framing, serving, meta-policy, 1024 rule).
export { readFlashPolicy, effectiveFlashPolicy, flashServingRefusal, effectiveSecure, applyHighPortRule, lowestGrantablePort, HIGH_PORT_THRESHOLD } from './flash/effective.js';
export type { EffectiveFlashPolicy, EffectiveAccessRule, EffectiveHeaderRule, FlashPolicyContext, FlashReadContext, FlashPolicyRead } from './flash/effective.js';

// --- Silverlight: parser, serializer and matchers (spec/silverlight/) --------------------------
export { SILVERLIGHT_XML_RULES } from './silverlight/grammar.js';
export { parseSilverlightPolicy, SILVERLIGHT_DIAGNOSTIC_CODES } from './silverlight/parse.js';
export type { SilverlightDiagnosticCode, SilverlightParseOptions, SilverlightParseResult } from './silverlight/parse.js';
export { serializeSilverlightPolicy, withoutSource as silverlightWithoutSource, escapeXmlAttribute as escapeSilverlightAttribute } from './silverlight/serialize.js';
export { classifyDomainUri, matchDomainPattern, matchDomainUri as matchSilverlightDomainUri, callerOf as silverlightCallerOf } from './silverlight/domains.js';
export type { SilverlightCaller, SilverlightDomainPattern } from './silverlight/domains.js';
export { isHeaderAllowed as isSilverlightHeaderAllowed, isMethodAllowed as isSilverlightMethodAllowed, allowsAnyMethod as silverlightAllowsAnyMethod, parseHeaderList as parseSilverlightHeaderList, parseMethodList as parseSilverlightMethodList } from './silverlight/headers.js';
export {
  matchResourcePath as matchSilverlightResourcePath,
  findForbiddenPathSequence,
  isWholeSiteGrant,
  localRequestPath as silverlightLocalRequestPath,
  unresolvedRequestPath as silverlightUnresolvedRequestPath,
} from './silverlight/paths.js';
export { parseSilverlightFlashSubset, SILVERLIGHT_FLASH_SUBSET_DIAGNOSTIC_CODES, SILVERLIGHT_ACCEPTED_META_POLICIES } from './silverlight/flash-subset.js';
export type { SilverlightFlashSubsetResult, SilverlightFlashSubsetDiagnosticCode } from './silverlight/flash-subset.js';
export { SILVERLIGHT_POLICY_REQUEST as SILVERLIGHT_POLICY_REQUEST_TEXT, SILVERLIGHT_POLICY_REQUEST_BYTES, silverlightSocketPolicyLocation } from './silverlight/socket.js';
// The effective Silverlight policy: what the client uses of a clientaccesspolicy.xml served in a given way.
export { readSilverlightPolicy, effectiveSilverlightPolicy, silverlightServingRefusal } from './silverlight/effective.js';
export type { EffectiveSilverlightPolicy, EffectiveAllowFrom as EffectiveSilverlightAllowFrom, UnusedGrant as SilverlightUnusedGrant, SilverlightPolicyContext, SilverlightPolicyRead } from './silverlight/effective.js';

// --- Worlds and locations (spec/flash/5-8) -----------------------------------------------------
export { parseWorld, responseHeader, WORLD_DIAGNOSTIC_CODES } from './world/parse.js';
export type { WorldParseResult, WorldDiagnosticCode } from './world/parse.js';
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
  socketLocationKey,
  urlLocationKey,
  worldKeyReading,
  LOCATION_DIAGNOSTIC_CODES,
} from './world/locations.js';
export type { Reading, PolicyLocation, SocketLocation, UrlLocation, SocketTarget, UrlTarget, Target, OriginUrl, OriginHostKind, IndexedWorld, LocationDiagnosticCode } from './world/locations.js';
export { indexWorld } from './world/locations.js';
export { acceptsPolicyContentType, acceptedPolicyContentTypes, mediaType } from './world/content-type.js';

// --- Deciding: one function for both clients, a factory that compiles each policy once --------
export { decide, createDecider, decideFlash, decideSilverlight, decideProfiles } from './decision/decide.js';
export type { Decider, DeciderOptions, ProfileDecisions } from './decision/decide.js';
// Client profiles (spec/profiles.md): each client as a declared delta of a reference procedure.
export { PROFILES, profileDefinition, profileFamily, profilesOf, profileOverrides, withoutOverride } from './profiles/index.js';
export type { AnyProfileDefinition, FlashProfileDefinition, SilverlightProfileDefinition, ProfileOverride, ProfileRegistry } from './profiles/index.js';
export type { ProfileDefinition, StepTag, Override, Overrides, Undecided, Pending } from './profiles/types.js';
export type { FlashSteps } from './flash/steps.js';
export type { FlashReadSteps } from './flash/effective.js';
export type { SilverlightSteps } from './silverlight/steps.js';
export { readRequest, REQUEST_DIAGNOSTIC_CODES } from './decision/request.js';
export type { RequestReadResult } from './decision/request.js';
// The client configuration (spec/client-config.md): deny list, Flash's mms.cfg, Silverlight's elevated trust.
export { readClientConfig, emptyClientConfig, decideByConfiguration, CLIENT_CONFIG_DIAGNOSTIC_CODES } from './decision/client-config.js';
export type { ConfigurationOutcome } from './decision/client-config.js';
export { parseMmsCfg, MMS_CFG_SETTINGS, MMS_CFG_UNMODELLED_NETWORK_SETTINGS, MMS_CFG_DIAGNOSTIC_CODES } from './flash/mms-cfg.js';
export type { MmsCfgResult, MmsCfgDiagnosticCode, FlashClientSettings } from './flash/mms-cfg.js';
export { FLASH_BLOCKED_PORTS, flashBlocksPort } from './flash/blocked-ports.js';
export type { BlockedPortScheme } from './flash/blocked-ports.js';
export { createFlashDecider } from './flash/decide.js';
export type { FlashDecider } from './flash/decide.js';
export { createSilverlightDecider } from './silverlight/decide.js';
export type { SilverlightDecider } from './silverlight/decide.js';

// --- Lint and its catalogue (spec/lint.md) ----------------------------------------------------
export { lint, lintEffective, lintText, lintTextReport, diagnosticToFinding } from './lint/lint.js';
export type { AnyPolicy, AnyEffectivePolicy, LintReport } from './lint/lint.js';
export { LINT_CLIENTS, parseServedFrom, resolveLintContext, sniffRootElement } from './lint/context.js';
export type { LintClient, LintContext, LintOptions, PolicyFormat, ServedFrom } from './lint/context.js';
export { applyFixes, fixDiff, fixesOf, withFixes } from './lint/fix.js';
export { fingerprints, toSarif, FINGERPRINT_KEY, SARIF_SCHEMA_URI } from './lint/sarif.js';
export type { SarifFile, SarifTool } from './lint/sarif.js';
export { CATALOGUE, CHECKS, CHECK_IDS, SCANNER_RULES, checkInfo } from './lint/catalogue.js';
export type { CheckInfo, LintExample, ScannerRule } from './lint/catalogue.js';
export { FLASH_CHECKS, SILVERLIGHT_CHECKS, SILVERLIGHT_FLASH_SUBSET_CHECKS, CHECK_PROFILES } from './lint/checks/index.js';
export { checkCompatibility, compatProbes, compatDepartures, comparedProfiles } from './lint/checks/index.js';
export type { CompatOptions, CompatProbes, Departure, ProbeOrigin, ProbeOriginKind } from './lint/checks/index.js';
export type { Check, CheckProfile, FlashCheck, SilverlightCheck } from './lint/checks/index.js';
