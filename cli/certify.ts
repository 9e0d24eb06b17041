/**
 * `xdpolicy certify` — run the conformance cases against live policy servers.
 *
 * ```
 * xdpolicy certify [URL...] [--client flash|silverlight|all] [--expect FILE] [--strict] [--timeout MS]
 *                  [--idle-window MS] [--json FILE|-] [--junit FILE] [--html FILE] [--record FILE]
 *                  [--cases PATTERN] [--list] [--load N] [--insecure]
 * ```
 *
 * Exit 0: every MUST case passed; 1: a MUST case failed (or, under `--strict`, a SHOULD case);
 * 2: usage error (an output file that cannot be written included); 3: a target could not be tested
 * at all, a case ended in a harness error or could not be tested, or a report could not be written
 * after the run. With no URL, the bundled reference server is started on free loopback ports and
 * certified (what `npm start` runs).
 *
 * @module
 */
import { checkOutputs, reportWriter, type OutputRequest } from './output.js';
import { resolve } from 'node:path';
import { loadAnalyzers } from '../conformance/analyze.js';
import { parseExpectations, type Expectations } from '../conformance/expect.js';
import { defaultRunOptions, matchCasePattern } from '../conformance/model.js';
import { budgetText, htmlReport, jsonReport, junitReport, planText, progressLine, textReport } from '../conformance/report.js';
import { allCases, mergeReports, runCertification } from '../conformance/run.js';
import { parseCertifyTarget, type Target } from '../conformance/target.js';
import { maxOf, pushAll } from '../src/collections.js';
import type { ClientProfile } from '../src/decision/types.js';
import { startPolicyServer } from '../src/server/index.js';
import { UsageError, type CliIO } from './io.js';
import { choiceOption, integerOption, invalidValue, parseOptions, type OptionSpecs } from './options.js';
import { EXPECTATIONS_FILE_LIMIT, readBoundedFile } from './read.js';

/** The usage text of `certify`. */
export const CERTIFY_USAGE = `usage: xdpolicy certify [URL...] [options]

Certifies socket policy servers (xmlsocket://host:port) and URL policies
(http(s)://host[:port]/crossdomain.xml or /clientaccesspolicy.xml). With no URL,
starts the bundled reference server on free loopback ports and certifies it.

Options:
  --client flash|silverlight|all  which client to certify for (default: from the port
                                  843/943 or the path; otherwise probe both)
  --expect FILE     the operator's expectations: origins that must be allowed or denied
                    (a rule's "client" may name any profile: lightspark, flash9, moonlight, …)
  --strict          SHOULD-level cases count (otherwise their failures are warnings)
  --timeout MS      per-probe budget (default 4000)
  --idle-window MS  how long to wait for the server to close a connection by its own
                    timeout (default 30000: the bound spec/conformance.md states);
                    verdicts say when it closed ("closed at 10.03 s")
  --json FILE|-     write the JSON report (- : stdout carries only the JSON)
  --junit FILE      write a JUnit XML report
  --html FILE       write a self-contained HTML report with decision matrices, per client
                    profile too, and which profiles accept the answer
  --record FILE     write what the targets answered as a decide --world snapshot
  --cases PATTERN   run only cases whose ID starts with PATTERN or matches a glob (a,b,…)
  --list            list the cases (ID, level, description) and exit
  --load N          add a soak, alone and last: N connections, then one ordinary request;
                    it stops early after many identical failures in a row
  --load-concurrency N   connections at once in the load probe (default 50)
  --insecure        do not verify TLS certificates of https targets (self-signed test
                    servers); every report then warns that the transport was not
                    authenticated

Cases run in phases (ordinary requests; other input; connection-holding cases;
the soak, alone and last), with a check that the target still answers after each.
The run's bound is printed before it starts.

Exit status: 0 every MUST case passed; 1 a case failed (a SHOULD case only under
--strict), or the target stopped answering; 2 usage error, or an output file that
cannot be written; 3 a target could not be tested at all, a case of any level ended
in a harness error or could not be tested, or a report could not be written after
the run (the run could not test, or report, what it claims).
`;

