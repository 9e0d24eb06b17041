/**
 * `xdpolicy lint FILE... [--served-from URL] [--client flash|silverlight|all] [--format text|json|sarif]
 * [--trusted DOMAIN]... [--fix] [--fail-on SEVERITY]`: report security findings in policy files
 * (spec/lint.md). `-` as FILE reads standard input.
 *
 * Exit statuses: 0 when no finding reaches `--fail-on` (default `medium`), 1 when one does, 2 on a
 * usage error (unknown option, bad value, unreadable file — the message names it).
 *
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../src/diagnostics.js';
import { parseDomainPattern } from '../src/flash/domains.js';
import { LINT_CLIENTS, parseServedFrom, type LintClient, type LintOptions } from '../src/lint/context.js';
import { applyFixes, fixDiff, fixesOf } from '../src/lint/fix.js';
import { reaches, REPORT_ORDER, SEVERITIES, type Finding, type Fix, type Severity } from '../src/lint/finding.js';
import { lintTextReport } from '../src/lint/lint.js';
import { parseClientsList } from './lint-clients.js';
import { PROFILE_NAMES, type ProfileName } from '../src/decision/types.js';
import { toSarif } from '../src/lint/sarif.js';
import { UsageError, type CliIO } from './io.js';
import { choiceOption, invalidValue, parseOptions, type OptionSpecs } from './options.js';
import { POLICY_FILE_LIMIT, readBoundedFile, readBoundedStream } from './read.js';

/** The output formats of `lint`. */
export const LINT_FORMATS = ['text', 'json', 'sarif'] as const;
/** An output format of `lint`. */
export type LintFormat = (typeof LINT_FORMATS)[number];

/** The command's usage text. */
export const LINT_USAGE = `usage: xdpolicy lint FILE... [--served-from URL] [--client flash|silverlight|all]
                    [--format text|json|sarif] [--trusted DOMAIN]... [--fix] [--clients LIST] [--fail-on SEVERITY]

Report security findings in cross-domain policy files (catalogue: spec/lint.md).
FILE - reads standard input.

  --served-from URL   where the files are served, which fixes the rules that apply:
                      https://host/crossdomain.xml, http://host/sub/policy.xml,
                      xmlsocket://host:843, xmlsocket://host:5000,
                      https://host/clientaccesspolicy.xml, xmlsocket://host:943.
                      Without it the kind is inferred (file name, root element, to-ports)
                      and a LINT-CONTEXT-INFERRED finding says how.
  --client C          flash, silverlight or all (default all)
  --clients LIST      client profiles compared with the reference of the file's family
                      (LINT-COMPAT-*): comma-separated names, all (default) or none
  --format F          text (default), json ({"files": [...], "findings": [...]}) or
                      sarif (SARIF 2.1.0, for code-scanning platforms)
  --json              the same as --format json
  --trusted DOMAIN    a domain the files are expected to trust (www.example.com,
                      *.example.com); repeatable, or comma-separated. Grants under its
                      registered domain are not listed, and a "*" grant's fix names it.
  --fix               write the fixes that cannot widen access into each FILE and print
                      a unified diff; the exit status then judges the fixed files
  --fail-on S         exit 1 when a finding is at least S: ${SEVERITIES.join(', ')} (default medium)

Exit status: 0 no finding reaches --fail-on, 1 one does, 2 usage error or unreadable file
(a FILE larger than 4 MiB, the XML length limit, is unreadable).
`;

/** Parsed arguments of `lint`. */
export interface LintArgs {
  files: string[];
  servedFrom?: string;
  client: LintClient;
  /** `--clients`: the profiles compared (LINT-17); absent means all of the file's family. */
  clients?: ProfileName[];
  format: LintFormat;
  trusted: string[];
  fix: boolean;
  failOn: Severity;
  help: boolean;
}

/** The FILE that names standard input, and how reports name it. */
const STDIN = '-';
const STDIN_NAME = '<stdin>';

// LINT-14
/** Checks one `--trusted` value: a host name, `*.` and a domain, or an IP address; never `*` alone. */
function trustedValue(value: string): string {
  const v = value.trim().toLowerCase();
  const p = parseDomainPattern(v);
  if (p.kind === 'any') throw new UsageError(`--trusted '${value}' trusts every site: name the sites the policy is meant for (www.example.com, *.example.com)`);
  if (p.kind === 'invalid') throw new UsageError(`--trusted '${value}' is not a domain (www.example.com, *.example.com) or an IP address: ${p.reason}`);
  return v;
}

