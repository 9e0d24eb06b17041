/**
 * The named steps of Flash Player's procedure (spec/flash/5–8) and the reference value of each:
 * Flash Player 10 and later, the `flash` profile. The procedure (`decide.ts`, `fetch.ts`,
 * `effective.ts`) reads every step from a table of this shape; a client profile
 * (src/profiles/) is this table with some steps replaced. The reference table is the default, so
 * the reference pays one property read per step.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import type { DecisionBuilder } from '../decision/builder.js';
import type { Decision, LoadPolicyLocation, ParsedClientConfig, ParsedRequest } from '../decision/types.js';
import type { SocketLocation, SocketTarget, Target, UrlLocation, UrlTarget } from '../world/locations.js';
import { masterSocketLocation } from '../world/locations.js';
import { flashBlocksPort } from './blocked-ports.js';
import { ruleOrigin, type RuleOrigin } from './compile.js';
import { FLASH_READ_STEPS, type FlashReadSteps } from './effective.js';
import { flashUrlAnswer, type FetchedFlashPolicy, type FlashUrlFetchSteps } from './fetch.js';
import { metaPolicyPermits, type MetaPolicyCandidate } from './meta.js';
import type { MetaPolicy } from './model.js';
import { policyCoversTarget } from './scope.js';

/** Whether a policy location covers a target (FLASH-URL-3, FLASH-URL-4, FLASH-URL-13), and why. */
export interface ScopeAnswer {
  covers: boolean;
  why: string;
  requirement: RequirementId;
}

/** The policy locations of a decider, fetched, read and compiled at most once each. */
export interface FlashFetcher {
  socket(loc: SocketLocation, master: boolean): FetchedFlashPolicy;
  url(loc: UrlLocation, master: boolean): FetchedFlashPolicy;
}

/** What {@link FlashSteps.legacySocketGrant} works with: the decision so far and the URL locations `loadPolicyFile` named. */
export interface LegacySocketInput {
  b: DecisionBuilder;
  fetch: FlashFetcher;
  request: ParsedRequest;
  origin: RuleOrigin;
  target: SocketTarget;
  /** The `loadPolicyFile` locations that are URLs (not socket locations), in call order. */
  urlLocations: readonly LoadPolicyLocation[];
  steps: FlashSteps;
}

/** Which further socket policy locations a meta-policy lets the client ask (FLASH-SOCK-6). */
export interface SocketLocationsAllowed {
  loadPolicy: boolean;
  destination: boolean;
}

/** What {@link FlashSteps.heldSocketPolicy} works with: the decision so far and the request's `loadPolicyFile` locations. */
export interface HeldSocketInput {
  b: DecisionBuilder;
  fetch: FlashFetcher;
  request: ParsedRequest;
  target: SocketTarget;
  steps: FlashSteps;
}

/**
 * A client that fetches socket policies before the connection and holds them per address: the
 * policy it holds for the target's address (`null`: none), the socket `loadPolicyFile` locations
 * already traced.
 */
export interface HeldSocketPolicy {
  policy: FetchedFlashPolicy | null;
}

/** A data load a client makes without asking any policy, beyond same origin: why. */
export interface PolicyFreeLoad {
  why: string;
  requirements: RequirementId[];
}