/** The bundled server's default Flash socket policy: one named site, Silverlight's port window. */
export const DEFAULT_FLASH_SOCKET_POLICY = `<?xml version="1.0"?>
<cross-domain-policy>
  <site-control permitted-cross-domain-policies="master-only"/>
  <allow-access-from domain="www.example.com" to-ports="4502-4534"/>
</cross-domain-policy>
`;

/** The bundled server's default URL policy (`/crossdomain.xml`). */
export const DEFAULT_FLASH_URL_POLICY = `<?xml version="1.0"?>
<cross-domain-policy>
  <site-control permitted-cross-domain-policies="master-only"/>
  <allow-access-from domain="www.example.com"/>
</cross-domain-policy>
`;

/** The bundled server's default Silverlight policy (socket and `/clientaccesspolicy.xml`). */
export const DEFAULT_SILVERLIGHT_POLICY = `<?xml version="1.0" encoding="utf-8"?>
<access-policy>
  <cross-domain-access>
    <policy>
      <allow-from>
        <domain uri="http://www.example.com"/>
      </allow-from>
      <grant-to>
        <resource path="/" include-subpaths="true"/>
        <socket-resource port="4502-4534" protocol="tcp"/>
      </grant-to>
    </policy>
  </cross-domain-access>
</access-policy>
`;

/** What the bundled run expects of the default policies (shown in the decision matrix). */
export const DEFAULT_EXPECTATIONS: Expectations = {
  accept: [],
  rules: [
    { client: 'all', origins: ['http://www.example.com/app.swf'], ports: [4502, 4534], expect: 'allow' },
    { client: 'all', origins: ['http://evil.example/attack.swf'], ports: [4502], expect: 'deny' },
    { client: 'all', origins: ['http://www.example.com/app.swf'], ports: [80, 843, 4535], expect: 'deny' },
    { client: 'flash', origins: ['http://www.example.com/app.swf'], urls: ['/data.xml'], expect: 'allow' },
    { client: 'flash', origins: ['http://evil.example/attack.swf'], urls: ['/data.xml'], expect: 'deny' },
    { client: 'silverlight', origins: ['http://www.example.com/app.xap'], urls: ['/data.xml'], expect: 'allow' },
    { client: 'silverlight', origins: ['http://evil.example/attack.xap'], urls: ['/data.xml'], expect: 'deny' },
  ],
  matrix: {
    origins: ['http://www.example.com/app.swf', 'https://www.example.com/app.swf', 'http://evil.example/attack.swf'],
    ports: [80, 843, 943, 1024, 4502, 4534, 4535, 8080],
  },
};

interface BundledServer {
  listeners: { kind: 'flash' | 'silverlight' | 'http'; url: string; port: number }[];
  close(): Promise<void>;
}

/** Starts the bundled reference server on free loopback ports, or says why it cannot. */
async function startBundledServer(): Promise<BundledServer | { error: string }> {
  try {
    return await startPolicyServer({
      host: '127.0.0.1',
      flash: { policy: DEFAULT_FLASH_SOCKET_POLICY, port: 0 },
      silverlight: { policy: DEFAULT_SILVERLIGHT_POLICY, port: 0 },
      http: { port: 0, flashPolicy: DEFAULT_FLASH_URL_POLICY, silverlightPolicy: DEFAULT_SILVERLIGHT_POLICY },
    });
  } catch (err) {
    return { error: `the bundled reference server did not start: ${(err as Error).message}` };
  }
}

