/**
 * Reading a world snapshot from JSON (`xdpolicy decide --world FILE`, `certify --record`).
 *
 * Strict on purpose: a typo in a field name (`contenttype`) or a location key (`xmlsocket//h:843`)
 * would otherwise silently change what the world says and so the decision. Every problem is
 * reported with the key it concerns; nothing is dropped quietly.
 *
 * @module
 */
import { dictionary } from '../collections.js';
import type { Diagnostic } from '../diagnostics.js';
import { parsePolicyLocation, worldKeyReading } from './locations.js';
import type { WorldEnd, WorldError, WorldResponse, WorldSnapshot } from './world.js';

/** Diagnostic codes of the world reader (a key that is not a location gets the location reader's codes). */
export const WORLD_DIAGNOSTIC_CODES = ['invalid-world', 'duplicate-location', 'invalid-response', 'unknown-field', 'field-not-applicable', 'invalid-field'] as const;
/** One of {@link WORLD_DIAGNOSTIC_CODES}. */
export type WorldDiagnosticCode = (typeof WORLD_DIAGNOSTIC_CODES)[number];

/** What {@link parseWorld} returns: the world, or `null` and at least one error diagnostic. */
export interface WorldParseResult {
  world: WorldSnapshot | null;
  diagnostics: Diagnostic[];
}

// DECIDE-3: every problem names its key; a reader error is a diagnostic naming the rule.
function problem(diagnostics: Diagnostic[], code: WorldDiagnosticCode, message: string, value?: string): void {
  const d: Diagnostic = { severity: 'error', code, message, line: 1, column: 1, requirement: 'DECIDE-3' };
  if (value !== undefined) d.value = value;
  diagnostics.push(d);
}

const WORLD_ERRORS: readonly WorldError[] = ['timeout', 'refused', 'reset'];
const WORLD_ENDS: readonly WorldEnd[] = ['close', 'reset', 'timeout', 'limit'];
const URL_FIELDS = new Set(['body', 'status', 'contentType', 'headers', 'error', 'end']);
const SOCKET_FIELDS = new Set(['body', 'error', 'end']);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

// DECIDE-3
/**
 * Validates a parsed JSON value as a world snapshot.
 *
 * Returns the world with every key normalised (`HTTP://A.com:80/x` → `http://a.com/x`: DECIDE-2), or
 * `null` and at least one error diagnostic. Messages name the offending key and field. Rules:
 * - the value is an object keyed by `xmlsocket://host:port` or `http(s)://host[:port]/path`;
 * - two keys may not name the same location once normalised;
 * - each value is an object with `body` (string; may be omitted only when `error` is set),
 *   and for URL locations optionally `status` (integer 100–599), `contentType` (string),
 *   `headers` (object of strings); `error` is `timeout`, `refused` or `reset`; `end` (how the
 *   response ended after `body`) is `close`, `reset`, `timeout` or `limit`;
 * - socket locations take only `body`, `error` and `end` (status and headers mean nothing there);
 * - any other field is an error.
 *
 * The world and its `headers` objects have no prototype, so every key of the input is kept as
 * written (`__proto__` included).
 */
export function parseWorld(json: unknown): WorldParseResult {
  const diagnostics: Diagnostic[] = [];
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    problem(diagnostics, 'invalid-world', `the world must be a JSON object keyed by policy location, not ${describe(json)}`);
    return { world: null, diagnostics };
  }
  // Keyed by input: no prototype, so that no key is lost to it (src/collections.ts).
  const world: WorldSnapshot = dictionary();
  const firstKeyFor = new Map<string, string>();
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const loc = parsePolicyLocation(key, worldKeyReading(diagnostics));
    if (loc === null) continue;
    const norm = loc.key;
    const earlier = firstKeyFor.get(norm);
    if (earlier !== undefined) {
      problem(diagnostics, 'duplicate-location', `world key '${key}' names the same location as '${earlier}' (${norm})`, key);
      continue;
    }
    firstKeyFor.set(norm, key);
    const response = parseWorldResponse(key, value, loc.kind, diagnostics);
    if (response) world[norm] = response;
  }
  return diagnostics.length > 0 ? { world: null, diagnostics } : { world, diagnostics };
}

