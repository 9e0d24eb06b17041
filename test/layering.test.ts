/**
 * Dependencies run one way: src/ (the portable core and the Node.js server) ← conformance/ (the
 * certify harness) ← cli/ (the command line, above both). And the package root, src/index.ts,
 * stays portable: no Node.js module is reachable from it, and its source type-checks without
 * Node's types, so it runs in a browser as it does in Node (test/package.test.ts proves the same
 * of the packed package: declarations, browser bundle).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/requirements.js';

/** Each top-level source folder and the folders its code may import from. */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  src: ['src'],
  conformance: ['src', 'conformance'],
  cli: ['src', 'conformance', 'cli'],
};

const PACKAGE = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
const RUNTIME_DEPENDENCIES = new Set(Object.keys(PACKAGE.dependencies ?? {}));

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tsFiles(path, out);
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const repoPath = (abs: string): string => relative(REPO_ROOT, abs).split(sep).join('/');
const isTestCode = (abs: string): boolean => /\.test\.ts$/.test(abs) || repoPath(abs).split('/').includes('test-support');

/** Every module specifier of a file: imports and re-exports (type-only too), `import()`, `require()`. */
export function specifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The package name of a bare specifier (`@scope/name/sub` → `@scope/name`). */
function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * What `root` (a repository laid out like this one) breaks of the layering: a relative import
 * leaving its layer, or non-test code importing a package that is not a runtime dependency.
 */
export function layeringViolations(root: string, dependencies: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const [layer, allowed] of Object.entries(LAYERS)) {
    let files: string[];
    try {
      files = tsFiles(join(root, layer));
    } catch {
      continue;
    }
    for (const file of files) {
      const rel = relative(root, file).split(sep).join('/');
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.')) {
          const target = relative(root, resolve(dirname(file), spec)).split(sep).join('/');
          const top = target.split('/')[0]!;
          if (!allowed.includes(top)) problems.push(`${rel} imports ${spec} (${target}): ${layer}/ may import only from ${allowed.map((a) => `${a}/`).join(', ')}`);
        } else if (!isBuiltin(spec) && !isTestCode(file) && !dependencies.has(packageName(spec))) {
          problems.push(`${rel} imports the package ${spec}, which is not a runtime dependency in package.json`);
        }
      }
    }
  }
  return problems;
}

/** The source files reachable from `entry` through relative imports, with the non-relative specifiers each one imports. */
export function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const external: string[] = [];
    seen.set(file, external);
    const refs = ts.preProcessFile(text, true, true);
    for (const t of refs.typeReferenceDirectives) external.push(`types:${t.fileName}`);
    for (const spec of refs.importedFiles.map((f) => f.fileName)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
      else external.push(spec);
    }
  };
  visit(entry);
  return seen;
}

/** The Node.js modules (and Node type references) reachable from `entry`, as `file: specifier`. */
export function nodeModulesReachable(entry: string, root: string): string[] {
  const found: string[] = [];
  for (const [file, external] of reachable(entry)) {
    for (const spec of external) if (isBuiltin(spec) || spec === 'types:node') found.push(`${relative(root, file).split(sep).join('/')}: ${spec}`);
  }
  return found;
}

describe('layering', () => {
  it('nothing under src/ imports from outside it; conformance/ imports only src/; cli/ sits above both; code imports only runtime dependencies', () => {
    expect(layeringViolations(REPO_ROOT, RUNTIME_DEPENDENCIES)).toEqual([]);
  });

  it('the checks see what they guard against (a made-up file of each kind is flagged)', () => {
    expect(specifiers("import type { A } from '../../conformance/a.js';\nexport * from './b.js';\nconst m = await import('node:fs');")).toEqual(['../../conformance/a.js', './b.js', 'node:fs']);
    expect(isBuiltin('fs') && isBuiltin('node:net') && !isBuiltin('saxes')).toBe(true);
  });
});

describe('the package root is portable', () => {
  const entry = join(REPO_ROOT, 'src', 'index.ts');

  it('no Node.js module (node:*, fs, net, …) and no Node type reference is reachable from src/index.ts', () => {
    const files = reachable(entry);
    expect(files.size).toBeGreaterThan(20);
    expect(nodeModulesReachable(entry, REPO_ROOT)).toEqual([]);
    // What the Node-only subpaths reach, for contrast: the scan does find Node modules.
    expect(nodeModulesReachable(join(REPO_ROOT, 'src', 'server', 'index.ts'), REPO_ROOT).length).toBeGreaterThan(0);
    expect(nodeModulesReachable(join(REPO_ROOT, 'src', 'corpus', 'index.ts'), REPO_ROOT).length).toBeGreaterThan(0);
  });

  it("src/index.ts and everything it reaches type-check without Node's types (a Buffer or process global would fail)", () => {
    const program = ts.createProgram([entry], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      // What a browser offers (URL, TextEncoder) and nothing of Node.js.
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      strict: true,
      noUncheckedIndexedAccess: true,
      noEmit: true,
      // The dependencies' own declarations are theirs to check (saxes's do not pass strict checks).
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const text = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => REPO_ROOT, getNewLine: () => '\n' });
    expect(text).toBe('');
  });
});