/** The certify targets of the bundled server's listeners. */
function bundledTargets(server: BundledServer): { targets: Target[]; clients: Map<string, ClientProfile> } {
  const targets: Target[] = [];
  const clients = new Map<string, ClientProfile>();
  for (const l of server.listeners) {
    if (l.kind === 'http') {
      for (const [path, client] of [['/crossdomain.xml', 'flash'], ['/clientaccesspolicy.xml', 'silverlight']] as const) {
        const t = parseCertifyTarget(`http://127.0.0.1:${l.port}${path}`);
        if (t.ok) {
          targets.push(t.value);
          clients.set(t.value.key, client);
        }
      }
    } else {
      const t = parseCertifyTarget(`xmlsocket://127.0.0.1:${l.port}`);
      if (t.ok) {
        targets.push(t.value);
        clients.set(t.value.key, l.kind);
      }
    }
  }
  return { targets, clients };
}

/** The options of `certify` (every one is in the help). */
export const CERTIFY_OPTIONS = {
  client: { type: 'string' },
  expect: { type: 'string' },
  strict: { type: 'boolean' },
  timeout: { type: 'string' },
  'idle-window': { type: 'string' },
  json: { type: 'string' },
  junit: { type: 'string' },
  html: { type: 'string' },
  record: { type: 'string' },
  cases: { type: 'string' },
  list: { type: 'boolean' },
  load: { type: 'string' },
  'load-concurrency': { type: 'string' },
  insecure: { type: 'boolean' },
} as const satisfies OptionSpecs;

