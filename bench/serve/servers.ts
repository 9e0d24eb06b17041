/**
 * The three servers bench/serve compares, each started in its own process as deployed:
 * `xdpolicy serve` (the compiled CLI, or from source under tsx without a build), npm `policyfile` (its documented
 * `createServer(options, origins).listen(port)`), and the minimal blocking C server of
 * bench/c/policyd.c, built with the machine's gcc into bench/out/ (git-ignored).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT = dirname(BENCH_DIR);
/** Where built and generated bench files go (git-ignored). */
export const OUT_DIR = join(BENCH_DIR, 'out');
const require = createRequire(import.meta.url);

/**
 * CPU pinning of bench/serve: the load generator (this process) on core 0, every server under
 * test on core 1, so that a server's own cost cannot starve the generator (on shared cores it
 * would, and the measurement would mix the server's cost with the generator's starvation).
 * `taskset` (util-linux) sets the affinity; without it, or with fewer than two cores, nothing is
 * pinned and `note` says so.
 */
export interface Pinning {
  /** Whether the generator and the servers run on separate cores. */
  pinned: boolean;
  /** The core of the load generator and the core of each server (when pinned). */
  generatorCore: number;
  serverCore: number;
  /** Why nothing was pinned (empty when pinned). */
  note: string;
}

let pinning: Pinning | null = null;

/** Pins this process (every thread: the generator) to core 0 and returns how servers are pinned. */
export function pinLoadGenerator(): Pinning {
  if (pinning) return pinning;
  const cores = os.availableParallelism();
  const unpinned = (note: string): Pinning => (pinning = { pinned: false, generatorCore: -1, serverCore: -1, note });
  if (cores < 2) return unpinned(`only ${cores} core available: generator and servers share it`);
  const probe = spawnSync('taskset', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return unpinned('taskset (util-linux) not found: generator and servers share the cores');
  const self = spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { encoding: 'utf8' });
  if (self.error || self.status !== 0) return unpinned(`taskset could not pin the generator: ${self.stderr.trim()}`);
  return (pinning = { pinned: true, generatorCore: 0, serverCore: 1, note: '' });
}

/** Spawns a server command on the server core (as pinned by {@link pinLoadGenerator}). */
function spawnServer(command: string, args: string[]): ChildProcess {
  const p = pinning ?? pinLoadGenerator();
  const stdio: ['ignore', 'pipe', 'inherit'] = ['ignore', 'pipe', 'inherit'];
  // taskset execs the command: the child's pid is the server's.
  if (p.pinned) return spawn('taskset', ['-c', String(p.serverCore), command, ...args], { stdio });
  return spawn(command, args, { stdio });
}

/** A server process under test. */
export interface ServerProcess {
  name: string;
  pid: number;
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The policy all three serve: exactly what npm policyfile generates for one origin, so every
 * server sends the same bytes (xdpolicy and the C server read it from a file).
 */
export function benchPolicy(): Buffer {
  const pf = require('policyfile') as { createServer(o: object, origins: string[]): { compile(): { buffer: Buffer } } };
  return Buffer.from(pf.createServer({ log: false }, ['www.example.com:1234']).compile().buffer);
}

function waitForPort(proc: ChildProcess, re: RegExp, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 20 s: ${out}`)), 20_000);
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(re);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${out}`));
    });
  });
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const kill = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      proc.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      proc.kill('SIGTERM');
    });
}

/** Starts `xdpolicy serve --flash FILE --flash-port 0 …extra` in its own process. */
export async function startXdpolicy(policyFile: string, extra: string[] = []): Promise<ServerProcess> {
  // As deployed: the compiled CLI (`npm run bench:serve` builds first); from source under tsx
  // when there is no build.
  const built = join(ROOT, 'dist/cli/main.js');
  const args = existsSync(built)
    ? [join(ROOT, 'bin/xdpolicy.js')]
    : ['--import', pathToFileURL(require.resolve('tsx')).href, join(ROOT, 'cli/test-support/run-cli.ts')];
  const proc = spawnServer(process.execPath, [...args, 'serve', '--flash', policyFile, '--flash-port', '0', ...extra]);
  const port = await waitForPort(proc, /listening flash xmlsocket:\/\/127\.0\.0\.1:(\d+)/, 'xdpolicy serve');
  return { name: 'xdpolicy serve', pid: proc.pid!, port, proc, stop: stopper(proc) };
}

