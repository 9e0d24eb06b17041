/**
 * `npm run docs`: builds the static site under docs/site/ from what the repository holds when it
 * runs — every chapter under spec/, the findings catalogue, the API reference (typedoc), the
 * traceability matrix, the benchmark notes (docs/benchmarks*.md) and the playground.
 *
 * Nothing is listed by hand: chapters, requirements, code, tests and corpus cases are discovered,
 * so the site follows the project as it grows. The build fails (exit 1, each problem named) when a
 * requirement has no test and no corpus case, when a requirement ID is declared twice, when an
 * internal link or anchor is broken, or when a part of the site cannot be generated.
 *
 * Options: `--no-api` skips typedoc (faster while editing the builder; the build then fails if a
 * page links into the API reference), `--out DIR` writes elsewhere.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { maxOf } from '../../src/collections.js';
import { renderPage, type NavGroup, type NavLink, type SiteFrame } from './layout.js';
import { checkLinks, collectAnchors, outsideMaterial } from './links.js';
import { escapeHtml, inlineMarkdown, linkRequirementIds, relativeHref, renderMarkdown, type RenderedHeading } from './markdown.js';
import { buildPlayground, renderPlaygroundBody } from './playground-build.js';
import {
  buildMatrix,
  extractRequirements,
  findDuplicateRequirements,
  idMatcher,
  naturalCompare,
  parseEntryHeading,
  scanCaseReferences,
  scanReferences,
  scanUnknownIds,
  untestedRequirements,
  type Reference,
  type Requirement,
  type TraceRow,
} from './trace.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'site', 'coverage', 'out']);

interface Options {
  out: string;
  api: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { out: join(ROOT, 'docs', 'site'), api: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-api') o.api = false;
    else if (a === '--out' && argv[i + 1]) o.out = resolve(argv[++i]!);
    else throw new Error(`unknown option ${a}; options: --no-api, --out DIR`);
  }
  return o;
}

/** Repository paths (`/`-separated) of the files under `dir` accepted by `keep`, sorted naturally. */
function walk(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  const visit = (abs: string): void => {
    if (!existsSync(abs)) return;
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      if (statSync(p).isDirectory()) {
        if (!SKIP_DIRS.has(name) && !name.startsWith('.')) visit(p);
      } else {
        const rel = relative(ROOT, p).split(sep).join('/');
        if (keep(rel)) out.push(rel);
      }
    }
  };
  visit(join(ROOT, dir));
  return out.sort(naturalCompare);
}

const read = (repoPath: string): string => readFileSync(join(ROOT, repoPath), 'utf8');

function revision(): string {
  const r = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? `commit ${r.stdout.trim()}` : 'a working tree';
}

/** A spec chapter or other Markdown page of the site. */
interface Chapter {
  file: string;
  page: string;
  group: string;
  title: string;
  markdown: string;
}

/** Chapter groups: one per directory of spec/ (`spec/flash/` → Flash), top-level files last. */
function discoverChapters(): Chapter[] {
  const files = walk('spec', (p) => p.endsWith('.md'));
  const chapters = files.map((file) => {
    const markdown = read(file);
    const h1 = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim();
    const parts = file.split('/');
    const dir = parts.length > 2 ? parts.slice(1, -1).join('/') : '';
    const topReadme = dir === '' && /^spec\/(README|index)\.md$/i.test(file);
    const group = topReadme ? 'Overview' : dir === '' ? 'More chapters' : dir.replace(/(^|[-/])(\w)/g, (_, s: string, c: string) => (s === '/' ? ' / ' : s === '-' ? ' ' : '') + c.toUpperCase());
    // A directory's README is its overview page (index.html), listed first.
    const page = /(^|\/)(README|index)\.md$/i.test(file) ? file.replace(/[^/]+$/, 'index.html') : file.replace(/\.md$/, '.html');
    return { file, page, group, title: h1 ?? posix.basename(file, '.md'), markdown };
  });
  const isOverview = (c: Chapter): number => (c.page.endsWith('/index.html') ? 0 : 1);
  // Directories first (Flash, Silverlight, …), then the top-level chapters.
  return chapters.sort((a, b) => {
    const rank = (g: string): number => (g === 'Overview' ? 0 : g === 'More chapters' ? 2 : 1);
    const ta = rank(a.group);
    const tb = rank(b.group);
    return ta - tb || naturalCompare(a.group, b.group) || isOverview(a) - isOverview(b) || naturalCompare(a.file, b.file);
  });
}

