/**
 * Bundles the playground with esbuild: the page script (`playground/main.ts`) plus the library
 * functions it runs, taken from `src/` — the same evaluator the CLI uses, not a copy.
 *
 * Which functions exist depends on what has landed, so they are discovered: each candidate is
 * looked up by its exported name in `src/`, bundled alone for the browser first, and kept only if
 * it bundles without Node built-ins (`node:fs`, `node:net`, …). What is left out is named on the
 * page ("lint is not available in this build") instead of breaking it.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';

/** The library functions the playground can use, by exported name. */
export const PLAYGROUND_CANDIDATES = ['parseFlashPolicy', 'parseSilverlightPolicy', 'decide', 'lint', 'lintText'] as const;

/** What the bundle holds. */
export interface PlaygroundBuild {
  /** Candidates bundled. */
  available: string[];
  /** Candidates left out, with the reason. */
  unavailable: Record<string, string>;
  warnings: string[];
  errors: string[];
}

const NODE_BUILTIN = /^(node:.*|fs|path|net|http|https|http2|os|child_process|crypto|stream|events|util|dgram|tls|zlib|worker_threads|module|readline|cluster|dns|perf_hooks|tty|v8|vm)(\/.*)?$/;

/** Fails the bundle with a message naming who imported a Node built-in. */
function noNodeBuiltins(root: string): Plugin {
  return {
    name: 'no-node-builtins',
    setup(b) {
      b.onResolve({ filter: NODE_BUILTIN }, (args) => ({
        errors: [{ text: `${args.path} imported by ${args.importer ? relative(root, args.importer).split(sep).join('/') : '?'} (not browser-safe)` }],
      }));
    },
  };
}

/** Source files of `src/` (tests excluded) that declare `export function NAME` / `export const NAME`. */
export function findExport(root: string, name: string): string | null {
  const decl = new RegExp(`^export\\s+(?:async\\s+)?(?:function\\*?|const|let)\\s+${name}\\b`, 'm');
  const visit = (dir: string): string | null => {
    for (const entry of readdirSync(dir).sort()) {
      const p = join(dir, entry);
      if (statSync(p).isDirectory()) {
        const hit = visit(p);
        if (hit) return hit;
      } else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts') && !entry.endsWith('.d.ts') && decl.test(readFileSync(p, 'utf8'))) return p;
    }
    return null;
  };
  return visit(join(root, 'src'));
}

/** Builds `outFile`. Never throws for a missing or unsafe candidate; records it instead. */
export async function buildPlayground(o: { root: string; outFile: string }): Promise<PlaygroundBuild> {
  const result: PlaygroundBuild = { available: [], unavailable: {}, warnings: [], errors: [] };
  const imports: string[] = [];
  for (const name of PLAYGROUND_CANDIDATES) {
    const file = findExport(o.root, name);
    if (!file) {
      result.unavailable[name] = 'not in src/ yet';
      continue;
    }
    const rel = relative(o.root, file).split(sep).join('/');
    try {
      await build({
        stdin: { contents: `export { ${name} } from ${JSON.stringify(`./${rel}`)};`, resolveDir: o.root, loader: 'ts', sourcefile: `${name}-probe.ts` },
        bundle: true,
        write: false,
        platform: 'browser',
        format: 'esm',
        logLevel: 'silent',
        plugins: [noNodeBuiltins(o.root)],
      });
      imports.push(`import { ${name} } from ${JSON.stringify(`./${rel}`)};`);
      result.available.push(name);
    } catch (err) {
      const text = (err as { errors?: { text: string }[] }).errors?.map((e) => e.text).join('; ') ?? String(err);
      result.unavailable[name] = `cannot run in a browser: ${text}`;
      result.warnings.push(`${name} (${rel}) left out of the playground: ${text}`);
    }
  }
  const entry = `${imports.join('\n')}
import { startPlayground } from './scripts/docs/playground/main.ts';
startPlayground({ ${result.available.join(', ')} });
`;
  try {
    await build({
      stdin: { contents: entry, resolveDir: o.root, loader: 'ts', sourcefile: 'playground-entry.ts' },
      bundle: true,
      outfile: o.outFile,
      platform: 'browser',
      format: 'iife',
      target: ['es2022'],
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
      plugins: [noNodeBuiltins(o.root)],
    });
  } catch (err) {
    const text = (err as { errors?: { text: string }[] }).errors?.map((e) => e.text).join('; ') ?? String(err);
    result.errors.push(`bundling failed: ${text}`);
  }
  return result;
}

/** The playground's markup; `main.ts` fills the output panels. */
export function renderPlaygroundBody(): string {
  return `<h1>Playground</h1>
<p class="lead">Paste or edit a policy, pick the client and the origins, and see what the reference evaluator makes of it. Everything runs in this page: the parser, the linter and the decision function are the library's own code, bundled — no server is involved.</p>
<noscript><p class="problem">The playground needs JavaScript.</p></noscript>
<div class="pg-top">
<section class="pg-editor">
<label for="pg-policy" class="note">Policy as served at <code id="pg-location"></code></label>
<textarea id="pg-policy" class="code" spellcheck="false" wrap="off" aria-label="Policy text"></textarea>
</section>
<section>
<div class="pg-controls">
<label for="pg-preset">Example</label><select id="pg-preset"></select>
<label for="pg-client">Client</label><select id="pg-client"><option value="flash">Flash Player 10+</option><option value="silverlight">Silverlight</option></select>
<label for="pg-kind">Served as</label><select id="pg-kind"><option value="socket">socket policy</option><option value="url">URL policy (HTTP)</option></select>
<label for="pg-host">Target host</label><input id="pg-host" value="game.example.com" spellcheck="false">
<label for="pg-origins">Origins</label><textarea id="pg-origins" rows="5" spellcheck="false" wrap="off"></textarea>
<label for="pg-columns" id="pg-columns-label">Ports</label><input id="pg-columns" spellcheck="false">
</div>
<p class="status" id="pg-status" role="status">Loading…</p>
</section>
</div>
<div class="pg-panel"><h2>Decision matrix</h2><div id="pg-matrix"></div><div id="pg-trace" class="trace-view"></div></div>
<div class="pg-bottom">
<div class="pg-panel"><h2>Parse diagnostics</h2><div id="pg-diagnostics"></div></div>
<div class="pg-panel"><h2>Lint findings</h2><div id="pg-findings"></div></div>
</div></div>`;
}
