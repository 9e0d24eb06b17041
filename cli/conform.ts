/**
 * `xdpolicy conform` — runs the client conformance vectors through an implementation that speaks
 * the stdio protocol, and reports where it agrees with the reference (or another profile).
 *
 * @module
 */
import { resolve } from 'node:path';
import { runConform } from '../conformance/kit/conform.js';
import { splitCommand } from '../conformance/kit/protocol.js';
import { conformHtmlReport, conformJsonReport, conformJunitReport, conformTextReport } from '../conformance/kit/report.js';
import { defaultVectorsFile, readVectorFile, type VectorFile } from '../conformance/kit/vectors.js';
import { DEFAULT_STARTUP_MS } from '../conformance/kit/session.js';
import { matchCasePattern } from '../conformance/model.js';
import { CLIENT_PROFILES, PROFILE_NAMES, type ClientProfile, type ProfileName } from '../src/decision/types.js';
import { profileFamily } from '../src/profiles/index.js';
import { UsageError, type CliIO } from './io.js';
import { choiceOption, integerOption, invalidValue, missingOption, parseOptions, type OptionSpecs } from './options.js';
import { checkOutputs, reportWriter, type OutputRequest } from './output.js';
import { readBoundedFile, type InputLimit } from './read.js';

/** The help text of `xdpolicy conform`. */
export const CONFORM_USAGE = `usage: xdpolicy conform --impl "COMMAND ARGS" [--client flash|silverlight] [--profile NAME]
                        [--cases FILE] [--filter GLOB] [--json FILE|-] [--junit FILE] [--html FILE]
                        [--timeout MS] [--startup MS] [--window N]

Runs the client conformance vectors through an implementation of Flash's or Silverlight's
policy checks, and compares every verdict with the expectation of a profile.

The implementation is a command speaking the stdio protocol: it reads one JSON request per line
on stdin and writes one JSON answer per line on stdout, {"id": …, "decision": "allow"|"deny"},
{"id": …, "skip": "why"} or {"id": …, "error": "why"}, in any order (docs/testing-clients.md).

  --impl "COMMAND ARGS"  the implementation; split into words like a shell would (quotes
                         honoured), run without a shell
  --client NAME          flash or silverlight: which vectors to run (default: the family of
                         --profile, else flash)
  --profile NAME         whose verdicts are expected (default: the client's reference profile);
                         one of the profiles the vectors name
  --cases FILE           a vectors file to run instead of the shipped one (same format)
  --filter GLOB          only cases whose id matches (* and ?, comma-separated; a prefix such as
                         flash/sockets selects a directory)
  --json FILE|-          write the JSON report (- : stdout carries only the JSON)
  --junit FILE           write a JUnit XML report
  --html FILE            write an HTML report
  --timeout MS           a case's time budget, from its request line (default 5000)
  --startup MS           added to the budget of the cases written before the first answer,
                         for a program slow to start (default 10000; 0 for none)
  --window N             requests written and not yet answered, at most (default 8)
  -h, --help             show this help

Exit status: 0 every case agrees (skips allowed), 1 a case disagrees or the implementation
reported an error or let a case time out, 2 usage error, 3 the implementation could not be run
to the end (it could not start, exited early, broke the protocol or stopped answering).
`;

/** A vectors file: the shipped ones are under 1 MiB; room for a corpus ten times larger. */
export const VECTORS_FILE_LIMIT: InputLimit = { maxBytes: 64 * 1024 * 1024, what: 'a vectors file', source: 'conform: 64 MiB' };

async function readVectors(io: CliIO, flag: string, path: string): Promise<VectorFile> {
  const read = await readBoundedFile(path, VECTORS_FILE_LIMIT);
  if (!read.ok) throw new UsageError(`${flag} ${path}: cannot read the file: ${read.reason}`);
  const { file, problems } = readVectorFile(read.text);
  if (file === null) throw new UsageError(`${flag} ${path}: not a valid vectors file:\n  ${problems.slice(0, 10).join('\n  ')}${problems.length > 10 ? `\n  … and ${problems.length - 10} more` : ''}`);
  return file;
}

const CONFORM_OPTIONS = {
  impl: { type: 'string' },
  client: { type: 'string' },
  profile: { type: 'string' },
  cases: { type: 'string' },
  filter: { type: 'string' },
  json: { type: 'string' },
  junit: { type: 'string' },
  html: { type: 'string' },
  timeout: { type: 'string' },
  startup: { type: 'string' },
  window: { type: 'string' },
} as const satisfies OptionSpecs;

