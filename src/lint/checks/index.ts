/**
 * The check registry: the exported arrays of checks per client profile, as csp-evaluator's
 * `DEFAULT_CHECKS`. `lint` runs the array for the policy's format; other consumers (the server's
 * warnings, certify) may run their own selection of the same functions.
 *
 * @module
 */
import type { LintClient } from '../context.js';
import type { FlashCheck, SilverlightCheck } from './check.js';
import { checkFlashDomains, checkFlashRegisteredDomains, checkSilverlightDomains, checkSilverlightRegisteredDomains } from './domains.js';
import { checkHeaderLists, checkSecureOverHttps } from './grants.js';
import { checkFlashServing, checkSilverlightServing, checkSiteControl } from './meta.js';
import { checkFlashPorts } from './ports.js';
import { checkShadowedRules } from './rules.js';
import { checkSilverlightGrants } from './silverlight.js';

export type { Check, FlashCheck, SilverlightCheck } from './check.js';
export { checkContext } from './context.js';
export { checkCompatibility, compatProbes, compatDepartures, comparedProfiles, MAX_PROBE_DOMAINS, MAX_PROBE_PORTS, MAX_PROBE_PATHS } from './compat.js';
export type { CompatOptions, CompatProbes, Departure, ProbeOrigin, ProbeOriginKind } from './compat.js';
export { checkFlashDomains, checkFlashRegisteredDomains, checkSilverlightDomains, checkSilverlightRegisteredDomains, registeredDomain } from './domains.js';
export { checkHeaderLists, checkSecureOverHttps } from './grants.js';
export { checkFlashServing, checkSilverlightServing, checkSiteControl } from './meta.js';
export { checkFlashPorts, SERVICE_PORTS, WIDE_RANGE_THRESHOLD } from './ports.js';
export { checkShadowedRules, SHADOW_COMPARISON_BUDGET } from './rules.js';
export { checkSilverlightGrants } from './silverlight.js';

/**
 * The checks of one file format for one client, in two groups:
 * - `grants`: checks of what each grant allows (domains, ports, `secure`, headers, shadowing). The
 *   linter runs them over the grants the client can use; a grant that never applies gets one
 *   LINT-RULE-NEVER-APPLIES finding instead, which names what these checks would have said;
 * - `file`: checks of the file as a whole (meta-policies, how it is served), run over the whole model.
 */
export interface CheckProfile<C> {
  grants: readonly C[];
  file: readonly C[];
}

/** The Flash checks, by group. */
export const FLASH_CHECK_PROFILE: CheckProfile<FlashCheck> = {
  grants: [checkFlashDomains, checkFlashRegisteredDomains, checkFlashPorts, checkShadowedRules, checkSecureOverHttps, checkHeaderLists],
  file: [checkSiteControl, checkFlashServing],
};

/** The Silverlight checks, by group. */
export const SILVERLIGHT_CHECK_PROFILE: CheckProfile<SilverlightCheck> = {
  grants: [checkSilverlightDomains, checkSilverlightRegisteredDomains, checkSilverlightGrants],
  file: [checkSilverlightServing],
};

/**
 * What Silverlight reads of a Flash file: only a master `/crossdomain.xml`, and there only
 * `allow-access-from domain="*"`, header grants, `secure` and the meta-policy (spec/silverlight
 * 7-flash-subset, SL-FLASH-*). Socket ports mean nothing to it (it never reads a Flash socket
 * policy), so the port checks are left out.
 */
export const SILVERLIGHT_FLASH_SUBSET_CHECK_PROFILE: CheckProfile<FlashCheck> = {
  grants: [checkFlashDomains, checkFlashRegisteredDomains, checkShadowedRules, checkSecureOverHttps, checkHeaderLists],
  file: FLASH_CHECK_PROFILE.file,
};

/** Every check over a Flash policy (crossdomain.xml or socket policy). */
export const FLASH_CHECKS: readonly FlashCheck[] = [...FLASH_CHECK_PROFILE.grants, ...FLASH_CHECK_PROFILE.file];

/** Every check over a Silverlight clientaccesspolicy.xml. */
export const SILVERLIGHT_CHECKS: readonly SilverlightCheck[] = [...SILVERLIGHT_CHECK_PROFILE.grants, ...SILVERLIGHT_CHECK_PROFILE.file];

/** Every check Silverlight's reading of a Flash file runs. */
export const SILVERLIGHT_FLASH_SUBSET_CHECKS: readonly FlashCheck[] = [...SILVERLIGHT_FLASH_SUBSET_CHECK_PROFILE.grants, ...SILVERLIGHT_FLASH_SUBSET_CHECK_PROFILE.file];

/** The checks each client profile runs, per file format (csp-evaluator's per-version arrays). */
export const CHECK_PROFILES: Readonly<Record<LintClient, { flash: CheckProfile<FlashCheck>; silverlight: CheckProfile<SilverlightCheck> }>> = {
  flash: { flash: FLASH_CHECK_PROFILE, silverlight: SILVERLIGHT_CHECK_PROFILE },
  silverlight: { flash: SILVERLIGHT_FLASH_SUBSET_CHECK_PROFILE, silverlight: SILVERLIGHT_CHECK_PROFILE },
  all: { flash: FLASH_CHECK_PROFILE, silverlight: SILVERLIGHT_CHECK_PROFILE },
};