/** A chapter's title without a trailing "(Group)" that repeats its group's name. */
function shortTitle(c: { title: string; group: string }): string {
  const suffix = ` (${c.group.toLowerCase()})`;
  return c.title.toLowerCase().endsWith(suffix) ? c.title.slice(0, -suffix.length) : c.title;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const problems: string[] = [];
  const warnings: string[] = [];
  const started = Date.now();

  rmSync(opts.out, { recursive: true, force: true });
  mkdirSync(opts.out, { recursive: true });
  const files = new Set<string>();
  const pages = new Map<string, string>();
  const write = (sitePath: string, content: string | Buffer): void => {
    const abs = join(opts.out, sitePath);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    files.add(sitePath);
    if (sitePath.endsWith('.html') && typeof content === 'string') pages.set(sitePath, content);
  };

  // --- Requirements and their references ------------------------------------------------------
  const chapters = discoverChapters();
  const requirements: Requirement[] = chapters.flatMap((c) => extractRequirements(c.markdown, c.file));
  for (const d of findDuplicateRequirements(requirements)) problems.push(`requirement ${d.id} is declared more than once: ${d.places.join(', ')}`);
  const known = new Set(requirements.map((r) => r.id));
  const matcher = idMatcher(known);
  const isTest = (p: string): boolean => /\.test\.ts$/.test(p);
  // src/requirements.ts is the generated list of every ID: it implements none of them.
  const codeFiles = ['src', 'conformance', 'cli'].flatMap((dir) => walk(dir, (p) => p.endsWith('.ts') && !isTest(p) && p !== 'src/requirements.ts'));
  const testFiles = ['src', 'conformance', 'cli', 'test'].flatMap((dir) => walk(dir, isTest));
  const corpusFiles = walk('corpus', (p) => p.endsWith('.json'));
  const code = codeFiles.flatMap((f) => scanReferences(read(f), f, matcher));
  const tests = testFiles.flatMap((f) => scanReferences(read(f), f, matcher));
  const corpus = corpusFiles.flatMap((f) => scanCaseReferences(read(f), f, matcher));
  const unknown = [...codeFiles, ...testFiles, ...corpusFiles].flatMap((f) => scanUnknownIds(read(f), f, known));
  for (const [id, refs] of groupBy(unknown, (u) => u.id)) {
    warnings.push(`${id} is named in ${refs.length} place(s) but declared by no spec chapter (first: ${refs[0]!.file}:${refs[0]!.line})`);
  }
  const rows = buildMatrix(requirements, code, tests, corpus);
  for (const p of untestedRequirements(rows)) problems.push(p.message);
  const rowById = new Map(rows.map((r) => [r.requirement.id, r]));
  // Catalogue entries (the findings of spec/lint.md: `### LINT-PARSE-DTD — …`) are traced too,
  // for the reader; they are not numbered requirements, so a gap there is not a build failure.
  const entries = chapters.flatMap((c) => extractRequirements(c.markdown, c.file, parseEntryHeading)).filter((e) => !known.has(e.id));
  const entryMatcher = idMatcher(entries.map((e) => e.id));
  const entryRows = buildMatrix(
    entries,
    codeFiles.flatMap((f) => scanReferences(read(f), f, entryMatcher)),
    testFiles.flatMap((f) => scanReferences(read(f), f, entryMatcher)),
    corpusFiles.flatMap((f) => scanCaseReferences(read(f), f, entryMatcher)),
  );
  for (const r of entryRows) rowById.set(r.requirement.id, r);

  // --- Where everything lives on the site -----------------------------------------------------
  // docs/benchmarks.md (the evaluator's figures) first, then docs/benchmarks-*.md.
  const benchFiles = walk('docs', (p) => /^docs\/benchmarks[^/]*\.md$/.test(p)).sort((a, b) => Number(a !== 'docs/benchmarks.md') - Number(b !== 'docs/benchmarks.md') || naturalCompare(a, b));
  const mdPages = new Map<string, string>(chapters.map((c) => [c.file, c.page]));
  for (const b of benchFiles) mdPages.set(b, b.replace(/^docs\//, '').replace(/\.md$/, '.html'));
  // Guides: the other pages of docs/ (docs/testing-clients.md, …), each at the site's top level.
  const guideFiles = walk('docs', (p) => /^docs\/[^/]+\.md$/.test(p) && !benchFiles.includes(p));
  for (const g of guideFiles) mdPages.set(g, g.replace(/^docs\//, '').replace(/\.md$/, '.html'));
  mdPages.set('README.md', 'index.html');
  const sourcePages = new Set<string>();
  // A spec directory without a README gets a generated overview page listing its chapters.
  const dirIndexes = new Map<string, Chapter[]>();
  for (const c of chapters) {
    const dir = posix.dirname(c.file);
    if (dir !== 'spec' && !chapters.some((o) => o.page === `${dir}/index.html`)) dirIndexes.set(dir, [...(dirIndexes.get(dir) ?? []), c]);
  }
  const sitePathFor = (repoPath: string): string => {
    const md = mdPages.get(repoPath);
    if (md) return md;
    const dir = repoPath.replace(/\/$/, '');
    if (dir === 'spec' || dirIndexes.has(dir) || chapters.some((c) => c.page === `${dir}/index.html`)) return `${dir}/index.html`;
    for (const readme of ['README.md', 'index.md']) if (mdPages.has(`${dir}/${readme}`)) return mdPages.get(`${dir}/${readme}`)!;
    if (existsSync(join(ROOT, dir, 'README.md')) && statSync(join(ROOT, dir)).isDirectory()) return sitePathFor(`${dir}/README.md`);
    if (repoPath === 'docs/playground.png' || repoPath.startsWith('docs/') && /\.(png|svg|jpe?g)$/.test(repoPath)) return `assets/${posix.basename(repoPath)}`;
    if (existsSync(join(ROOT, repoPath)) && statSync(join(ROOT, repoPath)).isFile()) sourcePages.add(repoPath);
    return `source/${repoPath}.html`;
  };
  // A code span naming a repository file links to it (directories and globs do not).
  const codePath = (text: string): string | null => {
    if (!/^(src|test|corpus|conformance|bench|spec|docs|scripts)\/[\w./-]*[\w]$/.test(text) || text.includes('..')) return null;
    const abs = join(ROOT, text);
    return existsSync(abs) && statSync(abs).isFile() ? sitePathFor(text) : null;
  };
  const reqPage = new Map(chapters.flatMap((c) => extractRequirements(c.markdown, c.file).map((r) => [r.id, `${c.page}#${r.id}`] as const)));
  const entryPage = new Map(entries.map((e) => [e.id, `${mdPages.get(e.file)!}#${e.id}`] as const));
  const lintChapter = chapters.find((c) => /(^|\/)lint\.md$/.test(c.file));
  const hasApi = opts.api;

  const specIndex = chapters.find((c) => c.page === 'spec/index.html') ? null : 'spec/index.html';
  const sections: NavLink[] = [
    { label: 'Spec', path: 'spec/index.html' },
    ...(lintChapter ? [{ label: 'Findings', path: lintChapter.page }] : []),
    { label: 'Traceability', path: 'traceability.html' },
    { label: 'Playground', path: 'playground/index.html' },
    ...(hasApi ? [{ label: 'API', path: 'api/index.html' }] : []),
    ...(benchFiles.length ? [{ label: 'Benchmarks', path: mdPages.get(benchFiles[0]!)! }] : []),
    ...(guideFiles.length ? [{ label: 'Guides', path: mdPages.get(guideFiles[0]!)! }] : []),
  ];
  const frame: SiteFrame = { sections, builtAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), revision: revision() };

  // --- Spec chapters ----------------------------------------------------------------------------
  const reqCount = (c: Chapter): number => requirements.filter((r) => r.file === c.file).length;
  const specNav: NavGroup[] = [...groupBy(chapters, (c) => c.group)].map(([title, cs]) => ({
    title,
    // Inside a group, "(Flash)" after every title says nothing the group title does not.
    links: cs.map((c) => ({ label: shortTitle(c), path: c.page, ...(reqCount(c) ? { note: `${reqCount(c)}` } : {}) })),
  }));
  const badge = (id: string): string => {
    const row = rowById.get(id);
    if (!row) return '';
    const n = (k: number, label: string): string => `<span class="badge${k === 0 ? ' none' : ''}">${k} ${label}</span>`;
    return `<a class="badges" href="{{TRACE}}#${id}" title="Code, tests and corpus cases naming ${id}">${n(row.code.length, 'code')}${n(row.tests.length, 'tests')}${n(row.corpus.length, 'cases')}</a>`;
  };
  for (const c of chapters) {
    const r = renderMarkdown(c.markdown, {
      file: c.file,
      page: c.page,
      sitePathFor,
      requirementBadge: badge,
      requirementHref: (id) => reqPage.get(id) ?? null,
      idPattern: matcher,
      codePath,
    });
    const html = r.html.replace(/\{\{TRACE\}\}/g, relativeHref(c.page, 'traceability.html'));
    const onPage: NavGroup = { title: 'On this page', links: r.headings.filter((h: RenderedHeading) => h.depth === 2 || h.requirement).map((h) => ({ label: h.requirement ?? h.text, path: `${c.page}#${h.id}` })) };
    write(c.page, renderPage(frame, { page: c.page, title: c.title, body: html, sidebar: [...specNav, ...(onPage.links.length ? [onPage] : [])] }));
  }

  if (specIndex) {
    const body = `<h1>The specification</h1>
<p class="lead">Every rule is a numbered requirement with a stable ID: link to one as <code>spec/…/chapter.html#ID</code>. Each requirement shows how much code, how many tests and how many corpus cases name it; the badges lead to the ${`<a href="${escapeHtml(relativeHref(specIndex, 'traceability.html'))}">traceability matrix</a>`}.</p>
${[...groupBy(chapters, (c) => c.group)]
  .map(([title, cs]) => `<h2>${escapeHtml(title)}</h2><ul>${cs.map((c) => `<li><a href="${escapeHtml(relativeHref(specIndex, c.page))}">${inlineMarkdown(shortTitle(c))}</a>${reqCount(c) ? ` <span class="note">${reqCount(c)} requirements</span>` : ''}</li>`).join('')}</ul>`)
  .join('\n')}`;
    write(specIndex, renderPage(frame, { page: specIndex, title: 'Specification', body, sidebar: specNav }));
  }

  for (const [dir, cs] of dirIndexes) {
    const page = `${dir}/index.html`;
    const group = cs[0]!.group;
    const body = `<h1>${escapeHtml(group)}</h1><ul>${cs.map((c) => `<li><a href="${escapeHtml(relativeHref(page, c.page))}">${inlineMarkdown(shortTitle(c))}</a>${reqCount(c) ? ` <span class="note">${reqCount(c)} requirements</span>` : ''}</li>`).join('')}</ul>`;
    write(page, renderPage(frame, { page, title: group, body, sidebar: specNav }));
  }

  // --- Benchmarks -------------------------------------------------------------------------------
  for (const b of benchFiles) {
    const page = mdPages.get(b)!;
    const r = renderMarkdown(read(b), { file: b, page, sitePathFor, requirementHref: (id) => reqPage.get(id) ?? null, idPattern: matcher, codePath });
    const nav: NavGroup[] = benchFiles.length > 1 ? [{ title: 'Benchmarks', links: benchFiles.map((f) => ({ label: /^#\s+(.+)$/m.exec(read(f))?.[1]?.trim() ?? posix.basename(f, '.md'), path: mdPages.get(f)! })) }] : [];
    write(page, renderPage(frame, { page, title: r.title ?? 'Benchmarks', body: `${r.html}<p class="note">From <code>${escapeHtml(b)}</code>; regenerate the figures with <code>npm run bench</code>.</p>`, sidebar: nav }));
  }

  // --- Guides -----------------------------------------------------------------------------------
  const guideTitle = (f: string): string => /^#\s+(.+)$/m.exec(read(f))?.[1]?.trim() ?? posix.basename(f, '.md');
  const guideNav: NavGroup[] = [{ title: 'Guides', links: guideFiles.map((f) => ({ label: guideTitle(f), path: mdPages.get(f)! })) }];
  for (const g of guideFiles) {
    const page = mdPages.get(g)!;
    const r = renderMarkdown(read(g), { file: g, page, sitePathFor, requirementHref: (id) => reqPage.get(id) ?? null, idPattern: matcher, codePath });
    write(page, renderPage(frame, { page, title: r.title ?? guideTitle(g), body: r.html, sidebar: guideNav }));
  }

  // --- Traceability ---------------------------------------------------------------------------
  write('traceability.html', renderPage(frame, { page: 'traceability.html', title: 'Traceability', body: renderTraceability(rows, entryRows, warnings, 'traceability.html', sitePathFor, new Map([...reqPage, ...entryPage])), head: FILTER_SCRIPT }));

  // --- Playground -------------------------------------------------------------------------------
  const pg = await buildPlayground({ root: ROOT, outFile: join(opts.out, 'playground', 'playground.js') });
  files.add('playground/playground.js');
  for (const e of pg.errors) problems.push(`playground: ${e}`);
  const lintAnchors = lintChapter ? [...collectAnchors(pages.get(lintChapter.page) ?? '')] : [];
  const playgroundData = {
    requirements: Object.fromEntries([...reqPage].map(([id, p]) => [id, relativeHref('playground/index.html', p)])),
    findings: lintChapter ? Object.fromEntries(lintAnchors.map((a) => [a, relativeHref('playground/index.html', `${lintChapter.page}#${a}`)])) : {},
  };
  write(
    'playground/index.html',
    renderPage(frame, {
      page: 'playground/index.html',
      title: 'Playground',
      bodyClass: 'playground',
      body: renderPlaygroundBody(),
      head: `<script type="application/json" id="xd-data">${JSON.stringify(playgroundData).replace(/</g, '\\u003c')}</script>\n<script defer src="playground.js"></script>`,
    }),
  );

  // --- API reference ----------------------------------------------------------------------------
  if (opts.api) {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--options', join(ROOT, 'typedoc.json'), '--out', join(opts.out, 'api')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const out = `${r.stdout}${r.stderr}`.trim();
    if (r.status !== 0) problems.push(`typedoc failed (exit ${r.status}):\n${out}`);
    else {
      const w = out.split('\n').filter((l) => /warning/i.test(l));
      if (w.length) warnings.push(`typedoc: ${w.length} warning line(s), first: ${w[0]}`);
    }
    // typedoc writes navigation links as given; `xdpolicy-site:PATH` (typedoc.json) becomes a link
    // relative to each API page, so the way back to the site works from every depth.
    const siteRoot = relative(ROOT, opts.out).split(sep).join('/');
    for (const f of walk(relative(ROOT, join(opts.out, 'api')), () => true)) {
      const sitePath = posix.relative(siteRoot, f);
      files.add(sitePath);
      if (!sitePath.endsWith('.html')) continue;
      const html = read(f).replace(/xdpolicy-site:([^"'#]*)/g, (_, p: string) => relativeHref(sitePath, p));
      writeFileSync(join(ROOT, f), html);
      pages.set(sitePath, html);
    }
  }

  // --- Home page --------------------------------------------------------------------------------
  const screenshot = existsSync(join(ROOT, 'docs', 'playground.png'));
  write('index.html', renderPage(frame, { page: 'index.html', title: 'Cross-domain policy reference', body: renderHome(chapters, requirements, rows, lintChapter, benchFiles.length ? mdPages.get(benchFiles[0]!)! : null, hasApi, screenshot, reqCount) }));

  // --- Source pages (whatever the pages above linked to) ---------------------------------------
  for (const repoPath of [...sourcePages].sort()) {
    const page = `source/${repoPath}.html`;
    const lines = read(repoPath).split(/\r?\n/);
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const body = `<h1><code>${escapeHtml(repoPath)}</code></h1><p class="note">Source as of this build. Lines are anchors: <code>#L12</code>.</p><div class="source">${lines
      .map((l, i) => `<div class="l" id="L${i + 1}"><a class="n" href="#L${i + 1}">${i + 1}</a><span>${escapeHtml(l.length > 2000 ? `${l.slice(0, 2000)} … (${l.length} characters)` : l)}</span></div>`)
      .join('')}</div>`;
    // Requirement IDs in comments, test titles and sidecars lead to the rule.
    const linked = linkRequirementIds(body, matcher, (id) => (reqPage.has(id) ? relativeHref(page, reqPage.get(id)!) : null));
    write(page, renderPage(frame, { page, title: repoPath, body: linked }));
  }

  // --- Assets -----------------------------------------------------------------------------------
  cpSync(join(ROOT, 'scripts', 'docs', 'assets', 'site.css'), join(opts.out, 'assets', 'site.css'));
  files.add('assets/site.css');
  for (const f of walk('docs', (p) => /^docs\/[^/]+\.(png|svg|jpe?g)$/.test(p))) {
    cpSync(join(ROOT, f), join(opts.out, 'assets', posix.basename(f)));
    files.add(`assets/${posix.basename(f)}`);
  }
  writeFileSync(join(opts.out, '.nojekyll'), '');

  // --- Links ------------------------------------------------------------------------------------
  // The site stands alone: no chapter sends its reader to material outside the repository.
  for (const c of chapters) {
    for (const m of outsideMaterial(c.markdown)) problems.push(`${c.file} refers to ${m}, which is outside the repository (vendor what it cites, or drop the reference)`);
  }
  for (const b of checkLinks(pages, files)) {
    // A link to a repository file that does not exist shows up as a missing source page: say which file.
    const missing = /^no such file: source\/(.+)\.html$/.exec(b.reason)?.[1];
    const from = [...mdPages].find(([, page]) => page === b.page)?.[0] ?? b.page;
    problems.push(missing ? `broken link in ${from}: ${missing} does not exist in the repository` : `broken link in ${from}: "${b.href}" (${b.reason})`);
  }

  // --- Report -----------------------------------------------------------------------------------
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const rel = relative(process.cwd(), opts.out) || '.';
  for (const w of warnings) process.stderr.write(`docs: warning: ${w}\n`);
  process.stdout.write(
    `docs: ${chapters.length} chapters, ${requirements.length} requirements (${rows.filter((r) => r.code.length).length} with code, ${rows.filter((r) => r.tests.length).length} with tests, ${rows.filter((r) => r.corpus.length).length} with corpus cases), ${corpusFiles.length} corpus sidecars, ${pages.size} pages, playground bundle ${Math.round(pg.bytes / 1024)} KiB — ${rel}/index.html in ${secs}s\n`,
  );
  if (problems.length) {
    process.stderr.write(`docs: FAILED with ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  return 0;
}

const FILTER_SCRIPT = `<script>
document.addEventListener('DOMContentLoaded', () => {
  const box = document.getElementById('filter');
  if (!box) return;
  box.addEventListener('input', () => {
    const q = box.value.trim().toLowerCase();
    for (const tr of document.querySelectorAll('table.trace tbody tr')) tr.hidden = q !== '' && !tr.textContent.toLowerCase().includes(q);
  });
});
</script>`;

/** A list that folds into "N things" when long, so that one busy requirement does not swamp the table. */
function foldable(items: readonly string[], noun: string): string {
  const list = `<ul>${items.join('')}</ul>`;
  return items.length > 4 ? `<details><summary>${items.length} ${noun}</summary>${list}</details>` : list;
}

function refsByFile(refs: readonly Reference[], page: string, sitePathFor: (p: string) => string): string {
  return foldable([...groupBy(refs, (r) => r.file)]
    .map(([file, rs]) => {
      const sp = sitePathFor(file);
      return `<li><code>${escapeHtml(file)}</code> ${rs.map((r) => `<a href="${escapeHtml(relativeHref(page, `${sp}#L${r.line}`))}" title="${escapeHtml(r.text)}">L${r.line}</a>`).join(' ')}</li>`;
    }), 'files');
}

function renderTraceability(
  rows: readonly TraceRow[],
  entryRows: readonly TraceRow[],
  warnings: readonly string[],
  page: string,
  sitePathFor: (p: string) => string,
  reqPage: ReadonlyMap<string, string>,
): string {
  const count = (f: (r: TraceRow) => boolean): number => rows.filter(f).length;
  const missing = rows.filter((r) => r.tests.length === 0 && r.corpus.length === 0);
  const tableRows = (rs: readonly TraceRow[]): string => rs
    .map((r) => {
      const id = r.requirement.id;
      const spec = reqPage.get(id)!;
      const cell = (html: string, n: number, none: string): string => (n ? `<td>${html}</td>` : `<td class="none">${none}</td>`);
      const cases = foldable(r.corpus.map((c) => `<li><a href="${escapeHtml(relativeHref(page, `${sitePathFor(c.file)}#L${c.line}`))}">${escapeHtml(c.caseId)}</a></li>`), 'cases');
      return `<tr id="${id}"${r.tests.length + r.corpus.length === 0 ? ' class="missing"' : ''}><td class="id"><a href="${escapeHtml(relativeHref(page, spec))}">${id}</a></td><td>${inlineMarkdown(r.requirement.title)}</td>${cell(
        refsByFile(r.code, page, sitePathFor),
        r.code.length,
        'none yet',
      )}${cell(refsByFile(r.tests, page, sitePathFor), r.tests.length, 'none')}${cell(cases, r.corpus.length, 'none')}</tr>`;
    })
    .join('\n');
  const table = (rs: readonly TraceRow[], first: string): string => `<div class="table-wrap"><table class="trace">
<colgroup><col style="width:${(Math.max(12, maxOf(rs.map((r) => r.requirement.id.length))) * 0.5 + 1.2).toFixed(1)}rem"><col style="width:16%"><col><col><col></colgroup>
<thead><tr><th>${first}</th><th>Title</th><th>Code</th><th>Tests</th><th>Corpus cases</th></tr></thead>
<tbody>
${tableRows(rs)}
</tbody></table></div>`;
  return `<h1>Traceability</h1>
<p class="lead">Every requirement of the spec, with the code that implements it (lines carrying a <code>// ${escapeHtml(rows[0]?.requirement.id ?? 'FLASH-SOCK-7')}</code>-style comment or naming the ID), the tests whose titles or bodies name it, and the corpus cases that exercise it. The build fails when a requirement has neither a test nor a corpus case.</p>
<div class="summary">
<div><strong>${rows.length}</strong>requirements</div>
<div><strong>${count((r) => r.code.length > 0)}</strong>with code</div>
<div><strong>${count((r) => r.tests.length > 0)}</strong>with tests</div>
<div><strong>${count((r) => r.corpus.length > 0)}</strong>with corpus cases</div>
</div>
${missing.length ? `<p class="problem">${missing.length} requirement(s) have no test and no corpus case: ${missing.map((r) => `<a href="#${r.requirement.id}">${r.requirement.id}</a>`).join(', ')}.</p>` : ''}
${warnings.length ? `<details class="notice"><summary>${warnings.length} warning(s) from this build</summary><ul>${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></details>` : ''}
<input id="filter" class="filter" type="search" placeholder="Filter: an ID, a word, a file…" aria-label="Filter requirements">
<h2 id="requirements">Requirements</h2>
${table(rows, 'Requirement')}
${entryRows.length ? `<h2 id="findings">Findings catalogue</h2>
<p>The checks of <code>xdpolicy lint</code>, with the code, tests and corpus cases naming them (every check has a case that triggers it and a near miss that must not).</p>
${table(entryRows, 'Finding')}` : ''}`;
}

function renderHome(
  chapters: readonly Chapter[],
  requirements: readonly Requirement[],
  rows: readonly TraceRow[],
  lintChapter: Chapter | undefined,
  benchPage: string | null,
  hasApi: boolean,
  screenshot: boolean,
  reqCount: (c: Chapter) => number,
): string {
  const page = 'index.html';
  const a = (path: string, label: string): string => `<a href="${escapeHtml(relativeHref(page, path))}">${label}</a>`;
  const groups = [...groupBy(chapters, (c) => c.group)]
    .map(([title, cs]) => `<h3>${escapeHtml(title)}</h3><ul>${cs.map((c) => `<li>${a(c.page, inlineMarkdown(shortTitle(c)))}${reqCount(c) ? ` <span class="note">${reqCount(c)} requirements</span>` : ''}</li>`).join('')}</ul>`)
    .join('');
  const covered = rows.filter((r) => r.tests.length + r.corpus.length > 0).length;
  return `<h1>xdpolicy — the cross-domain policy reference</h1>
<p class="lead">Flash <code>crossdomain.xml</code> and socket policy files (port 843) and Silverlight <code>clientaccesspolicy.xml</code> (port 943) decided who could reach what across origins for a decade, and they are still served today. xdpolicy is one place that says exactly what these files mean: a normative spec, a pure evaluator that follows it, a linter, a hardened policy server and a conformance harness.</p>
<p>Read this site if you implement or audit a policy server, a client or a scanner, or if you just found a <code>crossdomain.xml</code> and want to know what it allows.</p>
<div class="cards">
<div class="card"><h3>${a('spec/index.html', 'The specification')}</h3><p>${chapters.length} chapters, ${requirements.length} numbered requirements. Each rule has a stable ID you can link to, e.g. ${requirements[0] ? a(`${chapters.find((c) => c.file === requirements[0]!.file)!.page}#${requirements[0].id}`, `<code>#${requirements[0].id}</code>`) : '<code>#FLASH-SOCK-7</code>'}.</p></div>
${lintChapter ? `<div class="card"><h3>${a(lintChapter.page, 'Findings catalogue')}</h3><p>What <code>xdpolicy lint</code> reports, why it matters and how to fix it.</p></div>` : ''}
<div class="card"><h3>${a('playground/index.html', 'Playground')}</h3><p>Paste a policy, pick a client and origins, and see the diagnostics, findings and decision matrix — computed in your browser by the reference evaluator.</p></div>
<div class="card"><h3>${a('traceability.html', 'Traceability')}</h3><p>For each requirement: the code implementing it, the tests and corpus cases exercising it. ${covered} of ${rows.length} are covered.</p></div>
${hasApi ? `<div class="card"><h3>${a('api/index.html', 'API reference')}</h3><p>The library's exports, from their TSDoc.</p></div>` : ''}
${benchPage ? `<div class="card"><h3>${a(benchPage, 'Benchmarks')}</h3><p>Decision and parse throughput, server load figures.</p></div>` : ''}
</div>
${screenshot ? `<figure class="shot">${a('playground/index.html', `<img src="${escapeHtml(relativeHref(page, 'assets/playground.png'))}" alt="The playground: a socket policy, its findings and an origin × port decision matrix">`)}<figcaption>The playground: a Flash socket policy, its diagnostics and findings, and who may connect to which port.</figcaption></figure>` : ''}
<h2>Chapters</h2>
${groups}
<h2>Build this site</h2>
<pre><code>npm ci
npm run docs        # writes docs/site/; open docs/site/index.html</code></pre>`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`docs: FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
