/**
 * The check registry: the exported arrays of checks per client profile, as csp-evaluator's
 * `DEFAULT_CHECKS`. `lint` runs the array for the policy's format; other consumers (the server's
 * warnings, certify) may run their own selection of the same functions.
 *
 * @module
 */
import type { LintClient } from '../context.js';
import type { FlashCheck, SilverlightCheck } from './check.js';
import { checkFlashDomains, checkSilverlightDomains } from './domains.js';
import { checkHeaderLists, checkSecureOverHttps } from './grants.js';
import { checkFlashServing, checkSilverlightServing, checkSiteControl } from './meta.js';
import { checkFlashPorts } from './ports.js';
import { checkShadowedRules } from './rules.js';
import { checkSilverlightGrants } from './silverlight.js';

export type { Check, FlashCheck, SilverlightCheck } from './check.js';
export { checkContext } from './context.js';
export { checkFlashDomains, checkSilverlightDomains } from './domains.js';
export { checkHeaderLists, checkSecureOverHttps } from './grants.js';
export { checkFlashServing, checkSilverlightServing, checkSiteControl } from './meta.js';
export { checkFlashPorts, SERVICE_PORTS, WIDE_RANGE_THRESHOLD } from './ports.js';
export { checkShadowedRules } from './rules.js';
export { checkSilverlightGrants } from './silverlight.js';

/** Every check over a Flash policy (crossdomain.xml or socket policy). */
export const FLASH_CHECKS: readonly FlashCheck[] = [checkFlashDomains, checkFlashPorts, checkShadowedRules, checkSecureOverHttps, checkHeaderLists, checkSiteControl, checkFlashServing];

/** Every check over a Silverlight clientaccesspolicy.xml. */
export const SILVERLIGHT_CHECKS: readonly SilverlightCheck[] = [checkSilverlightDomains, checkSilverlightGrants, checkSilverlightServing];

/**
 * What Silverlight reads of a Flash file: only a master `/crossdomain.xml`, and there only
 * `allow-access-from domain="*"`, header grants, `secure` and the meta-policy (spec/silverlight
 * 7-flash-subset, SL-FLASH-*). Socket ports mean nothing to it (it never reads a Flash socket
 * policy), so the port checks are left out.
 */
export const SILVERLIGHT_FLASH_SUBSET_CHECKS: readonly FlashCheck[] = [checkFlashDomains, checkShadowedRules, checkSecureOverHttps, checkHeaderLists, checkSiteControl, checkFlashServing];

/** The checks each client profile runs, per file format (csp-evaluator's per-version arrays). */
export const CHECK_PROFILES: Readonly<Record<LintClient, { flash: readonly FlashCheck[]; silverlight: readonly SilverlightCheck[] }>> = {
  flash: { flash: FLASH_CHECKS, silverlight: SILVERLIGHT_CHECKS },
  silverlight: { flash: SILVERLIGHT_FLASH_SUBSET_CHECKS, silverlight: SILVERLIGHT_CHECKS },
  all: { flash: FLASH_CHECKS, silverlight: SILVERLIGHT_CHECKS },
};
