/**
 * `xdpolicy adapter --client NAME` — our own decision core behind the stdio protocol of
 * `xdpolicy conform`: reads request lines on stdin, writes answer lines on stdout.
 *
 * @module
 */
import { ADAPTER_PROFILES, runAdapter } from '../conformance/kit/adapter.js';
import type { CliIO } from './io.js';
import { choiceOption, missingOption, parseOptions } from './options.js';

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
  const { values, help } = parseOptions(args, { client: { type: 'string' } }, { usage: ADAPTER_USAGE });
  if (help) {
    io.stdout.write(ADAPTER_USAGE);
    return 0;
  }
  const names = [...ADAPTER_PROFILES.keys()];
  if (values.client === undefined) throw missingOption('--client', 'NAME', `one of: ${names.join(', ')}`);
  choiceOption('--client', values.client, names);
  await runAdapter(input as never, io.stdout as never, values.client);
  return 0;
}
