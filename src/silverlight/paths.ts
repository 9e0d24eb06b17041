/**
 * Resource paths of `<grant-to>` against the requested URL (spec/silverlight/4-paths.md).
 *
 * Two views of the request path are used, as Silverlight uses them: the *undecoded* path as the
 * caller wrote it (for the forbidden sequences of SL-PATH-5; the request reader keeps it as the
 * target's `rawPath`) and the decoded path (for matching, SL-PATH-1). The query and fragment are
 * never part of either (SL-PATH-7).
 *
 * @module
 */
import type { UrlTarget } from '../world/locations.js';
import { safeDecodePath } from './domains.js';
import type { SilverlightPolicy, SilverlightResource } from './model.js';

// SL-PATH-1
/** The decoded request path resources are matched against: the URL parser's path, percent-decoded. */
export function localRequestPath(target: Pick<UrlTarget, 'path'>): string {
  return safeDecodePath(target.path);
}

/** The forbidden sequences of SL-PATH-5, in the order they are looked for. */
export const FORBIDDEN_PATH_SEQUENCES: readonly string[] = ['..', './', '%'];

/**
 * The request path as the URL parser reads it before it resolves dot segments or decodes anything
 * (SL-PATH-5): the path as written with every ASCII tab, LF and CR removed and every `\` read as
 * `/`, the two rewrites an http(s) URL parser makes before it resolves `.` and `..` segments.
 * `/a/.\b` is read as `/a/./b`, `/x/.<TAB>.` as `/x/..`.
 */
export function unresolvedRequestPath(rawPath: string): string {
  return rawPath.replace(/[\t\n\r]/g, '').replace(/\\/g, '/');
}

/**
 * The first forbidden sequence (`..`, `./`, `%`) in the request path, or `null` (SL-PATH-5). The
 * path is taken as written (the target's `rawPath`) and read as the URL parser reads it
 * ({@link unresolvedRequestPath}), so a `\` or a tab cannot hide a dot segment from the test. A plain
 * substring test, as Silverlight's: `/a..b` is refused too.
 */
export function findForbiddenPathSequence(rawPath: string): string | null {
  // SL-PATH-5: look at what the parser will resolve, not only at the characters as written.
  const path = unresolvedRequestPath(rawPath);
  for (const seq of FORBIDDEN_PATH_SEQUENCES) if (path.includes(seq)) return seq;
  return null;
}

/** A forbidden sequence found in the request, and the string it was looked for in (for the trace). */
export interface ForbiddenPathSequence {
  sequence: string;
  /** What was tested, as the trace shows it. */
  tested: string;
}

// SL-PATH-5
/** The reference's test: {@link findForbiddenPathSequence} on the target's path as written. */
export function forbiddenRequestPath(target: Pick<UrlTarget, 'rawPath'>): ForbiddenPathSequence | null {
  const raw = target.rawPath;
  const sequence = findForbiddenPathSequence(raw);
  if (sequence === null) return null;
  const unresolved = unresolvedRequestPath(raw);
  return { sequence, tested: `the request path ${unresolved === raw ? JSON.stringify(raw) : `${JSON.stringify(raw)} (read by the URL parser as ${JSON.stringify(unresolved)})`}` };
}

/**
 * Whether the policy is the one shape exempt from SL-PATH-5 (SL-PATH-6): exactly one `<policy>`,
 * holding exactly one `<grant-to>`, holding exactly one `<resource>`, which is `path="/"` with
 * `include-subpaths="true"`. Socket resources are not counted.
 */
export function isWholeSiteGrant(policy: SilverlightPolicy): boolean {
  if (policy.policies.length !== 1) return false;
  const grants = policy.policies[0]?.grantTo ?? [];
  if (grants.length !== 1) return false;
  const resources = grants[0]?.resources ?? [];
  return resources.length === 1 && resources[0]?.path === '/' && resources[0].includeSubpaths;
}

/**
 * Whether a `<resource>` grants the decoded request path (SL-PATH-1 … SL-PATH-3).
 * Comparison is ordinal (case-sensitive).
 */
export function matchResourcePath(resource: Pick<SilverlightResource, 'path' | 'includeSubpaths'>, localPath: string): boolean {
  const grant = resource.path;
  // SL-PATH-2
  if (!resource.includeSubpaths) return localPath === grant;
  // SL-PATH-3: a prefix ending at a segment boundary — "/test" grants "/test" and "/test/x" but not
  // "/test2"; "/test/" grants "/test/x" but not "/test".
  if (!localPath.startsWith(grant)) return false;
  return localPath.length === grant.length || grant.endsWith('/') || localPath.charAt(grant.length) === '/';
}
