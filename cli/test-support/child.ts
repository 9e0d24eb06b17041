/** Spawns `xdpolicy serve` from source and reads its output line by line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RUN_CLI = fileURLToPath(new URL('./run-cli.ts', import.meta.url));
// tsx's loader by absolute URL: the child may run in another directory (a temp dir of policies).
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A running CLI child. */
export interface CliChild {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line matching `re` (or null after `ms`). */
  waitForLine(re: RegExp, ms?: number): Promise<RegExpMatchArray | null>;
  /** Resolves with the exit code (null if killed by a signal), or 'timeout' after `ms`. */
  exited(ms?: number): Promise<number | null | 'timeout'>;
}

/** Starts `node --import tsx run-cli.ts ...args`. */
export function spawnCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; stdio?: (number | 'pipe' | 'ignore')[]; shellPrefix?: string } = {}): CliChild {
  const argv = ['--import', TSX_LOADER, RUN_CLI, ...args];
  const proc = opts.shellPrefix
    ? spawn('sh', ['-c', `${opts.shellPrefix} exec "$0" "$@"`, process.execPath, ...argv], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: (opts.stdio ?? ['ignore', 'pipe', 'pipe']) as never })
    : spawn(process.execPath, argv, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: (opts.stdio ?? ['ignore', 'pipe', 'pipe']) as never });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    async waitForLine(re, ms = 40_000) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        for (const line of out.split('\n')) {
          const m = line.match(re);
          if (m) return m;
        }
        if (proc.exitCode !== null) return null;
        await new Promise((r) => setTimeout(r, 20));
      }
      return null;
    },
    exited(ms = 40_000) {
      return Promise.race([exit, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);
    },
  };
}
