/**
 * Browser test (`npm run test:browser`, not part of `npm test`): drives Debian's Chromium through
 * playwright-core against the built site (`npm run docs` first).
 *
 * 1. Opens the playground from a static server on loopback, checks it starts without page errors.
 * 2. Edits the policy and checks that the decision matrix changes the way the spec says
 *    (domain and port matching: who may reach which port).
 * 3. Checks the parse diagnostics and lint findings panels on hostile and wide-open policies.
 * 4. Takes the playground screenshot.
 * 5. Generates a certify HTML report (`xdpolicy certify --html`, which certifies the bundled
 *    server), opens it and takes its screenshot.
 * 6. Opens every spec page at 390 px wide (a phone) and checks that none is wider than the screen.
 * 7. Checks that `git status` is what it was before the run.
 *
 * The screenshots go to a temporary folder, so a run leaves the tree as it found it; with
 * `--update-screenshots` (`npm run test:browser -- --update-screenshots`) they replace the README's
 * docs/playground.png and docs/certify-report.png.
 *
 * Prints `N passed, N failed` last; exits 1 on any failure.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, hasChromium, launchChromium } from '../../scripts/docs/chromium.js';
import { serveStatic } from '../../scripts/docs/static-server.js';
import { PROFILE_NAMES } from '../../src/decision/types.js';
import { pushAll } from '../../src/collections.js';

// The project type-checks without the DOM lib; these callbacks run in the page, where it exists.
declare const document: { body: { dataset: Record<string, string | undefined> } };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type DomNode = any;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SITE = join(ROOT, 'docs', 'site');
const SHOTS = process.argv.includes('--update-screenshots') ? join(ROOT, 'docs') : mkdtempSync(join(tmpdir(), 'xdpolicy-shots-'));
let passed = 0;
let failed = 0;

function check(name: string, ok: boolean, detail = ''): void {
  if (ok) passed++;
  else failed++;
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail && !ok ? ` — ${detail}` : ''}\n`);
}

/** `git status --porcelain` of the repository (ignored files, such as docs/site/, left out). */
function gitStatus(): string {
  return spawnSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).stdout;
}

/** The HTML pages under `dir`, as site paths. */
function sitePages(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) pushAll(out, sitePages(p));
    else if (name.endsWith('.html')) out.push(relative(SITE, p).split(sep).join('/'));
  }
  return out.sort();
}

/**
 * A playground table as `origin|column → value`: the decision matrix (`data-decision` of each
 * cell) or the compare-clients view (`"class data-profiles"` of each cell).
 */
async function readTable(page: Page, table: '#pg-matrix-table' | '#pg-compare-table'): Promise<Record<string, string>> {
  return page.$$eval(`${table} tbody tr`, (rows: DomNode[], compare: boolean) => {
    const heads = [...(rows[0]?.closest('table')?.querySelectorAll('thead th') ?? [])].slice(1).map((th: DomNode) => String(th.textContent ?? ''));
    const out: Record<string, string> = {};
    for (const tr of rows) {
      const origin = tr.querySelector('th')?.textContent ?? '';
      tr.querySelectorAll('td').forEach((td: DomNode, i: number) => {
        out[`${origin}|${heads[i]}`] = compare ? `${td.className} ${td.getAttribute('data-profiles') ?? ''}` : (td.getAttribute('data-decision') ?? '');
      });
    }
    return out;
  }, table === '#pg-compare-table');
}
const readMatrix = (page: Page): Promise<Record<string, string>> => readTable(page, '#pg-matrix-table');
const readCompare = (page: Page): Promise<Record<string, string>> => readTable(page, '#pg-compare-table');

/** Replaces the policy text as a user would (an input event) and waits for the page to re-render. */
async function editPolicy(page: Page, text: string): Promise<void> {
  const before = await page.evaluate(() => Number(document.body.dataset['pgRenders'] ?? 0));
  await page.fill('#pg-policy', text);
  await page.waitForFunction((n) => Number(document.body.dataset['pgRenders'] ?? 0) > n, before, { timeout: 10_000 });
}

