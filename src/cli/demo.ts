/**
 * `xdpolicy demo` — placeholder until its issue lands; it says so and exits 2.
 *
 * @module
 */
import type { CliIO } from './io.js';

export async function runDemo(_args: string[], io: CliIO): Promise<number> {
  io.stderr.write('xdpolicy demo: not implemented yet\n');
  return 2;
}
