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
} from './server/index.js';
