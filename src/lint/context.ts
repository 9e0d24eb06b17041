/**
 * The lint context: where and how a policy file is served, and for which client it is judged.
 *
 * The same text means different things in different places: `secure="false"` matters only over
 * HTTPS, `to-ports` only in a socket policy, ports below 1024 only when the socket policy is served
 * from a port below 1024 (FLASH-SOCK-7), a meta-policy only in the master. `--served-from` fixes
 * all of that; without it the context is inferred (file name, root element, `to-ports`) and the
 * inference is reported as a `LINT-CONTEXT-INFERRED` finding, never silently assumed.
 *
 * @module
 */
import { dictionary } from '../collections.js';
import type { Diagnostic } from '../diagnostics.js';
import type { FlashUrlScheme } from '../flash/model.js';
import type { ProfileName } from '../decision/types.js';

/** Which client's reading of the file the checks follow. */
export type LintClient = 'flash' | 'silverlight' | 'all';

/** Every client option of `--client`. */
export const LINT_CLIENTS: readonly LintClient[] = ['flash', 'silverlight', 'all'];

/** The two policy formats. */
export type PolicyFormat = 'flash' | 'silverlight';

/** How a policy file is served, fixed by `--served-from` or inferred. */
export interface LintContext {
  /** The format, from the root element (or the location's file name when the text has no root). */
  format: PolicyFormat;
  /** `url`: fetched over HTTP, HTTPS or FTP; `socket`: answered on a TCP port (843/943 or other). */
  kind: 'url' | 'socket';
  /** For URL policies: the scheme (`secure` defaults and meta-policy values depend on it). */
  scheme?: FlashUrlScheme;
  /** The port the file is served from (URL: the URL's port or the scheme default). */
  port?: number;
  /** Whether this is the master policy (`/crossdomain.xml`, `/clientaccesspolicy.xml`, port 843). */
  master: boolean;
  /** The location as given, when it was given. */
  servedFrom?: string;
  /** The `Content-Type` the file was served with, when known (URL policies). */
  contentType?: string;
  /** Other response headers, when known, by lowercase name. */
  headers?: Readonly<Record<string, string>>;
  /** The client profile the file is judged for. */
  client: LintClient;
  /** When (part of) the context was inferred rather than given: how, in one sentence. */
  inferred?: string;
  /** The host the file is served from (from `servedFrom`), lowercase. */
  host?: string;
  /** Domains the operator expects the policy to trust (`--trusted`), as Flash domain patterns (LINT-14). */
  trusted?: readonly string[];
}

/** What a caller knows about a file; everything is optional. */
export interface LintOptions {
  /** Where the file is served: `https://host/crossdomain.xml`, `xmlsocket://host:843`, … */
  servedFrom?: string;
  client?: LintClient;
  /** The response's `Content-Type`, when known. */
  contentType?: string;
  /** Other response headers, when known (names compared case-insensitively). */
  headers?: Readonly<Record<string, string>>;
  /** The file's name on disk, used as a hint when `servedFrom` is not given. */
  fileName?: string;
  /** The client profiles compared with their family's reference (LINT-17); default: every profile of the file's family. `[]` compares none. */
  clients?: readonly ProfileName[];
  /**
   * Domains the operator expects the policy to trust (`www.example.com`, `*.example.com`): grants
   * to their registered domains are expected (LINT-14), and a `*` grant's fix names them (LINT-12).
   */
  trusted?: readonly string[];
}

/** Diagnostic codes of {@link parseServedFrom}. */
export const SERVED_FROM_DIAGNOSTIC_CODES = ['invalid-served-from'] as const;

/** A parsed `--served-from` location. */
export interface ServedFrom {
  kind: 'url' | 'socket';
  scheme?: FlashUrlScheme;
  host: string;
  port: number;
  path: string;
  /** The format the location implies (`/clientaccesspolicy.xml`, port 943), if any. */
  format?: PolicyFormat;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ftp: 21 };
const SOCKET_SCHEMES = new Set(['xmlsocket', 'socket', 'tcp']);

/**
 * Parses a `--served-from` location: `http(s)://` or `ftp://` URLs for URL policies,
 * `xmlsocket://host:port` (also `socket://`, `tcp://`) for socket policies. Follows the core's
 * failure convention: `null`, with a diagnostic (LINT-4) naming what is wrong appended to
 * `diagnostics`.
 */
export function parseServedFrom(location: string, diagnostics: Diagnostic[]): ServedFrom | null {
  const fail = (message: string): null => {
    diagnostics.push({ severity: 'error', code: 'invalid-served-from', message, line: 1, column: 1, requirement: 'LINT-4', value: location });
    return null;
  };
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return fail(`--served-from '${location}' is not a URL (expected e.g. https://host/crossdomain.xml or xmlsocket://host:843)`);
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (SOCKET_SCHEMES.has(scheme)) {
    if (url.hostname === '') return fail(`--served-from '${location}' has no host`);
    const port = url.port === '' ? 843 : Number(url.port);
    const out: ServedFrom = { kind: 'socket', host: url.hostname, port, path: '' };
    if (port === 943) out.format = 'silverlight';
    return out;
  }
  if (scheme === 'http' || scheme === 'https' || scheme === 'ftp') {
    if (url.hostname === '') return fail(`--served-from '${location}' has no host`);
    const port = url.port === '' ? (DEFAULT_PORTS[scheme] ?? 80) : Number(url.port);
    const path = url.pathname;
    const out: ServedFrom = { kind: 'url', scheme, host: url.hostname, port, path };
    const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
    if (base === 'clientaccesspolicy.xml') out.format = 'silverlight';
    else if (base === 'crossdomain.xml') out.format = 'flash';
    return out;
  }
  return fail(`--served-from '${location}' has scheme '${scheme}:'; expected http, https, ftp or xmlsocket`);
}

