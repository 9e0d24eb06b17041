/**
 * The `unity` profile: the Unity web player's socket policy check — its fork of Moonlight's policy
 * code (namespace `MonoForks.System.Windows.Browser.Net`: `FlashCrossDomainPolicy`,
 * `CrossDomainPolicyManager`; the copy the code index holds, its repository path UNVERIFIED) and
 * Mono's `SocketPolicyClient`, as spec/flash/9-divergences.md rows UN-* record them. Our own
 * functions, written from what that code does.
 *
 * Only sockets are modelled. The WWW class's crossdomain.xml check (rows UN-2) is listed as not
 * modelled yet: its requests are decided as the reference, and the corpus entries that record the
 * difference are expected to fail until it is.
 *
 * @module
 */
import { parseDomainPattern } from '../flash/domains.js';
import { FLASH_READ_STEPS } from '../flash/effective.js';
import type { FlashSteps } from '../flash/steps.js';
import type { ProfileDefinition, StepTag } from './types.js';

const FORK = "Unity's MonoForks FlashCrossDomainPolicy.cs (index copy, path UNVERIFIED)";
const MANAGER = "Unity's MonoForks CrossDomainPolicyManager.cs (index copy, path UNVERIFIED)";

const tag = (record: string, departsFrom: StepTag['departsFrom'], does: string, source: string): StepTag => ({ record: `flash/9#${record}`, departsFrom, does, source });

/** The Unity web player (sockets). */
export const UNITY_PROFILE: ProfileDefinition<FlashSteps> = {
  name: 'unity',
  base: 'flash',
  title: 'Unity web player (sockets; MonoForks policy code)',
  description: "The Unity web player's socket check: one policy, from port 843 (or the port Security.PrefetchSocketPolicy names), whose rules grant only with domain=\"*\"; nothing else is asked; a policy from port 1024 counts as low.",
  overrides: {
    domainPattern: {
      run: (domain, context) => (context.kind !== 'socket' ? parseDomainPattern(domain) : domain === '*' ? { kind: 'any' } : { kind: 'invalid', reason: 'Unity honours only domain="*" in socket policies', requirement: 'FLASH-DOM-2' }),
      tag: tag('UN-1', ['FLASH-DOM-2'], 'a socket rule grants only with domain="*" exactly; any other domain never matches', `${FORK} AllowAccessFrom.IsSocketConnectionAllowed, lines 160-161; Unity manual SecuritySandbox.md line 87 (ljmeijer/documentation @ 447410d)`),
    },
    secure: {
      run: (secure, context) => (context.kind === 'socket' ? false : FLASH_READ_STEPS.secure(secure, context)),
      tag: tag('UN-1', ['FLASH-SEC-3'], 'a socket rule never looks at secure', `${FORK} AllowAccessFrom.IsSocketConnectionAllowed, lines 150-161 (no test of Secure)`),
    },
    metaPolicy: {
      run: (policy, header, context) => (context.kind === 'socket' && context.master !== false ? { value: 'all', source: 'default', notes: ['Unity never reads a socket policy\'s site-control'], requirements: ['FLASH-SOCK-6'] } : FLASH_READ_STEPS.metaPolicy(policy, header, context)),
      tag: tag('UN-1', ['FLASH-SOCK-6', 'FLASH-META-2'], "ignores a socket policy's site-control (none included): IsSocketConnectionAllowed reads only the rules", `${FORK} IsSocketConnectionAllowed (the rules only; SiteControl is read by IsAllowed, the WWW check)`),
    },
    socketLocations: {
      run: () => ({ loadPolicy: false, destination: false }),
      tag: tag('UN-1', ['FLASH-SOCK-5', 'FLASH-SOCK-8'], 'asks one location only: neither loadPolicyFile locations (Unity has none) nor the destination port', `${MANAGER} CheckSocketEndPoint / FlashCrossDomainPolicyFor (one policy per IP, from the policy port)`),
    },
    unusableMasterSocket: {
      run: () => 'nothing',
      tag: tag('UN-1', ['FLASH-SOCK-5'], 'no usable policy on the policy port (refused, timeout, unreadable) is the deny-everything policy: nothing else is asked', `${MANAGER} FlashCrossDomainPolicyFor (an exception returns FlashCrossDomainPolicy.DenyPolicy, which has no rule)`),
    },
  },
  pending: [
    { record: 'flash/9#UN-3', what: 'policyport > 1024 (a policy from port 1024 counts as low): reachable only through Security.PrefetchSocketPolicy, which is not modelled', cases: ['flash/sockets/policy-port-1024-is-high', 'flash/sockets/policy-port-1024-is-high#1'] },
    { record: 'flash/9#UN-2', what: "the WWW class's crossdomain.xml check (CheckDomain: EndsWith keeping the dot, tested against a URI whose identity is UNVERIFIED)", cases: ['flash/domains/suffix-matches-bare', 'flash/examples/url-suffix-allows'] },
  ],
  undecided: [
    { what: "How the fork's parser reads to-ports, secure and malformed XML (its parser is not in the index; a Moonlight-era one splits to-ports at commas into integers).", chose: "The reference's parser (FLASH-PORT-*): ranges read as ranges. UNVERIFIED." },
    { what: 'Security.PrefetchSocketPolicy(ip, port) lets content choose the policy port.', chose: 'Not modelled: the policy port is 843 (the default the manager uses).' },
    { what: 'SocketPolicyClient reads one Receive into a 5,000-byte buffer; how a policy split over several writes reads.', chose: "The reference's framing (the whole answer up to NUL or close)." },
  ],
};