/** Starts npm policyfile the way socket.io deployed it, with its default logging turned off. */
export async function startPolicyfile(port: number): Promise<ServerProcess> {
  const main = require.resolve('policyfile');
  const script = `const pf = require(${JSON.stringify(main)}).createServer({ log: false }, ['www.example.com:1234']);
pf.listen(${port}, () => console.log('listening ' + pf.socket.address().port));`;
  const proc = spawnServer(process.execPath, ['-e', script]);
  const bound = await waitForPort(proc, /listening (\d+)/, 'policyfile');
  return { name: 'npm policyfile', pid: proc.pid!, port: bound, proc, stop: stopper(proc) };
}

/** Starts bench/serve/minimal-node.cjs: what Node's net module alone costs (a reference, not a contender). */
export async function startMinimalNode(policyFile: string): Promise<ServerProcess> {
  const proc = spawnServer(process.execPath, [join(BENCH_DIR, 'serve', 'minimal-node.cjs'), policyFile]);
  const port = await waitForPort(proc, /listening (\d+)/, 'minimal Node server');
  return { name: 'minimal Node server', pid: proc.pid!, port, proc, stop: stopper(proc) };
}

/** Builds bench/c/policyd.c with gcc (once) and starts it; null when gcc is missing. */
export async function startCServer(policyFile: string): Promise<ServerProcess | null> {
  mkdirSync(OUT_DIR, { recursive: true });
  const bin = join(OUT_DIR, 'policyd');
  const build = spawnSync('gcc', ['-O2', '-o', bin, join(BENCH_DIR, 'c', 'policyd.c')], { encoding: 'utf8' });
  if (build.error || build.status !== 0) return null;
  const proc = spawnServer(bin, ['0', policyFile]);
  const port = await waitForPort(proc, /listening (\d+)/, 'C policyd');
  return { name: 'C blocking server', pid: proc.pid!, port, proc, stop: stopper(proc) };
}

/**
 * Builds bench/c/loadgen.c, the default load generator, with gcc into bench/out/; returns the
 * binary's path, or the reason it could not be built (then bench/serve falls back to the Node
 * generator and says so).
 */
export function buildCLoadGenerator(): { bin: string } | { error: string } {
  mkdirSync(OUT_DIR, { recursive: true });
  const bin = join(OUT_DIR, 'loadgen');
  const build = spawnSync('gcc', ['-O2', '-o', bin, join(BENCH_DIR, 'c', 'loadgen.c')], { encoding: 'utf8' });
  if (build.error) return { error: `gcc not found (${build.error.message})` };
  if (build.status !== 0) return { error: `gcc failed: ${build.stderr.trim()}` };
  return { bin };
}

/** Writes the bench policy to bench/out/policy.xml and returns its path. */
export function writeBenchPolicy(policy: Buffer): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, 'policy.xml');
  writeFileSync(file, policy);
  return file;
}

/** Open descriptors and resident memory (KiB) of a process, from /proc. */
export function processFootprint(pid: number): { fds: number; rssKiB: number } {
  const fds = readdirSync(`/proc/${pid}/fd`).length;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? NaN);
  return { fds, rssKiB: rss };
}

/** CPU time (user + system) a process has used so far, in milliseconds (from /proc/PID/stat). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/**
 * How long the process's main thread has waited, runnable, for a core so far, in ms (from
 * /proc/PID/schedstat; 0 when the kernel does not provide it). On a shared machine other
 * processes take the server's core; this says by how much.
 */
export function processRunQueueWaitMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
    return Number(fields[1]) / 1e6;
  } catch {
    return 0;
  }
}