/**
 * The name of the root element of `text`, skipping the XML declaration, comments, processing
 * instructions and a DOCTYPE; `null` when no start tag is found. A cheap sniff, used only to pick
 * the parser: the parser itself judges well-formedness.
 */
export function sniffRootElement(text: string): string | null {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return null;
    if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return null;
      i = end + 2;
    } else if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return null;
      i = end + 3;
    } else if (text.startsWith('<!', lt)) {
      // DOCTYPE, possibly with an internal subset in brackets.
      const bracket = text.indexOf('[', lt);
      const close = text.indexOf('>', lt);
      if (close < 0) return null;
      if (bracket >= 0 && bracket < close) {
        const endSubset = text.indexOf(']', bracket);
        if (endSubset < 0) return null;
        const after = text.indexOf('>', endSubset);
        if (after < 0) return null;
        i = after + 1;
      } else i = close + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(lt, lt + 200));
      return m ? (m[1] ?? null) : null;
    }
  }
  return null;
}

/** Whether a Silverlight text grants `socket-resource` elements and no `resource` (a sign of a socket policy). */
function grantsOnlySockets(text: string): boolean {
  return /<socket-resource\b/.test(text) && !/<resource\b/.test(text);
}

/** Whether the text carries a `to-ports` attribute (a sign of a socket policy). */
function mentionsToPorts(text: string): boolean {
  return /\bto-ports\s*=/.test(text);
}

/**
 * Resolves the full context of one file from what the caller knows. `error` is set when
 * `servedFrom` cannot be read; the rest is then inferred as if it had not been given.
 */
export function resolveLintContext(text: string, options: LintOptions = {}): { context: LintContext; error?: string } {
  const client = options.client ?? 'all';
  const root = sniffRootElement(text);
  const rootFormat: PolicyFormat | undefined = root === 'access-policy' ? 'silverlight' : root === 'cross-domain-policy' ? 'flash' : undefined;
  let error: string | undefined;
  const withKnown = (c: LintContext): LintContext => {
    if (options.trusted !== undefined && options.trusted.length > 0) c.trusted = [...options.trusted];
    if (options.contentType !== undefined) c.contentType = options.contentType;
    if (options.headers !== undefined) {
      const h = dictionary<string>();
      for (const [k, v] of Object.entries(options.headers)) h[k.toLowerCase()] = v;
      c.headers = h;
    }
    return c;
  };

  if (options.servedFrom !== undefined) {
    const why: Diagnostic[] = [];
    const s = parseServedFrom(options.servedFrom, why);
    if (s === null) error = why[0]?.message ?? `--served-from '${options.servedFrom}' cannot be read`;
    else {
      const format = rootFormat ?? s.format ?? 'flash';
      const c: LintContext = { format, kind: s.kind, port: s.port, master: false, servedFrom: options.servedFrom, client };
      if (s.scheme !== undefined) c.scheme = s.scheme;
      if (s.kind === 'socket') c.master = format === 'silverlight' ? s.port === 943 : s.port === 843;
      else c.master = s.path === (format === 'silverlight' ? '/clientaccesspolicy.xml' : '/crossdomain.xml');
      // LINT-4: where the file is served was given, so nothing is inferred (a root that is not a
      // policy root is the parser's finding, LINT-PARSE-REJECTED).
      c.host = s.host.toLowerCase();
      return { context: withKnown(c) };
    }
  }

  // Inference: the file name first (it says how the file is meant to be served), then the root.
  const base = (options.fileName ?? '').replace(/^.*[\\/]/, '').toLowerCase();
  const format: PolicyFormat = rootFormat ?? (base === 'clientaccesspolicy.xml' ? 'silverlight' : 'flash');
  let c: LintContext;
  if (format === 'silverlight') {
    // SL-SOCK-11: a policy granting only sockets is meant for port 943 (its resources would never apply there, nor its sockets over HTTP).
    c = grantsOnlySockets(text)
      ? { format, kind: 'socket', port: 943, master: true, client, inferred: 'no --served-from: read as a Silverlight socket policy on port 943, because it grants socket-resource elements and no resource' }
      : { format, kind: 'url', scheme: 'http', port: 80, master: true, client, inferred: 'no --served-from: read as a Silverlight policy served at http://host/clientaccesspolicy.xml' };
  } else if (base === 'crossdomain.xml' || !mentionsToPorts(text)) {
    const why = base === 'crossdomain.xml' ? 'the file is named crossdomain.xml' : 'no rule carries to-ports';
    c = { format, kind: 'url', scheme: 'http', port: 80, master: true, client, inferred: `no --served-from: read as the master Flash URL policy at http://host/crossdomain.xml, because ${why}` };
  } else {
    c = { format, kind: 'socket', port: 843, master: true, client, inferred: 'no --served-from: read as the master Flash socket policy on port 843, because its rules carry to-ports' };
  }
  if (rootFormat === undefined) c.inferred += ` (the root element is ${root === null ? 'missing' : `'${root}'`})`;
  const out: { context: LintContext; error?: string } = { context: withKnown(c) };
  if (error !== undefined) out.error = error;
  return out;
}
