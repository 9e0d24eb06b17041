/**
 * `xdpolicy conform` against implementations we control (CONFORM-3, CONFORM-4): our own adapter
 * (every case agrees), a deliberately broken one (exactly the broken requirements fail), ones that
 * crash, hang, break the protocol or answer out of order, and the Python example of the
 * implementers' guide (its gaps are reported), run with the machine's python3.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIO } from '../cli/test-support/capture.js';
import { main } from '../cli/main.js';
import { referenceDecision, runConform, type ConformReport } from '../conformance/kit/conform.js';
import { defaultVectorsFile, readVectorFile, type VectorFile } from '../conformance/kit/vectors.js';
import { REPO_ROOT } from './support/requirements.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const BROKEN = join(REPO_ROOT, 'conformance', 'test-support', 'broken-adapter.ts');
const RUN_CLI = join(REPO_ROOT, 'cli', 'test-support', 'run-cli.ts');
const broken = (...faults: string[]): string[] => [process.execPath, '--import', TSX, BROKEN, ...faults.flatMap((f) => ['--fault', f])];
const vectors = (client: 'flash' | 'silverlight'): VectorFile => readVectorFile(readFileSync(defaultVectorsFile(client), 'utf8')).file!;
const FLASH = vectors('flash');
const tmp = mkdtempSync(join(tmpdir(), 'xdpolicy-conform-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (command: string[], options: { filter?: string; budgetMs?: number; startupMs?: number; vectors?: VectorFile; profile?: string } = {}): Promise<ConformReport> =>
  runConform({ impl: command.join(' '), command, vectors: options.vectors ?? FLASH, casesSource: 'test', cwd: REPO_ROOT, ...options });

const failing = (r: ConformReport): string[] => r.chapters.flatMap((ch) => ch.requirements.filter((q) => q.fail + q.error > 0).map((q) => q.id)).sort();

describe('conform against our own adapter (CONFORM-4)', () => {
  it('xdpolicy conform --impl "xdpolicy adapter --client flash": every case agrees, exit 0, the report groups requirements by chapter', async () => {
    const io = captureIO(REPO_ROOT, { env: process.env });
    const json = join(tmp, 'flash.json');
    const code = await main(['conform', '--impl', `${process.execPath} --import ${TSX} ${RUN_CLI} adapter --client flash`, '--json', json, '--junit', join(tmp, 'flash.xml'), '--html', join(tmp, 'flash.html')], io);
    expect(code, io.out() + io.err()).toBe(0);
    expect(io.out()).toContain(`CONFORMING: ${FLASH.cases.length} agree with flash, 0 disagree, 0 skipped, 0 errors`);
    expect(io.out()).toContain(`behaves like flash on 100.0 % (${FLASH.cases.length} of the ${FLASH.cases.length} cases it decided)`);
    expect(io.out()).toMatch(/3\. Domain matching \(Flash\) — spec\/flash\/3-domains\.md: \d+ pass, 0 fail/);
    expect(io.out()).toMatch(/Runner: \d+\.\d{3} ms of its own per case/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as ConformReport;
    expect(report.summary).toMatchObject({ total: FLASH.cases.length, pass: FLASH.cases.length, fail: 0 });
    expect(readFileSync(join(tmp, 'flash.xml'), 'utf8')).toContain(`<testsuites name="xdpolicy conform (flash)" tests="${FLASH.cases.length}" failures="0"`);
    expect(readFileSync(join(tmp, 'flash.html'), 'utf8')).toContain('<h1>xdpolicy conform: CONFORMING</h1>');
  });

  it('silverlight, and a request of the other family is skipped, not failed', async () => {
    const sl = vectors('silverlight');
    const r = await run([process.execPath, '--import', TSX, RUN_CLI, 'adapter', '--client', 'silverlight'], { vectors: sl });
    expect(r.summary).toMatchObject({ total: sl.cases.length, pass: sl.cases.length });
    const other = await run([process.execPath, '--import', TSX, RUN_CLI, 'adapter', '--client', 'silverlight'], { filter: 'flash/sockets' });
    expect(other.summary.skip).toBe(other.summary.total);
    expect(other.exitCode).toBe(0);
  });
});

describe('conform over client profiles (CONFORM-4)', () => {
  // Every modelled profile of the Flash vectors (lightspark, and those still to come).
  const others = Object.keys(FLASH.profiles).filter((p) => p !== 'flash');
  it('the vectors name at least one profile besides the reference', () => {
    expect(others.length).toBeGreaterThan(0);
  });
  it.each(others)('xdpolicy adapter --client %s passes --profile itself, shows its known departures against flash, and is recognised as itself', async (profile) => {
    const command = [process.execPath, '--import', TSX, RUN_CLI, 'adapter', '--client', profile];
    const own = await run(command, { profile });
    expect(own.exitCode, own.disagreements.map((d) => d.id).join('\n')).toBe(0);
    const vsFlash = await run(command);
    // A departure is a case the profile decides otherwise than flash: its checked expectation, or,
    // where the vectors hold none (a record the profile still lists as pending), our own decision.
    const verdictOf = (c: (typeof FLASH.cases)[number]): string => c.expect[profile] ?? referenceDecision(c, profile).decision;
    const departures = FLASH.cases.filter((c) => verdictOf(c) !== c.expect.flash).map((c) => c.id);
    expect(vsFlash.disagreements.map((d) => d.id).sort()).toEqual(departures.sort());
    expect(vsFlash.exitCode).toBe(departures.length > 0 ? 1 : 0);
    expect(vsFlash.agreement[0]!.profile).toBe(profile);
  });
});

describe('conform against a deliberately broken adapter', () => {
  it('ignoring loadPolicyFile: exactly the requirements of the cases that depend on it fail, with both verdicts and the reference trace', async () => {
    const r = await run(broken('ignore-load-policy'));
    expect(r.exitCode).toBe(1);
    // What the broken implementation gets wrong, worked out without the runner.
    const wrong = FLASH.cases.filter((c) => c.loadPolicy.length > 0 && referenceDecision({ ...c, loadPolicy: [] }, 'flash').decision !== c.expect.flash);
    expect(wrong.length).toBeGreaterThan(5);
    expect(r.disagreements.map((d) => d.id).sort()).toEqual(wrong.map((c) => c.id).sort());
    expect(failing(r)).toEqual([...new Set(wrong.flatMap((c) => c.requirements))].sort());
    expect(failing(r)).toContain('FLASH-SOCK-8');
    const d = r.disagreements[0]!;
    expect(d.actual).not.toBe(d.expected);
    expect(d.referenceTrace.at(-1)).toMatch(new RegExp(`^${d.expected}`));
    expect(r.summary.pass).toBe(FLASH.cases.length - wrong.length);
  });

  it('answers in any order', async () => {
    const r = await run(broken('reverse'), { filter: 'flash/domains' });
    expect(r.exitCode).toBe(0);
    expect(r.summary.pass).toBe(r.summary.total);
  });

  it('a reported error and a case past its budget are errors (exit 1), the others still count', async () => {
    // No start-up allowance: the first cases' budget includes the adapter's start under tsx (about a second here).
    const hang = FLASH.cases.find((c) => c.id.startsWith('flash/ports/'))!.id;
    const r = await run(broken(`hang-on=${hang}`, 'error-on=flash/ports/port-list'), { filter: 'flash/ports', budgetMs: 3000, startupMs: 0 });
    expect(r.exitCode).toBe(1);
    const byId = new Map(r.results.map((x) => [x.id, x]));
    expect(byId.get(hang)).toMatchObject({ status: 'error', detail: 'no answer within 3000 ms' });
    expect(r.results.filter((x) => x.id.startsWith('flash/ports/port-list')).every((x) => x.status === 'error' && x.detail === 'the implementation reported an error: not implemented here')).toBe(true);
    expect(r.summary.pass).toBe(r.summary.total - r.summary.error);
  });

  it('a crash ends the run with exit 3, the cases answered so far reported, its status and stderr shown', async () => {
    const r = await run(broken('crash-after=10'), { filter: 'flash/domains' });
    expect(r.exitCode).toBe(3);
    expect(r.run.end).toBe('crashed');
    expect(r.run.problem).toMatch(/exited with status 7 with \d+ of \d+ cases unanswered/);
    expect(r.summary.pass).toBe(10);
    expect(r.summary.untested).toBe(r.summary.total - 10);
    expect(r.run.stderrTail).toContain('crashing on purpose');
  });

  it('a line that is not an answer ends the run with exit 3, quoted', async () => {
    const r = await run(broken('garbage-after=3'), { filter: 'flash/domains' });
    expect(r.exitCode).toBe(3);
    expect(r.run.problem).toBe('the implementation wrote a line that is not an answer (not JSON): "debug: oops"');
  });

  it('an implementation that stops answering ends the run (exit 3) instead of waiting out every budget', async () => {
    const r = await run(broken('silent'), { budgetMs: 200, startupMs: 0 });
    expect(r.exitCode).toBe(3);
    expect(r.run.end).toBe('stalled');
    expect(r.summary.error).toBe(3);
  });

  it('CONFORM-3: a slow start-up is allowed for until the first answer, and only then', async () => {
    // The adapter waits 2.5 s before it reads anything; a case's budget is 1.5 s.
    const slow = broken('slow-start=2500');
    const allowed = await run(slow, { filter: 'flash/domains', budgetMs: 1500, startupMs: 4000 });
    expect(allowed.exitCode, allowed.run.problem ?? '').toBe(0);
    expect(allowed.summary.pass).toBe(allowed.summary.total);
    expect(allowed.timing.startupMs).toBe(4000);
    const without = await run(slow, { filter: 'flash/domains', budgetMs: 1500, startupMs: 0 });
    expect(without.exitCode).toBe(3);
    expect(without.run.problem).toBe('the implementation stopped answering: 3 cases in a row got no answer within 1500 ms');
  }, 30_000);

  it('a command that cannot be started: exit 3, nothing tested', async () => {
    const io = captureIO(REPO_ROOT, { env: process.env });
    expect(await main(['conform', '--impl', 'no-such-command-xdpolicy --x'], io)).toBe(3);
    expect(io.out()).toContain('cannot run no-such-command-xdpolicy: no such command');
  });
});

describe('conform: usage (exit 2, nothing run)', () => {
  it.each([
    [[], /--impl "COMMAND ARGS" is required/],
    [['--impl', 'x "y'], /--impl: cannot read the command: an unclosed double quote/],
    [['--impl', 'x', '--profile', 'nobody'], /no profile 'nobody'/],
    [['--impl', 'x', '--filter', 'zzz/*'], /--filter 'zzz\/\*' selects no case/],
    [['--impl', 'x', '--client', 'silverlight', '--profile', 'flash'], /--profile flash is a flash client, not silverlight/],
    [['--impl', 'x', '--cases', 'package.json'], /--cases .*package\.json: not a valid vectors file/],
    [['--impl', 'x', '--json', '/nonexistent-dir/r.json'], /cannot write --json/],
  ])('%j', async (args, message) => {
    const io = captureIO(REPO_ROOT, { env: process.env });
    expect(await main(['conform', ...args], io)).toBe(2);
    expect(io.err()).toMatch(message);
  });
});

describe('the Python example adapter of docs/testing-clients.md (python3)', () => {
  it('is about thirty lines, runs unchanged, and conform reports its gaps', async () => {
    const source = readFileSync(join(REPO_ROOT, 'docs', 'examples', 'conform_adapter.py'), 'utf8');
    expect(source.split('\n').length).toBeLessThanOrEqual(35);
    const python = spawnSync('python3', ['--version']);
    expect(python.status, 'python3 must be installed to run the example adapter').toBe(0);
    const io = captureIO(REPO_ROOT, { env: process.env });
    const code = await main(['conform', '--impl', 'python3 docs/examples/conform_adapter.py', '--json', '-'], io);
    expect(code, io.err()).toBe(1);
    const r = JSON.parse(io.out()) as ConformReport;
    expect(r.run.end).toBe('complete');
    // It implements Flash sockets only: every HTTP load is skipped.
    expect(r.results.filter((x) => x.status === 'skip').length).toBe(FLASH.cases.filter((c) => !c.target.startsWith('socket:')).length);
    // Gaps it has on purpose: port ranges, meta-policies, loadPolicyFile, fallback to the target port.
    for (const id of ['FLASH-PORT-1', 'FLASH-SOCK-5', 'FLASH-SOCK-6', 'FLASH-SOCK-8']) expect(failing(r), id).toContain(id);
    expect(r.summary.pass).toBeGreaterThan(40);
    expect(io.err()).toContain('NOT CONFORMING');
  });
});