/** Runs `xdpolicy conform`. */
export async function runConformCommand(args: string[], io: CliIO): Promise<number> {
  const { values, help } = parseOptions(args, CONFORM_OPTIONS, { usage: CONFORM_USAGE });
  if (help) {
    io.stdout.write(CONFORM_USAGE);
    return 0;
  }
  if (values.impl === undefined) throw missingOption('--impl', '"COMMAND ARGS"');
  const split = splitCommand(values.impl);
  if ('problem' in split) throw invalidValue('--impl', `cannot read the command: ${split.problem}`);
  const client = choiceOption('--client', values.client, CLIENT_PROFILES);
  const budgetMs = integerOption('--timeout', values.timeout, 10, 600_000, 5000);
  const startupMs = integerOption('--startup', values.startup, 0, 600_000, DEFAULT_STARTUP_MS);
  const window = integerOption('--window', values.window, 1, 1024, 8);

  // The vectors: --cases FILE, or the shipped file of the client (given, the profile's family, or flash).
  let vectors: VectorFile;
  let source: string;
  if (values.cases !== undefined) {
    source = values.cases;
    vectors = await readVectors(io, '--cases', resolve(io.cwd, values.cases));
    if (client !== undefined && vectors.client !== client) throw new UsageError(`--cases ${values.cases} holds ${vectors.client} cases, not ${client}`);
  } else {
    const named = values.profile !== undefined && PROFILE_NAMES.includes(values.profile as ProfileName) ? profileFamily(values.profile as ProfileName) : undefined;
    if (client !== undefined && named !== undefined && named !== client) throw new UsageError(`--profile ${values.profile} is a ${named} client, not ${client}`);
    const family = (client ?? named ?? 'flash') as ClientProfile;
    const path = defaultVectorsFile(family);
    source = `the shipped ${family} vectors`;
    vectors = await readVectors(io, 'vectors', path);
  }
  const profile = values.profile ?? vectors.client;
  if (!Object.hasOwn(vectors.profiles, profile) && PROFILE_NAMES.includes(profile as ProfileName)) {
    throw new UsageError(`--profile ${profile}: ${source} have no expectations for it yet (a profile enters the vectors once it is modelled; they have: ${Object.keys(vectors.profiles).join(', ')})`);
  }
  if (!Object.hasOwn(vectors.profiles, profile)) throw new UsageError(`--profile: the ${vectors.client} vectors have no profile '${profile}' (they have: ${Object.keys(vectors.profiles).join(', ')})`);
  if (values.filter !== undefined && !vectors.cases.some((c) => matchCasePattern(c.id, values.filter!))) throw new UsageError(`--filter '${values.filter}' selects no case of ${source}`);

  const outputs: OutputRequest[] = [];
  if (values.json !== undefined && values.json !== '-') outputs.push({ flag: '--json', file: values.json });
  if (values.junit !== undefined) outputs.push({ flag: '--junit', file: values.junit });
  if (values.html !== undefined) outputs.push({ flag: '--html', file: values.html });
  const outputProblem = checkOutputs(outputs, io.cwd);
  if (outputProblem) throw new UsageError(outputProblem);
  const jsonToStdout = values.json === '-';
  const human = jsonToStdout ? io.stderr : io.stdout;

  const report = await runConform({
    impl: values.impl,
    command: split.words,
    vectors,
    casesSource: source,
    profile,
    ...(values.filter !== undefined ? { filter: values.filter } : {}),
    budgetMs,
    startupMs,
    window,
    cwd: io.cwd,
    env: io.env as NodeJS.ProcessEnv,
  });
  human.write(conformTextReport(report));
  const files = reportWriter(io, 'xdpolicy conform');
  if (values.json !== undefined) {
    if (jsonToStdout) io.stdout.write(conformJsonReport(report));
    else files.write('--json', values.json, conformJsonReport(report));
  }
  if (values.junit !== undefined) files.write('--junit', values.junit, conformJunitReport(report));
  if (values.html !== undefined) files.write('--html', values.html, conformHtmlReport(report));
  if (files.failed && report.exitCode !== 1) {
    io.stderr.write('xdpolicy conform: exit 3: a report could not be written, so the run is not complete\n');
    return 3;
  }
  return report.exitCode;
}
