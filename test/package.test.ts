/**
 * The package as a user gets it. The package is compiled into a staging copy (the worktree's
 * dist/ is left alone: other tests run the built CLI from it), packed with `npm pack`, and
 * installed with `npm install <tarball>` into a fresh project outside the repository. Then:
 *
 * (a) the root, `xdpolicy`, type-checks in a consumer with `"types": []` (no @types/node),
 *     `"lib": ["ES2022"]` and `skipLibCheck: false`, while `xdpolicy/server` does not (it is the
 *     Node part, and the check is shown to notice);
 * (b) the root bundles with esbuild for `platform: 'browser'` with no polyfills or stubs, and the
 *     bundle decides and lints in a context holding only what a browser has (URL, TextEncoder);
 *     `xdpolicy/server` does not bundle for the browser;
 * (c) under Node, `xdpolicy/server` starts a policy server that answers a policy request and
 *     closes; `xdpolicy/corpus` loads the corpus shipped in the package; `xdpolicy/conformance`
 *     parses a target; and the bin works: `npx xdpolicy --help`, `--version`, `decide`.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/requirements.js';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment without what `npm test` exported to its children (npm_config_*, npm_package_*,
 * …), and with npx never installing from the registry: a broken bin must fail, not be replaced.
 */
const cleanEnv = (): NodeJS.ProcessEnv => ({ ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))), npm_config_yes: 'false' });

function run(command: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 240_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const PKG = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; files: string[]; exports: Record<string, unknown> };
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const POLICY = '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="*.example.com" to-ports="5000-5010"/>\n</cross-domain-policy>\n';

let work: string;
let project: string;
let packed: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'xdpolicy-package-'));
  const stage = join(work, 'stage');
  project = join(work, 'consumer');
  mkdirSync(stage);
  mkdirSync(project);

  // The package exactly as `npm pack` makes it from this tree, compiled afresh into the stage.
  const compiled = await run(process.execPath, [TSC, '-p', join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', join(stage, 'dist')], REPO_ROOT);
  if (compiled.code !== 0) throw new Error(`tsc failed:\n${compiled.stdout}${compiled.stderr}`);
  cpSync(join(REPO_ROOT, 'package.json'), join(stage, 'package.json'));
  for (const entry of PKG.files) if (!entry.startsWith('dist/')) cpSync(join(REPO_ROOT, entry), join(stage, entry), { recursive: true });
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], stage);
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  packed = info!.files.map((f) => f.path);

  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'xdpolicy-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, info!.filename)], project);
  if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.stdout}${install.stderr}`);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', { timeout: 120_000 }, () => {
  it('ships every entry point, the bin, the corpus and the spec, and no tests or sources', () => {
    for (const [subpath, target] of Object.entries(PKG.exports)) {
      if (typeof target === 'string') expect(packed, subpath).toContain(target.replace(/^\.\//, ''));
      else for (const file of Object.values(target as Record<string, string>)) expect(packed, subpath).toContain(file.replace(/^\.\//, ''));
    }
    expect(Object.keys(PKG.exports).sort()).toEqual(['.', './conformance', './corpus', './package.json', './server']);
    expect(packed).toContain('bin/xdpolicy.js');
    expect(packed).toContain('dist/cli/main.js');
    expect(packed).toContain('corpus/flash/examples/socket-master.xml');
    expect(packed.some((p) => p.startsWith('spec/'))).toBe(true);
    // CONFORM-1: the client conformance vectors are part of the package.
    for (const f of ['vectors/flash.json', 'vectors/silverlight.json', 'vectors/schema.json']) expect(packed).toContain(f);
    expect(packed.filter((p) => /\.test\.|test-support\/|^src\/|^test\//.test(p))).toEqual([]);
  });

  it('(a) the root type-checks with no @types/node, lib ES2022 and skipLibCheck false; xdpolicy/server needs Node types', async () => {
    const options = { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022'], types: [], skipLibCheck: false, noEmit: true };
    writeFileSync(
      join(project, 'core.ts'),
      `import { CHECKS, createDecider, decide, lintText, parseFlashPolicy, parseSilverlightPolicy, parseWorld, serializeFlashPolicy } from 'xdpolicy';
import type { CorpusCase, Decision, Finding, FlashPolicy, WorldSnapshot } from 'xdpolicy';

