/**
 * Runs CLI commands in-process: a `CliIO` that records what a command printed.
 */
import type { CliIO } from '../io.js';

/** A `CliIO` writing to memory; `out()` and `err()` return what was printed so far. */
export function captureIO(cwd: string, options: { env?: Record<string, string | undefined>; tty?: boolean } = {}): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (err += s) },
    env: options.env ?? {},
    cwd,
    out: () => out,
    err: () => err,
  };
}
