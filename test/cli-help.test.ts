/**
 * The help says what the commands do: every option a command reads is in its usage line, the
 * README shows the same usage lines, and the top-level help says which command `npm start` runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CERTIFY_OPTIONS, CERTIFY_USAGE } from '../cli/certify.js';
import { DECIDE_OPTIONS, DECIDE_USAGE } from '../cli/decide.js';
import { DEMO_USAGE } from '../cli/demo.js';
import { LINT_USAGE } from '../cli/lint.js';
import { PROFILE_NAMES } from '../src/decision/types.js';
import { main, USAGE } from '../cli/main.js';
import { SERVE_OPTIONS, SERVE_USAGE } from '../cli/serve.js';
import { captureIO } from '../cli/test-support/capture.js';
import { REPO_ROOT } from './support/requirements.js';

/** The usage line(s): the help up to its first blank line, whitespace collapsed, without "usage:". */
const synopsis = (help: string): string => help.split('\n\n', 1)[0]!.replace(/^usage:\s*/, '').replace(/\s+/g, ' ').trim();
const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

describe('help and README agree with the commands', () => {
  it.each([
    ['decide', DECIDE_USAGE, DECIDE_OPTIONS],
    ['serve', SERVE_USAGE, SERVE_OPTIONS],
  ] as const)('%s: every option it reads is in its usage line', (_, usage, options) => {
    for (const name of Object.keys(options)) expect(synopsis(usage)).toContain(`--${name}`);
  });

  it('decide: the usage line takes a profile or all, and the help names every profile', () => {
    expect(synopsis(DECIDE_USAGE)).toContain('--client NAME|all ');
    for (const name of PROFILE_NAMES) expect(DECIDE_USAGE).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('certify: every option it reads is in its help', () => {
    for (const name of Object.keys(CERTIFY_OPTIONS)) expect(CERTIFY_USAGE).toMatch(new RegExp(`^  --${name}\\b`, 'm'));
  });

  it.each([
    ['serve', SERVE_USAGE],
    ['lint', LINT_USAGE],
  ])('the README shows the usage line of %s as the help does', (_, usage) => {
    const shown = [...README.matchAll(/```text\n(npx xdpolicy [\s\S]*?)```/g)].map((m) => synopsis(m[1]!.replace(/^npx /, '')));
    expect(shown).toContain(synopsis(usage));
  });

  it('the help says npm start runs the command package.json makes it run, and only that one', async () => {
    const start = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const command = /xdpolicy\.js (\w+)/.exec(start)![1]!;
    expect(command).toBe('certify');
    const mentions = USAGE.split('\n').filter((l) => l.includes('npm start'));
    expect(mentions).toHaveLength(1);
    expect(mentions[0]).toMatch(new RegExp(`^  ${command} `));
    expect(DEMO_USAGE).not.toContain('npm start');
    const io = captureIO(REPO_ROOT);
    expect(await main(['demo', '--help'], io)).toBe(0);
    expect(io.out()).toBe(DEMO_USAGE);
  });
});
