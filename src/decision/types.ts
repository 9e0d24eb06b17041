/**
 * The decision API's types: what is asked, what the request reader made of it, and the answer with
 * its trace. The trace's words are closed sets ({@link TraceStep}, {@link TraceAnswer}) shared by
 * both clients: the same step has the same word whichever client took it (spec/README.md,
 * "Decision traces").
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';
import type { PortRange } from '../flash/model.js';
import type { OriginUrl, PolicyLocation, Target } from '../world/locations.js';
import type { WorldEnd, WorldError } from '../world/world.js';

/**
 * A client family, and the reference profile of that family: `flash` (Flash Player 10 and later)
 * and `silverlight` (Silverlight 4/5 in the browser). Every other profile is a declared delta of
 * one of these ({@link ProfileName}, `src/profiles/`).
 */
export type ClientProfile = 'flash' | 'silverlight';

/** The two families (the reference profiles). */
export const CLIENT_PROFILES: readonly ClientProfile[] = ['flash', 'silverlight'];

/**
 * Every client profile the decision function follows (spec/profiles.md): the two references and the
 * clients modelled as deltas of them — `flash9` (Flash Player 9 before its strict socket rules),
 * `lightspark`, `unity` (the Unity web player's sockets and WWW class), `swfdec`, `gnash` (no policy files at all) and
 * `moonlight`. Each profile's definition is in `src/profiles/`; the registry
 * (`src/profiles/index.ts`) gives its family.
 */
export const PROFILE_NAMES = ['flash', 'flash9', 'lightspark', 'unity', 'swfdec', 'gnash', 'silverlight', 'moonlight'] as const;

/** One of {@link PROFILE_NAMES}. */
export type ProfileName = (typeof PROFILE_NAMES)[number];

/**
 * The client configuration (spec/client-config.md): what the machine's administrator or user says,
 * whatever any policy says. Every part is optional; the JSON of `xdpolicy decide --client-config`.
 */
export interface ClientConfig {
  /** Where no content may connect, for both clients (CLIENT-3, CLIENT-4). */
  deny?: {
    /** Ports (1–65535) and inclusive ranges `"A-B"`. */
    ports?: (number | string)[];
    /** IPv4/IPv6 addresses and CIDR ranges (`10.0.0.0/8`, `fd00::/8`). */
    addresses?: string[];
  };
  /** Flash Player's mms.cfg networking settings (CLIENT-5, CLIENT-6). */
  flash?: {
    /** mms.cfg `DisableSockets = 1`: no `Socket`/`XMLSocket` connections. */
    disableSockets?: boolean;
    /** mms.cfg `EnableSocketsTo`: hosts still reachable by sockets while they are disabled. */
    enableSocketsTo?: string[];
  };
  /** Silverlight (CLIENT-8, CLIENT-9). */
  silverlight?: {
    /** The application runs with elevated trust (`Application.HasElevatedPermissions`). */
    elevatedTrust?: boolean;
  };
}

/** A setting of the client configuration, as the trace names it (CLIENT-2). */
export type ClientSetting = 'deny.ports' | 'deny.addresses' | 'flash.disableSockets' | 'flash.enableSocketsTo' | 'silverlight.elevatedTrust';

/** An address range of the deny list, as read: the text given and its canonical CIDR form. */
export interface AddressRange {
  /** As written in the configuration. */
  text: string;
  /** `ipv4` or `ipv6`. */
  kind: 'ipv4' | 'ipv6';
  /** The network address, canonical (`10.0.0.0`, `fd00::`). */
  address: string;
  /** The prefix length. */
  prefix: number;
}

/** The client configuration as the request reader read it (CLIENT-1): every setting filled in. */
export interface ParsedClientConfig {
  /** Inclusive port ranges (a single port is a range of one), and address ranges. */
  deny: { ports: PortRange[]; addresses: AddressRange[] };
  flash: { disableSockets: boolean; enableSocketsTo: string[] };
  silverlight: { elevatedTrust: boolean };
}

/** A question: may content from `origin` reach `target`? */
export interface DecisionRequest {
  /** The client profile followed (spec/profiles.md): `flash`, `silverlight`, or a client modelled on one of them. */
  client: ProfileName;
  /** URL of the requesting SWF or XAP, e.g. `http://a.com/m.swf`. */
  origin: string;
  /** `socket://host:port` for a socket connection, or an `http(s)://` URL for a data load. */
  target: string;
  /** `Security.loadPolicyFile(url)` calls made before the request (Flash), in order. */
  loadPolicy?: string[];
  /** Request headers the content wants to send. */
  headers?: string[];
  /** HTTP method (Silverlight); default `GET`. */
  method?: string;
  /** The client configuration: the administrator's and user's last word (spec/client-config.md). */
  clientConfig?: ClientConfig;
}

/** A `loadPolicyFile` URL as the request reader read it: the location, or `null` and why not. */
export interface LoadPolicyLocation {
  /** The URL as given. */
  text: string;
  location: PolicyLocation | null;
  /** Why `location` is `null` (empty otherwise). */
  diagnostics: Diagnostic[];
}