/** Runs `xdpolicy certify`. */
export async function runCertify(args: string[], io: CliIO): Promise<number> {
  const { values, positionals, help } = parseOptions(args, CERTIFY_OPTIONS, { usage: CERTIFY_USAGE, positionals: true });
  if (help) {
    io.stdout.write(CERTIFY_USAGE);
    return 0;
  }
  const client = choiceOption('--client', values.client, ['flash', 'silverlight', 'all'] as const);
  const timeoutMs = integerOption('--timeout', values.timeout, 100, 600_000);
  const idleWindowMs = integerOption('--idle-window', values['idle-window'], 100, 600_000);
  const load = integerOption('--load', values.load, 1, 1_000_000);
  const loadConcurrency = integerOption('--load-concurrency', values['load-concurrency'], 1, 10_000);

  const cases = allCases();
  if (values.list) {
    const selected = cases.filter((c) => !values.cases || matchCasePattern(c.id, values.cases));
    for (const c of selected) io.stdout.write(`${c.id.padEnd(44)} ${c.strict ? 'SHOULD' : 'MUST  '} ${c.requirementIds.join(',').padEnd(12)} ${c.desc}\n`);
    io.stdout.write(`${selected.length} cases\n`);
    return 0;
  }
  if (values.cases !== undefined && !cases.some((c) => matchCasePattern(c.id, values.cases!))) {
    throw new UsageError(`--cases '${values.cases}' selects no case; see --list`);
  }

  const targets: Target[] = [];
  for (const p of positionals) {
    const t = parseCertifyTarget(p);
    if (!t.ok) throw new UsageError(t.reason);
    targets.push(t.value);
  }

  let expectations: Expectations | null = null;
  if (values.expect !== undefined) {
    const read = await readBoundedFile(resolve(io.cwd, values.expect), EXPECTATIONS_FILE_LIMIT);
    if (!read.ok) throw invalidValue(`--expect ${values.expect}`, `cannot read the file: ${read.reason}`);
    const e = parseExpectations(read.text);
    if ('error' in e) throw new UsageError(`--expect ${values.expect}: ${e.error}`);
    expectations = e;
  }

  // WIRE-HARNESS-1: every report file is checked before anything runs: a path that cannot be written is a usage error.
  const outputs: OutputRequest[] = [];
  if (values.json !== undefined && values.json !== '-') outputs.push({ flag: '--json', file: values.json });
  if (values.junit !== undefined) outputs.push({ flag: '--junit', file: values.junit });
  if (values.html !== undefined) outputs.push({ flag: '--html', file: values.html });
  if (values.record !== undefined) outputs.push({ flag: '--record', file: values.record });
  const outputProblem = checkOutputs(outputs, io.cwd);
  if (outputProblem) throw new UsageError(outputProblem);

  // With --json -, stdout carries the JSON document alone; everything for people goes to stderr.
  const jsonToStdout = values.json === '-';
  const human = jsonToStdout ? io.stderr : io.stdout;

  let server: BundledServer | null = null;
  let clientByTarget: Map<string, ClientProfile> | null = null;
  if (targets.length === 0) {
    const s = await startBundledServer();
    if ('error' in s) {
      io.stderr.write(`xdpolicy certify: ${s.error}\n`);
      return 3;
    }
    server = s;
    const b = bundledTargets(s);
    pushAll(targets, b.targets);
    clientByTarget = b.clients;
    expectations ??= DEFAULT_EXPECTATIONS;
    human.write(`No URL given: started the bundled reference server (${s.listeners.map((l) => `${l.kind} ${l.url}`).join(', ')}) with its default policies.\n`);
  }

  const options = defaultRunOptions({
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(idleWindowMs !== undefined ? { idleWindowMs } : {}),
    ...(load !== undefined ? { load } : {}),
    ...(loadConcurrency !== undefined ? { loadConcurrency } : {}),
    strict: values.strict ?? false,
    insecure: values.insecure ?? false,
    expectations,
  });
  const analyzers = await loadAnalyzers();

  try {
    // The bundled server's targets each carry their own client; the others follow --client or inference.
    const groups: { targets: Target[]; client: ClientProfile | 'all' | undefined }[] = clientByTarget
      ? (['flash', 'silverlight'] as const).map((c) => ({ targets: targets.filter((t) => clientByTarget!.get(t.key) === c), client: (client as ClientProfile | 'all' | undefined) ?? c }))
      : [{ targets, client: client as ClientProfile | 'all' | undefined }];
    io.stderr.write(`certify: ${targets.length} target(s), timeout ${options.timeoutMs} ms, idle window ${options.idleWindowMs} ms${options.strict ? ', strict' : ''}${options.insecure ? ', INSECURE: TLS certificates not verified' : ''}\n`);
    // WIRE-HARNESS-5: the bound, before anything is sent. Groups run side by side: the larger bound holds.
    const budgets: Parameters<typeof budgetText>[0][] = [];
    const groupCount = groups.filter((g) => g.targets.length > 0).length;
    const onBudget = (b: Parameters<typeof budgetText>[0]): void => {
      budgets.push(b);
      if (budgets.length === groupCount) io.stderr.write(budgetText({ ms: maxOf(budgets.map((x) => x.ms), 0), targets: budgets.flatMap((x) => x.targets) }));
    };
    const reports = await Promise.all(
      groups
        .filter((g) => g.targets.length > 0)
        .map((g) =>
          runCertification({
            targets: g.targets,
            options,
            analyzers,
            ...(g.client ? { client: g.client } : {}),
            ...(values.cases ? { pattern: values.cases } : {}),
            cases,
            onBudget,
            onPlan: (planned) => io.stderr.write(planText(planned)),
            onResult: (r) => io.stderr.write(progressLine(r)),
          }),
        ),
    );
    const report = mergeReports(reports);

    human.write(textReport(report));
    const files = reportWriter(io, 'xdpolicy certify');
    const write = files.write;
    if (values.json !== undefined) {
      if (jsonToStdout) io.stdout.write(jsonReport(report));
      else write('--json', values.json, jsonReport(report));
    }
    if (values.junit !== undefined) write('--junit', values.junit, junitReport(report));
    if (values.html !== undefined) write('--html', values.html, htmlReport(report));
    if (values.record !== undefined) write('--record', values.record, `${JSON.stringify(report.world, null, 2)}\n`);
    // WIRE-HARNESS-1: a report that could not be written is "could not report" (3), unless the
    // server is already known not to conform (1).
    if (files.failed && report.exitCode !== 1) {
      io.stderr.write('xdpolicy certify: exit 3: a report could not be written, so the run is not complete\n');
      return 3;
    }
    return report.exitCode;
  } finally {
    await server?.close();
  }
}
