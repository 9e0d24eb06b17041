/**
 * The one request reader (DECIDE-1): a {@link DecisionRequest} — client, origin, target,
 * `loadPolicy`, headers, method, client configuration — is read here once, into a typed {@link ParsedRequest} that both
 * clients' procedures take. URLs are read by the core's one URL reader (`src/world/locations.ts`);
 * what differs per client is only the rule a failure names.
 *
 * Failure follows the core's convention: `request: null` and the diagnostics saying why. Never
 * throws, whatever the input (the decision function is called with anything).
 *
 * @module
 */
import type { Diagnostic, RequirementId } from '../diagnostics.js';
import { parseOriginUrl, parsePolicyLocation, parseTarget, type Reading } from '../world/locations.js';
import { emptyClientConfig, readClientConfig } from './client-config.js';
import { PROFILE_NAMES, type ClientProfile, type DecisionRequest, type LoadPolicyLocation, type ParsedRequest, type ProfileName } from './types.js';
import { profileFamily } from '../profiles/index.js';

/** Diagnostic codes of the request reader, beyond the URL reader's (`LOCATION_DIAGNOSTIC_CODES`). */
export const REQUEST_DIAGNOSTIC_CODES = ['unreadable-request'] as const;

/** What {@link readRequest} returns. */
export interface RequestReadResult {
  /** The request as read, or `null` when it cannot be read. */
  request: ParsedRequest | null;
  /** Why `request` is `null` (empty otherwise). */
  diagnostics: Diagnostic[];
  /** The client named, when it is a known one (even if the rest could not be read). */
  client: ProfileName | null;
  /** The origin and target as given, as strings (for the decision). */
  given: { origin: string; target: string };
  /** Which part could not be read, when `request` is `null` (for the edges: the CLI names its option). */
  failed?: 'request' | 'client' | 'origin' | 'target' | 'clientConfig';
}

/** The rules each client states for a request it cannot read. */
interface RequestRules {
  origin: RequirementId;
  socketTarget: RequirementId;
  urlTarget: RequirementId;
  credentials: RequirementId;
  loadPolicySocket: RequirementId;
  loadPolicyUrl: RequirementId;
}

// FLASH-URL-12; SL-DOM-1, SL-DOM-11, SL-SOCK-1, SL-HTTP-10; FLASH-SOCK-8, FLASH-URL-5
const RULES: Readonly<Record<ClientProfile, RequestRules>> = {
  flash: { origin: 'FLASH-URL-12', socketTarget: 'FLASH-URL-12', urlTarget: 'FLASH-URL-12', credentials: 'FLASH-URL-12', loadPolicySocket: 'FLASH-SOCK-8', loadPolicyUrl: 'FLASH-URL-5' },
  silverlight: { origin: 'SL-DOM-1', socketTarget: 'SL-SOCK-1', urlTarget: 'SL-HTTP-10', credentials: 'SL-DOM-11', loadPolicySocket: 'SL-HTTP-10', loadPolicyUrl: 'SL-HTTP-10' },
};

/** A value as text for messages; never throws (an object's own `toString` may). */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return String(value);
  } catch {
    return `(${typeof value})`;
  }
}

function failure(failed: RequestReadResult['failed'], client: ProfileName | null, given: RequestReadResult['given'], message: string, requirement: RequirementId, value: string): RequestReadResult {
  return { request: null, client, given, failed, diagnostics: [{ severity: 'error', code: 'unreadable-request', message, line: 1, column: 1, requirement, value }] };
}

function reading(what: string, requirement: RequirementId, diagnostics: Diagnostic[]): Reading {
  return { what, requirement, diagnostics };
}

/** Credentials have their own rule in some clients (SL-DOM-11): re-label the reader's diagnostic. */
function relabelCredentials(diagnostics: Diagnostic[], rules: RequestRules): void {
  for (const d of diagnostics) if (d.code === 'credentials') d.requirement = rules.credentials;
}

// DECIDE-1
/**
 * Reads a request for the decision function. An unknown client, a request that is not an object,
 * an origin or target that is not a string or cannot be read: `request: null`, with a diagnostic
 * naming the rule of the client (or DECIDE-1 when no known client is named).
 */
export function readRequest(input: unknown): RequestReadResult {
  const r = (input !== null && typeof input === 'object' ? input : {}) as Partial<Record<keyof DecisionRequest, unknown>>;
  const given = { origin: asText(r.origin), target: asText(r.target) };
  if (input === null || typeof input !== 'object') return failure('request', null, given, `the request must be an object with client, origin and target, not ${input === null ? 'null' : typeof input}`, 'DECIDE-1', asText(input));
  const client = PROFILE_NAMES.find((c) => c === r.client) ?? null;
  if (client === null) return failure('client', null, given, `unknown client profile ${typeof r.client === 'string' ? JSON.stringify(r.client) : asText(r.client)} (expected one of ${PROFILE_NAMES.join(', ')})`, 'DECIDE-1', asText(r.client));
  // A profile reads the request as its family does: what cannot be read names the family's rule.
  const family: ClientProfile = profileFamily(client);
  const rules = RULES[family];
  if (typeof r.origin !== 'string' || typeof r.target !== 'string') {
    return failure(typeof r.origin !== 'string' ? 'origin' : 'target', client, given, 'the request has no origin or target string', rules.origin, '');
  }
  const diagnostics: Diagnostic[] = [];
  const origin = parseOriginUrl(r.origin, reading('origin', rules.origin, diagnostics));
  const socket = /^socket:/i.test(r.target);
  const target = origin === null ? null : parseTarget(r.target, reading(socket ? 'socket target' : 'target', socket ? rules.socketTarget : rules.urlTarget, diagnostics));
  if (origin === null || target === null) {
    relabelCredentials(diagnostics, rules);
    return { request: null, client, given, diagnostics, failed: origin === null ? 'origin' : 'target' };
  }
  const loadPolicy: LoadPolicyLocation[] = (Array.isArray(r.loadPolicy) ? r.loadPolicy : []).map((raw: unknown) => {
    const text = asText(raw);
    const why: Diagnostic[] = [];
    const location = parsePolicyLocation(text, reading('loadPolicyFile location', target.kind === 'socket' ? rules.loadPolicySocket : rules.loadPolicyUrl, why));
    return { text, location, diagnostics: why };
  });
  const headers = Array.isArray(r.headers) ? r.headers.map(asText) : [];
  const method = typeof r.method === 'string' && r.method !== '' ? r.method : 'GET';
  // CLIENT-1: the client configuration is read here, once, with the rest of the request.
  const clientConfig = r.clientConfig === undefined ? emptyClientConfig() : readClientConfig(r.clientConfig, diagnostics, 'clientConfig.');
  if (clientConfig === null) return { request: null, client, given, diagnostics, failed: 'clientConfig' };
  return { request: { client, family, origin, target, loadPolicy, headers, method, clientConfig, given }, client, given, diagnostics };
}