/** A request as the one request reader read it (DECIDE-1): what both clients' procedures take. */
export interface ParsedRequest {
  /** The profile followed. */
  client: ProfileName;
  /** Its family: the reference procedure it is a delta of. */
  family: ClientProfile;
  origin: OriginUrl;
  target: Target;
  /** The `loadPolicyFile` URLs, in call order, each read as a policy location. */
  loadPolicy: LoadPolicyLocation[];
  /** Request headers, as given. */
  headers: string[];
  /** HTTP method; `GET` when none was given. */
  method: string;
  /** The client configuration, read once (CLIENT-1); without one, no setting is set. */
  clientConfig: ParsedClientConfig;
  /** The origin and target as given (for messages and the decision). */
  given: { origin: string; target: string };
}

/** A rule of a policy, as the trace names it. */
export interface TraceRule {
  /** The element, e.g. `allow-access-from`. */
  element: string;
  /** Its attributes as written. */
  attributes: Record<string, string>;
  line: number;
  column: number;
}

/**
 * What a trace entry records, one word per kind of step, the same in both clients:
 * - `invalid-request`: the request could not be read (DECIDE-1);
 * - `blocked`: the request is refused before any policy is asked for (a port the client never lets
 *   content reach: FLASH-URL-14; a setting of the client configuration, named in `setting`);
 * - `trusted`: a setting of the client configuration lets the content skip the policy check
 *   (Silverlight's elevated trust, CLIENT-8, CLIENT-9);
 * - `same-origin`: the target shares the content's scheme, host and port, so no policy is needed;
 * - `fetch`: a policy location was consulted (`location`, `answered`, `used`);
 * - `meta-policy`: the meta-policy in force for the host, or a meta-policy that rules a file out;
 * - `ignore`: a location or policy the client skips (out of scope, already consulted, not honoured);
 * - `match` / `no-match`: a rule of a consulted policy grants, or nothing in it does;
 * - `note`: an observation that changes nothing (a policy needed even for the content's own host);
 * - `allow` / `deny`: the verdict, always the last entry.
 */
export type TraceStep = 'invalid-request' | 'blocked' | 'trusted' | 'same-origin' | 'fetch' | 'meta-policy' | 'ignore' | 'match' | 'no-match' | 'note' | 'allow' | 'deny';

/** Every {@link TraceStep}, in the order a trace usually meets them. */
export const TRACE_STEPS: readonly TraceStep[] = ['invalid-request', 'blocked', 'trusted', 'same-origin', 'fetch', 'meta-policy', 'ignore', 'match', 'no-match', 'note', 'allow', 'deny'];

/** How a response ended, when it did not end with the close: `unfinished (timeout)`, … */
export type UnfinishedAnswer = `unfinished (${Exclude<WorldEnd, 'close'>})`;

/**
 * What a consulted location answered, the same words in both clients:
 * - `policy`: a policy the client reads (it may still grant nothing);
 * - `invalid`: a response the client's parser rejects;
 * - `empty`: a socket answer with no bytes before the NUL or the close;
 * - `refused` / `timeout` / `reset`: no answer (nothing listens — a socket location absent from the
 *   world — or the connection failed that way);
 * - `unfinished (…)`: an answer that never ended with the close (WorldEnd), so never a policy;
 * - `status N`: an HTTP status other than 200 (`status 404` for a URL location absent from the world);
 * - `redirect`: a redirect the client does not follow to a policy;
 * - `none-this-response`: `X-Permitted-Cross-Domain-Policies: none-this-response`;
 * - `content-type`: a `Content-Type` the client does not accept for a policy.
 */
export type TraceAnswer = 'policy' | 'invalid' | 'empty' | WorldError | UnfinishedAnswer | `status ${number}` | 'redirect' | 'none-this-response' | 'content-type';

/** One step of the decision: a location consulted, or a rule applied. */
export interface TraceEntry {
  step: TraceStep;
  /** The policy location concerned, when there is one. */
  location?: string;
  /** What the location answered (`fetch` steps). */
  answered?: TraceAnswer;
  /** Whether this location's policy was used for the decision. */
  used?: boolean;
  /** Why, for people. */
  why: string;
  /** The rule concerned, when there is one. */
  rule?: TraceRule;
  /** The setting of the client configuration that decided this step, when one did (CLIENT-2). */
  setting?: ClientSetting;
  /** Requirements of spec/ applied at this step. */
  requirements: RequirementId[];
  /** Diagnostics of what was read at this step: the policy fetched, or the request. */
  diagnostics?: Diagnostic[];
}

/** The origin and target as the request reader read them (DECIDE-1). */
export interface ParsedEndpoints {
  origin: OriginUrl;
  target: Target;
}

/** The answer. */
export interface Decision {
  decision: 'allow' | 'deny';
  /** The client profile followed; `null` when the request named no known client (DECIDE-1). */
  client: ProfileName | null;
  /** The origin as given. */
  origin: string;
  /** The target as given. */
  target: string;
  /** The origin and target as read, or `null` when the request could not be read (DECIDE-1). */
  parsed: ParsedEndpoints | null;
  /** One sentence for people: which location decided, which rule, which requirement. */
  reason: string;
  /** The location whose policy decided, if one did. */
  decidedBy: { location: string | null; rule: TraceRule | null; requirements: RequirementId[] };
  trace: TraceEntry[];
}
