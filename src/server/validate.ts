/**
 * The one place where the server asks whether a policy may be served: the parsers and the linter
 * are called from here only, so replacing a stand-in with the real module is a one-file change.
 *
 * A policy is served only when it parses without an error diagnostic (SRV-VALID-1). Lint findings
 * of medium severity and above, and parser warnings, come back as warnings for the operator.
 *
 * @module
 */
import type { Diagnostic } from '../diagnostics.js';
import { META_POLICIES_BY_RESTRICTION, type FlashParseContext, type MetaPolicy } from '../flash/model.js';
import { parseXmlDocument, type XmlElement, type XmlRules } from '../xml/document.js';

/** Something worth telling the operator about a policy that will nevertheless be served. */
export interface PolicyWarning {
  /** A lint finding ID or a diagnostic code. */
  id: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  /** The requirement of spec/ it relates to, when known. */
  requirement?: string;
}

/** The verdict on one policy text. */
export interface PolicyCheck {
  /** True when the policy may be served. */
  ok: boolean;
  /** Why it may not be served: error diagnostics with line and column. Empty when `ok`. */
  errors: Diagnostic[];
  /** Parser warnings and lint findings of medium severity and above. */
  warnings: PolicyWarning[];
  /**
   * For a Flash policy: the meta-policy its `site-control` declares (the most restrictive when
   * there are several), or `null` without one. Always `null` for Silverlight.
   */
  metaPolicy: MetaPolicy | null;
}

// Stand-in rules until src/flash/parse.ts and src/silverlight/parse.ts land: the strict XML front
// end plus the root element's name. The real parsers replace checkDocument below.
const FLASH_XML_RULES: XmlRules = {
  wellFormed: 'FLASH-XML-1',
  contentOutsideRoot: 'FLASH-XML-2',
  entities: 'FLASH-XML-4',
  limits: 'FLASH-XML-5',
  characters: 'FLASH-XML-6',
  bom: 'FLASH-XML-7',
  allowBom: true,
  leadingWhitespace: 'FLASH-XML-8',
  allowLeadingWhitespace: false,
};
const SILVERLIGHT_XML_RULES: XmlRules = {
  ...FLASH_XML_RULES,
  wellFormed: 'SRV-VALID-1',
  contentOutsideRoot: 'SRV-VALID-1',
  entities: 'SRV-VALID-1',
  limits: 'SRV-VALID-1',
  characters: 'SRV-VALID-1',
  bom: 'SRV-VALID-1',
  leadingWhitespace: 'SRV-VALID-1',
  allowLeadingWhitespace: true,
};

function checkDocument(text: string, rules: XmlRules, rootName: string, rootRequirement: string): { root: XmlElement | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const doc = parseXmlDocument(text, rules, diagnostics);
  if (doc && doc.root.name !== rootName) {
    diagnostics.push({
      severity: 'error',
      code: 'wrong-root-element',
      message: `the root element is <${doc.root.name}>, expected <${rootName}>`,
      line: doc.root.location.line,
      column: doc.root.location.column,
      requirement: rootRequirement,
      value: doc.root.name,
    });
    return { root: null, diagnostics };
  }
  return { root: doc?.root ?? null, diagnostics };
}

function siteControlOf(root: XmlElement): MetaPolicy | null {
  let found: MetaPolicy | null = null;
  for (const child of root.children) {
    if (child.kind !== 'element' || child.name !== 'site-control') continue;
    const value = child.attributes.find((a) => a.name === 'permitted-cross-domain-policies')?.value;
    // An unknown value reads as `none` (FLASH-GRAM-10).
    const meta: MetaPolicy = META_POLICIES_BY_RESTRICTION.includes(value as MetaPolicy) ? (value as MetaPolicy) : 'none';
    if (found === null || META_POLICIES_BY_RESTRICTION.indexOf(meta) < META_POLICIES_BY_RESTRICTION.indexOf(found)) found = meta;
  }
  return found;
}

function verdict(diagnostics: Diagnostic[], usable: boolean, metaPolicy: MetaPolicy | null): PolicyCheck {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings: PolicyWarning[] = diagnostics
    .filter((d) => d.severity === 'warning')
    .map((d) => ({ id: d.code, severity: d.severity, message: d.message, line: d.line, column: d.column, requirement: d.requirement }));
  const ok = usable && errors.length === 0;
  return { ok, errors, warnings, metaPolicy: ok ? metaPolicy : null };
}

/**
 * Checks a Flash policy before it is served. A socket policy is checked as
 * `{ kind: 'socket', master: port === 843 }`; `/crossdomain.xml` as `{ kind: 'url', master: true }`.
 */
// SRV-VALID-1
export function checkFlashPolicy(text: string, context: FlashParseContext): PolicyCheck {
  void context;
  const { root, diagnostics } = checkDocument(text, FLASH_XML_RULES, 'cross-domain-policy', 'FLASH-XML-3');
  return verdict(diagnostics, root !== null, root ? siteControlOf(root) : null);
}

/** Checks a Silverlight `clientaccesspolicy.xml` before it is served. */
// SRV-VALID-1
export function checkSilverlightPolicy(text: string): PolicyCheck {
  const { root, diagnostics } = checkDocument(text, SILVERLIGHT_XML_RULES, 'access-policy', 'SRV-VALID-1');
  return verdict(diagnostics, root !== null, null);
}
