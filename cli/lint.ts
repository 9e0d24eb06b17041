/**
 * `xdpolicy lint FILE... [--served-from URL] [--client flash|silverlight|all] [--json]
 * [--fail-on SEVERITY]`: report security findings in policy files (spec/lint.md).
 *
 * Exit statuses: 0 when no finding reaches `--fail-on` (default `medium`), 1 when one does, 2 on a
 * usage error (unknown option, bad value, unreadable file — the message names it).
 *
 * @module
 */
import { resolve } from 'node:path';
import type { Diagnostic } from '../src/diagnostics.js';
import { LINT_CLIENTS, parseServedFrom, type LintClient } from '../src/lint/context.js';
import { isSeverity, reaches, SEVERITIES, type Finding, type Severity } from '../src/lint/finding.js';
import { lintTextReport } from '../src/lint/lint.js';
import { parseClientsList } from './lint-clients.js';
import type { ProfileName } from '../src/decision/types.js';
import { UsageError, type CliIO } from './io.js';
import { POLICY_FILE_LIMIT, readBoundedFile } from './read.js';

/** The command's usage text. */
export const LINT_USAGE = `usage: xdpolicy lint FILE... [--served-from URL] [--client flash|silverlight|all] [--clients LIST] [--json] [--fail-on SEVERITY]

Report security findings in cross-domain policy files (catalogue: spec/lint.md).

  --served-from URL   where the files are served, which fixes the rules that apply:
                      https://host/crossdomain.xml, http://host/sub/policy.xml,
                      xmlsocket://host:843, xmlsocket://host:5000,
                      https://host/clientaccesspolicy.xml, xmlsocket://host:943.
                      Without it the kind is inferred (file name, root element, to-ports)
                      and a LINT-CONTEXT-INFERRED finding says how.
  --client C          flash, silverlight or all (default all)
  --clients LIST      client profiles compared with the reference of the file's family
                      (LINT-COMPAT-*): comma-separated names, all (default) or none
  --json              print {"files": [...], "findings": [...]} instead of text
  --fail-on S         exit 1 when a finding is at least S: ${SEVERITIES.join(', ')} (default medium)

Exit status: 0 no finding reaches --fail-on, 1 one does, 2 usage error or unreadable file
(a FILE larger than 4 MiB, the XML length limit, is unreadable).
`;

/** Parsed arguments of `lint`. */
export interface LintArgs {
  files: string[];
  servedFrom?: string;
  client: LintClient;
  /** `--clients`: the profiles compared (LINT-11); absent means all of the file's family. */
  clients?: ProfileName[];
  json: boolean;
  failOn: Severity;
  help: boolean;
}

/** Parses the arguments; throws {@link UsageError} naming what is wrong. */
export function parseLintArgs(args: readonly string[]): LintArgs {
  const out: LintArgs = { files: [], client: 'all', json: false, failOn: 'medium', help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const takeValue = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--help':
      case '-h':
        out.help = true;
        break;
      case '--json':
        out.json = true;
        break;
      case '--served-from': {
        const v = takeValue();
        const why: Diagnostic[] = [];
        if (parseServedFrom(v, why) === null) throw new UsageError(why[0]?.message ?? `--served-from '${v}' cannot be read`);
        out.servedFrom = v;
        break;
      }
      case '--client': {
        const v = takeValue();
        if (!(LINT_CLIENTS as readonly string[]).includes(v)) throw new UsageError(`--client '${v}' is not one of ${LINT_CLIENTS.join(', ')}`);
        out.client = v as LintClient;
        break;
      }
      case '--clients': {
        const v = parseClientsList(takeValue());
        if (v === undefined) delete out.clients;
        else out.clients = v;
        break;
      }
      case '--fail-on': {
        const v = takeValue();
        if (!isSeverity(v)) throw new UsageError(`--fail-on '${v}' is not one of ${SEVERITIES.join(', ')}`);
        out.failOn = v;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'\n\n${LINT_USAGE}`);
        out.files.push(arg);
    }
  }
  if (!out.help && out.files.length === 0) throw new UsageError(`no FILE given\n\n${LINT_USAGE}`);
  return out;
}

