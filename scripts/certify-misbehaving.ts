/**
 * The long run of issue 14: certify every misbehaving server (conformance/test-support/misbehaving.ts)
 * with the default windows (4 s timeout, 30 s idle window), once without and once with a soak, and
 * print what each run measured: its exit status, how long it took against the bound it printed,
 * every case whose verdict is not the right one, the soak's counts, and the sockets left open —
 * counted by the harness and, outside it, by `ss`.
 *
 * ```
 * npx tsx scripts/certify-misbehaving.ts [--load 20000] [--only backlog,single-read]
 * ```
 *
 * The servers run in their own processes with the timeouts of the real servers they model: 5 s
 * (the reference server's), 10 s for the idle closer (Ruby flashpolicyd), none for the spinner.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { loadAnalyzers } from '../conformance/analyze.js';
import { openSocketCount } from '../conformance/client.js';
import { defaultRunOptions } from '../conformance/model.js';
import { formatDuration } from '../conformance/phases.js';
import { runCertification } from '../conformance/run.js';
import { CLIENT_OF, MISBEHAVIOURS, rightVerdict, startMisbehaving, type Misbehaviour, type MisbehavingOptions } from '../conformance/test-support/misbehaving.js';
import { testTarget } from '../conformance/test-support/servers.js';

const { values } = parseArgs({ options: { load: { type: 'string', default: '20000' }, only: { type: 'string' } } });
const load = Number(values.load);
const kinds = values.only ? (values.only.split(',') as Misbehaviour[]) : [...MISBEHAVIOURS];

/** The server settings of the long run. */
function serverOptions(kind: Misbehaviour): MisbehavingOptions {
  const client = CLIENT_OF[kind];
  if (kind === 'idle-closer') return { client, idleMs: 10_000 };
  if (kind === 'half-close-spinner') return { client, idleMs: null };
  if (kind === 'dies-after') return { client, idleMs: 5000, dieAfter: 1000 };
  return { client, idleMs: 5000 };
}

/**
 * Sockets to `port` that this process still holds, as `ss` sees them, and the kernel's own sockets
 * to it that no process holds any more (closed by certify, waiting for the server's FIN: FIN-WAIT-2
 * and the like, which cost no descriptor), by state. TIME-WAIT is left out.
 */
function ssCount(port: number): { owned: number; orphans: string } {
  try {
    const out = execFileSync('ss', ['-Htnp', 'exclude', 'time-wait', `( dport = :${port} )`], { encoding: 'utf8' });
    const lines = out.split('\n').filter((l) => l.trim() !== '');
    const owned = lines.filter((l) => l.includes(`pid=${process.pid},`)).length;
    const states = new Map<string, number>();
    for (const l of lines.filter((x) => !x.includes('pid='))) {
      const state = l.trim().split(/\s+/)[0]!;
      states.set(state, (states.get(state) ?? 0) + 1);
    }
    return { owned, orphans: [...states].map(([s, n]) => `${n} ${s}`).join(', ') || 'none' };
  } catch {
    return { owned: -1, orphans: 'ss failed' };
  }
}

const analyzers = await loadAnalyzers();
const rows: string[] = [];
for (const kind of kinds) {
  for (const soak of [0, load]) {
    const server = await startMisbehaving(kind, serverOptions(kind));
    const client = CLIENT_OF[kind];
    const t0 = performance.now();
    const report = await runCertification({
      targets: [testTarget(server.url)],
      client,
      options: defaultRunOptions({ load: soak }),
      analyzers,
    });
    const took = performance.now() - t0;
    const wrong = report.results.filter((r) => r.verdict.status !== rightVerdict(kind, r)).map((r) => `${r.id}: ${r.verdict.status}, right: ${rightVerdict(kind, r)} (${r.verdict.actual})`);
    const soakResult = report.results.find((r) => r.id.startsWith('load/'));
    const counts = report.summary;
    const harnessOpen = openSocketCount({ host: '127.0.0.1', port: server.port });
    const os = ssCount(server.port);
    const line = [
      kind,
      client,
      soak ? `--load ${soak}` : '—',
      String(report.exitCode),
      `${(took / 1000).toFixed(1)} s`,
      formatDuration(report.budget.ms),
      `${counts.pass}/${counts.fail}/${counts.warn}/${counts.skip}/${counts.error}/${counts.untested}`,
      wrong.length === 0 ? 'all right' : `${wrong.length} wrong`,
      `${report.socketsOpenAtEnd}/${harnessOpen}/${os.owned}`,
      os.orphans,
    ];
    rows.push(`| ${line.join(' | ')} |`);
    process.stderr.write(`${line.join('  ')}\n`);
    for (const w of wrong) process.stderr.write(`  WRONG ${w}\n`);
    if (soakResult) process.stderr.write(`  soak: ${soakResult.verdict.status}: ${soakResult.verdict.actual}\n`);
    for (const d of report.diagnoses) process.stderr.write(`  diagnosis: [${d.level}] ${d.cause} (${d.cases.length} cases)\n`);
    await server.close();
  }
}
process.stdout.write('| server | client | soak | exit | run time | stated bound | pass/fail/warn/skip/error/untested | verdicts | sockets open at end (report/harness/ss) | closed sockets the kernel still finishes |\n');
process.stdout.write('|---|---|---|---|---|---|---|---|---|---|\n');
process.stdout.write(`${rows.join('\n')}\n`);
