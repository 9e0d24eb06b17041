/**
 * Checks the internal links and anchors of the generated site, on strings: every `href`/`src`
 * that stays inside the site must name a file the site has, and every `#fragment` an element `id`
 * (or `name`) on that page.
 *
 * @module
 */
import { posix } from 'node:path';

/** A link that leads nowhere. */
export interface BrokenLink {
  /** Site path of the page holding the link. */
  page: string;
  href: string;
  reason: string;
}

const ATTRIBUTE = /\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const ANCHOR = /\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The `id`s and `name`s of a page (what a `#fragment` may point at). */
export function collectAnchors(html: string): Set<string> {
  const out = new Set<string>();
  for (const m of html.matchAll(ANCHOR)) out.add(decodeEntities(m[1] ?? m[2] ?? ''));
  return out;
}

/** The link targets (`href` and `src` values) of a page, entity-decoded, in order. */
export function collectLinks(html: string): string[] {
  // Scripts may build URLs out of strings; only markup counts.
  const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, (s) => s.replace(/>[\s\S]*<\/script>$/i, '></script>'));
  return [...markup.matchAll(ATTRIBUTE)].map((m) => decodeEntities(m[2] ?? m[3] ?? ''));
}

/** True for a link that leaves the site (`https:`, `mailto:`, protocol-relative, …). */
export function isExternal(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//');
}

/**
 * Why an external link is not a real address, or null: a file name that a Markdown renderer
 * turned into a link (`peers.md` becomes http://peers.md), which points at nothing on the site.
 */
export function notAnAddress(href: string): string | null {
  const m = /^https?:\/\/([a-z0-9_-]+\.(?:md|ts|js|json|xml|txt|html?))\/?$/i.exec(href);
  return m ? `a file name made into a link: ${m[1]} is not on the site` : null;
}

/**
 * Mentions of material outside the repository in a page's source text (`../shared/…`, the team's
 * notes that readers of the site do not have); the site must stand alone.
 */
export function outsideMaterial(text: string): string[] {
  return [...text.matchAll(/(?:\.\.\/)+shared\/[\w./-]*|\bshared\/(?:reference|wild|seeds)\b[\w./-]*|\bpeers\.md\b/g)].map((m) => m[0]);
}

/**
 * Checks the links of `pages` (site path → HTML) against the site's files. `files` is every file
 * the site holds (pages included); `anchors` gives the anchors of pages that are not themselves
 * checked (e.g. typedoc's), so a link into them can still have its fragment verified.
 */
export function checkLinks(
  pages: ReadonlyMap<string, string>,
  files: ReadonlySet<string>,
  anchors: ReadonlyMap<string, Set<string>> = new Map(),
): BrokenLink[] {
  const anchorCache = new Map<string, Set<string>>(anchors);
  const anchorsOf = (path: string): Set<string> | undefined => {
    if (!anchorCache.has(path)) {
      const html = pages.get(path);
      if (html === undefined) return undefined;
      anchorCache.set(path, collectAnchors(html));
    }
    return anchorCache.get(path);
  };
  const broken: BrokenLink[] = [];
  for (const [page, html] of pages) {
    for (const href of collectLinks(html)) {
      // An empty href is the page itself (typedoc's breadcrumbs use it); external links are not
      // fetched, but one that is a linkified file name is broken.
      if (href === '') continue;
      if (isExternal(href)) {
        const why = notAnAddress(href);
        if (why !== null) broken.push({ page, href, reason: why });
        continue;
      }
      const hash = href.indexOf('#');
      const pathPart = (hash < 0 ? href : href.slice(0, hash)).replace(/\?.*$/, '');
      const fragment = hash < 0 ? null : safeDecode(href.slice(hash + 1));
      let target = page;
      if (pathPart !== '') {
        const joined = pathPart.startsWith('/') ? pathPart.slice(1) : posix.join(posix.dirname(page), safeDecode(pathPart));
        target = posix.normalize(joined);
        if (target.startsWith('..')) {
          broken.push({ page, href, reason: 'points outside the site' });
          continue;
        }
        if (pathPart.endsWith('/') || target === '.') target = posix.join(target, 'index.html');
        if (!files.has(target)) {
          if (files.has(posix.join(target, 'index.html'))) target = posix.join(target, 'index.html');
          else {
            broken.push({ page, href, reason: `no such file: ${target}` });
            continue;
          }
        }
      }
      if (fragment !== null && fragment !== '' && fragment !== 'top') {
        const ids = anchorsOf(target);
        if (ids && !ids.has(fragment)) broken.push({ page, href, reason: `no anchor #${fragment} in ${target}` });
      }
    }
  }
  return broken;
}
