/**
 * Generates spec/lint.md and corpus/lint/ from the catalogue metadata (src/lint/catalogue.ts):
 * one source of truth for the checks, their documentation and their corpus cases.
 *
 * Run `npm run gen:lint` after editing the catalogue; `test/lint-catalogue.test.ts` fails while
 * the generated files are out of date.
 *
 * @module
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKS, SCANNER_RULES, type CheckInfo, type LintExample } from '../src/lint/catalogue.js';
import { SEVERITIES } from '../src/lint/finding.js';
import type { CorpusCaseFile } from '../src/corpus/types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const FAMILIES: Readonly<Record<string, string>> = {
  PARSE: 'Parser verdicts',
  CONTEXT: 'Context',
  DOMAIN: 'Who is trusted (domains)',
  PORT: 'Socket ports (Flash)',
  RULE: 'Dead rules',
  SECURE: 'The `secure` attribute (Flash)',
  HEADERS: 'Request headers (Flash)',
  META: 'Meta-policies (Flash)',
  SERVE: 'How the file is served',
  SL: 'Silverlight grants',
  CHECK: 'The linter itself',
  COMPAT: 'Other clients (profiles)',
};

/** The family of an ID: `LINT-DOMAIN-ANY` → `DOMAIN`. */
export function familyOf(id: string): string {
  return id.split('-')[1] ?? '';
}

const SEVERITY_MEANING: Readonly<Record<string, string>> = {
  error: 'the file, or an element of it, is not used at all',
  high: 'any origin, or an uncontrolled set of origins, gets access',
  medium: 'access wider than needed, or serving that changes what is honoured',
  low: 'weak or dead configuration',
  info: 'facts for the reader',
};

function describeServing(e: LintExample): string {
  const parts: string[] = [];
  parts.push(e.servedFrom !== undefined ? `served from \`${e.servedFrom}\`` : 'linted without `--served-from`');
  if (e.client !== undefined) parts.push(`\`--client ${e.client}\``);
  if (e.contentType !== undefined) parts.push(`\`Content-Type: ${e.contentType}\``);
  if (e.trusted !== undefined) parts.push(`\`--trusted ${e.trusted.join(',')}\``);
  for (const [k, v] of Object.entries(e.headers ?? {})) parts.push(`\`${k}: ${v}\``);
  return parts.join(', ');
}

function fence(text: string): string {
  const shown = text.replace(/^\uFEFF/, '').trimEnd();
  const bom = text.startsWith('\uFEFF') ? '(the file starts with a byte order mark, U+FEFF)\n\n' : '';
  return `${bom}\`\`\`xml\n${shown}\n\`\`\``;
}

function renderCheck(c: CheckInfo): string {
  const facts = [
    `**Severity:** ${c.severity}`,
    c.cwe !== undefined ? `**CWE:** ${c.cwe}` : '**CWE:** none',
    `**Formats:** ${c.formats.join(', ')}`,
    `**Rests on:** ${c.requirements.length > 0 ? c.requirements.join(', ') : '(context only)'}`,
    `**Scanner rules:** ${c.scanners.length > 0 ? c.scanners.join(', ') : 'none (gap)'}`,
  ].join(' · ');
  return [
    `### ${c.id} — ${c.title}`,
    facts,
    '',
    c.explanation,
    '',
    `**Remediation.** ${c.remediation}`,
    '',
    `**Confidence.** ${c.confidence}`,
    '',
    `**Triggers** (${describeServing(c.trigger)}):`,
    '',
    fence(c.trigger.shown ?? c.trigger.policy),
    '',
    `**Near miss, must not trigger** (${describeServing(c.nearMiss)}):`,
    '',
    fence(c.nearMiss.shown ?? c.nearMiss.policy),
    '',
    `Corpus: \`corpus/lint/${familyOf(c.id).toLowerCase()}/${caseName(c.id)}.trigger.case.json\` and \`….near-miss.case.json\`.`,
    '',
  ].join('\n');
}

/** The corpus file stem of a check. */
export function caseName(id: string): string {
  return id.toLowerCase().replace(/^lint-/, '');
}

