/**
 * The docs builder's pure parts (scripts/docs/): requirement extraction, reference scanning, the
 * traceability rule the build enforces, and the link checker. The IDs here are made up (`DEMO-…`)
 * so that this file never counts as a test of a real requirement.
 */
import { describe, expect, it } from 'vitest';
import { checkLinks, collectAnchors, collectLinks, outsideMaterial } from '../scripts/docs/links.js';
import { linkRequirementIds, relativeHref, renderMarkdown, rewriteHref } from '../scripts/docs/markdown.js';
import {
  buildMatrix,
  extractRequirements,
  findDuplicateRequirements,
  idMatcher,
  parseEntryHeading,
  parseRequirementHeading,
  scanCaseReferences,
  scanReferences,
  scanUnknownIds,
  slugify,
  untestedRequirements,
} from '../scripts/docs/trace.js';

describe('requirement extraction', () => {
  it('reads `### ID — Title` headings, in any heading level from 2, with —, – or -', () => {
    expect(parseRequirementHeading('DEMO-SOCK-7 — Policies from high ports')).toEqual({ id: 'DEMO-SOCK-7', title: 'Policies from high ports' });
    expect(parseRequirementHeading('DEMO-X-1 - Plain dash')).toEqual({ id: 'DEMO-X-1', title: 'Plain dash' });
    expect(parseRequirementHeading('DEMO-X-2')).toEqual({ id: 'DEMO-X-2', title: '' });
    expect(parseRequirementHeading('Sockets in general')).toBeNull();
    expect(parseRequirementHeading('UTF8 is required')).toBeNull();
  });

  it('reads catalogue entries (`### DEMO-PARSE-DTD — Title`) separately from numbered requirements', () => {
    expect(parseEntryHeading('DEMO-PARSE-DTD — DOCTYPE internal subset')).toEqual({ id: 'DEMO-PARSE-DTD', title: 'DOCTYPE internal subset' });
    expect(parseRequirementHeading('DEMO-PARSE-DTD — DOCTYPE internal subset')).toBeNull();
    expect(parseEntryHeading('Severities')).toBeNull();
    expect(extractRequirements('### DEMO-A-1 — x\n### DEMO-B — y', 'spec/l.md', parseEntryHeading).map((e) => e.id)).toEqual(['DEMO-A-1', 'DEMO-B']);
  });

  it('skips headings inside fenced code and records lines', () => {
    const md = ['# Chapter', '', '### DEMO-A-1 — First', 'text', '```md', '### DEMO-A-9 — Example only', '```', '## DEMO-A-2 — Second'].join('\n');
    expect(extractRequirements(md, 'spec/demo.md')).toEqual([
      { id: 'DEMO-A-1', title: 'First', file: 'spec/demo.md', line: 3 },
      { id: 'DEMO-A-2', title: 'Second', file: 'spec/demo.md', line: 8 },
    ]);
  });

  it('reports an ID declared twice', () => {
    const reqs = [...extractRequirements('### DEMO-A-1 — x', 'a.md'), ...extractRequirements('### DEMO-A-1 — y', 'b.md')];
    expect(findDuplicateRequirements(reqs)).toEqual([{ id: 'DEMO-A-1', places: ['a.md:1', 'b.md:1'] }]);
  });
});

describe('reference scanning', () => {
  const m = idMatcher(['DEMO-SOCK-1', 'DEMO-SOCK-10']);

  it('matches whole IDs only: DEMO-SOCK-1 is not found inside DEMO-SOCK-10 or DEMO-SOCK-1-b', () => {
    const refs = scanReferences('// DEMO-SOCK-10\nx // DEMO-SOCK-1\nX-DEMO-SOCK-1 DEMO-SOCK-1-b DEMO-SOCK-12', 'src/a.ts', m);
    expect(refs.map((r) => [r.id, r.line])).toEqual([
      ['DEMO-SOCK-10', 1],
      ['DEMO-SOCK-1', 2],
    ]);
  });

  it('counts a corpus case once per requirement, under its case id', () => {
    const sidecar = JSON.stringify({ id: 'demo/one', requirements: ['DEMO-SOCK-1'], requests: [{ requirements: ['DEMO-SOCK-1', 'DEMO-SOCK-10'] }] }, null, 2);
    expect(scanCaseReferences(sidecar, 'corpus/demo/one.case.json', m).map((c) => [c.id, c.caseId])).toEqual([
      ['DEMO-SOCK-1', 'demo/one'],
      ['DEMO-SOCK-10', 'demo/one'],
    ]);
  });

  it('flags IDs of a known family that no chapter declares, and ignores other words like UTF-8', () => {
    const unknown = scanUnknownIds('// DEMO-SOCK-99 and UTF-8 and CWE-942', 'src/a.ts', new Set(['DEMO-SOCK-1']));
    expect(unknown.map((u) => u.id)).toEqual(['DEMO-SOCK-99']);
  });

  it('fails a requirement with code but no test and no corpus case', () => {
    const reqs = extractRequirements('### DEMO-A-1 — a\n### DEMO-A-2 — b\n### DEMO-A-3 — c', 'spec/d.md');
    const rows = buildMatrix(
      reqs,
      [{ id: 'DEMO-A-1', file: 'src/x.ts', line: 1, text: '' }],
      [{ id: 'DEMO-A-2', file: 'test/x.test.ts', line: 1, text: '' }],
      [{ id: 'DEMO-A-3', caseId: 'c', file: 'corpus/c.case.json', line: 1 }],
    );
    expect(untestedRequirements(rows).map((p) => p.id)).toEqual(['DEMO-A-1']);
  });
});

