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
  let rest = schemeEnd < 0 ? target : target.slice(schemeEnd + 3);
  // The authority ends at the first '/', '\', '?' or '#' (WHATWG treats '\' like '/' for http).
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
 * The first forbidden sequence (`%`, `./`, `..`) in the undecoded request path, or `null`
 * (SL-PATH-5). A plain substring test, as Silverlight's: `/a..b` is refused too.
 */
export function findForbiddenPathSequence(rawPath: string): string | null {
  for (const seq of FORBIDDEN_PATH_SEQUENCES) if (rawPath.includes(seq)) return seq;
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