function parseWorldResponse(key: string, value: unknown, kind: 'socket' | 'url', diagnostics: Diagnostic[]): WorldResponse | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problem(diagnostics, 'invalid-response', `world key '${key}': the value must be an object like {"body": "..."}, not ${describe(value)}`, key);
    return null;
  }
  const v = value as Record<string, unknown>;
  const allowed = kind === 'socket' ? SOCKET_FIELDS : URL_FIELDS;
  const before = diagnostics.length;
  for (const field of Object.keys(v)) {
    if (!allowed.has(field)) {
      if (URL_FIELDS.has(field)) problem(diagnostics, 'field-not-applicable', `world key '${key}': field '${field}' does not apply to a socket location (only body, error and end)`, field);
      else problem(diagnostics, 'unknown-field', `world key '${key}': unknown field '${field}' (expected ${[...allowed].join(', ')})`, field);
    }
  }
  const out: WorldResponse = { body: '' };
  if (v.error !== undefined) {
    if (typeof v.error !== 'string' || !WORLD_ERRORS.includes(v.error as WorldError)) {
      problem(diagnostics, 'invalid-field', `world key '${key}': 'error' must be one of ${WORLD_ERRORS.join(', ')}, not ${JSON.stringify(v.error)}`);
    } else {
      out.error = v.error as WorldError;
    }
  }
  if (v.end !== undefined) {
    if (typeof v.end !== 'string' || !WORLD_ENDS.includes(v.end as WorldEnd)) {
      problem(diagnostics, 'invalid-field', `world key '${key}': 'end' must be one of ${WORLD_ENDS.join(', ')}, not ${JSON.stringify(v.end)}`);
    } else {
      out.end = v.end as WorldEnd;
    }
  }
  if (v.body === undefined) {
    if (v.error === undefined) problem(diagnostics, 'invalid-field', `world key '${key}': 'body' is required (a string) unless 'error' is set`);
  } else if (typeof v.body !== 'string') {
    problem(diagnostics, 'invalid-field', `world key '${key}': 'body' must be a string, not ${describe(v.body)}`);
  } else {
    out.body = v.body;
  }
  if (v.status !== undefined) {
    if (typeof v.status !== 'number' || !Number.isInteger(v.status) || v.status < 100 || v.status > 599) {
      problem(diagnostics, 'invalid-field', `world key '${key}': 'status' must be an integer from 100 to 599, not ${JSON.stringify(v.status)}`);
    } else {
      out.status = v.status;
    }
  }
  if (v.contentType !== undefined) {
    if (typeof v.contentType !== 'string') problem(diagnostics, 'invalid-field', `world key '${key}': 'contentType' must be a string, not ${describe(v.contentType)}`);
    else out.contentType = v.contentType;
  }
  if (v.headers !== undefined) {
    if (v.headers === null || typeof v.headers !== 'object' || Array.isArray(v.headers)) {
      problem(diagnostics, 'invalid-field', `world key '${key}': 'headers' must be an object of header name to string value, not ${describe(v.headers)}`);
    } else {
      // A header named __proto__ is a header like any other: in a plain object it would set the
      // prototype and vanish (src/collections.ts).
      const headers = dictionary<string>();
      const seen = new Map<string, string>();
      for (const [name, hv] of Object.entries(v.headers as Record<string, unknown>)) {
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
          problem(diagnostics, 'invalid-field', `world key '${key}': header name ${JSON.stringify(name)} is not a valid HTTP header name`);
          continue;
        }
        if (typeof hv !== 'string') {
          problem(diagnostics, 'invalid-field', `world key '${key}': header '${name}' must have a string value, not ${describe(hv)}`);
          continue;
        }
        const lower = name.toLowerCase();
        if (seen.has(lower)) {
          problem(diagnostics, 'invalid-field', `world key '${key}': header '${name}' is given twice (also as '${seen.get(lower)}')`);
          continue;
        }
        seen.set(lower, name);
        headers[name] = hv;
      }
      out.headers = headers;
    }
  }
  return diagnostics.length > before ? null : out;
}

/** Looks up a response header by name, case-insensitively. */
export function responseHeader(response: WorldResponse, name: string): string | undefined {
  if (!response.headers) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(response.headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