async function main(): Promise<void> {
  if (!hasChromium()) {
    process.stderr.write(`test:browser: no Chromium at ${CHROMIUM_PATH}; install Debian's package (apt-get install -y chromium) or set CHROMIUM.\n`);
    process.exitCode = 1;
    return;
  }
  if (!existsSync(join(SITE, 'playground', 'index.html'))) {
    process.stderr.write('test:browser: docs/site/ is not built; run `npm run docs` first.\n');
    process.exitCode = 1;
    return;
  }
  // What git sees before the run: the run must leave it as it was (screenshots go to a temporary
  // folder unless --update-screenshots asks for the tracked ones).
  const treeBefore = gitStatus();
  const site = await serveStatic(SITE);
  const browser = await launchChromium();
  try {
    // 6. The spec on a phone: no chapter is wider than a 390 px screen (long code spans and
    // links wrap; tables and code blocks scroll inside themselves).
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const wide: string[] = [];
    for (const chapter of sitePages(join(SITE, 'spec'))) {
      await phone.goto(`${site.url}${chapter}`);
      const width = (await phone.evaluate('document.documentElement.scrollWidth')) as number;
      if (width > 390) wide.push(`${chapter} (${width} px)`);
    }
    check('no spec page is wider than a 390 px screen', wide.length === 0, wide.join(', '));
    await phone.close();

    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });

    // 1. The playground starts.
    await page.goto(`${site.url}playground/`);
    await page.waitForSelector('body[data-pg-ready="true"]', { timeout: 15_000 });
    check('playground starts without page errors', errors.length === 0, errors.join('; '));
    const status = (await page.textContent('#pg-status')) ?? '';
    check('the page runs the library imported from xdpolicy', /parseFlashPolicy, parseSilverlightPolicy, lintText, decide, decideProfiles \(imported from xdpolicy\)/.test(status), status);
    const listed = await page.$$eval('#pg-client option', (os: DomNode[]) => os.map((o: DomNode) => String(o.value)));
    check('the client selector lists every profile', JSON.stringify(listed) === JSON.stringify([...PROFILE_NAMES]), JSON.stringify(listed));

    // 2. The matrix follows the policy.
    await page.selectOption('#pg-preset', '0');
    await page.fill('#pg-origins', 'http://app.example.com/game.swf\nhttp://evil.test/attack.swf');
    await page.fill('#pg-columns', '843, 9000, 9005, 9011');
    await editPolicy(
      page,
      `<?xml version="1.0"?>
<cross-domain-policy>
  <allow-access-from domain="*.example.com" to-ports="9000-9010"/>
</cross-domain-policy>
`,
    );
    const a = await readMatrix(page);
    check(
      '*.example.com to-ports 9000-9010 lets app.example.com reach 9005, not 9011, and not evil.test',
      a['http://app.example.com/game.swf|9005'] === 'allow' && a['http://app.example.com/game.swf|9011'] === 'deny' && a['http://evil.test/attack.swf|9005'] === 'deny',
      JSON.stringify(a),
    );
    // 2a. Compare clients: Lightspark reads 9000-9010 as port 9000 alone (spec/flash/9-divergences.md).
    const cmp = await readCompare(page);
    check(
      'compare clients: 9005 is allowed by flash and denied by lightspark, a cell marked as differing',
      /flash=allow/.test(cmp['http://app.example.com/game.swf|9005'] ?? '') && /lightspark=deny/.test(cmp['http://app.example.com/game.swf|9005'] ?? '') && /differ/.test(cmp['http://app.example.com/game.swf|9005'] ?? ''),
      JSON.stringify(cmp),
    );
    await page.selectOption('#pg-client', 'lightspark');
    await page.waitForTimeout(200);
    const ls = await readMatrix(page);
    check('choosing lightspark in the client selector decides the matrix under its profile', ls['http://app.example.com/game.swf|9000'] === 'allow' && ls['http://app.example.com/game.swf|9005'] === 'deny', JSON.stringify(ls));
    await page.selectOption('#pg-client', 'flash');
    await editPolicy(page, '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="*" to-ports="*"/>\n');
    const broken = await readCompare(page);
    const summary = (await page.textContent('#pg-compare-summary')) ?? '';
    check(
      'compare clients: an unclosed * policy grants evil.test under lightspark only',
      /flash=deny/.test(broken['http://evil.test/attack.swf|9000'] ?? '') && /lightspark=allow/.test(broken['http://evil.test/attack.swf|9000'] ?? '') && /cells differ/.test(summary),
      `${JSON.stringify(broken)} ${summary}`,
    );

    await editPolicy(
      page,
      `<?xml version="1.0"?>
<cross-domain-policy>
  <allow-access-from domain="evil.test" to-ports="9011"/>
</cross-domain-policy>
`,
    );
    const b = await readMatrix(page);
    check('editing the policy changes the matrix', JSON.stringify(a) !== JSON.stringify(b), JSON.stringify(b));
    check(
      'after the edit only evil.test reaches 9011',
      b['http://evil.test/attack.swf|9011'] === 'allow' && b['http://app.example.com/game.swf|9005'] === 'deny' && b['http://app.example.com/game.swf|9011'] === 'deny',
      JSON.stringify(b),
    );
    await page.click('#pg-matrix-table td[data-decision="allow"]');
    const trace = (await page.textContent('#pg-trace')) ?? '';
    check('clicking a cell shows its trace', /allow/.test(trace) && trace.length > 40, trace.slice(0, 120));
    // The address is a shareable link: a new page opened on it shows the same matrix.
    const shared = await browser.newPage();
    await shared.goto(page.url());
    await shared.waitForSelector('body[data-pg-ready="true"]');
    const again = await readMatrix(shared);
    check('a copied playground link restores the policy and the matrix', JSON.stringify(again) === JSON.stringify(b), JSON.stringify(again));
    await shared.close();

    // 2b. The Silverlight profile, through the same page: sockets only in 4502-4534.
    await page.selectOption('#pg-preset', '4'); // Silverlight socket policy granting 4502-4506
    await page.waitForTimeout(200);
    const sl = await readMatrix(page);
    check(
      'Silverlight: the policy on 943 lets http://app.example.com reach 4502, not 4507 nor 80, and nobody else',
      sl['http://app.example.com/app.xap|4502'] === 'allow' &&
        sl['http://app.example.com/app.xap|4507'] === 'deny' &&
        sl['http://app.example.com/app.xap|80'] === 'deny' &&
        sl['http://evil.test/attack.xap|4502'] === 'deny',
      JSON.stringify(sl),
    );
    // Flash sockets: Swfdec asks no policy, so every Flash cell differs; Silverlight and Moonlight agree here.
    const slCompare = await readCompare(page);
    check(
      'compare clients: where the profiles agree (silverlight, moonlight) the cell is not marked',
      slCompare['http://app.example.com/app.xap|4502'] === 'allow silverlight=allow moonlight=allow' && slCompare['http://evil.test/attack.xap|4502'] === 'deny silverlight=deny moonlight=deny',
      JSON.stringify(slCompare),
    );

    // 3. Diagnostics and findings.
    await page.selectOption('#pg-preset', '3'); // the DOCTYPE entity preset
    await page.waitForTimeout(200);
    const diag = (await page.textContent('#pg-diagnostics')) ?? '';
    check('a DOCTYPE entity policy gets a parse diagnostic', /error/i.test(diag), diag.slice(0, 160));
    await page.selectOption('#pg-preset', '1'); // wide open
    await page.waitForTimeout(200);
    const findings = (await page.textContent('#pg-findings')) ?? '';
    check('a wide-open socket policy gets lint findings', /high|medium|error/i.test(findings), findings.slice(0, 160));

    // 4. The screenshot for the README: the page's content with the first example.
    await page.selectOption('#pg-preset', '0');
    await page.waitForTimeout(200);
    const box = await page.locator('main').boundingBox();
    const pad = 20;
    await page.screenshot({
      path: join(SHOTS, 'playground.png'),
      fullPage: true,
      ...(box ? { clip: { x: Math.max(0, box.x - pad), y: Math.max(0, box.y - pad), width: box.width + 2 * pad, height: box.height + 2 * pad } } : {}),
    });
    check(`screenshot saved to ${join(SHOTS, 'playground.png')}`, existsSync(join(SHOTS, 'playground.png')));
    check('no page errors during the session', errors.length === 0, errors.join('; '));

    // 5. A certify HTML report.
    const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-certify-'));
    const report = join(dir, 'report.html');
    // The CLI runs from dist/: compile first so that a stale build cannot hide (or fake) certify.
    const built = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, encoding: 'utf8' });
    if (built.status !== 0) check('npm run build before certify', false, `${built.stdout}${built.stderr}`.slice(0, 400));
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'xdpolicy.js'), 'certify', '--html', report], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (!existsSync(report)) {
      check('xdpolicy certify --html writes a report', false, `exit ${run.status}: ${(run.stderr || run.stdout).slice(0, 400)}`);
    } else {
      check('xdpolicy certify --html writes a report', true, `exit ${run.status}`);
      const html = readFileSync(report, 'utf8');
      const rp = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const reportErrors: string[] = [];
      rp.on('pageerror', (e) => reportErrors.push(e.message));
      // Self-contained: it must render from file:// with no network.
      await rp.goto(`file://${report}`);
      const tables = await rp.$$eval('table', (t) => t.length);
      const text = (await rp.textContent('body')) ?? '';
      check('the certify report renders with its tables', tables >= 1 && text.length > 200, `${tables} table(s), ${html.length} bytes`);
      check('the certify report names requirement IDs and verdicts', /[A-Z]+-[A-Z]+-\d+/.test(text) && /pass/i.test(text), text.slice(0, 120));
      check('the certify report has a decision matrix (allow and deny cells)', /\ballow\b/i.test(text) && /\bdeny\b/i.test(text), text.slice(0, 120));
      check('the certify report has no page errors', reportErrors.length === 0, reportErrors.join('; '));
      await rp.screenshot({ path: join(SHOTS, 'certify-report.png') });
    }
  } finally {
    await browser.close();
    await site.close();
  }
  if (!process.argv.includes('--update-screenshots')) {
    const treeAfter = gitStatus();
    check('the run leaves the tree as it found it (docs/*.png included)', treeAfter === treeBefore, `before:\n${treeBefore}\nafter:\n${treeAfter}`);
  }
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  if (failed > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`test:browser: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
