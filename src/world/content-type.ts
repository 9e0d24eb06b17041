/**
 * The media types a client accepts for a URL policy response (FLASH-URL-7, SL-HTTP-4): the one
 * place this rule lives. The deciders, the linter and the conformance harness all ask here.
 *
 * @module
 */
import type { ClientProfile } from '../decision/types.js';

/** The media type of a `Content-Type` value: before any `;`, trimmed, lowercase. */
export function mediaType(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

/** Whether a media type is `text/` followed by a subtype (`text/` alone is no media type). */
function isTextType(media: string): boolean {
  return media.startsWith('text/') && media.length > 5;
}

// FLASH-URL-7, SL-HTTP-4
/**
 * Whether `client` accepts a URL policy served with this `Content-Type`: `text/*` or
 * `application/xml` for both, `application/xhtml+xml` for Flash only; parameters ignored, compared
 * case-insensitively. `undefined` (no `Content-Type`) is never accepted.
 */
export function acceptsPolicyContentType(client: ClientProfile, contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const media = mediaType(contentType);
  if (isTextType(media) || media === 'application/xml') return true;
  return client === 'flash' && media === 'application/xhtml+xml';
}

/** The types `client` accepts, for messages. */
export function acceptedPolicyContentTypes(client: ClientProfile): string {
  return client === 'flash' ? 'text/*, application/xml or application/xhtml+xml' : 'text/* or application/xml';
}
