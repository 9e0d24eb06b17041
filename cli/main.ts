/**
 * `xdpolicy`: the command-line entry point. Each command lives in its own module and owns its
 * argument parsing; this file only dispatches and maps failures to exit statuses.
 *
 * Exit statuses common to every command: 2 for a usage error or unreadable input, 70 for an
 * unexpected error (one line on stderr, never a stack trace; see {@link describeUnexpected}), 141
 * when the reader of the output went away (see {@link EXIT_BROKEN_PIPE}).
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
  certify: { summary: 'run the conformance corpus against a live policy server (with no URL: the bundled server, what `npm start` runs)', load: async () => (await import('./certify.js')).runCertify },
  conform: { summary: 'run the client conformance vectors through your implementation (stdio protocol)', load: async () => (await import('./conform.js')).runConformCommand },
  adapter: { summary: "speak conform's stdio protocol with xdpolicy's own decision core", load: async () => (await import('./adapter.js')).runAdapterCommand },
  demo: { summary: 'a short tour of `decide` over corpus samples', load: async () => (await import('./demo.js')).runDemo },
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
    // The package's own package.json by self-reference: the same from cli/ under tsx and from dist/cli/.
    const pkg = createRequire(import.meta.url)('xdpolicy/package.json') as { version: string };
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
    if (isBrokenPipe(err)) return EXIT_BROKEN_PIPE;
    if (err instanceof UsageError) {
      io.stderr.write(`xdpolicy ${name}: ${err.message}\n`);
      return 2;
    }
    try {
      io.stderr.write(`${describeUnexpected(`xdpolicy ${name}`, err, io.env)}\n`);
    } catch {
      // stderr itself is broken: the exit status is all that is left to say it.
    }
    return EXIT_UNEXPECTED;
  }
}

/** Exit status for an error no command anticipated (sysexits.h EX_SOFTWARE). */
export const EXIT_UNEXPECTED = 70;

/**
 * Exit status when the reader of stdout or stderr went away (`xdpolicy certify --list | head`):
 * 128 + SIGPIPE, what a shell reports for a command that SIGPIPE ended. Node ignores SIGPIPE, so
 * the write fails with EPIPE instead; the command then stops at once and says nothing (there is
 * no one left to read it).
 */
export const EXIT_BROKEN_PIPE = 141;

/** Whether `err` is a write to a pipe (or socket) whose reader has gone. */
export function isBrokenPipe(err: unknown): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'EPIPE';
}

/**
 * The one line printed for an unexpected error: what failed, never a stack trace (unless
 * `XDPOLICY_DEBUG` is set, for whoever reports or fixes the bug). A system error (a failed write
 * to a full disk or a closed pipe) is the environment's, not a bug, and is said plainly.
 */
export function describeUnexpected(who: string, err: unknown, env: Record<string, string | undefined>): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as NodeJS.ErrnoException).code;
  const system = typeof code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
  const firstLine = (text: string): string => text.split('\n', 1)[0] ?? '';
  if (env['XDPOLICY_DEBUG']) return `${who}: unexpected error: ${e.stack ?? e.message}`;
  if (system) return `${who}: ${firstLine(e.message)}`;
  return `${who}: unexpected error (a bug in xdpolicy; XDPOLICY_DEBUG=1 shows where): ${e.name}: ${firstLine(e.message)}`;
}

/**
 * Runs the CLI as the process (what `bin/xdpolicy.js` calls): sets the exit status, and turns an
 * error thrown outside any command's control (an 'error' event of stdout, a throw in a server's
 * event handler) into one line and exit 70 instead of Node's stack trace.
 */
export function runProcess(argv: string[]): void {
  const io = processIO();
  const command = argv[0] && COMMANDS[argv[0]] ? `xdpolicy ${argv[0]}` : 'xdpolicy';
  const fatal = (err: unknown): void => {
    try {
      process.stderr.write(`${describeUnexpected(command, err, io.env)}\n`);
    } finally {
      process.exit(EXIT_UNEXPECTED);
    }
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  // The one place every command's broken pipe ends: whichever command is writing, and whenever
  // (a server's log line hours later included), the process stops quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: Error) => {
      if (isBrokenPipe(err)) process.exit(EXIT_BROKEN_PIPE);
      fatal(err);
    });
  }
  main(argv, io).then((code) => {
    process.exitCode = code;
  }, fatal);
}
