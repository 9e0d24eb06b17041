/**
 * Serving `/crossdomain.xml` and `/clientaccesspolicy.xml` over HTTP: one response function and
 * thin adapters for `node:http`, Express and Fastify (structural types only, so the library has
 * no dependency on either framework).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MetaPolicy } from '../flash/model.js';
import type { PolicySet } from './policies.js';

/** The path Flash Player fetches the master URL policy from. */
export const CROSSDOMAIN_PATH = '/crossdomain.xml';
/** The path Silverlight fetches its policy from. */
export const CLIENTACCESSPOLICY_PATH = '/clientaccesspolicy.xml';

/** The media type Adobe defines for policy files (FLASH-META-4). */
export const FLASH_POLICY_CONTENT_TYPE = 'text/x-cross-domain-policy';
/** The media type served with `clientaccesspolicy.xml`. */
export const SILVERLIGHT_POLICY_CONTENT_TYPE = 'text/xml; charset=utf-8';

/** Where policies come from: a fixed set, or a function returning the current one (reloads). */
export type PolicySource = PolicySet | (() => PolicySet);

/** A response the adapters write: status, headers, body (empty for HEAD). */
export interface PolicyHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function current(source: PolicySource): PolicySet {
  return typeof source === 'function' ? source() : source;
}

/**
 * The `X-Permitted-Cross-Domain-Policies` value for every response of the host: the served
 * `crossdomain.xml`'s own `site-control` (so header and file never disagree), `master-only` when
 * it has none (the URL default, FLASH-META-1), and `none` when no Flash policy is served at all.
 */
// SRV-HTTP-2
export function permittedCrossDomainPolicies(policies: PolicySet): MetaPolicy {
  const flash = policies['http-flash'];
  if (!flash) return 'none';
  return flash.metaPolicy ?? 'master-only';
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const q = url.search(/[?#]/);
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Computes the response to `method url`, or `null` when the request is not for a policy path
 * (the caller's application handles it). Only GET and HEAD are answered with a policy.
 */
// SRV-HTTP-1
export function policyHttpResponse(source: PolicySource, method: string | undefined, url: string | undefined): PolicyHttpResponse | null {
  const policies = current(source);
  const path = pathOf(url);
  const policy = path === CROSSDOMAIN_PATH ? policies['http-flash'] : path === CLIENTACCESSPOLICY_PATH ? policies['http-silverlight'] : undefined;
  if (!policy) return null;
  const headers: Record<string, string> = {
    'x-permitted-cross-domain-policies': permittedCrossDomainPolicies(policies),
    'x-content-type-options': 'nosniff',
  };
  // SRV-HTTP-3
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, headers: { ...headers, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('method not allowed\n') };
  }
  headers['content-type'] = path === CROSSDOMAIN_PATH ? FLASH_POLICY_CONTENT_TYPE : SILVERLIGHT_POLICY_CONTENT_TYPE;
  headers['content-length'] = String(policy.bytes.length);
  return { status: 200, headers, body: method === 'HEAD' ? Buffer.alloc(0) : policy.bytes };
}

/** The response of the dedicated HTTP listener to a path that is not a policy. */
export function notFoundResponse(source: PolicySource): PolicyHttpResponse {
  const body = Buffer.from('not found\n');
  return {
    status: 404,
    headers: {
      'x-permitted-cross-domain-policies': permittedCrossDomainPolicies(current(source)),
      'x-content-type-options': 'nosniff',
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(body.length),
    },
    body,
  };
}

function writeNode(res: ServerResponse, r: PolicyHttpResponse): void {
  res.writeHead(r.status, r.headers);
  res.end(r.body);
}

/**
 * A `node:http` request handler: answers a policy request and returns true, or returns false and
 * leaves the request to the caller.
 *
 * ```ts
 * const answer = nodePolicyHandler(policies);
 * http.createServer((req, res) => { if (!answer(req, res)) app(req, res); });
 * ```
 */
export function nodePolicyHandler(source: PolicySource): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const r = policyHttpResponse(source, req.method, req.url);
    if (!r) return false;
    writeNode(res, r);
    return true;
  };
}

/**
 * Express middleware: answers `/crossdomain.xml` and `/clientaccesspolicy.xml`, calls `next()`
 * for everything else. `app.use(expressPolicyMiddleware(policies))`.
 */
export function expressPolicyMiddleware(source: PolicySource): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void {
  return (req, res, next) => {
    // Express rewrites req.url under a mount path; originalUrl is what the client asked for.
    const original = (req as IncomingMessage & { originalUrl?: string }).originalUrl;
    const r = policyHttpResponse(source, req.method, original ?? req.url);
    if (!r) {
      next();
      return;
    }
    writeNode(res, r);
  };
}

/** The parts of a Fastify request the handler reads. */
export interface FastifyLikeRequest {
  method: string;
  url: string;
}
/** The parts of a Fastify reply the handler uses. */
export interface FastifyLikeReply {
  code(status: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  send(payload?: unknown): FastifyLikeReply;
  callNotFound(): void;
}

/**
 * A Fastify route handler for both policy paths:
 * `fastify.get('/crossdomain.xml', h); fastify.get('/clientaccesspolicy.xml', h)` with
 * `const h = fastifyPolicyHandler(policies)`. A path without a policy gets Fastify's 404.
 */
export function fastifyPolicyHandler(source: PolicySource): (request: FastifyLikeRequest, reply: FastifyLikeReply) => FastifyLikeReply | void {
  return (request, reply) => {
    const r = policyHttpResponse(source, request.method, request.url);
    if (!r) return reply.callNotFound();
    reply.code(r.status);
    for (const [name, value] of Object.entries(r.headers)) reply.header(name, value);
    return reply.send(r.body);
  };
}
