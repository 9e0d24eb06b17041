/**
 * `xdpolicy lint` — placeholder until its issue lands; it says so and exits 2.
 *
 * @module
 */
import type { CliIO } from './io.js';

export async function runLint(_args: string[], io: CliIO): Promise<number> {
  io.stderr.write('xdpolicy lint: not implemented yet\n');
  return 2;
}
