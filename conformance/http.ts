/**
 * A bounded HTTP(S) GET for URL policy targets: one request, redirects reported and never
 * followed, a time budget over the whole exchange and a byte budget over the body. Resolves on
 * every path; never rejects.
 *
 * @module
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What one HTTP fetch observed. */
export interface HttpFetchResult {
  /** `ok` when a response (any status) arrived and its body was read to the end or the budget. */
  outcome: 'ok' | 'timeout' | 'refused' | 'reset' | 'overflow' | 'error';
  error?: string;
  status?: number;
  /** Response headers, names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  truncated: boolean;
  firstByteMs?: number;
  endMs: number;
}

/** Options of one fetch. */
export interface HttpFetchOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Accept self-signed certificates (the harness checks the policy, not the PKI). Default false. */
  insecure?: boolean;
}

/** GETs `url` once, following no redirect. */
export function fetchBounded(url: string, options: HttpFetchOptions): Promise<HttpFetchResult> {
  const { timeoutMs, maxBytes, insecure = false } = options;
  const start = performance.now();
  const since = (): number => Math.round((performance.now() - start) * 10) / 10;
  return new Promise((resolve) => {
    let done = false;
    const chunks: Buffer[] = [];
    let received = 0;
    let response: IncomingMessage | undefined;
    let firstByteMs: number | undefined;
    const finish = (outcome: HttpFetchResult['outcome'], error?: string, truncated = false): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      response?.destroy();
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(response?.headers ?? {})) {
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      }
      const result: HttpFetchResult = { outcome, headers, body: Buffer.concat(chunks, received), truncated, endMs: since() };
      if (error !== undefined) result.error = error;
      if (response?.statusCode !== undefined) result.status = response.statusCode;
      if (firstByteMs !== undefined) result.firstByteMs = firstByteMs;
      resolve(result);
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    const make = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = make(url, {
      method: 'GET',
      headers: { 'user-agent': 'xdpolicy-certify', accept: '*/*' },
      agent: false,
      ...(insecure ? { rejectUnauthorized: false } : {}),
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? err.message;
      if (code === 'ECONNREFUSED') finish('refused', code);
      else if (code === 'ECONNRESET' || code === 'EPIPE') finish('reset', code);
      else finish('error', code);
    });
    req.on('response', (res) => {
      response = res;
      firstByteMs = since();
      res.on('data', (chunk: Buffer) => {
        if (done) return;
        const room = maxBytes - received;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, Math.max(0, room)));
          received += Math.max(0, room);
          finish('overflow', undefined, true);
          return;
        }
        chunks.push(chunk);
        received += chunk.length;
      });
      res.on('end', () => finish('ok'));
      res.on('error', (err: NodeJS.ErrnoException) => finish('reset', err.code ?? err.message));
      res.on('aborted', () => finish('reset', 'aborted'));
    });
    req.end();
  });
}
