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
import { parsePolicyLocation } from './locations.js';
import type { WorldEnd, WorldError, WorldResponse, WorldSnapshot } from './world.js';

const WORLD_ERRORS: readonly WorldError[] = ['timeout', 'refused', 'reset'];
const WORLD_ENDS: readonly WorldEnd[] = ['close', 'reset', 'timeout', 'limit'];
const URL_FIELDS = new Set(['body', 'status', 'contentType', 'headers', 'error', 'end']);
const SOCKET_FIELDS = new Set(['body', 'error', 'end']);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Validates a parsed JSON value as a world snapshot.
 *
 * Returns the world with every key normalised (`HTTP://A.com:80/x` → `http://a.com/x`), or `null`
 * and at least one error. Errors name the offending key and field. Rules:
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
export function parseWorld(json: unknown): { world: WorldSnapshot | null; errors: string[] } {
  const errors: string[] = [];
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { world: null, errors: [`the world must be a JSON object keyed by policy location, not ${describe(json)}`] };
  }
  // Keyed by input: no prototype, so that no key is lost to it (src/collections.ts).
  const world: WorldSnapshot = dictionary();
  const firstKeyFor = new Map<string, string>();
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const loc = parsePolicyLocation(key);
    if (!loc.ok) {
      errors.push(`world key '${key}': ${loc.reason}`);
      continue;
    }
    const norm = loc.value.key;
    const earlier = firstKeyFor.get(norm);
    if (earlier !== undefined) {
      errors.push(`world key '${key}' names the same location as '${earlier}' (${norm})`);
      continue;
    }
    firstKeyFor.set(norm, key);
    const response = parseWorldResponse(key, value, loc.value.kind, errors);
    if (response) world[norm] = response;
  }
  return errors.length > 0 ? { world: null, errors } : { world, errors };
}

function parseWorldResponse(key: string, value: unknown, kind: 'socket' | 'url', errors: string[]): WorldResponse | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    errors.push(`world key '${key}': the value must be an object like {"body": "..."}, not ${describe(value)}`);
    return null;
  }
  const v = value as Record<string, unknown>;
  const allowed = kind === 'socket' ? SOCKET_FIELDS : URL_FIELDS;
  const before = errors.length;
  for (const field of Object.keys(v)) {
    if (!allowed.has(field)) {
      errors.push(
        URL_FIELDS.has(field)
          ? `world key '${key}': field '${field}' does not apply to a socket location (only body, error and end)`
          : `world key '${key}': unknown field '${field}' (expected ${[...allowed].join(', ')})`,
      );
    }
  }
  const out: WorldResponse = { body: '' };
  if (v.error !== undefined) {
    if (typeof v.error !== 'string' || !WORLD_ERRORS.includes(v.error as WorldError)) {
      errors.push(`world key '${key}': 'error' must be one of ${WORLD_ERRORS.join(', ')}, not ${JSON.stringify(v.error)}`);
    } else {
      out.error = v.error as WorldError;
    }
  }
  if (v.end !== undefined) {
    if (typeof v.end !== 'string' || !WORLD_ENDS.includes(v.end as WorldEnd)) {
      errors.push(`world key '${key}': 'end' must be one of ${WORLD_ENDS.join(', ')}, not ${JSON.stringify(v.end)}`);
    } else {
      out.end = v.end as WorldEnd;
    }
  }
  if (v.body === undefined) {
    if (v.error === undefined) errors.push(`world key '${key}': 'body' is required (a string) unless 'error' is set`);
  } else if (typeof v.body !== 'string') {
    errors.push(`world key '${key}': 'body' must be a string, not ${describe(v.body)}`);
  } else {
    out.body = v.body;
  }
  if (v.status !== undefined) {
    if (typeof v.status !== 'number' || !Number.isInteger(v.status) || v.status < 100 || v.status > 599) {
      errors.push(`world key '${key}': 'status' must be an integer from 100 to 599, not ${JSON.stringify(v.status)}`);
    } else {
      out.status = v.status;
    }
  }
  if (v.contentType !== undefined) {
    if (typeof v.contentType !== 'string') errors.push(`world key '${key}': 'contentType' must be a string, not ${describe(v.contentType)}`);
    else out.contentType = v.contentType;
  }
  if (v.headers !== undefined) {
    if (v.headers === null || typeof v.headers !== 'object' || Array.isArray(v.headers)) {
      errors.push(`world key '${key}': 'headers' must be an object of header name to string value, not ${describe(v.headers)}`);
    } else {
      // A header named __proto__ is a header like any other: in a plain object it would set the
      // prototype and vanish (src/collections.ts).
      const headers = dictionary<string>();
      const seen = new Map<string, string>();
      for (const [name, hv] of Object.entries(v.headers as Record<string, unknown>)) {
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
          errors.push(`world key '${key}': header name ${JSON.stringify(name)} is not a valid HTTP header name`);
          continue;
        }
        if (typeof hv !== 'string') {
          errors.push(`world key '${key}': header '${name}' must have a string value, not ${describe(hv)}`);
          continue;
        }
        const lower = name.toLowerCase();
        if (seen.has(lower)) {
          errors.push(`world key '${key}': header '${name}' is given twice (also as '${seen.get(lower)}')`);
          continue;
        }
        seen.set(lower, name);
        headers[name] = hv;
      }
      out.headers = headers;
    }
  }
  return errors.length > before ? null : out;
}

/** Looks up a response header by name, case-insensitively. */
export function responseHeader(response: WorldResponse, name: string): string | undefined {
  if (!response.headers) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(response.headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
