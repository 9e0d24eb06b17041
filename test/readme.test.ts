/**
 * Every command the README shows runs as written, from the repository root.
 *
 * - A ```sh block is a shell script, run by bash (`set -o pipefail`) in its own process group;
 *   anything it leaves running is stopped when it ends, though a block that starts a server with
 *   `&` stops it itself, as a reader would. Its last command must exit 0, unless a marker says
 *   otherwise. A plain ``` block right after it is its output: each line (but `...`) must appear
 *   in stdout, in order (`...` within a line stands for what varies, such as a time).
 * - A ```console block is a session: the `$ ` lines are run in one shell, and everything else is
 *   exactly what they print (stdout and stderr, as a terminal shows them).
 * - A marker, an HTML comment on the line before the fence, changes that:
 *   `<!-- readme-test: skip — REASON -->` (a command that cannot run here: it installs, needs root,
 *   names a host that does not exist, or runs until stopped; the reason is required and shows in
 *   the test's name), `<!-- readme-test: exit N -->`, `<!-- readme-test: creates FILE… -->` (files
 *   the block writes in the repository, removed afterwards so the tree stays clean).
 *
 * `npx xdpolicy` runs the compiled CLI (bin/xdpolicy.js → dist/); when dist/ is older than the
 * sources it is compiled first (in place, without emptying dist/, which other tests read).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxOf } from '../src/collections.js';
import { REPO_ROOT } from './support/requirements.js';

interface Block {
  line: number;
  lang: string;
  body: string;
  /** The plain block right after it, if any: its output. */
  output: string | null;
  marker: { skip?: string; exit?: number; creates?: string[] };
}

const MARKER = /^\s*<!--\s*readme-test:\s*(.*?)\s*-->\s*$/;

/** The fenced blocks of a Markdown text, with the marker before each and the output block after. */
export function readmeBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: { line: number; lang: string; body: string; marker: Block['marker'] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j]!)) body.push(lines[j++]!.slice(indent));
    const marker: Block['marker'] = {};
    const m = MARKER.exec(lines[i - 1] ?? '');
    if (m) {
      // A skip's reason is the rest of the marker; other markers may be joined with ";".
      const parts = /^skip\b/.test(m[1]!) ? [m[1]!] : m[1]!.split(';').map((p) => p.trim());
      for (const part of parts) {
        const skip = /^skip\s*[—-]\s*(.+)$/.exec(part);
        const exit = /^exit\s+(\d+)$/.exec(part);
        const creates = /^creates\s+(.+)$/.exec(part);
        if (skip) marker.skip = skip[1]!;
        else if (exit) marker.exit = Number(exit[1]);
        else if (creates) marker.creates = creates[1]!.split(/\s+/);
        else throw new Error(`README line ${i}: unknown readme-test marker '${part}'`);
      }
    }
    blocks.push({ line: i + 1, lang: open[2]!, body: body.join('\n'), marker });
    i = j;
  }
  return blocks.map((b, k) => {
    const next = blocks[k + 1];
    // The output block follows at once (a blank line at most).
    const adjacent = next !== undefined && next.lang === '' && next.line - (b.line + b.body.split('\n').length + 1) <= 2;
    return { ...b, output: adjacent ? next.body : null };
  });
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` with bash from the repository root, in its own process group, killed when done. */
function runScript(script: string, timeoutMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    // npx must not install anything: a command that needs the registry fails instead.
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))), npm_config_yes: 'false', NO_COLOR: '1' };
    const child = spawn('bash', ['-c', script], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    // SIGTERM first: npx passes it on to the command it runs (SIGKILL would orphan that).
    const killGroup = (): void => {
      signalGroup('SIGTERM');
      setTimeout(() => signalGroup('SIGKILL'), 2000).unref();
    };
    const timer = setTimeout(killGroup, timeoutMs);
    let code: number | null | undefined;
    let closed = false;
    const done = (): void => {
      if (code !== undefined && closed) resolve({ code, stdout, stderr });
    };
    child.on('exit', (status) => {
      clearTimeout(timer);
      code = status;
      // Whatever the block started in the background (a server) ends with it; the pipes close
      // once every process holding them is gone.
      killGroup();
      done();
    });
    child.stdout.on('close', () => {
      closed = true;
      done();
    });
  });
}

/**
 * Each line of `expected` but `...` appears in `actual`, in order; `...` within a line stands for
 * what varies from run to run (a time).
 */
function expectLinesInOrder(actual: string, expected: string, label: string): void {
  const lines = actual.split('\n').map((l) => l.trimEnd());
  let at = 0;
  for (const want of expected.split('\n').map((l) => l.trimEnd())) {
    if (want.trim() === '...' || want === '') continue;
    const pattern = new RegExp(`^${want.split('...').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const found = lines.findIndex((l, i) => i >= at && pattern.test(l));
    expect(found, `${label}: expected the line\n  ${want}\nin the output:\n${actual}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const blocks = readmeBlocks(README).filter((b) => b.lang === 'sh' || b.lang === 'console');

beforeAll(() => {
  const main = join(REPO_ROOT, 'dist', 'cli', 'main.js');
  const sources = maxOf(['src', 'cli', 'conformance'].map((d) => newestMtime(join(REPO_ROOT, d))), 0);
  if (!existsSync(main) || statSync(main).mtimeMs < sources) {
    const tsc = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`cannot compile the CLI for the README's commands:\n${tsc.stdout}${tsc.stderr}`);
  }
}, 240_000);

describe('README commands run as written from the repository root', { timeout: 300_000 }, () => {
  it('finds the commands, and every skipped one says why', () => {
    expect(blocks.length).toBeGreaterThan(15);
    for (const b of blocks) if (b.marker.skip !== undefined) expect(b.marker.skip.length, `README line ${b.line}`).toBeGreaterThan(15);
    // Commands are shown one way: `npx xdpolicy`, which works from a clone and in a project that installed the package.
    for (const b of blocks) expect(b.body, `README line ${b.line}`).not.toMatch(/(^|[|;&$]\s*|\n)xdpolicy /);
  });

  for (const b of blocks) {
    const title = `README line ${b.line}: ${b.body.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#'))?.trim().slice(0, 90)}`;
    if (b.marker.skip !== undefined) {
      it.skip(`${title} (skipped: ${b.marker.skip})`, () => {});
      continue;
    }
    it(title, async () => {
      try {
        if (b.lang === 'sh') {
          const r = await runScript(`set -o pipefail\n${b.body}`, 240_000);
          expect(r.code, `${title}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(b.marker.exit ?? 0);
          if (b.output !== null) expectLinesInOrder(r.stdout, b.output, title);
        } else {
          const commands = b.body.split('\n').filter((l) => l.startsWith('$ ')).map((l) => l.slice(2));
          const expected = b.body.split('\n').filter((l) => !l.startsWith('$ ')).join('\n');
          // Both streams, as the terminal the session shows printed them.
          const r = await runScript(`exec 2>&1\n${commands.join('\n')}`, 240_000);
          expect(r.stdout.trimEnd(), `${title}\nstderr:\n${r.stderr}`).toBe(expected.trimEnd());
        }
      } finally {
        for (const f of b.marker.creates ?? []) rmSync(join(REPO_ROOT, f), { force: true });
      }
    });
  }
});