describe('rendering', () => {
  it('gives requirement headings their ID as anchor and other headings unique slugs', () => {
    const r = renderMarkdown('# T\n## Intro\n## Intro\n### DEMO-A-1 — Rule `x`', { file: 'spec/d.md', page: 'spec/d.html', sitePathFor: (p) => p });
    expect(r.title).toBe('T');
    expect(r.headings.map((h) => h.id)).toEqual(['t', 'intro', 'intro-1', 'DEMO-A-1']);
    expect(r.html).toContain('<h3 id="DEMO-A-1" class="requirement">');
  });

  it('rewrites repository links to site pages, relative to the page', () => {
    const ctx = { file: 'spec/flash/a.md', page: 'spec/flash/a.html', sitePathFor: (p: string) => (p.endsWith('.md') ? p.replace(/\.md$/, '.html') : `source/${p}.html`) };
    expect(rewriteHref('b.md#DEMO-A-1', ctx)).toBe('b.html#DEMO-A-1');
    expect(rewriteHref('../../src/x.ts', ctx)).toBe('../../source/src/x.ts.html');
    expect(rewriteHref('https://example.com/', ctx)).toBe('https://example.com/');
    expect(relativeHref('index.html', 'spec/a.html#X')).toBe('spec/a.html#X');
  });

  it('links a code span naming a repository file, and leaves other code alone', () => {
    const r = renderMarkdown('See `src/x.ts` and `npm test`.', {
      file: 'spec/d.md',
      page: 'spec/d.html',
      sitePathFor: (p) => `source/${p}.html`,
      codePath: (t) => (t === 'src/x.ts' ? 'source/src/x.ts.html' : null),
    });
    expect(r.html).toContain('<a href="../source/src/x.ts.html"><code>src/x.ts</code></a>');
    expect(r.html).toContain('<code>npm test</code>');
  });

  it('links bare IDs in prose but not inside code, links or headings', () => {
    const m = idMatcher(['DEMO-A-1']);
    const html = '<p>See DEMO-A-1.</p><p><code>DEMO-A-1</code> <a href="#">DEMO-A-1</a></p><h3>DEMO-A-1</h3>';
    expect(linkRequirementIds(html, m, (id) => `#${id}`)).toBe(
      '<p>See <a class="req-ref" href="#DEMO-A-1">DEMO-A-1</a>.</p><p><code>DEMO-A-1</code> <a href="#">DEMO-A-1</a></p><h3>DEMO-A-1</h3>',
    );
  });

  it('slugs are unique per page', () => {
    const used = new Set<string>();
    expect([slugify('A b', used), slugify('A b', used), slugify('`x` — y!', used)]).toEqual(['a-b', 'a-b-1', 'x-y']);
  });
});

describe('link checking', () => {
  it('collects anchors and links, ignoring script bodies', () => {
    expect([...collectAnchors('<h3 id="DEMO-A-1"></h3><a name="n"></a>')]).toEqual(['DEMO-A-1', 'n']);
    expect(collectLinks('<a href="a.html#x">a</a><img src="i.png"><script>var s = \'<a href="nope">\';</script>')).toEqual(['a.html#x', 'i.png']);
  });

  it('reports missing files, missing anchors and links leaving the site; accepts the rest', () => {
    const pages = new Map([
      ['index.html', '<a href="spec/a.html#DEMO-A-1">ok</a><a href="spec/a.html#DEMO-A-2">bad anchor</a><a href="nope.html">missing</a><a href="../x.html">outside</a><a href="https://example.com/">ext</a><a href="#top">top</a><a href="api/">dir</a>'],
      ['spec/a.html', '<h3 id="DEMO-A-1">x</h3><a href="../index.html">home</a><a href="#DEMO-A-1">self</a>'],
    ]);
    const files = new Set([...pages.keys(), 'api/index.html']);
    expect(checkLinks(pages, files).map((b) => `${b.page} ${b.href}: ${b.reason}`)).toEqual([
      'index.html spec/a.html#DEMO-A-2: no anchor #DEMO-A-2 in spec/a.html',
      'index.html nope.html: no such file: nope.html',
      'index.html ../x.html: points outside the site',
    ]);
  });

  it('the site stands alone: a linkified file name is a broken link, and a chapter may not cite ../shared', () => {
    const pages = new Map([['api/a.html', '<a href="http://peers.md">peers.md</a><a href="https://www.adobe.com/">adobe</a><a href="https://bitcoin.md/page">a real .md site</a>']]);
    expect(checkLinks(pages, new Set(pages.keys())).map((b) => `${b.href}: ${b.reason}`)).toEqual(['http://peers.md: a file name made into a link: peers.md is not on the site']);
    expect(outsideMaterial('survey in `../shared/reference/peers.md` §1.8; files of shared/wild; see peers.md')).toEqual(['../shared/reference/peers.md', 'shared/wild', 'peers.md']);
    expect(outsideMaterial('see [the survey](server.md#deployed-servers-surveyed) and ../README.md')).toEqual([]);
  });
});