/** The text of spec/lint.md. */
export function renderLintSpec(): string {
  const out: string[] = [];
  out.push(
    '# Lint: the security catalogue',
    '',
    '<!-- Generated from src/lint/catalogue.ts by `npm run gen:lint`. Do not edit by hand. -->',
    '',
    '`xdpolicy lint` judges policy files: every check is a pure function of the parsed policy and of',
    'the *lint context* (where and how the file is served, and for which client), returning findings',
    '`{ id, severity, message, line, column, value, requirement?, cwe? }`. Parse diagnostics are',
    'findings too (`LINT-PARSE-*`): a rejected file and a voided element are errors.',
    '',
    'Finding IDs are symbolic, grouped by family (`LINT-<FAMILY>-<NAME>`), stable, and never reused.',
    'They are distinct from requirement IDs (FLASH-…, SL-…): a finding names the requirement it rests',
    'on in its `requirement` field.',
    '',
    '## Context',
    '',
    '`--served-from` fixes the context: `https://host/crossdomain.xml` (URL policy over HTTPS; master',
    'because of its path), `http://host/sub/policy.xml` (non-master), `ftp://…`,',
    '`xmlsocket://host:843` (socket master), `xmlsocket://host:5000` (socket policy on a high port, where',
    'the 1024 rule applies), `https://host/clientaccesspolicy.xml` or `xmlsocket://host:943`',
    '(Silverlight). Without it the context is inferred — a file named `crossdomain.xml` or without',
    '`to-ports` is read as the master URL policy over HTTP, a Flash file with `to-ports` as the master',
    'socket policy on port 843, an `access-policy` root as Silverlight — and the guess is reported as',
    'LINT-CONTEXT-INFERRED. The library context may also carry the response\'s `Content-Type` and',
    'headers (the server and `certify` know them); the LINT-SERVE checks run only then.',
    '',
    '`--client` picks the checks of a client profile (`CHECK_PROFILES`): `flash` and `all` run every',
    'check of the file\'s format; `silverlight` reading a Flash file runs only what Silverlight reads of',
    'it (domains, header grants, `secure`, meta-policy; never socket ports), and LINT-CONTEXT-CLIENT says',
    'when the chosen client never reads the file at all. `--clients LIST` picks the client profiles',
    '(spec/profiles.md) compared with the reference of the file\'s family (LINT-17); default: all of them.',
    '',
    '## Requirements of the linter',
    '',
    '### LINT-1 — A finding names its check, severity, position and value',
    'Every finding MUST carry a catalogue ID (below), a severity, the 1-based line and column of the',
    'offending text (the element, or the start of the file for findings about the whole file) and the',
    'offending value as written (empty when there is none). It names the requirement it rests on and',
    'a CWE where one fits.',
    '',
    '### LINT-2 — Findings are deterministic and sorted',
    'The same text in the same context MUST give the same findings, in one total order: live exposure',
    'first (`high`, then `medium`), then `error` (an element or a file no client uses: it exposes',
    'nothing), then `low` and `info` (`REPORT_RANK`); then line, column, ID and value. Exact duplicates',
    'are reported once. A live `*` grant is listed above a voided element.',
    '',
    '### LINT-3 — Parse verdicts are findings',
    'A file the parser rejects gives LINT-PARSE-REJECTED and an element it voids LINT-PARSE-VOIDED,',
    'both `error`; a DTD or entity payload gives LINT-PARSE-DTD (`error`); what the parser reports and',
    'ignores is `low`, its notes `info`. A rejected file is not checked further: it grants nothing.',
    '',
    '### LINT-4 — The context decides which rules apply',
    'Checks that depend on how the file is served (URL or socket, scheme, port, master, Content-Type,',
    'headers) MUST follow the context. When the context is not given it is inferred, and the inference',
    'MUST be reported (LINT-CONTEXT-INFERRED), never assumed silently.',
    '',
    '### LINT-5 — Linting never fails',
    '`lint` and `lintText` MUST NOT throw on any text or on any model the parsers produce; bad input',
    'is a finding.',
    '',
    '### LINT-6 — Exit statuses',
    '`xdpolicy lint` exits 0 when no finding reaches `--fail-on` (default `medium`), 1 when one does,',
    'and 2 on a usage error (unknown option, bad value, unreadable file), with a message naming it.',
    '',
    '### LINT-7 — Output',
    '`--format json` (or `--json`) prints `{"files": [...], "findings": [{"id", "severity", "message",',
    '"line", "column", "value", "file", "remediation", "requirement"?, "cwe"?, "fix"?}]}`. The text',
    'output (`--format text`, the default) groups findings by severity in report order (LINT-2), each',
    'as `file:line:column  ID  message [value]` followed by its remediation; the repeats of one check',
    'in one file are one entry listing their lines (`file  ID  ×N  lines 4, 5, 9`); a compatibility',
    'finding (LINT-17) repeats only the findings about the same client, since each names its own. It is',
    'coloured on a terminal unless `NO_COLOR` is set. `-` as FILE reads standard input.',
    '',
    '### LINT-8 — Every check has a triggering case and a near miss',
    'corpus/lint/ MUST hold, for every check, a case that raises it and a close case that must not.',
    '',
    '### LINT-9 — The benign corpus is quiet',
    'The `good` cases of corpus/flash/ and corpus/silverlight/ MUST raise no finding at `medium` or',
    'above from a check that *judges* (public suffixes, local ranges, service ports, wide ranges,',
    'shadowing, meta-policy conflicts, serving). Checks that flag a literal construct — `domain="*"`,',
    '`to-ports="*"`, `headers="*"`, `secure="false"` over HTTPS, the `all` meta-policy, Silverlight',
    '`*`/`http://*`/`https://*` — and the parser\'s own verdicts (LINT-PARSE-*) cannot be wrong about it,',
    'and many good cases are about those very',
    'constructs (how `*` matches, what `secure="false"` does) or use `*` to stay minimal; they may raise',
    'those. A good case may also declare an expected finding in its own `lint.must`. Compatibility',
    'findings (LINT-COMPAT-*, LINT-17) say what another client does with a good file; they are not',
    'judgements of it and may be raised.',
    '',
    '### LINT-10 — One catalogue',
    'The checks\' severities and CWEs, this chapter and corpus/lint/ are generated from one table',
    '(`CHECKS` in src/lint/catalogue.ts); a test fails when they drift apart.',
    '',
    '### LINT-11 — SARIF',
    '`--format sarif` MUST print one SARIF 2.1.0 log (OASIS SARIF v2.1.0) that validates against its',
    'JSON schema: a run whose tool lists every check of the catalogue as a rule (title, explanation,',
    'help text with the remediation, default level, the CWE as the tag `external/cwe/cwe-N`, the',
    'requirements it rests on), and a result per finding with its rule, level (`error` for `error`',
    'and `high`, `warning` for `medium`, `note` below), message, physical location (the file as a',
    'relative URI, line and column) and a fingerprint that does not change when lines move: a hash',
    'of the check, the file, the offending line\'s text without its indentation and the value,',
    'numbered among equal hashes. A computed fix (LINT-12) is a SARIF `fix`.',
    '',
    '### LINT-12 — Remediation',
    'Every finding MUST carry what to change (`remediation`: the catalogue\'s, made specific where it',
    'can be), and, where it can be computed from the file, the fixed element (`fix`): a `*` grant',
    '(`allow-access-from`, `allow-http-request-headers-from`, Silverlight `<domain uri="*"/>`)',
    'rewritten to the domains named by `--trusted` (one element per domain; Silverlight: `http://`',
    'and `https://` for each); `to-ports="*"` rewritten to the ports the file\'s other rules grant;',
    '`secure="false"` removed from a grant of a policy served over HTTPS.',
    '',
    '### LINT-13 — A fix never widens access',
    '`xdpolicy lint --fix` MUST write only fixes that cannot widen access: for any policy, the fixed',
    'policy grants a subset of what the original grants, for both clients (checked by a property',
    'test deciding probe requests over both). It writes the fixed file in place, prints a unified',
    'diff on stdout, and leaves the file alone when the fixed text would not read as a policy; one',
    'line per file on stderr says what was done, and the exit status judges the files as they now',
    'are. `--fix` takes files only (not `-`) and prints text only (not `--format json` or `sarif`).',
    '',
    '### LINT-14 — Trust in other registered domains is listed',
    'Each grant naming a host or wildcard under a registered domain (Public Suffix List, private',
    'section included) other than the served host\'s MUST give an info finding naming that domain',
    '(LINT-DOMAIN-REGISTERED). `--trusted DOMAIN` (repeatable, or comma-separated) marks the expected',
    'ones: grants under their registered domains are not reported.',
    '',
    '### LINT-15 — The context given is not reported as inferred',
    'When `--served-from` is given, LINT-CONTEXT-INFERRED MUST NOT be reported, whatever the file holds.',
    '',
    '### LINT-16 — No check stops silently',
    'A check MAY bound its work, and the bound MUST be stated; a check that reaches it MUST say so in',
    'a finding (LINT-CHECK-INCOMPLETE) naming what it did not check. The shadowed-rule check indexes',
    'rules by domain and compares at most 1,000,000 pairs.',
    '',
    '### LINT-17 — Compatibility findings come from the profiles',
    'For the file\'s own domains and ports plus probe origins (an unrelated site, the look-alike',
    '`evil<domain>`, the bare domain, HTTP and HTTPS, IP forms) and probe ports (the ends, middles and',
    'edges of the ranges written, a port below 1024, 843, the Silverlight window 4502–4534) — and, for a',
    'URL policy, the named origins and the unrelated site again sending a custom header',
    '(`X-Xdpolicy-Probe`) and, for Silverlight, with the method `PUT` — the linter',
    'MUST ask the decision function under every chosen profile (`--clients LIST`, default every profile',
    'of the file\'s family; spec/profiles.md) and under the family\'s reference, over a world in which only',
    'this file answers where the context says it is served, and report where they disagree — never by',
    'rules of its own. A profile granting what the reference denies is `high` when the origin is one the',
    'file never names (LINT-COMPAT-GRANTS-UNNAMED), `medium` otherwise (LINT-COMPAT-GRANTS-MORE), and',
    '`medium` when only the header or method is more (the reference grants the same request without it); one',
    'denying what the reference grants is `medium` (LINT-COMPAT-DENIES: that client\'s users break).',
    'Findings are grouped, one per profile and kind, naming the probes and both decisions\' reasons;',
    'seeds beyond the probe bounds are reported (LINT-COMPAT-SAMPLED), never dropped silently. The',
    'comparison reads the text, so it runs even when the reference rejects the file.',
    '',
    '## Severities',
    '',
    'How bad a finding is: `SEVERITY_RANK`, worst first as listed below. `--fail-on` (default',
    '`medium`) makes the CLI exit 1 when a finding is at least that bad (an `error` reaches every',
    'threshold). Reports list live exposure first (LINT-2).',
    '',
    '| Severity | Meaning |',
    '|---|---|',
  );
  for (const s of SEVERITIES) out.push(`| ${s} | ${SEVERITY_MEANING[s] ?? ''} |`);
  out.push(
    '',
    '## Today\'s scanners, mapped to these checks',
    '',
    'The rules of ZAP, nuclei, nikto, nmap, w3af, Arachni and commercial scanners (peer survey §2,',
    'numbered S1–S21), and the checks that cover each. Most of this catalogue covers the survey\'s gap',
    'list, which no scanner flags.',
    '',
    '| Rule | Scanner | Condition | Covered by |',
    '|---|---|---|---|',
  );
  for (const r of SCANNER_RULES) {
    const ids = CHECKS.filter((c) => c.scanners.includes(r.id)).map((c) => c.id);
    const cover = [ids.join(', '), r.note ?? ''].filter((x) => x !== '').join(' — ');
    out.push(`| ${r.id} | ${r.scanner} | ${r.condition.replace(/\|/g, '\\|')} | ${cover.replace(/\|/g, '\\|')} |`);
  }
  out.push('', '## Summary', '', '| ID | Severity | CWE | Title |', '|---|---|---|---|');
  for (const c of CHECKS) out.push(`| ${c.id} | ${c.severity} | ${c.cwe ?? ''} | ${c.title.replace(/\|/g, '\\|')} |`);
  out.push('');
  let family = '';
  for (const c of CHECKS) {
    const f = familyOf(c.id);
    if (f !== family) {
      family = f;
      out.push(`## ${FAMILIES[f] ?? f}`, '');
    }
    out.push(renderCheck(c));
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** The files of corpus/lint/, by path relative to the corpus root. */
export function renderLintCorpus(): Map<string, string> {
  const files = new Map<string, string>();
  for (const c of CHECKS) {
    const dir = `lint/${familyOf(c.id).toLowerCase()}`;
    const stem = caseName(c.id);
    for (const [kind, example] of [['trigger', c.trigger], ['near-miss', c.nearMiss]] as const) {
      const policyFile = `${stem}.${kind}.xml`;
      const lint: NonNullable<CorpusCaseFile['lint']> = {};
      if (example.servedFrom !== undefined) lint.servedFrom = example.servedFrom;
      if (example.client !== undefined) lint.client = example.client;
      if (example.contentType !== undefined) lint.contentType = example.contentType;
      if (example.headers !== undefined) lint.headers = example.headers;
      if (example.trusted !== undefined) lint.trusted = [...example.trusted];
      if (kind === 'trigger') lint.must = [c.id];
      else lint.mustNot = [c.id];
      const sidecar: CorpusCaseFile = {
        id: `lint/${stem}/${kind}`,
        title: kind === 'trigger' ? `${c.id}: ${c.title}` : `${c.id} near miss: must not trigger`,
        category: kind === 'trigger' ? 'malicious' : 'near-miss',
        requirements: ['LINT-8', ...c.requirements.filter((r) => r !== 'LINT-8')],
        policyFile,
        lint,
      };
      files.set(`${dir}/${policyFile}`, example.policy);
      files.set(`${dir}/${stem}.${kind}.case.json`, `${JSON.stringify(sidecar, null, 2)}\n`);
    }
  }
  return files;
}

function main(): void {
  writeFileSync(join(ROOT, 'spec/lint.md'), renderLintSpec());
  const corpusLint = join(ROOT, 'corpus/lint');
  rmSync(corpusLint, { recursive: true, force: true });
  for (const [rel, text] of renderLintCorpus()) {
    const p = join(ROOT, 'corpus', rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  const n = readdirSync(corpusLint).length;
  process.stdout.write(`wrote spec/lint.md and corpus/lint/ (${CHECKS.length} checks, ${n} families)\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
