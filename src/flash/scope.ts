/**
 * The scope of a Flash URL policy (FLASH-URL-3, FLASH-URL-4, FLASH-URL-13): which targets a policy
 * file at a given location may authorize.
 *
 * @module
 */
import type { RequirementId } from '../diagnostics.js';
import { directoryOf, type UrlLocation, type UrlTarget } from '../world/locations.js';

/** How many times FLASH-URL-13 percent-decodes a path; an escape still left after that is refused. */
export const MAX_PATH_DECODE_ROUNDS = 3;

/** What a decoding server could read in a path that the URL parser did not (FLASH-URL-13). */
export interface EncodedPathEscape {
  /** `separator`: an encoded `/` or `\`; `dot-segment`: a segment that decodes to `.` or `..`; `depth`: still encoded after {@link MAX_PATH_DECODE_ROUNDS} rounds. */
  kind: 'separator' | 'dot-segment' | 'depth';
  /** The path as it reads after the decoding round that showed it. */
  decoded: string;
}

const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;

function countSeparators(path: string): number {
  let n = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0x2f || c === 0x5c) n++;
  }
  return n;
}

// FLASH-URL-13
/**
 * Whether a (URL-normalised) request path reads differently to a server that percent-decodes it,
 * once or again: a decoding round that yields a new `/` or `\` (`..%2f`, `%5c`, `%252f`) or a
 * `.`/`..` segment (`%252e%252e`), or an escape still left after {@link MAX_PATH_DECODE_ROUNDS}
 * rounds. `null` when decoding changes no segment boundary and makes no dot segment.
 */
export function encodedPathEscape(path: string): EncodedPathEscape | null {
  const separators = countSeparators(path);
  let current = path;
  for (let round = 0; round < MAX_PATH_DECODE_ROUNDS; round++) {
    if (!PERCENT_ESCAPE.test(current)) return null;
    // One round of percent-decoding, byte for byte; only '/', '\\' and '.' matter here.
    const next = current.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (countSeparators(next) > separators) return { kind: 'separator', decoded: next };
    if (next.split(/[/\\]/).some((segment) => segment === '.' || segment === '..')) return { kind: 'dot-segment', decoded: next };
    current = next;
  }
  return PERCENT_ESCAPE.test(current) ? { kind: 'depth', decoded: current } : null;
}

const ESCAPE_WHY: Readonly<Record<EncodedPathEscape['kind'], string>> = {
  separator: 'holds an encoded "/" or "\\"',
  'dot-segment': 'holds an encoded "." or ".." segment',
  depth: `is still percent-encoded after ${MAX_PATH_DECODE_ROUNDS} rounds of decoding`,
};

// FLASH-URL-3, FLASH-URL-4, FLASH-URL-13
/** Whether a URL policy at `policy` covers `target`: same scheme, host and port, and within its directory subtree. */
export function policyCoversTarget(policy: UrlLocation, target: UrlTarget): { covers: boolean; why: string; requirement: RequirementId } {
  if (policy.scheme !== target.scheme || policy.host !== target.host || policy.port !== target.port) {
    return { covers: false, why: `a policy at ${policy.key} applies only to ${policy.scheme}://${policy.host}:${policy.port}, not to ${target.scheme}://${target.host}:${target.port}`, requirement: 'FLASH-URL-3' };
  }
  const dir = directoryOf(policy.path);
  if (!target.path.startsWith(dir)) {
    return { covers: false, why: `a policy at ${policy.key} applies only below ${dir}, not to ${target.path}`, requirement: 'FLASH-URL-4' };
  }
  // FLASH-URL-13: below the root, a path that a decoding server may read as another directory is
  // not in scope (fail closed; Flash's own behaviour is unverified).
  if (dir !== '/') {
    const escape = encodedPathEscape(target.path);
    if (escape !== null) {
      return { covers: false, why: `a policy at ${policy.key} applies only below ${dir}; ${target.path} ${ESCAPE_WHY[escape.kind]} (decoded: ${JSON.stringify(escape.decoded)}), which a server that decodes it may serve from outside ${dir}`, requirement: 'FLASH-URL-13' };
    }
  }
  return { covers: true, why: `covers ${target.path} (below ${dir})`, requirement: 'FLASH-URL-4' };
}

