/**
 * The Silverlight grammar's choices for the shared strict XML front end, and the element and
 * attribute names of `clientaccesspolicy.xml` (spec/silverlight/1-document.md, 2-grammar.md).
 *
 * @module
 */
import type { XmlRules } from '../xml/document.js';

/**
 * XML-level rules for `clientaccesspolicy.xml` and for the `crossdomain.xml` a Silverlight client
 * falls back to. Silverlight differs from strict XML in one point: whitespace before `<?xml` is
 * skipped (SL-XML-7, [ML-DRT] silverlight-7).
 */
export const SILVERLIGHT_XML_RULES: XmlRules = {
  // SL-XML-1
  wellFormed: 'SL-XML-1',
  // SL-XML-2
  contentOutsideRoot: 'SL-XML-2',
  // SL-XML-4
  entities: 'SL-XML-4',
  // SL-XML-5
  limits: 'SL-XML-5',
  // SL-XML-6
  characters: 'SL-XML-6',
  // SL-XML-8
  bom: 'SL-XML-8',
  allowBom: true,
  // SL-XML-7
  leadingWhitespace: 'SL-XML-7',
  allowLeadingWhitespace: true,
};

/** Element names of the format; compared case-sensitively, without namespace prefix (SL-XML-9). */
export const SL_ELEMENTS = {
  root: 'access-policy',
  crossDomainAccess: 'cross-domain-access',
  policy: 'policy',
  allowFrom: 'allow-from',
  domain: 'domain',
  grantTo: 'grant-to',
  resource: 'resource',
  socketResource: 'socket-resource',
} as const;

/** Attributes `<allow-from>` may carry; any other voids it (SL-GRAM-6). */
export const SL_ALLOW_FROM_ATTRIBUTES: readonly string[] = ['http-request-headers', 'http-methods'];
/** Attributes `<resource>` may carry; any other voids its `<grant-to>` (SL-GRAM-10). */
export const SL_RESOURCE_ATTRIBUTES: readonly string[] = ['path', 'include-subpaths'];
/** Attributes `<socket-resource>` is read for; any other is ignored and reported (SL-GRAM-13). */
export const SL_SOCKET_RESOURCE_ATTRIBUTES: readonly string[] = ['port', 'protocol'];
