/**
 * What a CLI command may touch: its output streams and environment. Passing them in lets tests
 * run commands in-process and read what they printed.
 *
 * @module
 */

/** Output streams and environment of one CLI run. */
export interface CliIO {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** The working directory relative paths are resolved against. */
  cwd: string;
}

/** A command: parses its own arguments, returns the exit status (never calls process.exit). */
export type CliCommand = (args: string[], io: CliIO) => Promise<number>;

/** Thrown by argument parsing for a usage error: the CLI prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The process's own streams and environment. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
