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
// lint (spec/lint.md)
export * from './lint/finding.js';
export type { LintClient, LintContext, LintOptions, PolicyFormat, ServedFrom } from './lint/context.js';
export { LINT_CLIENTS, parseServedFrom, resolveLintContext, sniffRootElement } from './lint/context.js';
export type { CheckInfo, LintExample, ScannerRule } from './lint/catalogue.js';
export { CHECKS, CHECK_IDS, SCANNER_RULES, checkInfo } from './lint/catalogue.js';
export type { Check, FlashCheck, SilverlightCheck } from './lint/checks/index.js';
export {
  FLASH_CHECKS,
  SILVERLIGHT_CHECKS,
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
export type { AnyPolicy, LintReport } from './lint/lint.js';
export { diagnosticToFinding, lint, lintText, lintTextReport } from './lint/lint.js';
