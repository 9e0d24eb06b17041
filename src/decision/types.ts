/**
 * The decision API's types: what is asked, and the answer with its trace.
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';

/** The client whose behaviour the decision follows. */
export type ClientProfile = 'flash' | 'silverlight';

/** A question: may content from `origin` reach `target`? */
export interface DecisionRequest {
  client: ClientProfile;
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

/** One step of the decision: a location consulted, or a rule applied. */
export interface TraceEntry {
  /** What happened, as a short stable verb: `fetch`, `ignore`, `match`, `no-match`, `allow`, `deny`, … */
  step: string;
  /** The policy location concerned, when there is one. */
  location?: string;
  /** What the location answered: `policy`, `invalid`, `missing`, `timeout`, `refused`, `reset`, `status 404`, … */
  answered?: string;
  /** Whether this location's policy was used for the decision. */
  used?: boolean;
  /** Why, for people. */
  why: string;
  /** The rule concerned, when there is one. */
  rule?: TraceRule;
  /** Requirements of spec/ applied at this step. */
  requirements: RequirementId[];
  /** Parse diagnostics of the policy fetched at this step. */
  diagnostics?: Diagnostic[];
}

/** The answer. */
export interface Decision {
  decision: 'allow' | 'deny';
  client: ClientProfile;
  origin: string;
  target: string;
  /** One sentence for people: which location decided, which rule, which requirement. */
  reason: string;
  /** The location whose policy decided, if one did. */
  decidedBy: { location: string | null; rule: TraceRule | null; requirements: RequirementId[] };
  trace: TraceEntry[];
}
