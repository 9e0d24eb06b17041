/**
 * No code of the repository spreads an array into a call (`push(...x)`, `Math.max(...x)`,
 * `f(...x)`): every argument goes on the stack, and past about a hundred thousand elements V8
 * throws `RangeError: Maximum call stack size exceeded` — which is how `lint` crashed on 62,000
 * granting rules. Whether an array is bounded is a judgement a reader can get wrong, so the rule
 * has no exception: loop, or use src/collections.ts. Test code is exempt (fast-check's
 * `constantFrom(...values)` takes fixed, short literal lists).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { pushAll } from '../src/collections.js';
import { REPO_ROOT } from './support/requirements.js';

const ROOTS = ['src', 'conformance', 'cli', 'scripts', 'bench', 'bin'];

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'test-support') sourceFiles(path, out);
    } else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Every spread argument of a call or `new` in `text`, as `file:line: call`. */
function callSpreads(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isSpreadElement(node) && (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent))) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${file}:${line + 1}: ${node.parent.getText().slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('no spread of an array into a call (src/collections.ts)', () => {
  it('LINT-5: the checker sees the spreads it must refuse, and none in array literals', () => {
    expect(callSpreads('x.ts', 'out.push(...items); Math.max(...xs); new Set(...a);')).toHaveLength(3);
    expect(callSpreads('x.ts', 'const all = [...a, ...b]; const o = { ...c }; f(a, b);')).toEqual([]);
  });

  it('LINT-5: no file of src/, conformance/, cli/, scripts/, bench/ or bin/ spreads an array into a call', () => {
    const found: string[] = [];
    for (const root of ROOTS) {
      for (const file of sourceFiles(join(REPO_ROOT, root))) pushAll(found, callSpreads(relative(REPO_ROOT, file), readFileSync(file, 'utf8')));
    }
    expect(found, `spread arguments (loop, or use pushAll/maxOf/minOf of src/collections.ts):\n${found.join('\n')}`).toEqual([]);
  });
});
