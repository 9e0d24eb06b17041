/**
 * Findings as a SARIF 2.1.0 log (LINT-11; OASIS "Static Analysis Results Interchange Format
 * Version 2.1.0"), so that code-scanning platforms annotate the policy file's lines.
 *
 * Pure: the caller gives each file's URI (relative to the repository root where it can), its text
 * and its findings. The tool lists every check of the catalogue as a rule; a result per finding
 * carries its physical location, a fingerprint that survives moved lines, and its computed fix.
 *
 * @module
 */
import { CHECKS, checkInfo } from './catalogue.js';
import type { Finding, Severity } from './finding.js';

/** One linted file: where it is (a relative URI reference, or a `file:` URI), its text and its findings. */
export interface SarifFile {
  uri: string;
  text: string;
  findings: readonly Finding[];
}

/** The tool that wrote the log. */
export interface SarifTool {
  version: string;
  /** Where the tool is documented. */
  informationUri?: string;
}

/** The SARIF URL of the 2.1.0 JSON schema, as `$schema` names it. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The key of xdpolicy's fingerprint among `partialFingerprints`. */
export const FINGERPRINT_KEY = 'xdpolicy/v1';

type SarifLevel = 'error' | 'warning' | 'note';

// LINT-11: error and high are SARIF errors, medium a warning, low and info notes.
const LEVELS: Readonly<Record<Severity, SarifLevel>> = { error: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** GitHub code scanning's `security-severity` (a CVSS-like score) of each severity that has one. */
const SECURITY_SEVERITY: Readonly<Partial<Record<Severity, string>>> = { high: '8.0', medium: '5.5', low: '3.0' };

/** FNV-1a, 64 bits, over the UTF-16 code units of `text`, as 16 hex digits. */
function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** The text of line `line` (1-based) of `text`, without its indentation or line break. */
function lineText(lines: readonly string[], line: number): string {
  return (lines[line - 1] ?? '').replace(/\r$/, '').trim();
}

// LINT-11
/**
 * The fingerprint of each finding, in order: a hash of the check, the file, the offending line's
 * text without its indentation and the value, then `:N` numbering equal hashes in file order. Lines
 * added or removed elsewhere do not change it; editing the offending line does.
 */
export function fingerprints(file: SarifFile): string[] {
  const lines = file.text.split('\n');
  const seen = new Map<string, number>();
  return file.findings.map((f) => {
    const hash = fnv1a64([f.id, file.uri, lineText(lines, f.line), f.value].join('\u0000'));
    const n = seen.get(hash) ?? 0;
    seen.set(hash, n + 1);
    return `${hash}:${n}`;
  });
}

function rules(): object[] {
  return CHECKS.map((c) => {
    const tags = ['security'];
    if (c.cwe !== undefined) tags.push(`external/cwe/${c.cwe.toLowerCase()}`);
    const properties: Record<string, unknown> = { tags, requirements: [...c.requirements], severity: c.severity };
    const score = SECURITY_SEVERITY[c.severity];
    if (score !== undefined) properties['security-severity'] = score;
    return {
      id: c.id,
      name: c.id
        .replace(/^LINT-/, '')
        .toLowerCase()
        .replace(/(^|-)([a-z])/g, (_, _d: string, ch: string) => ch.toUpperCase()),
      shortDescription: { text: c.title.replace(/`/g, '') },
      fullDescription: { text: c.explanation },
      help: { text: `${c.remediation}\n\n${c.explanation}`, markdown: `**Remediation.** ${c.remediation}\n\n${c.explanation}` },
      defaultConfiguration: { level: LEVELS[c.severity] },
      properties,
    };
  });
}

function result(f: Finding, uri: string, fingerprint: string, ruleIndex: number): object {
  const out: Record<string, unknown> = {
    ruleId: f.id,
    ruleIndex,
    level: LEVELS[f.severity],
    message: { text: f.value !== '' ? `${f.message} [${f.value}]` : f.message },
    locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: f.line, startColumn: f.column } } }],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
  };
  const properties: Record<string, unknown> = { severity: f.severity };
  if (f.requirement !== undefined) properties['requirement'] = f.requirement;
  if (f.cwe !== undefined) properties['cwe'] = f.cwe;
  if (f.remediation !== undefined) properties['remediation'] = f.remediation;
  out['properties'] = properties;
  if (f.fix !== undefined) {
    out['fixes'] = [
      {
        description: { text: f.remediation ?? checkInfo(f.id).remediation },
        artifactChanges: [{ artifactLocation: { uri }, replacements: [{ deletedRegion: { charOffset: f.fix.start, charLength: f.fix.end - f.fix.start }, insertedContent: { text: f.fix.replacement } }] }],
      },
    ];
  }
  return out;
}

// LINT-11
/** The SARIF 2.1.0 log of `files`: one run, every check a rule, every finding a result. */
export function toSarif(files: readonly SarifFile[], tool: SarifTool): object {
  const ruleIndex = new Map<string, number>(CHECKS.map((c, i) => [c.id, i]));
  const results: object[] = [];
  for (const file of files) {
    const prints = fingerprints(file);
    file.findings.forEach((f, i) => results.push(result(f, file.uri, prints[i]!, ruleIndex.get(f.id)!)));
  }
  const driver: Record<string, unknown> = { name: 'xdpolicy', version: tool.version, rules: rules() };
  if (tool.informationUri !== undefined) driver['informationUri'] = tool.informationUri;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{ tool: { driver }, columnKind: 'utf16CodeUnits', artifacts: files.map((f) => ({ location: { uri: f.uri } })), results }],
  };
}