const text = ${JSON.stringify(POLICY)};
const parsed = parseFlashPolicy(text, { kind: 'socket' });
const policy: FlashPolicy | null = parsed.policy;
const world: WorldSnapshot = { 'xmlsocket://game.example.com:843': { body: text + '\\u0000' } };
const request = { client: 'flash', origin: 'http://www.example.com/game.swf', target: 'socket://game.example.com:5000' } as const;
const decision: Decision = decide(request, world);
const again: Decision = createDecider(world).decide(request);
const findings: Finding[] = lintText(text, { servedFrom: 'xmlsocket://game.example.com:843' });
const cases: CorpusCase[] = [];
export const summary = [decision.decision, again.decision, findings.length, CHECKS.length, policy ? serializeFlashPolicy(policy).length : 0, parseSilverlightPolicy('').diagnostics.length, parseWorld({}).diagnostics.length, cases.length];
`,
    );
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['core.ts'] }));
    const core = await run(process.execPath, [TSC, '-p', join(project, 'tsconfig.json')], project);
    expect(core.stdout + core.stderr).toBe('');
    expect(core.code).toBe(0);

    writeFileSync(join(project, 'server.ts'), `import { startPolicyServer } from 'xdpolicy/server';\nexport const start = startPolicyServer;\n`);
    writeFileSync(join(project, 'tsconfig.server.json'), JSON.stringify({ compilerOptions: options, files: ['server.ts'] }));
    const server = await run(process.execPath, [TSC, '-p', join(project, 'tsconfig.server.json')], project);
    expect(server.code).not.toBe(0);
    expect(server.stdout).toMatch(/Buffer|'node:/);
  });

  it('(b) the root bundles for the browser as is, and the bundle decides and lints with only browser globals', async () => {
    const bundle = async (contents: string) =>
      build({ absWorkingDir: project, stdin: { contents, resolveDir: project, loader: 'js' }, bundle: true, write: false, platform: 'browser', format: 'iife', globalName: 'xd', minify: true, logLevel: 'silent', metafile: true });
    const all = await bundle("export * from 'xdpolicy';");
    const inputs = Object.keys(all.metafile.inputs);
    expect(inputs.filter((i) => i !== '<stdin>' && !/^node_modules\/(xdpolicy\/dist\/src|saxes|xmlchars|tldts|tldts-core|ipaddr\.js)\//.test(i))).toEqual([]);

    const used = await bundle("export { decide, lintText } from 'xdpolicy';");
    const code = used.outputFiles[0]!.text;
    // A fresh context has the language's globals only; a browser adds URL and TextEncoder.
    const context: Record<string, unknown> = { URL, TextEncoder, TextDecoder };
    runInNewContext(code, context);
    const xd = context['xd'] as { decide: (r: object, w: object) => { decision: string }; lintText: (t: string, o: object) => { id: string }[] };
    const world = { 'xmlsocket://game.example.com:843': { body: `${POLICY}\0` } };
    expect(xd.decide({ client: 'flash', origin: 'http://www.example.com/game.swf', target: 'socket://game.example.com:5000' }, world).decision).toBe('allow');
    expect(xd.decide({ client: 'flash', origin: 'http://evil.test/game.swf', target: 'socket://game.example.com:5000' }, world).decision).toBe('deny');
    expect(xd.lintText('<cross-domain-policy><allow-access-from domain="*" to-ports="*"/></cross-domain-policy>', { servedFrom: 'xmlsocket://h:843' }).length).toBeGreaterThan(0);

    await expect(bundle("export * from 'xdpolicy/server';")).rejects.toThrow(/node:/);
  });

  it('(c) under Node: xdpolicy/server answers a policy request and closes; xdpolicy/corpus and xdpolicy/conformance load', async () => {
    writeFileSync(
      join(project, 'server-check.mjs'),
      `import { connect } from 'node:net';
import { parseCertifyTarget } from 'xdpolicy/conformance';
import { loadCorpus } from 'xdpolicy/corpus';
import { startPolicyServer } from 'xdpolicy/server';

const policy = ${JSON.stringify(POLICY)};
const server = await startPolicyServer({ host: '127.0.0.1', flash: { policy, port: 0 } });
const [listener] = server.listeners;
const answer = await new Promise((resolve, reject) => {
  const socket = connect({ host: '127.0.0.1', port: listener.port });
  const chunks = [];
  socket.on('data', (c) => chunks.push(c));
  socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
  socket.on('error', reject);
  socket.write('<policy-file-request/>\\0');
});
await server.close();
const target = parseCertifyTarget(listener.url);
console.log(JSON.stringify({ answer, url: listener.url, target: target.ok ? target.value.key : target.reason, cases: loadCorpus().length }));
`,
    );
    const r = await run(process.execPath, ['server-check.mjs'], project);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { answer: string; url: string; target: string; cases: number };
    expect(out.answer).toBe(`${POLICY}\0`);
    expect(out.target).toBe(out.url);
    expect(out.cases).toBeGreaterThan(100);
  });

  it('the bin works from the installed package: npx xdpolicy --help, --version, decide', async () => {
    const help = await run('npx', ['xdpolicy', '--help'], project);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/decide/);
    expect(help.stdout).toMatch(/certify/);
    const version = await run('npx', ['xdpolicy', '--version'], project);
    expect(version.stdout).toBe(`${PKG.version}\n`);
    const decide = await run(
      'npx',
      ['xdpolicy', 'decide', '--client', 'flash', '--origin', 'http://www.example.com/game.swf', '--target', 'socket://game.example.com:5000', '--policy', 'node_modules/xdpolicy/corpus/flash/examples/socket-master.xml'],
      project,
    );
    expect(decide.code).toBe(0);
    expect(decide.stdout).toMatch(/^ALLOW: /);
    // The shipped vectors are found from the installed package, and its own adapter agrees with them.
    const conform = await run('npx', ['xdpolicy', 'conform', '--impl', 'npx xdpolicy adapter --client silverlight', '--client', 'silverlight', '--filter', 'silverlight/sockets'], project);
    expect(conform.code, conform.stdout + conform.stderr).toBe(0);
    expect(conform.stdout).toMatch(/^CONFORMING: \d+ agree with silverlight, 0 disagree/m);
  });
});