/** Every named step of the Flash procedure. */
export interface FlashSteps extends FlashReadSteps, FlashUrlFetchSteps {
  /** A client that decides some requests without asking any policy (none for Flash Player: every request goes through its procedure). */
  withoutPolicy(b: DecisionBuilder, request: ParsedRequest, fetch: FlashFetcher): Decision | null;
  /** CLIENT-2: the settings of the client configuration this client honours. */
  clientConfig(config: ParsedClientConfig, target: Target): ParsedClientConfig;
  /** FLASH-DOM-*: the SWF's origin as domain rules see it. */
  ruleOrigin(request: ParsedRequest): RuleOrigin;
  /** FLASH-URL-2: whether a data load is same-origin (no policy needed). */
  sameOrigin(request: ParsedRequest, target: UrlTarget): boolean;
  /** FLASH-URL-2: a cross-origin data load the client makes without any policy (none for Flash Player). */
  policyFreeLoad(request: ParsedRequest, target: UrlTarget): PolicyFreeLoad | null;
  /**
   * FLASH-SOCK-8: the socket policy a client already holds for the target's address, fetched before
   * the connection (`null`: a client without such a cache, whose `loadPolicyFile` locations are
   * asked after the master — Flash Player).
   */
  heldSocketPolicy(input: HeldSocketInput): HeldSocketPolicy | null;
  /** FLASH-SOCK-4: where the master socket policy of a host is, or `null` when the client has none. */
  masterSocketLocation(host: string): SocketLocation | null;
  /** FLASH-SOCK-5: what the client does when the master socket location answered no usable policy. */
  unusableMasterSocket(answered: FetchedFlashPolicy['answered']): 'as-absent' | 'destination-only' | 'nothing';
  /** FLASH-SOCK-6: which other socket locations a master's meta-policy lets the client ask. */
  socketLocations(meta: MetaPolicy): SocketLocationsAllowed;
  /** FLASH-SOCK-3: a grant from anything but socket policies (none for Flash Player 10); also traces the URL `loadPolicyFile` locations. */
  legacySocketGrant(input: LegacySocketInput): Decision | null;
  /** FLASH-URL-15: whether `Security.loadPolicyFile` refuses this URL location. */
  blocksPolicyLocation(loc: UrlLocation): boolean;
  /** FLASH-URL-3, FLASH-URL-4, FLASH-URL-8: whether the (fetched) master covers the target. */
  masterCoversTarget(master: FetchedFlashPolicy, target: UrlTarget): ScopeAnswer;
  /** FLASH-URL-5: whether a `loadPolicyFile` URL is asked for this target at all. */
  loadPolicyCandidate(loc: UrlLocation, target: UrlTarget): ScopeAnswer;
  /** FLASH-URL-5: the meta-policy that governs a non-master file (`null`: none does). */
  governingMeta(file: FetchedFlashPolicy, targetMeta: MetaPolicy, fetch: FlashFetcher): MetaPolicy | null;
  /** FLASH-META-2 … FLASH-META-9: whether a meta-policy lets the client honour a file. */
  metaPermits(meta: MetaPolicy, candidate: MetaPolicyCandidate): { permitted: boolean; requirement: RequirementId; why: string };
  /** FLASH-URL-8: whether a fetched non-master file, where it finally came from, covers the target. */
  fileCoversTarget(file: FetchedFlashPolicy, target: UrlTarget): ScopeAnswer;
  /** FLASH-URL-10: the request headers that need a grant. */
  headersToCheck(headers: readonly string[]): readonly string[];
}

// FLASH-SOCK-3, FLASH-URL-15
/** Flash Player 10: URL policies never authorize sockets; a blocked `loadPolicyFile` URL is refused. Traces each, grants nothing. */
function noLegacySocketGrant({ b, urlLocations, steps }: LegacySocketInput): null {
  for (const { location: loc } of urlLocations) {
    if (loc === null || loc.kind !== 'url') continue;
    if (steps.blocksPolicyLocation(loc)) {
      b.add({ step: 'ignore', location: loc.key, used: false, why: `port ${loc.port} is on Flash Player's blocked list, so Security.loadPolicyFile refuses this location: it is never fetched`, requirements: ['FLASH-URL-15', 'FLASH-URL-14'] });
    } else {
      b.add({ step: 'ignore', location: loc.key, used: false, why: 'a URL policy never authorizes a socket connection', requirements: ['FLASH-SOCK-3'] });
    }
  }
  return null;
}

/** The reference step table: Flash Player 10 and later (spec/flash/). */
export const FLASH_STEPS: FlashSteps = {
  ...FLASH_READ_STEPS,
  withoutPolicy: () => null,
  clientConfig: (config) => config,
  ruleOrigin: (request) => ruleOrigin(request.origin),
  // FLASH-URL-2
  sameOrigin: ({ origin }, target) => origin.scheme === target.scheme && origin.host === target.host && origin.port === target.port,
  // FLASH-URL-2: only the same origin loads without a policy.
  policyFreeLoad: () => null,
  // FLASH-SOCK-8: Flash Player holds no socket policy across connections; loadPolicyFile locations come after the master.
  heldSocketPolicy: () => null,
  urlAnswer: flashUrlAnswer,
  // FLASH-URL-1: the file asked for as /crossdomain.xml of the target is the master, redirected or not.
  isMasterUrl: (_final, requestedAsMaster) => requestedAsMaster,
  masterSocketLocation,
  // FLASH-SOCK-5: no usable master (nothing listening, the 3-second wait expired, empty, malformed) is as if 843 did not exist.
  unusableMasterSocket: () => 'as-absent',
  // FLASH-SOCK-6: under 'all' the loadPolicyFile locations and the destination port; an inapplicable value already reads 'none'.
  socketLocations: (meta) => (meta === 'all' ? { loadPolicy: true, destination: true } : { loadPolicy: false, destination: false }),
  legacySocketGrant: noLegacySocketGrant,
  // FLASH-URL-15
  blocksPolicyLocation: (loc) => flashBlocksPort(loc.scheme, loc.port),
  masterCoversTarget: (master, target) => policyCoversTarget(master.finalUrl!, target),
  loadPolicyCandidate: policyCoversTarget,
  // FLASH-URL-5: every policy of the host is governed by its master's meta-policy.
  governingMeta: (_file, targetMeta) => targetMeta,
  metaPermits: metaPolicyPermits,
  fileCoversTarget: (file, target) => policyCoversTarget(file.finalUrl!, target),
  headersToCheck: (headers) => headers,
};
