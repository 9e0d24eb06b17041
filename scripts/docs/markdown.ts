/**
 * Markdown → HTML for the site, through `marked`, with what a spec needs on top: a stable anchor
 * per requirement heading (`id="FLASH-SOCK-7"`), unique slugs for other headings, repository links
 * rewritten to site pages, and bare requirement IDs in prose turned into links.
 *
 * @module
 */
import { posix } from 'node:path';
import { Marked, type Tokens } from 'marked';
import { isExternal } from './links.js';
import { parseEntryHeading, parseRequirementHeading, slugify } from './trace.js';

/** A heading of a rendered page (for the page's table of contents). */
export interface RenderedHeading {
  depth: number;
  id: string;
  /** Plain text of the heading. */
  text: string;
  /** The requirement ID when the heading is a requirement. */
  requirement?: string;
}

/** What the renderer needs to know about the rest of the site. */
export interface RenderContext {
  /** Repository path of the Markdown file, e.g. `spec/flash/6-sockets.md`. */
  file: string;
  /** Site path of the page being written, e.g. `spec/flash/6-sockets.html`. */
  page: string;
  /** Site path for a repository path that a link names (a chapter page, a source page, …). */
  sitePathFor(repoPath: string): string;
  /** Extra HTML after a requirement heading's title (badges). */
  requirementBadge?(id: string): string;
  /** Site path (with `#ID`) of a known requirement, for linking bare IDs in prose. */
  requirementHref?(id: string): string | null;
  /** Matches known requirement IDs (see `idMatcher`). */
  idPattern?: RegExp | null;
  /** Site path for a `code span` that names a repository file (`src/flash/domains.ts`), or null. */
  codePath?(text: string): string | null;
}

/** The result of rendering one page. */
export interface RenderedPage {
  html: string;
  /** Text of the first level-1 heading, if any. */
  title: string | null;
  headings: RenderedHeading[];
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A one-line title with `code` spans, as HTML (everything else escaped). */
export function inlineMarkdown(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part) => (part.length > 2 && part.startsWith('`') && part.endsWith('`') ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : escapeHtml(part)))
    .join('');
}

/** The relative URL from one site page to another site path (both `/`-separated, no leading `/`). */
export function relativeHref(fromPage: string, toPath: string): string {
  const [path, fragment] = splitFragment(toPath);
  let rel = posix.relative(posix.dirname(fromPage), path);
  if (rel === '') rel = posix.basename(path);
  return fragment === null ? rel : `${rel}#${fragment}`;
}

function splitFragment(href: string): [string, string | null] {
  const i = href.indexOf('#');
  return i < 0 ? [href, null] : [href.slice(0, i), href.slice(i + 1)];
}

function stripTags(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * Rewrites a link written in a Markdown file of the repository: external links and same-page
 * fragments stay; a relative path is resolved against the file and mapped to its site page.
 */
export function rewriteHref(href: string, ctx: Pick<RenderContext, 'file' | 'page' | 'sitePathFor'>): string {
  if (href === '' || href.startsWith('#') || isExternal(href)) return href;
  const [path, fragment] = splitFragment(href);
  const repoPath = posix.normalize(path.startsWith('/') ? path.slice(1) : posix.join(posix.dirname(ctx.file), decodeURI(path)));
  const site = ctx.sitePathFor(repoPath);
  return relativeHref(ctx.page, fragment === null ? site : `${site}#${fragment}`);
}

/**
 * Turns bare requirement IDs in text into links, leaving alone text inside links, code, headings,
 * scripts and styles (where a link would be wrong or redundant).
 */
export function linkRequirementIds(html: string, pattern: RegExp | null, hrefFor: (id: string) => string | null): string {
  if (!pattern) return html;
  const skip = new Set(['a', 'code', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'script', 'style', 'title']);
  let depth = 0;
  return html
    .split(/(<[^>]+>)/)
    .map((part) => {
      if (part.startsWith('<')) {
        const m = /^<(\/?)([a-zA-Z0-9]+)/.exec(part);
        if (m && skip.has(m[2]!.toLowerCase()) && !part.endsWith('/>')) depth += m[1] ? -1 : 1;
        if (depth < 0) depth = 0;
        return part;
      }
      if (depth > 0 || part === '') return part;
      return part.replace(pattern, (id: string) => {
        const href = hrefFor(id);
        return href === null ? id : `<a class="req-ref" href="${escapeHtml(href)}">${id}</a>`;
      });
    })
    .join('');
}

/** Renders one Markdown file to HTML for the site. */
export function renderMarkdown(markdown: string, ctx: RenderContext): RenderedPage {
  const used = new Set<string>();
  const headings: RenderedHeading[] = [];
  let title: string | null = null;
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      heading(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Heading): string {
        const inner = this.parser.parseInline(token.tokens);
        const text = stripTags(inner);
        const req = token.depth >= 2 ? parseRequirementHeading(text) : null;
        const entry = token.depth >= 2 && !req ? parseEntryHeading(text) : null;
        let id: string;
        if (req && !used.has(req.id)) {
          id = req.id;
          used.add(id);
        } else if (entry && !used.has(entry.id)) {
          id = entry.id;
          used.add(id);
        } else {
          id = slugify(text, used);
        }
        if (token.depth === 1 && title === null) title = text;
        headings.push({ depth: token.depth, id, text, ...(req ? { requirement: req.id } : {}) });
        const badge = req && ctx.requirementBadge ? ctx.requirementBadge(req.id) : '';
        const cls = req || entry ? ' class="requirement"' : '';
        return `<h${token.depth} id="${escapeHtml(id)}"${cls}><a class="anchor" href="#${escapeHtml(id)}" aria-label="Link to this section">§</a>${inner}${badge}</h${token.depth}>\n`;
      },
      link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link): string {
        const inner = this.parser.parseInline(token.tokens);
        const href = rewriteHref(token.href, ctx);
        const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
        return `<a href="${escapeHtml(href)}"${title}>${inner}</a>`;
      },
      codespan(token: Tokens.Codespan): string {
        // `src/flash/domains.ts` in prose becomes a link to that file's page.
        const target = ctx.codePath?.(token.text.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&')) ?? null;
        const code = `<code>${token.text}</code>`;
        return target === null ? code : `<a href="${escapeHtml(relativeHref(ctx.page, target))}">${code}</a>`;
      },
      image(token: Tokens.Image): string {
        const href = rewriteHref(token.href, ctx);
        return `<img src="${escapeHtml(href)}" alt="${escapeHtml(token.text)}">`;
      },
    },
  });
  let html = marked.parse(markdown, { async: false });
  if (ctx.requirementHref && ctx.idPattern) {
    const hrefFor = ctx.requirementHref;
    html = linkRequirementIds(html, ctx.idPattern, (id) => {
      const target = hrefFor(id);
      if (target === null) return null;
      const [path, fragment] = splitFragment(target);
      return path === ctx.page ? `#${fragment ?? ''}` : relativeHref(ctx.page, target);
    });
  }
  // Tables get a wrapper so that wide ones scroll instead of breaking the layout.
  html = html.replace(/<table>/g, '<div class="table-wrap"><table>').replace(/<\/table>/g, '</table></div>');
  return { html, title, headings };
}
