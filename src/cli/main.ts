/**
 * `xdpolicy`: the command-line entry point. Each command lives in its own module and owns its
 * argument parsing; this file only dispatches and maps failures to exit statuses.
 *
 * Exit statuses common to every command: 2 for a usage error or unreadable input.
 *
 * @module
 */
import { processIO, UsageError, type CliCommand, type CliIO } from './io.js';

interface CommandEntry {
  summary: string;
  load: () => Promise<CliCommand>;
}

const COMMANDS: Record<string, CommandEntry> = {
  decide: { summary: 'decide whether an origin may reach a target under a world of policies', load: async () => (await import('./decide.js')).runDecide },
  lint: { summary: 'report security findings in policy files', load: async () => (await import('./lint.js')).runLint },
  serve: { summary: 'serve policies: Flash socket (843), Silverlight socket (943), HTTP', load: async () => (await import('./serve.js')).runServe },
  certify: { summary: 'run the conformance corpus against a live policy server', load: async () => (await import('./certify.js')).runCertify },
  demo: { summary: 'a short tour of `decide` over corpus samples (what `npm start` runs)', load: async () => (await import('./demo.js')).runDemo },
};

export const USAGE = `usage: xdpolicy <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join('\n')}

Run \`xdpolicy <command> --help\` for a command's options.
`;

/** Runs the CLI with `argv` (without the node and script paths); resolves to the exit status. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    const { createRequire } = await import('node:module');
    const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };
    io.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr.write(`xdpolicy: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`xdpolicy ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
