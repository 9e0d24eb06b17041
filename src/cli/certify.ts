/**
 * `xdpolicy certify` — placeholder until its issue lands; it says so and exits 2.
 *
 * @module
 */
import type { CliIO } from './io.js';

export async function runCertify(_args: string[], io: CliIO): Promise<number> {
  io.stderr.write('xdpolicy certify: not implemented yet\n');
  return 2;
}
