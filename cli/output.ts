/**
 * Output files of a command, checked before the work starts: a report that cannot be written must
 * be a usage error at once, not a run that ends "CERTIFIED" and exits 0 with nothing written.
 *
 * @module
 */
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** One output file a command was asked to write. */
export interface OutputRequest {
  /** The option that names it, for messages (`--html`). */
  flag: string;
  /** The path as given. */
  file: string;
}

/**
 * Why `file` cannot be written, or null when it can be: its directory must exist and be writable,
 * and the file, when it exists, must be a writable regular file (or a character device such as
 * /dev/null or /dev/stdout).
 */
export function outputProblem(file: string, cwd: string): string | null {
  const path = resolve(cwd, file);
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(path);
  } catch {
    stat = undefined;
  }
  if (stat) {
    if (stat.isDirectory()) return `${file} is a directory`;
    if (!stat.isFile() && !stat.isCharacterDevice()) return `${file} is not a regular file`;
    try {
      accessSync(path, constants.W_OK);
    } catch {
      return `${file} is not writable`;
    }
    return null;
  }
  const dir = dirname(path);
  let dirStat: ReturnType<typeof statSync> | undefined;
  try {
    dirStat = statSync(dir);
  } catch {
    return `the directory ${dirname(file)} does not exist`;
  }
  if (!dirStat.isDirectory()) return `${dirname(file)} is not a directory`;
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    return `the directory ${dirname(file)} is not writable`;
  }
  return null;
}

// WIRE-HARNESS-1
/**
 * Checks every requested output before anything runs: the first problem as a message naming the
 * option and the path, or null. Two options naming the same file are a problem too (one report
 * would overwrite the other).
 */
export function checkOutputs(outputs: readonly OutputRequest[], cwd: string): string | null {
  const seen = new Map<string, string>();
  for (const o of outputs) {
    const problem = outputProblem(o.file, cwd);
    if (problem) return `cannot write ${o.flag} ${o.file}: ${problem}`;
    const path = resolve(cwd, o.file);
    const other = seen.get(path);
    if (other && !path.startsWith('/dev/')) return `${other} and ${o.flag} name the same file ${o.file}`;
    seen.set(path, o.flag);
  }
  return null;
}

/** Writes report files after a run, each write's failure said on stderr and remembered. */
export interface ReportWriter {
  write(flag: string, file: string, text: string): void;
  /** Whether a write failed. */
  readonly failed: boolean;
}

/** A {@link ReportWriter} for `command` (`xdpolicy certify`), resolving paths against `io.cwd`. */
export function reportWriter(io: { cwd: string; stderr: { write(chunk: string): unknown } }, command: string): ReportWriter {
  let failed = false;
  return {
    write(flag, file, text) {
      try {
        writeFileSync(resolve(io.cwd, file), text);
        io.stderr.write(`wrote ${flag} ${file}\n`);
      } catch (err) {
        failed = true;
        io.stderr.write(`${command}: cannot write ${flag} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
      }
    },
    get failed() {
      return failed;
    },
  };
}
