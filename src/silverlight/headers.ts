/**
 * `http-request-headers` and `http-methods` (spec/silverlight/5-headers.md).
 *
 * @module
 */

/**
 * Splits an `http-request-headers` value at commas, trims each item and drops empty items
 * (SL-HDR-1). (`http-methods` is not read this way: {@link parseMethodList}.)
 */
export function parseHeaderList(value: string): string[] {
  const out: string[] = [];
  for (const item of value.split(',')) {
    const t = item.trim();
    if (t !== '') out.push(t);
  }
  return out;
}

/** Whether one header name is allowed by the patterns of an `allow-from` (SL-HDR-2 … SL-HDR-6). */
export function isHeaderAllowed(patterns: readonly string[], header: string): boolean {
  const name = header.trim().toLowerCase();
  // SL-HDR-2: Content-Type is always allowed.
  if (name === 'content-type') return true;
  for (const p of patterns) {
    // SL-HDR-3
    if (p === '*') return true;
    const lower = p.toLowerCase();
    // SL-HDR-4: a trailing `*` is a case-insensitive prefix; a leading `*` is a literal character.
    if (lower.length > 1 && lower.endsWith('*')) {
      if (name.startsWith(lower.slice(0, -1))) return true;
    // SL-HDR-5
    } else if (lower === name) {
      return true;
    }
  }
  // SL-HDR-6: with no patterns, only Content-Type (handled above) is allowed.
  return false;
}

/** The headers of `headers` that `patterns` do not allow, in order (empty: all allowed; SL-HDR-7). */
export function disallowedHeaders(patterns: readonly string[], headers: readonly string[]): string[] {
  return headers.filter((h) => !isHeaderAllowed(patterns, h));
}

/**
 * Splits an `http-methods` value at commas, keeping every item exactly as written (no trimming,
 * nothing dropped), so that the list is `['*']` exactly when the value is exactly `*` (SL-HDR-8) and
 * a serialized list reads back the same.
 */
export function parseMethodList(value: string): string[] {
  return value.split(',');
}

// SL-HDR-8: Moonlight compares the whole attribute with "*" (ClientAccessPolicyParser.cs:188): `PUT,*`,
// ` * ` and `*,` allow nothing beyond GET and POST.
/** Whether an `http-methods` list (as {@link parseMethodList} reads it) is the exact value `*`. */
export function allowsAnyMethod(methods: readonly string[]): boolean {
  return methods.length === 1 && methods[0] === '*';
}

/** Whether `method` is allowed: GET and POST always, others only when `http-methods` is exactly `*` (SL-HDR-8). */
export function isMethodAllowed(methods: readonly string[], method: string): boolean {
  const m = method.trim().toUpperCase();
  if (m === 'GET' || m === 'POST') return true;
  return allowsAnyMethod(methods);
}
