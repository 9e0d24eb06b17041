/**
 * bench/serve: connections per second, failures and p99 latency of `xdpolicy serve` next to npm
 * policyfile and a minimal blocking C server, all driven by one load generator in one run (the C
 * generator of bench/c/loadgen.c by default, the Node one with `generator: 'node'`); p99
 * with 1,000 idle sockets held open; and a soak checking the server's descriptors and memory.
 */
import os from 'node:os';
import { maxOf, minOf } from '../../src/collections.js';
import type { BenchFigure, BenchResult, BenchTarget } from '../suite.js';
import { openIdleSockets, runCLoad, runLoad, type LoadOptions, type LoadResult } from './loadgen.js';
import { benchPolicy, buildCLoadGenerator, pinLoadGenerator, processCpuMs, processFootprint, processRunQueueWaitMs, startCServer, startMinimalNode, startPolicyfile, startXdpolicy, writeBenchPolicy, type Pinning } from './servers.js';

/** Options of a bench run. */
export interface ServeBenchOptions {
  /** Seconds of load per round (default 1.5). */
  seconds?: number;
  /** Rounds per server for throughput, alternating between the servers; the median is kept (default 7). */
  rounds?: number;
  /** Connections in flight at once (default 64 with the C generator, 32 with the Node one). */
  concurrency?: number;
  /**
   * Which load generator drives every phase: `c` (default) is bench/c/loadgen.c, built with gcc;
   * `node` is bench/serve/loadgen.ts, kept for comparison. Without gcc, `c` falls back to `node`.
   */
  generator?: 'c' | 'node';
  /** Connections of the soak (default 20,000; `--soak` uses 100,000). */
  soakConnections?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Everything one run measured. */
export interface ServeBenchReport {
  xdpolicy: Summary;
  policyfile: Summary & { fdsAfter: number };
  c: Summary | null;
  /** The smallest Node server (bench/serve/minimal-node.cjs): the floor of Node's net module. */
  minimalNode: Summary;
  /** How the generator and the servers were placed on the cores. */
  pinning: Pinning;
  /** The generator that drove every phase, and why it is not the one asked for (empty otherwise). */
  generator: 'c' | 'node';
  generatorNote: string;
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

/**
 * A load result plus the server's CPU cost per successful connection (µs) and how busy the load
 * generator was (its CPU time over the wall time, %): near 100 % the generator, not the server,
 * bounds the rate; and how long the server, runnable, waited for its core (% of the round):
 * other processes on the shared machine taking that core.
 */
export type Measured = LoadResult & { cpuUsPerConn: number; generatorBusyPct: number; generatorUsPerConn: number; serverWaitPct: number };

/**
 * The rounds of one server summarised: rate, percentiles and CPU per connection are the medians
 * over the rounds, `ok`/`failed`/`failures` the totals; `rounds` keeps each round for the spread.
 */
export type Summary = Measured & { rounds: Measured[]; minRate: number; maxRate: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Medians (rate, p50, p99, CPU) and totals (connections, failures) of several rounds. */
export function summarise(rounds: Measured[]): Summary {
  const failures: Record<string, number> = {};
  for (const r of rounds) for (const [k, v] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + v;
  const rates = rounds.map((r) => r.rate);
  return {
    ok: rounds.reduce((n, r) => n + r.ok, 0),
    failed: rounds.reduce((n, r) => n + r.failed, 0),
    failures,
    seconds: rounds.reduce((n, r) => n + r.seconds, 0),
    rate: median(rates),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    cpuUsPerConn: median(rounds.map((r) => r.cpuUsPerConn)),
    generatorBusyPct: median(rounds.map((r) => r.generatorBusyPct)),
    generatorUsPerConn: median(rounds.map((r) => r.generatorUsPerConn)),
    serverWaitPct: median(rounds.map((r) => r.serverWaitPct)),
    rounds,
    minRate: minOf(rates),
    maxRate: maxOf(rates),
  };
}

/** Runs every measurement; each phase is bounded in time or in connections. */
export async function measureServe(o: ServeBenchOptions = {}): Promise<ServeBenchReport> {
  const seconds = o.seconds ?? 1.5;
  const soakConnections = o.soakConnections ?? 20_000;
  const rounds = o.rounds ?? 7;
  const log = o.log ?? (() => {});
  // The generator on one core, every server on the other: see Pinning.
  const pinning = pinLoadGenerator();
  log(pinning.pinned ? `pinned: load generator on core ${pinning.generatorCore}, each server on core ${pinning.serverCore}` : `NOT pinned: ${pinning.note}`);
  let generator = o.generator ?? 'c';
  let generatorNote = '';
  let cBin = '';
  if (generator === 'c') {
    const built = buildCLoadGenerator();
    if ('bin' in built) cBin = built.bin;
    else {
      generator = 'node';
      generatorNote = `C load generator not built, fell back to the Node generator: ${built.error}`;
      log(`NOTE: ${generatorNote}`);
    }
  }
  log(`load generator: ${generator === 'c' ? 'C (bench/c/loadgen.c, epoll)' : 'Node (bench/serve/loadgen.ts)'}`);
  const concurrency = o.concurrency ?? (generator === 'c' ? 64 : 32);
  const policy = benchPolicy();
  const policyFile = writeBenchPolicy(policy);
  const run = (lo: LoadOptions) => (generator === 'c' ? runCLoad(cBin, { policyFile, ...lo }) : runLoad(lo));
  const load = (port: number, extra: Partial<LoadOptions> = {}) => run({ port, policy, concurrency, durationMs: seconds * 1000, ...extra });
  // CPU per connection does not depend on how busy the shared machine is, unlike rates.
  const measured = async (pid: number, port: number, extra: Partial<LoadOptions> = {}): Promise<Measured> => {
    const cpu0 = processCpuMs(pid);
    const gen0 = process.cpuUsage();
    const wait0 = processRunQueueWaitMs(pid);
    const r = await load(port, extra);
    const gen = process.cpuUsage(gen0);
    // The C generator reports its own CPU time; the Node generator is this process.
    const genUs = r.generatorCpuUs ?? gen.user + gen.system;
    return {
      ...r,
      cpuUsPerConn: ((processCpuMs(pid) - cpu0) * 1000) / Math.max(1, r.ok),
      generatorBusyPct: genUs / (r.seconds * 1e4),
      generatorUsPerConn: genUs / Math.max(1, r.ok),
      serverWaitPct: (processRunQueueWaitMs(pid) - wait0) / (r.seconds * 10),
    };
  };

  // Throughput: the three servers in alternating rounds (the order rotates each round), the
  // median of each kept, so that a burst of load from other processes on the shared machine
  // neither decides a ratio nor always hits the same server. xdpolicy runs with a 60 s deadline
  // so that the 1,000 idle sockets of the next phase stay open for the whole phase (at the
  // default 5 s the server closes them, which is the point of SRV-TIME-1 but not what that phase
  // measures). npm policyfile keeps a descriptor per connection, so each of its rounds gets a
  // fresh process (a long-lived one would hit the descriptor limit within a few seconds).
  log(`throughput: C server, xdpolicy serve, npm policyfile, minimal Node server; ${rounds} alternating rounds of ${seconds} s…`);
  const cs = await startCServer(policyFile);
  const xs = await startXdpolicy(policyFile, ['--timeout', '60000']);
  const ns = await startMinimalNode(policyFile);
  if (cs) await load(cs.port, { durationMs: 500 });
  await load(xs.port, { durationMs: 2000 }); // warm-up (JIT)
  await load(ns.port, { durationMs: 500 });
  const cRounds: Measured[] = [];
  const xRounds: Measured[] = [];
  const pRounds: Measured[] = [];
  const nRounds: Measured[] = [];
  let fdsAfter = 0;
  const runners: (() => Promise<void>)[] = [
    async () => {
      nRounds.push(await measured(ns.pid, ns.port));
    },
    async () => {
      if (cs) cRounds.push(await measured(cs.pid, cs.port));
    },
    async () => {
      xRounds.push(await measured(xs.pid, xs.port));
    },
    async () => {
      const pf = await startPolicyfile(0);
      await load(pf.port, { durationMs: 200, timeoutMs: 2000 }); // warm-up (JIT)
      pRounds.push(await measured(pf.pid, pf.port, { timeoutMs: 2000 }));
      await sleep(200);
      fdsAfter = processFootprint(pf.pid).fds;
      await pf.stop();
    },
  ];
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < runners.length; i++) await runners[(round + i) % runners.length]!();
    const last = (xs: Measured[]) => (xs.length ? Math.round(xs[xs.length - 1]!.rate).toString() : '-');
    log(`  round ${round + 1}: C ${last(cRounds)}, xdpolicy ${last(xRounds)}, policyfile ${last(pRounds)}, minimal Node ${last(nRounds)} conn/s`);
  }
  if (cs) await cs.stop();
  await ns.stop();
  if (xRounds.length === 0) throw new Error('no round ran');

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
  const soakResult = await run({ port: xs.port, policy, concurrency, connections: soakConnections, timeoutMs: 10_000 });
  await sleep(1500);
  const after = processFootprint(xs.pid);
  await xs.stop();

  return {
    xdpolicy: summarise(xRounds),
    policyfile: { ...summarise(pRounds), fdsAfter },
    c: cRounds.length ? summarise(cRounds) : null,
    minimalNode: summarise(nRounds),
    pinning,
    generator,
    generatorNote,
    loadAverage: os.loadavg()[0] ?? NaN,
    idleBaseline,
    idleLoaded,
    idleSockets: idle.length,
    soak: { connections: soakResult, before, after },
    concurrency,
    seconds,
    rounds,
  };
}

const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
const failures = (r: LoadResult) => (r.failed === 0 ? '0' : `${r.failed} (${Object.entries(r.failures).map(([k, v]) => `${k} ${v}`).join(', ')})`);

const spread = (x: Summary) => `${f0(x.minRate)}–${f0(x.maxRate)}`;

/** Turns a report into the bench harness's figures and targets. */
export function serveBenchResult(r: ServeBenchReport): BenchResult {
  const figures: BenchFigure[] = [
    { label: 'xdpolicy serve: policies/s (median)', value: r.xdpolicy.rate, unit: 'conn/s' },
    { label: 'xdpolicy serve: failed connections', value: r.xdpolicy.failed, unit: 'conn' },
    { label: 'xdpolicy serve: p99 latency (median)', value: r.xdpolicy.p99, unit: 'ms' },
    { label: 'xdpolicy serve: server CPU per connection (median)', value: r.xdpolicy.cpuUsPerConn, unit: 'µs' },
    { label: 'npm policyfile: successful policies/s (median)', value: r.policyfile.rate, unit: 'conn/s' },
    { label: 'npm policyfile: failed connections', value: r.policyfile.failed, unit: 'conn' },
    { label: 'npm policyfile: server CPU per successful connection (median)', value: r.policyfile.cpuUsPerConn, unit: 'µs' },
    { label: 'npm policyfile: descriptors held after its last round', value: r.policyfile.fdsAfter, unit: 'fds' },
    { label: 'p99, 8 clients, no idle sockets', value: r.idleBaseline.p99, unit: 'ms' },
    { label: `p99, 8 clients, ${r.idleSockets} idle sockets held open`, value: r.idleLoaded.p99, unit: 'ms' },
    { label: `soak ${f0(r.soak.connections.ok + r.soak.connections.failed)} connections: fds before → after`, value: r.soak.after.fds - r.soak.before.fds, unit: 'Δ fds' },
    { label: 'soak: RSS after / before', value: r.soak.after.rssKiB / r.soak.before.rssKiB, unit: '×' },
  ];
  if (r.c) {
    figures.push({ label: 'C blocking server: policies/s (median)', value: r.c.rate, unit: 'conn/s' });
    figures.push({ label: 'C blocking server: p99 latency (median)', value: r.c.p99, unit: 'ms' });
    figures.push({ label: 'C blocking server: server CPU per connection (median)', value: r.c.cpuUsPerConn, unit: 'µs' });
  }
  figures.push({ label: 'minimal Node server (reference): policies/s (median)', value: r.minimalNode.rate, unit: 'conn/s' });
  figures.push({ label: 'minimal Node server (reference): server CPU per connection (median)', value: r.minimalNode.cpuUsPerConn, unit: 'µs' });
  // What xdpolicy's framing, deadlines, limits and counters add to Node's own cost per connection.
  figures.push({ label: 'xdpolicy serve CPU per connection / minimal Node server', value: r.xdpolicy.cpuUsPerConn / r.minimalNode.cpuUsPerConn, unit: '×' });
  const xFailed = r.xdpolicy.failed + r.idleBaseline.failed + r.idleLoaded.failed + r.soak.connections.failed;
  const targets: BenchTarget[] = [
    { target: 'zero failed connections (xdpolicy serve, all phases)', measured: String(xFailed), pass: xFailed === 0 },
    { target: '> npm policyfile successful rate (medians)', measured: `${f0(r.xdpolicy.rate)} vs ${f0(r.policyfile.rate)} conn/s`, pass: r.xdpolicy.rate > r.policyfile.rate },
    { target: 'p99 with 1,000 idle sockets ≤ 2× p99 without', measured: `${f2(r.idleLoaded.p99)} vs ${f2(r.idleBaseline.p99)} ms`, pass: r.idleLoaded.p99 <= 2 * r.idleBaseline.p99 },
    { target: 'soak leaves descriptors where they started', measured: `${r.soak.before.fds} → ${r.soak.after.fds}`, pass: r.soak.after.fds <= r.soak.before.fds },
    { target: 'soak leaves RSS where it started (≤ 1.2×)', measured: `${f0(r.soak.before.rssKiB)} → ${f0(r.soak.after.rssKiB)} KiB`, pass: r.soak.after.rssKiB <= 1.2 * r.soak.before.rssKiB },
  ];
  if (r.c) targets.splice(1, 0, { target: '≥ 0.8× the C server rate (medians)', measured: `${f2(r.xdpolicy.rate / r.c.rate)}× (${f0(r.xdpolicy.rate)} vs ${f0(r.c.rate)} conn/s)`, pass: r.xdpolicy.rate >= 0.8 * r.c.rate });
  return {
    figures,
    targets,
    notes: [
      `One ${r.generator === 'c' ? 'C (bench/c/loadgen.c, epoll)' : 'Node'} load generator${r.generatorNote ? ` (${r.generatorNote})` : ''}, ${r.concurrency} connections in flight, median of ${r.rounds} alternating rounds of ${r.seconds} s per server (npm policyfile: a fresh process per round, it leaks descriptors), source addresses rotating over 127.0.0.2–127.0.0.254;`,
      r.pinning.pinned
        ? `generator pinned to core ${r.pinning.generatorCore}, every server to core ${r.pinning.serverCore} (taskset). A connection counts only when the whole policy arrived. Each server runs in its own process.`
        : `NOT pinned (${r.pinning.note}): generator and servers share the cores. A connection counts only when the whole policy arrived. Each server runs in its own process.`,
    ],
  };
}

/** The Markdown of docs/benchmarks-serve.md. */
export function serveBenchMarkdown(r: ServeBenchReport, env: string, command: string): string {
  const row = (name: string, x: Summary) => `| ${name} | ${f0(x.rate)} | ${spread(x)} | ${f0(x.ok)} | ${failures(x)} | ${f2(x.p50)} | ${f2(x.p99)} | ${f0(x.cpuUsPerConn)} | ${f0(x.generatorBusyPct)} % | ${f0(x.generatorUsPerConn)} | ${f0(x.serverWaitPct)} % |`;
  const rounds = (name: string, x: Summary | null) => (x ? `| ${name} | ${x.rounds.map((m) => `${f0(m.rate)} (${f0(m.cpuUsPerConn)} µs)`).join(' | ')} |` : `| ${name} | ${'not built (no gcc) | '.repeat(r.rounds)}`);
  const res = serveBenchResult(r);
  const pin = r.pinning;
  const genName = r.generator === 'c' ? 'the C load generator (bench/c/loadgen.c, one process)' : 'the Node load generator (bench/serve/loadgen.ts, one process)';
  return [
    '<!-- Generated by `npm run bench:serve` (bench/serve.ts). Do not edit by hand: rerun the benchmark. -->',
    '# Benchmarks: `xdpolicy serve`',
    '',
    `Measured on ${env} with \`${command}\`; load average ${f2(r.loadAverage)} at the end of the run (a shared`,
    'machine: rates and latencies move with the load, the server CPU per connection much less).',
    '',
    '## Setup',
    '',
    ...(pin.pinned
      ? [
          `- **Cores.** The load generator is pinned to core ${pin.generatorCore} and every server under test —`,
          `  the C server, npm policyfile, \`xdpolicy serve\` and the minimal Node reference alike — to core ${pin.serverCore} (\`taskset -c\`, util-linux).`,
          '  On shared cores a server that costs more CPU also starves the generator, and the rate would mix',
          '  the server\'s cost with the generator\'s starvation; pinned, each server has one core to itself and',
          '  the generator always has the other. The C server on that core is therefore **the ceiling this',
          '  machine and this generator allow**: a Node server can at best match it, when the generator, not',
          '  the server, is the bottleneck.',
        ]
      : [`- **Cores: NOT pinned** (${pin.note}). The generator and the servers share the cores, so a server that costs`, '  more CPU also starves the generator; read the ratios with that in mind.']),
    ...(r.generator === 'c'
      ? [
          `- **Generator.** ${genName}: non-blocking sockets on epoll, gcc -O2, built at bench time into`,
          '  bench/out/ (git-ignored). It replaced the Node generator (`npm run bench:serve -- --node-loadgen`',
          '  still runs it) because the Node generator was 95–99 % busy against every server and spent',
          '  more CPU per connection against Node servers (≈ 94–102 µs) than against the C server',
          '  (≈ 82 µs): the generator, not the server, set the rates, and the ratio to the C server swung',
          '  between 0.54× and 0.86× from run to run while `xdpolicy serve` matched a three-line Node',
          '  server. The C generator costs the same few tens of µs per connection (mostly the kernel\'s',
          '  TCP work) whichever server answers, so the rates below are the servers\'.',
        ]
      : [
          `- **Generator.** ${genName}${r.generatorNote ? ` — ${r.generatorNote}` : ' (asked for with `--node-loadgen`)'}. It is 95–99 % busy against`,
          '  every server and spends more CPU per connection against Node servers than against the C server,',
          '  so the rates and the ratio to the C server are partly the generator\'s; the default C',
          '  generator (bench/c/loadgen.c) does not have that bias.',
        ]),
    `- **Rounds.** ${r.rounds} rounds of ${r.seconds} s per server, alternating between the servers (the order rotates`,
    '  each round, after a warm-up), so that a burst of load from other processes on the shared machine',
    '  hits every server alike. The tables show the **median** round and the spread (lowest–highest',
    '  rate); `successful` and `failed` are totals over all rounds. npm policyfile gets a fresh process',
    '  for each round: it keeps a descriptor per connection and a long-lived one would reach the',
    '  descriptor limit within seconds.',
    `- **Client.** ${r.concurrency} connections in flight. Each connection connects from the next source address in`,
    '  127.0.0.2–127.0.0.254, sends the 23-byte `<policy-file-request/>\\0`, and counts as a success only',
    '  when the whole policy arrived (ended by its NUL, or by the close for a server that sends none).',
    '  Every server runs in its own process and serves the same bytes (the policy npm policyfile',
    '  generates for `www.example.com:1234`).',
    '- **Server CPU per connection** is the server process\'s user + system time (from /proc) over the',
    '  round divided by its successful connections. **Generator busy** is the generator\'s own CPU time',
    '  over the round\'s wall time: near 100 % the generator bounds the rate; well below, the generator',
    '  was waiting for the server; **generator CPU µs/conn** is that time per successful connection (the',
    '  same client code costs more or less depending on how the server answers). **Server waited for its core** is the time the server\'s main thread',
    '  was runnable but not running (/proc/PID/schedstat) over the round: pinning keeps the generator',
    '  off the server\'s core, but other processes on this shared machine still take it, and a server',
    '  that needs more CPU per connection loses more to them.',
    '',
    '## Throughput',
    '',
    '| server | successful conn/s (median) | spread | successful | failed | p50 ms | p99 ms | server CPU µs/conn | generator busy | generator CPU µs/conn | server waited for its core |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    row('`xdpolicy serve`', r.xdpolicy),
    row('npm `policyfile` 0.0.6', r.policyfile),
    ...(r.c ? [row('minimal blocking C server (bench/c/policyd.c, gcc -O2)', r.c)] : ['| C server | not built (no gcc) | | | | | | | | | |']),
    row('*reference:* minimal Node server (bench/serve/minimal-node.cjs)', r.minimalNode),
    '',
    'Each round, conn/s (server CPU µs/conn):',
    '',
    `| server | ${Array.from({ length: r.rounds }, (_, i) => `round ${i + 1}`).join(' | ')} |`,
    `|---|${'---|'.repeat(r.rounds)}`,
    rounds('`xdpolicy serve`', r.xdpolicy),
    rounds('npm `policyfile`', r.policyfile),
    rounds('C server', r.c),
    rounds('minimal Node server', r.minimalNode),
    '',
    ...(r.generator === 'c'
      ? [
          'How to read it: the C generator costs about the same CPU per connection against every server',
          '(the generator columns), so a rate below the C server\'s is the server\'s own cost on its core,',
          'not the generator\'s. The generator is still busy most of the time — its CPU is mostly the',
          'kernel\'s loopback TCP work for both ends of the connection — so the C server\'s rate remains',
          'the ceiling of this machine, now about twice what the Node generator could drive. The server\'s',
          'own CPU per connection says what it would cost on a core of its own; it moves least with the',
          'machine\'s load.',
        ]
      : [
          'How to read it: with the Node generator near 100 % busy for every server, a rate is the',
          'generator\'s core divided by the generator\'s CPU per connection, and the ratio to the C server',
          'says how much generator work each server\'s way of answering causes, more than what the server',
          'costs. The server\'s own CPU per connection says what it would cost on a core of its own.',
        ]),
    'The minimal Node server is a reference, not a contender: three lines over `net.createServer`',
    'with no framing check, deadline, limit or counter. Its rate is what Node\'s net module allows under',
    `this generator (${f2(r.c ? r.minimalNode.rate / r.c.rate : NaN)}× the C server in this run); \`xdpolicy serve\` reached ${f2(r.xdpolicy.rate / r.minimalNode.rate)}× of it.`,
    `Per connection \`xdpolicy serve\` cost ${f2(r.xdpolicy.cpuUsPerConn / r.minimalNode.cpuUsPerConn)}× the minimal server's CPU. It makes the same system calls`,
    '(accept4, read, write, close and two epoll_ctl; `strace -c` over 20,000 connections): it asks',
    'for no client address until the per-address cap could refuse someone (SRV-LIMIT-2), builds no',
    'per-connection event unless `--verbose` logs it, and keeps the deadlines in a list in admission',
    'order rather than a map. The rest is the cost of Node\'s `net.Socket`: constructing it, its',
    'streams, the event loop\'s registrations and the garbage it leaves.',
    '',
    `npm policyfile holds ${f0(r.policyfile.fdsAfter)} descriptors after its last round (it never reads the request, so it keeps`,
    'every half-closed connection; at the process limit a fresh client gets nothing).',
    ...(r.policyfile.failed > 0
      ? [
          `Its ${f0(r.policyfile.failed)} failed connections are that limit: each round reaches it before the round ends, so its`,
          '"successful conn/s" is what it served before running out of descriptors, spread over the round.',
        ]
      : []),
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