/** The options `lint` reads (cli/options.ts reads them, as for every command). */
const LINT_OPTIONS = {
  json: { type: 'boolean' },
  format: { type: 'string' },
  trusted: { type: 'string', multiple: true },
  fix: { type: 'boolean' },
  'served-from': { type: 'string' },
  client: { type: 'string' },
  clients: { type: 'string' },
  'fail-on': { type: 'string' },
} as const satisfies OptionSpecs;

/** Parses the arguments; throws {@link UsageError} naming what is wrong. */
export function parseLintArgs(args: readonly string[]): LintArgs {
  const { values: v, positionals, help } = parseOptions(args, LINT_OPTIONS, { usage: LINT_USAGE, positionals: true });
  const out: LintArgs = { files: positionals, client: 'all', format: 'text', trusted: [], fix: v.fix === true, failOn: 'medium', help };
  if (help) return out;
  // --json is --format json: both may be given only when they agree.
  const format = choiceOption('--format', v.format, LINT_FORMATS);
  if (v.json && format !== undefined && format !== 'json') throw new UsageError(`--format ${format} contradicts --json`);
  out.format = v.json ? 'json' : (format ?? 'text');
  const formatGiven = v.json ? '--json' : `--format ${out.format}`;
  for (const value of v.trusted ?? []) for (const part of value.split(',')) if (part.trim() !== '') out.trusted.push(trustedValue(part));
  if (v['served-from'] !== undefined) {
    const why: Diagnostic[] = [];
    if (parseServedFrom(v['served-from'], why) === null) throw invalidValue('--served-from', why[0]?.message ?? `'${v['served-from']}' cannot be read`);
    out.servedFrom = v['served-from'];
  }
  out.client = choiceOption('--client', v.client, LINT_CLIENTS) ?? 'all';
  if (v.clients !== undefined) {
    const clients = parseClientsList(v.clients);
    if (clients !== undefined) out.clients = clients;
  }
  out.failOn = choiceOption('--fail-on', v['fail-on'], SEVERITIES) ?? 'medium';
  if (out.files.length === 0) throw new UsageError(`no FILE given\n\n${LINT_USAGE}`);
  if (out.files.filter((f) => f === STDIN).length > 1) throw new UsageError(`'-' (standard input) is given more than once`);
  if (out.fix && out.files.includes(STDIN)) throw new UsageError(`--fix writes the fixed FILE in place, and '-' (standard input) is not a file`);
  if (out.fix && out.format !== 'text') throw new UsageError(`--fix prints a diff, not ${out.format}: leave out ${formatGiven}`);
  return out;
}

/** A finding with the file it is about, as `--format json` prints it (LINT-7). */
export interface FileFinding {
  id: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  value: string;
  file: string;
  remediation: string;
  requirement?: string;
  cwe?: string;
  fix?: Fix;
}

const COLORS: Readonly<Record<Severity, string>> = { error: '\u001b[1;31m', high: '\u001b[31m', medium: '\u001b[33m', low: '\u001b[36m', info: '\u001b[2m' };
const RESET = '\u001b[0m';

/** Whether to colour output: a TTY, and NO_COLOR absent or empty (https://no-color.org). */
export function useColor(io: CliIO): boolean {
  const noColor = io.env['NO_COLOR'];
  return io.stdout.isTTY === true && (noColor === undefined || noColor === '');
}

/** What `lint` reads besides {@link CliIO}: standard input, for `-` (the process's own when absent). */
export type LintIO = CliIO & { stdin?: AsyncIterable<Uint8Array | string> };

/** One input: its name as given, its name in reports, and its text. */
interface Input {
  file: string;
  name: string;
  text: string;
}

/** The package's version, for SARIF's tool (the package's own package.json by self-reference). */
async function packageVersion(): Promise<string> {
  const { createRequire } = await import('node:module');
  return (createRequire(import.meta.url)('xdpolicy/package.json') as { version: string }).version;
}

/** The URI SARIF names a file by: relative as given (forward slashes), or a `file:` URI for an absolute path. */
function sarifUri(file: string): string {
  if (file === STDIN) return encodeURI(STDIN_NAME);
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return encodeURI(file.split(sep).join('/'));
}

