/**
 * bench/serve: connections per second, failures and p99 latency of `xdpolicy serve` next to npm
 * policyfile and a minimal blocking C server, all driven by one load generator in one run; p99
 * with 1,000 idle sockets held open; and a soak checking the server's descriptors and memory.
 */
import os from 'node:os';
import type { BenchFigure, BenchResult, BenchTarget } from '../suite.js';
import { openIdleSockets, runLoad, type LoadResult } from './loadgen.js';
import { benchPolicy, processCpuMs, processFootprint, startCServer, startPolicyfile, startXdpolicy, writeBenchPolicy } from './servers.js';

/** Options of a bench run. */
export interface ServeBenchOptions {
  /** Seconds of load per round (default 2). */
  seconds?: number;
  /** Rounds per server for throughput; the best is kept (default 3). */
  rounds?: number;
  /** Connections in flight at once (default 32). */
  concurrency?: number;
  /** Connections of the soak (default 20,000; `--soak` uses 100,000). */
  soakConnections?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Everything one run measured. */
export interface ServeBenchReport {
  /** Each result carries `cpuUsPerConn`: the server process's CPU time per successful connection. */
  xdpolicy: Measured;
  policyfile: Measured & { fdsAfter: number };
  c: Measured | null;
  /** Load average (1 min) when the run ended: the machines are shared. */
  loadAverage: number;
  idleBaseline: LoadResult;
  idleLoaded: LoadResult;
  idleSockets: number;
  soak: { connections: LoadResult; before: { fds: number; rssKiB: number }; after: { fds: number; rssKiB: number } };
  concurrency: number;
  seconds: number;
  rounds: number;
}

/** A load result plus the server's CPU cost per successful connection, in µs. */
export type Measured = LoadResult & { cpuUsPerConn: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs every measurement; each phase is bounded in time or in connections. */
export async function measureServe(o: ServeBenchOptions = {}): Promise<ServeBenchReport> {
  const seconds = o.seconds ?? 2;
  const concurrency = o.concurrency ?? 32;
  const soakConnections = o.soakConnections ?? 20_000;
  const rounds = o.rounds ?? 3;
  const log = o.log ?? (() => {});
  const policy = benchPolicy();
  const policyFile = writeBenchPolicy(policy);
  const load = (port: number, extra: Partial<Parameters<typeof runLoad>[0]> = {}) => runLoad({ port, policy, concurrency, durationMs: seconds * 1000, ...extra });
  // CPU per connection does not depend on how busy the shared machine is, unlike rates.
  const measured = async (pid: number, port: number, extra: Partial<Parameters<typeof runLoad>[0]> = {}): Promise<Measured> => {
    const cpu0 = processCpuMs(pid);
    const r = await load(port, extra);
    return { ...r, cpuUsPerConn: ((processCpuMs(pid) - cpu0) * 1000) / Math.max(1, r.ok) };
  };

  // (a) xdpolicy serve and (c) the C server, the ceiling: both started, then measured in
  // alternating rounds and the best round of each kept, so that a burst of load from other
  // processes on the shared machine does not decide the ratio. xdpolicy runs with a 60 s deadline
  // so that the 1,000 idle sockets of the next phase stay open for the whole phase (at the default
  // 5 s the server closes them, which is the point of SRV-TIME-1 but not what that phase measures).
  log('C blocking server and xdpolicy serve, alternating rounds…');
  const cs = await startCServer(policyFile);
  const xs = await startXdpolicy(policyFile, ['--timeout', '60000']);
  if (cs) await load(cs.port, { durationMs: 500 });
  await load(xs.port, { durationMs: 1000 }); // warm-up (JIT)
  let c: Measured | null = null;
  let xdpolicy: Measured | null = null;
  const best = (a: Measured | null, b: Measured) => (a === null || b.rate > a.rate ? b : a);
  for (let round = 0; round < rounds; round++) {
    if (cs) c = best(c, await measured(cs.pid, cs.port));
    xdpolicy = best(xdpolicy, await measured(xs.pid, xs.port));
  }
  if (cs) await cs.stop();
  if (!xdpolicy) throw new Error('no round ran');

  log('xdpolicy serve with 1,000 idle sockets…');
  // Two rounds each, bracketing the idle phase (without, with, with, without); the lower p99 of
  // each pair is kept, as noise from other processes only ever adds latency.
  const lowerP99 = (a: LoadResult, b: LoadResult) => (b.p99 < a.p99 ? b : a);
  const without1 = await load(xs.port, { concurrency: 8 });
  const idle = await openIdleSockets(xs.port, 1000);
  await sleep(200);
  const idleLoaded = lowerP99(await load(xs.port, { concurrency: 8 }), await load(xs.port, { concurrency: 8 }));
  for (const s of idle) s.destroy();
  await sleep(500);
  const idleBaseline = lowerP99(without1, await load(xs.port, { concurrency: 8 }));

  log(`xdpolicy serve soak, ${soakConnections} connections…`);
  const before = processFootprint(xs.pid);
  const soakResult = await runLoad({ port: xs.port, policy, concurrency, connections: soakConnections, timeoutMs: 10_000 });
  await sleep(1500);
  const after = processFootprint(xs.pid);
  await xs.stop();

  // (b) npm policyfile, in its own process as deployed.
  log('npm policyfile…');
  const pf = await startPolicyfile(0);
  const policyfile = await measured(pf.pid, pf.port, { timeoutMs: 2000 });
  await sleep(500);
  const fdsAfter = processFootprint(pf.pid).fds;
  await pf.stop();

  return { xdpolicy, policyfile: { ...policyfile, fdsAfter }, c, loadAverage: os.loadavg()[0] ?? NaN, idleBaseline, idleLoaded, idleSockets: idle.length, soak: { connections: soakResult, before, after }, concurrency, seconds, rounds };
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
const failures = (r: LoadResult) => (r.failed === 0 ? '0' : `${r.failed} (${Object.entries(r.failures).map(([k, v]) => `${k} ${v}`).join(', ')})`);

/** Turns a report into the bench harness's figures and targets. */
export function serveBenchResult(r: ServeBenchReport): BenchResult {
  const figures: BenchFigure[] = [
    { label: 'xdpolicy serve: policies/s', value: r.xdpolicy.rate, unit: 'conn/s' },
    { label: 'xdpolicy serve: failed connections', value: r.xdpolicy.failed, unit: 'conn' },
    { label: 'xdpolicy serve: p99 latency', value: r.xdpolicy.p99, unit: 'ms' },
    { label: 'xdpolicy serve: server CPU per connection', value: r.xdpolicy.cpuUsPerConn, unit: 'µs' },
    { label: 'npm policyfile: server CPU per successful connection', value: r.policyfile.cpuUsPerConn, unit: 'µs' },
    { label: 'npm policyfile: successful policies/s', value: r.policyfile.rate, unit: 'conn/s' },
    { label: 'npm policyfile: failed connections', value: r.policyfile.failed, unit: 'conn' },
    { label: 'npm policyfile: descriptors held after the run', value: r.policyfile.fdsAfter, unit: 'fds' },
    { label: 'p99, 8 clients, no idle sockets', value: r.idleBaseline.p99, unit: 'ms' },
    { label: `p99, 8 clients, ${r.idleSockets} idle sockets held open`, value: r.idleLoaded.p99, unit: 'ms' },
    { label: `soak ${f0(r.soak.connections.ok + r.soak.connections.failed)} connections: fds before → after`, value: r.soak.after.fds - r.soak.before.fds, unit: 'Δ fds' },
    { label: 'soak: RSS after / before', value: r.soak.after.rssKiB / r.soak.before.rssKiB, unit: '×' },
  ];
  if (r.c) {
    figures.push({ label: 'C blocking server: policies/s', value: r.c.rate, unit: 'conn/s' });
    figures.push({ label: 'C blocking server: p99 latency', value: r.c.p99, unit: 'ms' });
    figures.push({ label: 'C blocking server: server CPU per connection', value: r.c.cpuUsPerConn, unit: 'µs' });
  }
  const targets: BenchTarget[] = [
    { target: 'zero failed connections (xdpolicy serve, all phases)', measured: String(r.xdpolicy.failed + r.idleBaseline.failed + r.idleLoaded.failed + r.soak.connections.failed), pass: r.xdpolicy.failed + r.idleBaseline.failed + r.idleLoaded.failed + r.soak.connections.failed === 0 },
    { target: '> npm policyfile successful rate', measured: `${f0(r.xdpolicy.rate)} vs ${f0(r.policyfile.rate)} conn/s`, pass: r.xdpolicy.rate > r.policyfile.rate },
    { target: 'p99 with 1,000 idle sockets ≤ 2× p99 without', measured: `${f2(r.idleLoaded.p99)} vs ${f2(r.idleBaseline.p99)} ms`, pass: r.idleLoaded.p99 <= 2 * r.idleBaseline.p99 },
    { target: 'soak leaves descriptors where they started', measured: `${r.soak.before.fds} → ${r.soak.after.fds}`, pass: r.soak.after.fds <= r.soak.before.fds },
    { target: 'soak leaves RSS where it started (≤ 1.2×)', measured: `${f0(r.soak.before.rssKiB)} → ${f0(r.soak.after.rssKiB)} KiB`, pass: r.soak.after.rssKiB <= 1.2 * r.soak.before.rssKiB },
  ];
  if (r.c) targets.splice(1, 0, { target: '≥ 0.8× the C server rate', measured: `${f2(r.xdpolicy.rate / r.c.rate)}× (${f0(r.xdpolicy.rate)} vs ${f0(r.c.rate)} conn/s)`, pass: r.xdpolicy.rate >= 0.8 * r.c.rate });
  return {
    figures,
    targets,
    notes: [
      `One Node load generator, ${r.concurrency} connections in flight, best of ${r.rounds} alternating rounds of ${r.seconds} s (policyfile: one round, it leaks descriptors), source addresses rotating over 127.0.0.2–127.0.0.254;`,
      'a connection counts only when the whole policy arrived. Each server runs in its own process.',
    ],
  };
}

/** The Markdown of docs/benchmarks-serve.md. */
export function serveBenchMarkdown(r: ServeBenchReport, env: string, command: string): string {
  const row = (name: string, x: Measured) => `| ${name} | ${f0(x.rate)} | ${f0(x.ok)} | ${failures(x)} | ${f2(x.p50)} | ${f2(x.p99)} | ${f0(x.cpuUsPerConn)} |`;
  const res = serveBenchResult(r);
  return [
    '<!-- Generated by `npm run bench:serve` (bench/serve.ts). Do not edit by hand: rerun the benchmark. -->',
    '# Benchmarks: `xdpolicy serve`',
    '',
    `Measured on ${env} with \`${command}\`; load average ${f2(r.loadAverage)} at the end of the run (a shared`,
    'machine: rates and latencies move with the load, the server CPU per connection much less).',
    '',
    `One load generator (Node, one process) keeps ${r.concurrency} connections in flight. xdpolicy and the C server are`,
    `measured in ${r.rounds} alternating rounds of ${r.seconds} s and the best round of each is shown; npm policyfile gets`,
    'one round, as it leaks a descriptor per connection and would start later rounds crippled. Each',
    'connection connects from the next source address in 127.0.0.2–127.0.0.254, sends the 23-byte',
    '`<policy-file-request/>\\0`, and counts as a success only when the whole policy arrived (ended by',
    'its NUL, or by the close for a server that sends none). Every server runs in its own process and',
    'serves the same bytes (the policy npm policyfile generates for `www.example.com:1234`).',
    '',
    '## Throughput',
    '',
    '| server | successful conn/s | successful | failed | p50 ms | p99 ms | server CPU µs/conn |',
    '|---|---|---|---|---|---|---|',
    row('`xdpolicy serve`', r.xdpolicy),
    row('npm `policyfile` 0.0.6', r.policyfile),
    ...(r.c ? [row('minimal blocking C server (bench/c/policyd.c, gcc -O2)', r.c)] : ['| C server | not built (no gcc) | | | | | |']),
    '',
    `npm policyfile holds ${f0(r.policyfile.fdsAfter)} descriptors after its run (it never reads the request, so it keeps`,
    'every half-closed connection; at the process limit a fresh client gets nothing).',
    '',
    'How to read the ratio: the load generator is one Node process on the same 2 shared cores, so the',
    'C server, which costs the least CPU per connection, leaves the generator the most CPU and sets the',
    'ceiling. Profiled under this load, `xdpolicy serve` is idle more than half of the time: its rate is',
    'bounded by the generator and by scheduling, not by its own work. Runs minutes apart on this machine',
    'gave xdpolicy/C ratios from 0.58× to 1.06× (load averages 3 to 17; the earlier runs started the server from source under tsx); the server CPU per connection',
    '(about 70 µs for both Node servers, under 20 µs for C) moves much less. Rerun it rather than trust',
    'one ratio.',
    '',
    '## Idle sockets',
    '',
    '| phase (8 clients in flight) | successful conn/s | failed | p99 ms |',
    '|---|---|---|---|',
    `| no idle sockets | ${f0(r.idleBaseline.rate)} | ${failures(r.idleBaseline)} | ${f2(r.idleBaseline.p99)} |`,
    `| ${r.idleSockets} idle sockets held open | ${f0(r.idleLoaded.rate)} | ${failures(r.idleLoaded)} | ${f2(r.idleLoaded.p99)} |`,
    '',
    'Two rounds of each, in the order without, with, with, without; the lower p99 of each pair is shown. The server',
    'runs with `--timeout 60000` here so that the idle sockets stay open for the whole phase.',
    '',
    '## Soak',
    '',
    `${f0(r.soak.connections.ok + r.soak.connections.failed)} connections (${failures(r.soak.connections)} failed) at ${f0(r.soak.connections.rate)} conn/s.`,
    '',
    '| | open descriptors | RSS KiB |',
    '|---|---|---|',
    `| before | ${r.soak.before.fds} | ${f0(r.soak.before.rssKiB)} |`,
    `| after (1.5 s later) | ${r.soak.after.fds} | ${f0(r.soak.after.rssKiB)} |`,
    '',
    '## Targets',
    '',
    '| target | measured | verdict |',
    '|---|---|---|',
    ...res.targets.map((t) => `| ${t.target} | ${t.measured} | ${t.pass ? 'PASS' : 'FAIL'} |`),
    '',
  ].join('\n');
}