/** A finding with the file it is about, as `--json` prints it. */
export interface FileFinding {
  id: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  value: string;
  file: string;
}

const COLORS: Readonly<Record<Severity, string>> = { error: '\u001b[1;31m', high: '\u001b[31m', medium: '\u001b[33m', low: '\u001b[36m', info: '\u001b[2m' };
const RESET = '\u001b[0m';

/** Whether to colour output: a TTY, and NO_COLOR absent or empty (https://no-color.org). */
export function useColor(io: CliIO): boolean {
  const noColor = io.env['NO_COLOR'];
  return io.stdout.isTTY === true && (noColor === undefined || noColor === '');
}

/** Runs `xdpolicy lint`; resolves to the exit status. */
export async function runLint(args: string[], io: CliIO): Promise<number> {
  const opts = parseLintArgs(args);
  if (opts.help) {
    io.stdout.write(LINT_USAGE);
    return 0;
  }
  // Read every file first: an unreadable one is a usage error, reported before any output.
  const texts: string[] = [];
  for (const file of opts.files) {
    const read = await readBoundedFile(resolve(io.cwd, file), POLICY_FILE_LIMIT);
    if (!read.ok) throw new UsageError(`cannot read '${file}': ${read.reason}`);
    texts.push(read.text);
  }
  const all: FileFinding[] = [];
  opts.files.forEach((file, i) => {
    const options: Parameters<typeof lintTextReport>[1] = { client: opts.client, fileName: file };
    if (opts.servedFrom !== undefined) options.servedFrom = opts.servedFrom;
    if (opts.clients !== undefined) options.clients = opts.clients;
    const report = lintTextReport(texts[i]!, options);
    for (const f of report.findings) all.push(toFileFinding(f, file));
  });
  // LINT-6: the exit status depends only on whether a finding reaches --fail-on.
  const failing = all.filter((f) => reaches(f.severity, opts.failOn));
  // LINT-7: --json prints the files and the findings, nothing else.
  if (opts.json) {
    io.stdout.write(`${JSON.stringify({ files: opts.files, findings: all }, null, 2)}\n`);
  } else {
    io.stdout.write(renderHuman(opts.files, all, opts.failOn, useColor(io)));
  }
  return failing.length > 0 ? 1 : 0;
}

function toFileFinding(f: Finding, file: string): FileFinding {
  return { id: f.id, severity: f.severity, message: f.message, line: f.line, column: f.column, value: f.value, file };
}

/** The text report: findings grouped by severity, worst first, each with file:line:column. */
export function renderHuman(files: readonly string[], findings: readonly FileFinding[], failOn: Severity, color: boolean): string {
  const paint = (s: Severity, text: string): string => (color ? `${COLORS[s]}${text}${RESET}` : text);
  const lines: string[] = [];
  for (const severity of SEVERITIES) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push(paint(severity, `${severity.toUpperCase()} (${group.length})`));
    for (const f of group) {
      const value = f.value !== '' ? ` [${f.value}]` : '';
      lines.push(`  ${f.file}:${f.line}:${f.column}  ${paint(severity, f.id)}  ${f.message}${value}`);
    }
    lines.push('');
  }
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const failing = findings.filter((f) => reaches(f.severity, failOn)).length;
  const summary = `${files.length} file${files.length === 1 ? '' : 's'}, ${findings.length} finding${findings.length === 1 ? '' : 's'}${counts.length > 0 ? ` (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}; ${failing > 0 ? `${failing} at or above --fail-on ${failOn}` : `none at or above --fail-on ${failOn}`}.`;
  lines.push(summary);
  return `${lines.join('\n')}\n`;
}
