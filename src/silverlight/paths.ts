/**
 * Resource paths of `<grant-to>` against the requested URL (spec/silverlight/4-paths.md).
 *
 * Two views of the request path are used, as Silverlight uses them: the *undecoded* path as the
 * caller wrote it (for the forbidden sequences of SL-PATH-5) and the decoded path (for matching,
 * SL-PATH-1). The query and fragment are never part of either (SL-PATH-7).
 *
 * @module
 */
import { safeDecodePath } from './domains.js';
import type { SilverlightPolicy, SilverlightResource } from './model.js';

/** The request path as written: after the authority, before the first `?` or `#` (SL-PATH-7). */
export function rawRequestPath(target: string): string {
  const schemeEnd = target.indexOf('://');
  // The parser skips any further '/' or '\' before the host (WHATWG "special authority ignore slashes").
  let rest = schemeEnd < 0 ? target : target.slice(schemeEnd + 3).replace(/^[/\\]+/, '');
  // The authority ends at the first '/', '\', '?' or '#' (WHATWG treats '\' like '/' for http).
  // A tab or newline (which the parser removes) cannot form any of these, so the boundaries found
  // here are the parser's.
  const authorityEnd = rest.search(/[/\\?#]/);
  rest = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const cut = rest.search(/[?#]/);
  const path = cut < 0 ? rest : rest.slice(0, cut);
  return path === '' ? '/' : path;
}

/** The decoded request path used for matching (SL-PATH-1): WHATWG pathname, percent-decoded. */
export function localRequestPath(target: string): string | null {
  try {
    return safeDecodePath(new URL(target).pathname);
  } catch {
    return null;
  }
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
 * path is taken as written (from {@link rawRequestPath}) and read as the URL parser reads it
 * ({@link unresolvedRequestPath}), so a `\` or a tab cannot hide a dot segment from the test. A plain
 * substring test, as Silverlight's: `/a..b` is refused too.
 */
export function findForbiddenPathSequence(rawPath: string): string | null {
  // SL-PATH-5: look at what the parser will resolve, not only at the characters as written.
  const path = unresolvedRequestPath(rawPath);
  for (const seq of FORBIDDEN_PATH_SEQUENCES) if (path.includes(seq)) return seq;
  return null;
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
