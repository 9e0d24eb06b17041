/**
 * Bundles the playground with esbuild: the page script (`playground/main.ts`), which imports the
 * library from the package root, `xdpolicy`, as any user would. The name resolves to the root's
 * source entry, src/index.ts (tsconfig.json `paths`), the module `dist/src/index.js` is built
 * from, so the page runs exactly the evaluator the CLI uses. The bundle is built for
 * `platform: 'browser'` with nothing stubbed: were a Node.js module reachable from the root, the
 * build would fail to resolve it and the docs build would fail with it.
 *
 * @module
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { PROFILE_NAMES } from '../../src/decision/types.js';
import { PROFILES } from '../../src/profiles/index.js';

/** What the bundle holds. */
export interface PlaygroundBuild {
  /** Bytes of the minified bundle. */
  bytes: number;
  errors: string[];
}

/** Builds `outFile`. Never throws; a failure is recorded in `errors`. */
export async function buildPlayground(o: { root: string; outFile: string }): Promise<PlaygroundBuild> {
  const result: PlaygroundBuild = { bytes: 0, errors: [] };
  try {
    const r = await build({
      stdin: { contents: "import { startPlayground } from './scripts/docs/playground/main.ts';\nstartPlayground();\n", resolveDir: o.root, loader: 'ts', sourcefile: 'playground-entry.ts' },
      tsconfig: join(o.root, 'tsconfig.json'),
      bundle: true,
      outfile: o.outFile,
      platform: 'browser',
      format: 'iife',
      target: ['es2022'],
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
      metafile: true,
    });
    result.bytes = Object.values(r.metafile.outputs).reduce((sum, out) => sum + out.bytes, 0);
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
<label for="pg-client">Client</label><select id="pg-client">${PROFILE_NAMES.map((n) => `<option value="${n}">${n} — ${PROFILES[n].title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</option>`).join('')}</select>
<label for="pg-kind">Served as</label><select id="pg-kind"><option value="socket">socket policy</option><option value="url">URL policy (HTTP)</option></select>
<label for="pg-host">Target host</label><input id="pg-host" value="game.example.com" spellcheck="false">
<label for="pg-origins">Origins</label><textarea id="pg-origins" rows="5" spellcheck="false" wrap="off"></textarea>
<label for="pg-columns" id="pg-columns-label">Ports</label><input id="pg-columns" spellcheck="false">
</div>
<p class="status" id="pg-status" role="status">Loading…</p>
</section>
</div>
<div class="pg-panel"><h2>Decision matrix</h2><div id="pg-matrix"></div><div id="pg-trace" class="trace-view"></div></div>
<div class="pg-panel"><h2>Compare clients</h2><p class="note">The same cells under every client profile of the policy's family (spec/profiles.md): where a client departs from the reference, the cell says which and how; hover for the reasons.</p><div id="pg-compare"></div></div>
<div class="pg-bottom">
<div class="pg-panel"><h2>Parse diagnostics</h2><div id="pg-diagnostics"></div></div>
<div class="pg-panel"><h2>Lint findings</h2><div id="pg-findings"></div></div>
</div></div>`;
}