/** Runs `xdpolicy lint`; resolves to the exit status. */
export async function runLint(args: string[], io: LintIO): Promise<number> {
  const opts = parseLintArgs(args);
  if (opts.help) {
    io.stdout.write(LINT_USAGE);
    return 0;
  }
  // Read every file first: an unreadable one is a usage error, reported before any output.
  const inputs: Input[] = [];
  for (const file of opts.files) {
    // LINT-7: `-` reads standard input, through the same bound as a file.
    const read = file === STDIN ? await readBoundedStream(io.stdin ?? process.stdin, POLICY_FILE_LIMIT) : await readBoundedFile(resolve(io.cwd, file), POLICY_FILE_LIMIT);
    if (!read.ok) throw new UsageError(`cannot read '${file === STDIN ? 'standard input' : file}': ${read.reason}`);
    inputs.push({ file, name: file === STDIN ? STDIN_NAME : file, text: read.text });
  }
  const optionsFor = (input: Input): LintOptions => {
    const options: LintOptions = { client: opts.client };
    if (input.file !== STDIN) options.fileName = input.file;
    if (opts.servedFrom !== undefined) options.servedFrom = opts.servedFrom;
    if (opts.clients !== undefined) options.clients = opts.clients;
    if (opts.trusted.length > 0) options.trusted = opts.trusted;
    return options;
  };
  if (opts.fix) return runFix(inputs, optionsFor, opts.failOn, io);
  const reports = inputs.map((input) => ({ input, findings: lintTextReport(input.text, optionsFor(input)).findings }));
  const all: FileFinding[] = [];
  for (const r of reports) for (const f of r.findings) all.push(toFileFinding(f, r.input.name));
  // LINT-6: the exit status depends only on whether a finding reaches --fail-on.
  const failing = all.filter((f) => reaches(f.severity, opts.failOn));
  switch (opts.format) {
    case 'json':
      // LINT-7: the files and the findings, nothing else.
      io.stdout.write(`${JSON.stringify({ files: inputs.map((i) => i.name), findings: all }, null, 2)}\n`);
      break;
    case 'sarif':
      // LINT-11
      io.stdout.write(`${JSON.stringify(toSarif(reports.map((r) => ({ uri: sarifUri(r.input.file), text: r.input.text, findings: r.findings })), { version: await packageVersion() }), null, 2)}\n`);
      break;
    case 'text':
      io.stdout.write(renderHuman(inputs.map((i) => i.name), all, opts.failOn, useColor(io)));
      break;
  }
  return failing.length > 0 ? 1 : 0;
}

// LINT-13
/**
 * `--fix`: for each file, applies the fixes that cannot widen access, writes the file when the
 * fixed text still reads as a policy of the same format, and prints the diff on stdout; one line
 * per file on stderr says what was done. The exit status judges the files as they now are.
 */
