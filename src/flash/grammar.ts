/**
 * The Flash policy grammar as data (spec/flash/1-document.md and 2-grammar.md): which requirement
 * each XML-level check enforces, and which elements and attributes are legal where.
 *
 * @module
 */
import type { XmlRules } from '../xml/document.js';
import type { FlashPolicyKind, FlashUrlScheme, MetaPolicy } from './model.js';

/** The requirement IDs of the XML front end's checks for Flash policies (FLASH-XML-*). */
export const FLASH_XML_RULES: Readonly<XmlRules> = {
  wellFormed: 'FLASH-XML-1',
  contentOutsideRoot: 'FLASH-XML-2',
  entities: 'FLASH-XML-4',
  limits: 'FLASH-XML-5',
  characters: 'FLASH-XML-6',
  bom: 'FLASH-XML-7',
  // FLASH-XML-7: a leading U+FEFF is accepted and skipped.
  allowBom: true,
  leadingWhitespace: 'FLASH-XML-8',
  // FLASH-XML-8: Flash has no Silverlight-style leniency before `<?xml`.
  allowLeadingWhitespace: false,
};

/** The one root element name (FLASH-XML-3). */
export const FLASH_ROOT_ELEMENT = 'cross-domain-policy';

/** The elements allowed as children of the root (FLASH-GRAM-1). */
export const FLASH_POLICY_ELEMENTS = ['site-control', 'allow-access-from', 'allow-http-request-headers-from', 'allow-access-from-identity'] as const;
/** One of {@link FLASH_POLICY_ELEMENTS}. */
export type FlashPolicyElementName = (typeof FLASH_POLICY_ELEMENTS)[number];

/** The attributes each policy element takes (FLASH-GRAM-5, FLASH-GRAM-9, FLASH-GRAM-10). */
export const FLASH_ELEMENT_ATTRIBUTES: Readonly<Record<FlashPolicyElementName, readonly string[]>> = {
  'site-control': ['permitted-cross-domain-policies'],
  'allow-access-from': ['domain', 'to-ports', 'secure'],
  'allow-http-request-headers-from': ['domain', 'headers', 'secure'],
  'allow-access-from-identity': [],
};

/** The values of `permitted-cross-domain-policies` (FLASH-GRAM-10). */
export const FLASH_META_POLICY_VALUES: readonly MetaPolicy[] = ['none', 'master-only', 'by-content-type', 'by-ftp-filename', 'all'];

/**
 * Whether a `site-control` value applies to a policy served this way; an inapplicable value is read
 * as `none` (FLASH-SOCK-10 for sockets, FLASH-META-5 for `by-ftp-filename` over HTTP(S),
 * FLASH-GRAM-10 for `by-content-type` over FTP, which has no content types).
 */
export function metaPolicyApplies(value: MetaPolicy, kind: FlashPolicyKind, scheme: FlashUrlScheme): boolean {
  if (value === 'by-content-type') return kind === 'url' && scheme !== 'ftp';
  if (value === 'by-ftp-filename') return kind === 'url' && scheme === 'ftp';
  return true;
}

/** Root attributes accepted silently (FLASH-XML-9): namespace declarations and `xsi:` attributes. */
export function isIgnorableRootAttribute(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:');
}

/** Whether `allow-http-request-headers-from` applies to a policy served this way (FLASH-GRAM-9). */
export function headerGrantsApply(kind: FlashPolicyKind, scheme: FlashUrlScheme): boolean {
  return kind === 'url' && (scheme === 'http' || scheme === 'https');
}
