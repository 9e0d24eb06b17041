/**
 * `xdpolicy adapter --client NAME` — our own decision core behind the stdio protocol of
 * `xdpolicy conform`: reads request lines on stdin, writes answer lines on stdout.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { ADAPTER_PROFILES, runAdapter } from '../conformance/kit/adapter.js';
import { UsageError, type CliIO } from './io.js';

/** The help text of `xdpolicy adapter`. */
export const ADAPTER_USAGE = `usage: xdpolicy adapter --client NAME

Speaks the stdio protocol of \`xdpolicy conform\` with xdpolicy's own decision core, following the
profile NAME (${[...ADAPTER_PROFILES.keys()].join(', ')}): one JSON request per line on stdin,
one JSON answer per line on stdout, until stdin ends. A request for the other client family is
skipped; a request that cannot be read gets an error answer.

  xdpolicy conform --impl "xdpolicy adapter --client flash"

Exit status: 0 at the end of the input, 2 usage error.
`;

/** Runs `xdpolicy adapter` on the process's stdin and stdout. */
export async function runAdapterCommand(args: string[], io: CliIO, input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, strict: true, options: { client: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${ADAPTER_USAGE}`);
  }
  if (values.help) {
    io.stdout.write(ADAPTER_USAGE);
    return 0;
  }
  if (values.client === undefined) throw new UsageError(`--client NAME is required (one of: ${[...ADAPTER_PROFILES.keys()].join(', ')})`);
  if (!ADAPTER_PROFILES.has(values.client)) throw new UsageError(`unknown profile '${values.client}' (expected one of: ${[...ADAPTER_PROFILES.keys()].join(', ')})`);
  await runAdapter(input as never, io.stdout as never, values.client);
  return 0;
}