async function runFix(inputs: readonly Input[], optionsFor: (input: Input) => LintOptions, failOn: Severity, io: CliIO): Promise<number> {
  let failing = 0;
  for (const input of inputs) {
    const report = lintTextReport(input.text, optionsFor(input));
    const fixes = fixesOf(report.findings);
    let remaining = report.findings;
    if (fixes.length === 0) {
      io.stderr.write(`${input.name}: nothing to fix\n`);
    } else {
      const fixed = applyFixes(input.text, fixes);
      const again = lintTextReport(fixed, optionsFor(input));
      if (again.policy === null || report.policy === null || again.policy.format !== report.policy.format) {
        io.stderr.write(`${input.name}: left alone: the fixed text would not read as a policy\n`);
      } else {
        try {
          await writeFile(resolve(io.cwd, input.file), fixed, 'utf8');
        } catch (err) {
          throw new UsageError(`cannot write the fixed '${input.file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
        // A diff's every line ends in a newline, its last included (the summary lines follow on stderr).
        const diff = fixDiff(input.text, fixes, input.name);
        io.stdout.write(diff.endsWith('\n') ? diff : `${diff}\n`);
        io.stderr.write(`${input.name}: ${fixes.length} fix${fixes.length === 1 ? '' : 'es'} written\n`);
        remaining = again.findings;
      }
    }
    const bad = remaining.filter((f) => reaches(f.severity, failOn)).length;
    failing += bad;
    io.stderr.write(`${input.name}: ${remaining.length} finding${remaining.length === 1 ? '' : 's'} remain${remaining.length === 1 ? 's' : ''}, ${bad} at or above --fail-on ${failOn}\n`);
  }
  return failing > 0 ? 1 : 0;
}

function toFileFinding(f: Finding, file: string): FileFinding {
  const out: FileFinding = { id: f.id, severity: f.severity, message: f.message, line: f.line, column: f.column, value: f.value, file, remediation: f.remediation ?? '' };
  if (f.requirement !== undefined) out.requirement = f.requirement;
  if (f.cwe !== undefined) out.cwe = f.cwe;
  if (f.fix !== undefined) out.fix = f.fix;
  return out;
}

/** Most lines an entry of repeats lists; the rest are counted. */
const MAX_LINES_LISTED = 20;

/**
 * The repeats of one check in one file, in report order (LINT-7). A compatibility finding (LINT-17)
 * is about the client its value names, so only that client's findings repeat it: lightspark's
 * "grants every origin" is never folded under gnash's.
 */
function groupRepeats(findings: readonly FileFinding[]): FileFinding[][] {
  const groups = new Map<string, FileFinding[]>();
  for (const f of findings) {
    const client = (PROFILE_NAMES as readonly string[]).includes(f.value) ? f.value : '';
    const key = `${f.file}\u0000${f.id}\u0000${client}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()];
}

/** `4, 5, 9`, at most {@link MAX_LINES_LISTED} lines, each once. */
function lineList(group: readonly FileFinding[]): string {
  const lines = [...new Set(group.map((f) => f.line))];
  const shown = lines.slice(0, MAX_LINES_LISTED).join(', ');
  return lines.length > MAX_LINES_LISTED ? `${shown} and ${lines.length - MAX_LINES_LISTED} more` : shown;
}

function indentBlock(text: string, indent: string): string {
  return text.replace(/\r?\n/g, `\n${indent}`);
}

/**
 * The text report: findings by severity in report order (LINT-2), each with file:line:column, its
 * remediation and its fixed element; the repeats of one check in one file are one entry listing
 * their lines (LINT-7).
 */
export function renderHuman(files: readonly string[], findings: readonly FileFinding[], failOn: Severity, color: boolean): string {
  const paint = (s: Severity, text: string): string => (color ? `${COLORS[s]}${text}${RESET}` : text);
  const lines: string[] = [];
  const detail = '      ';
  for (const severity of REPORT_ORDER) {
    const inSeverity = findings.filter((f) => f.severity === severity);
    if (inSeverity.length === 0) continue;
    lines.push(paint(severity, `${severity.toUpperCase()} (${inSeverity.length})`));
    for (const group of groupRepeats(inSeverity)) {
      const f = group[0]!;
      const value = f.value !== '' ? ` [${f.value}]` : '';
      if (group.length === 1) {
        lines.push(`  ${f.file}:${f.line}:${f.column}  ${paint(severity, f.id)}  ${f.message}${value}`);
      } else {
        lines.push(`  ${f.file}  ${paint(severity, f.id)}  ×${group.length}  lines ${lineList(group)}`);
        lines.push(`${detail}line ${f.line}: ${f.message}${value}`);
      }
      if (f.remediation !== '') lines.push(`${detail}to fix: ${f.remediation}`);
      const fixed = group.filter((g) => g.fix !== undefined);
      if (group.length === 1 && f.fix !== undefined) lines.push(`${detail}fixed: ${indentBlock(f.fix.replacement, `${detail}       `)}`);
      else if (fixed.length > 0) lines.push(`${detail}--fix rewrites ${fixed.length} of them`);
    }
    lines.push('');
  }
  const counts = REPORT_ORDER.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const failing = findings.filter((f) => reaches(f.severity, failOn)).length;
  const summary = `${files.length} file${files.length === 1 ? '' : 's'}, ${findings.length} finding${findings.length === 1 ? '' : 's'}${counts.length > 0 ? ` (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}; ${failing > 0 ? `${failing} at or above --fail-on ${failOn}` : `none at or above --fail-on ${failOn}`}.`;
  lines.push(summary);
  return `${lines.join('\n')}\n`;
}
