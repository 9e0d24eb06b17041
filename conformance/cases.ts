/**
 * The harness's own cases, beside the corpus's wire scenarios: response checks on the socket
 * answer, URL-policy checks, checks of the served policy (valid, lint, the operator's
 * expectations) and the load probe. Each quotes its requirement (spec/conformance.md).
 *
 * @module
 */
import type { ClientProfile } from '../src/decision/types.js';
import { splitAtNul, showBytes, type ExchangeResult } from './client.js';
import { identicalFailureLimit, loadProbe, type LoadFailure, type LoadResult } from './load.js';
import { seconds } from './client.js';
import { verdict, type CaseContext, type CaseDefinition, type RunOptions, type Verdict } from './model.js';
import { DELAYED_REQUEST_MS, describeExchange, holdsCompletePolicy, socketPolicyText } from './probe.js';
import type { Target } from './target.js';
import { decideExpectations, standardPort, type ProbedTarget } from './world.js';
import type { ServeContext } from './analyze.js';
import { parseMetaPolicyHeader } from '../src/flash/meta.js';
import { acceptedPolicyContentTypes, acceptsPolicyContentType } from '../src/world/content-type.js';
import { requirementText } from './wire.js';

/** Flash's wait for a socket policy at a default location (port 843 or the destination port). */
export const FLASH_SOCKET_WAIT_MS = 3000;
/** Moonlight's timeout for the Silverlight policy on port 943. */
export const SILVERLIGHT_SOCKET_WAIT_MS = 10_000;

const onSocket = (client: ClientProfile) => (t: Target, c: ClientProfile): boolean => t.kind === 'socket' && c === client;
const onHttp = (t: Target): boolean => t.kind === 'url';
const ordinary = (o: RunOptions): number => o.timeoutMs + 2000;

/** The baseline exchange, or a verdict when nothing usable came back. */
async function baselineOrVerdict(ctx: CaseContext, expected: string[]): Promise<{ verdict: Verdict } | { r: ExchangeResult }> {
  const r = await ctx.probe.baseline(ctx.client);
  if (r.bytes.length === 0) return { verdict: verdict.fail(expected, `no answer to the exact request: ${describeExchange(r)}`) };
  return { r };
}

/** The policy text the target served for this client, or a failing verdict. */
async function servedPolicy(ctx: CaseContext, expected: string[]): Promise<{ text: string; serve: ServeContext } | { verdict: Verdict }> {
  const t = ctx.target;
  if (t.kind === 'socket') {
    const b = await baselineOrVerdict(ctx, expected);
    if ('verdict' in b) return b;
    // WIRE-POL-1, WIRE-HARNESS-8: an answer that never ended is no policy; parsing its first 256 KiB would report
    // whatever the cut fell on (an attribute cut in half) instead of what happened.
    if (b.r.endReason === 'overflow' && (ctx.client === 'silverlight' || !b.r.bytes.includes(0))) {
      return { verdict: verdict.fail(expected, `no policy: the answer exceeded ${ctx.options.maxBytes.toLocaleString('en-US')} bytes (the byte budget) with no ${ctx.client === 'flash' ? 'NUL and no ' : ''}close, and the server was still sending`, { overflow: true }) };
    }
    // Judged as deployed: an answer from a non-standard port is read as if served from 843/943 of
    // the same host, as the decisions and the recorded world read it (see world.ts).
    const std = standardPort(ctx.client);
    const servedFrom = t.port === std ? t.key : `xmlsocket://${t.host}:${std}`;
    return { text: socketPolicyText(b.r), serve: { kind: 'socket', master: ctx.client === 'flash', servedFrom } };
  }
  const r = await ctx.probe.http();
  if (r.outcome !== 'ok' || r.status !== 200) return { verdict: verdict.fail(expected, `no policy fetched: ${describeHttp(r)}`) };
  const serve: ServeContext = { kind: 'url', scheme: t.scheme, master: /^\/(crossdomain|clientaccesspolicy)\.xml$/i.test(t.path), servedFrom: t.key, headers: r.headers };
  if (r.headers['content-type'] !== undefined) serve.contentType = r.headers['content-type'];
  return { text: r.body.toString('utf8'), serve };
}

function describeHttp(r: import('./http.js').HttpFetchResult): string {
  if (r.status === undefined) return `${r.outcome}${r.error ? ` (${r.error})` : ''} after ${Math.round(r.endMs)} ms`;
  return `HTTP ${r.status}, ${r.body.length}${r.truncated ? '+' : ''} bytes, Content-Type ${r.headers['content-type'] ?? '(none)'}${r.outcome !== 'ok' ? `, then ${r.outcome}` : ''}`;
}

/** Response checks on the socket answer. */
export const RESPONSE_CASES: readonly CaseDefinition[] = [
  {
    id: 'flash/response/nul-terminator',
    desc: 'Sends the exact 23-byte request; the answer ends with one NUL byte',
    requirement: 'The server MUST send a null byte to terminate a policy file before it closes the connection.',
    requirementIds: ['WIRE-RESP-1'],
    strict: false,
    appliesTo: onSocket('flash'),
    budgetMs: ordinary,
    async run(ctx) {
      const expected = ['the policy followed by a NUL byte (0x00)'];
      const b = await baselineOrVerdict(ctx, expected);
      if ('verdict' in b) return b.verdict;
      const { hasNul } = splitAtNul(b.r.bytes);
      // WIRE-RESP-1: close alone ends the policy for lenient readers, but the framing Adobe specifies is the NUL.
      if (hasNul) return verdict.pass(expected, `NUL at byte ${b.r.bytes.indexOf(0)}`);
      return verdict.fail(expected, `no NUL in ${b.r.bytes.length} bytes; ${describeExchange(b.r)}`, { tail: showBytes(b.r.bytes.subarray(-20)) });
    },
  },
  {
    id: 'flash/response/nothing-after-nul',
    desc: 'Sends the exact request; nothing follows the terminating NUL',
    requirement: 'The server SHOULD send nothing after the NUL that ends the policy.',
    requirementIds: ['WIRE-RESP-2'],
    strict: true,
    appliesTo: onSocket('flash'),
    budgetMs: ordinary,
    async run(ctx) {
      const expected = ['no bytes after the NUL'];
      const b = await baselineOrVerdict(ctx, expected);
      if ('verdict' in b) return b.verdict;
      const { hasNul, afterNul } = splitAtNul(b.r.bytes);
      if (!hasNul) return verdict.skip('the answer has no NUL (see flash/response/nul-terminator)');
      if (afterNul.length === 0) return verdict.pass(expected, 'nothing after the NUL');
      return verdict.fail(expected, `${afterNul.length} bytes after the NUL: ${showBytes(afterNul, 40)}`);
    },
  },
  {
    id: 'flash/response/close-after-send',
    desc: 'Sends the exact request; the server closes the connection once the policy is sent',
    requirement: requirementText('WIRE-RESP-3'),
    requirementIds: ['WIRE-RESP-3'],
    strict: true,
    appliesTo: onSocket('flash'),
    budgetMs: ordinary,
    run: closeAfterSend,
  },
  {
    id: 'silverlight/response/close-after-send',
    desc: 'Sends the 22-byte request; the server closes the connection once the policy is sent',
    requirement: requirementText('WIRE-RESP-3'),
    requirementIds: ['WIRE-RESP-3'],
    strict: true,
    appliesTo: onSocket('silverlight'),
    budgetMs: ordinary,
    run: closeAfterSend,
  },
  {
    id: 'flash/response/waits-for-request',
    desc: `Connects and stays silent for ${DELAYED_REQUEST_MS} ms before the request; nothing arrives before it`,
    requirement: 'The server MUST NOT send the policy before it has received the request.',
    requirementIds: ['WIRE-RESP-4'],
    strict: false,
    appliesTo: onSocket('flash'),
    budgetMs: (o) => o.timeoutMs + DELAYED_REQUEST_MS + 2000,
    run: waitsForRequest,
  },
  {
    id: 'silverlight/response/waits-for-request',
    desc: `Connects and stays silent for ${DELAYED_REQUEST_MS} ms before the request; nothing arrives before it`,
    requirement: 'The server MUST NOT send the policy before it has received the request.',
    requirementIds: ['WIRE-RESP-4'],
    strict: false,
    appliesTo: onSocket('silverlight'),
    budgetMs: (o) => o.timeoutMs + DELAYED_REQUEST_MS + 2000,
    run: waitsForRequest,
  },
  {
    id: 'flash/response/first-byte-within-3s',
    desc: 'Sends the exact request; the first byte of the answer arrives within Flash\'s 3-second wait',
    requirement: 'The server MUST start answering within 3 seconds: Flash Player gives up on a default policy location after 3 s.',
    requirementIds: ['WIRE-RESP-5'],
    strict: false,
    appliesTo: onSocket('flash'),
    budgetMs: ordinary,
    run: (ctx) => firstByteWithin(ctx, FLASH_SOCKET_WAIT_MS),
  },
  {
    id: 'silverlight/response/first-byte-within-10s',
    desc: 'Sends the 22-byte request; the first byte arrives within Silverlight\'s 10-second timeout',
    requirement: 'The server MUST start answering within the client\'s wait (10 s for Silverlight on port 943).',
    requirementIds: ['WIRE-RESP-5'],
    strict: false,
    appliesTo: onSocket('silverlight'),
    budgetMs: ordinary,
    run: (ctx) => firstByteWithin(ctx, SILVERLIGHT_SOCKET_WAIT_MS),
  },
  {
    id: 'silverlight/response/no-nul',
    desc: 'Sends the 22-byte request; the clientaccesspolicy.xml answer carries no NUL byte',
    requirement: 'A Silverlight policy answer SHOULD be the XML alone: Silverlight reads to the close and parses everything it read.',
    requirementIds: ['WIRE-RESP-6'],
    strict: true,
    appliesTo: onSocket('silverlight'),
    budgetMs: ordinary,
    async run(ctx) {
      const expected = ['no NUL byte in the answer'];
      const b = await baselineOrVerdict(ctx, expected);
      if ('verdict' in b) return b.verdict;
      const i = b.r.bytes.indexOf(0);
      return i < 0 ? verdict.pass(expected, `${b.r.bytes.length} bytes, no NUL`) : verdict.fail(expected, `NUL at byte ${i} of ${b.r.bytes.length}`);
    },
  },
];

async function closeAfterSend(ctx: CaseContext): Promise<Verdict> {
  const expected = ['the server closes the connection after the policy'];
  const b = await baselineOrVerdict(ctx, expected);
  if ('verdict' in b) return b.verdict;
  if (b.r.endReason === 'closed') return verdict.pass(expected, describeExchange(b.r));
  return verdict.fail(expected, describeExchange(b.r));
}

async function waitsForRequest(ctx: CaseContext): Promise<Verdict> {
  const expected = [`no byte before the request (sent ${DELAYED_REQUEST_MS} ms after connecting)`, 'the policy after the request'];
  const r = await ctx.probe.delayed(ctx.client);
  if (!r.connected) return verdict.fail(expected, describeExchange(r));
  // WIRE-RESP-4: a server that writes on connect and closes leaves the request unread; the kernel then
  // resets the connection and the client can lose the policy it had not read yet.
  if (r.bytesBeforeFirstWrite > 0) {
    return verdict.fail(expected, `${r.bytesBeforeFirstWrite} bytes arrived ${r.firstByteMs} ms after connecting, before any request was sent${r.writeFailed ? '; sending the request then failed' : ''}`);
  }
  const text = socketPolicyText(r);
  if (!holdsCompletePolicy(text, ctx.client) && !holdsCompletePolicy(r.bytes.toString('utf8'), ctx.client)) {
    return verdict.fail(expected, `waited for the request, but then: ${describeExchange(r)}`);
  }
  return verdict.pass(expected, `silent until the request; ${describeExchange(r)}`);
}

async function firstByteWithin(ctx: CaseContext, limitMs: number): Promise<Verdict> {
  const limit = Math.min(limitMs, ctx.options.timeoutMs);
  const expected = [`the first byte within ${limit} ms of the request`];
  const r = await ctx.probe.baseline(ctx.client);
  if (r.firstByteMs === undefined) return verdict.fail(expected, describeExchange(r));
  const after = r.firstByteMs - (r.requestSentMs ?? r.connectMs ?? 0);
  const ms = Math.max(0, Math.round(after));
  return ms <= limit ? verdict.pass(expected, `first byte ${ms} ms after the request`, { ttfbMs: ms }) : verdict.fail(expected, `first byte ${ms} ms after the request`, { ttfbMs: ms });
}

/** Checks of the served policy, for every target and client. */
export const POLICY_CASES: readonly CaseDefinition[] = (['flash', 'silverlight'] as const).flatMap((client): CaseDefinition[] => [
  {
    id: `${client}/policy/valid`,
    desc: `The served policy is a well-formed ${client === 'flash' ? 'cross-domain-policy' : 'access-policy'} document, valid under our spec`,
    requirement: 'The served policy MUST be well formed and valid: a client rejects a malformed policy as a whole and grants nothing.',
    requirementIds: ['WIRE-POL-1'],
    strict: false,
    appliesTo: (_t, c) => c === client,
    budgetMs: ordinary,
    async run(ctx) {
      const expected = ['a policy the reference parser accepts, without error diagnostics'];
      const served = await servedPolicy(ctx, expected);
      if ('verdict' in served) return served.verdict;
      const v = ctx.analyzers.validate(served.text, client, served.serve);
      const errors = v.diagnostics.filter((d) => d.severity === 'error');
      const details = { checkedBy: v.checkedBy, diagnostics: v.diagnostics.map((d) => `${d.line}:${d.column} ${d.requirement} ${d.message}`) };
      if (v.valid === true && errors.length === 0) {
        return verdict.pass(expected, `accepted by ${v.checkedBy} (${v.diagnostics.length} diagnostics, none an error)`, details);
      }
      const first = errors[0];
      return verdict.fail(expected, first ? `rejected: ${first.line}:${first.column} ${first.requirement} ${first.message}` : 'rejected', details);
    },
  },
  {
    id: `${client}/policy/lint`,
    desc: 'The served policy has no lint finding of severity error or high (unless the operator accepts it)',
    requirement: 'The served policy MUST NOT grant more than the operator means: no error- or high-severity lint finding unless accepted in --expect.',
    requirementIds: ['WIRE-POL-2'],
    strict: false,
    appliesTo: (_t, c) => c === client,
    budgetMs: ordinary,
    async run(ctx) {
      const expected = ['no lint finding of severity error or high (or only ones listed in the expectations\' "accept")'];
      const served = await servedPolicy(ctx, expected);
      if ('verdict' in served) return verdict.skip(`no policy to lint (${served.verdict.actual})`);
      const findings = ctx.analyzers.lint(served.text, client, served.serve);
      if (findings === null) return verdict.skip('no linter in this build');
      const accepted = new Set(ctx.options.expectations?.accept ?? []);
      const bad = findings.filter((f) => (f.severity === 'error' || f.severity === 'high') && !accepted.has(f.id));
      const details = { findings: findings.map((f) => `${f.severity} ${f.id}${f.line ? ` ${f.line}:${f.column}` : ''} ${f.message}`) };
      if (bad.length === 0) return verdict.pass(expected, `${findings.length} findings, none error/high${accepted.size ? ' (after accepted IDs)' : ''}`, details);
      return verdict.fail(expected, bad.map((f) => `${f.severity} ${f.id}: ${f.message.replace(/\.$/, '')}`).join('; '), details);
    },
  },
  {
    id: `${client}/policy/expectations`,
    desc: 'What the client decides under the served policy agrees with the operator\'s expectations (--expect)',
    requirement: 'The served policy MUST allow every origin the operator expects allowed and deny every origin expected denied.',
    requirementIds: ['WIRE-POL-3'],
    strict: false,
    appliesTo: (_t, c) => c === client,
    budgetMs: ordinary,
    async run(ctx) {
      const exp = ctx.options.expectations;
      if (!exp) return verdict.skip('no --expect file');
      const p: ProbedTarget = { target: ctx.target, client, probe: ctx.probe };
      const rows = decideExpectations(ctx.analyzers, await ctx.world(), p, exp);
      if (rows.length === 0) return verdict.skip(`no expectation names a ${client} ${ctx.target.kind === 'socket' ? 'port' : 'URL'}`);
      if (rows.some((r) => r.decision === 'unavailable')) return verdict.skip('no decision function in this build');
      const wrong = rows.filter((r) => r.decision !== r.expected);
      const expected = [`${rows.length} decisions as expected`];
      const details = { decisions: rows };
      if (wrong.length === 0) return verdict.pass(expected, `all ${rows.length} decisions as expected`, details);
      const w = wrong[0]!;
      return verdict.fail(expected, `${wrong.length} of ${rows.length} differ; e.g. ${w.origin} → ${w.target}: ${w.decision}, expected ${w.expected} (${w.reason})`, details);
    },
  },
]);

/** URL-policy checks. */
export const HTTP_CASES: readonly CaseDefinition[] = [
  {
    id: 'http/status',
    desc: 'GETs the policy URL; the answer is 200 with a body',
    requirement: 'The policy URL MUST answer 200 with the policy: any other status is no policy.',
    requirementIds: ['WIRE-HTTP-1'],
    strict: false,
    appliesTo: onHttp,
    budgetMs: ordinary,
    async run(ctx) {
      const expected = ['HTTP 200 with a non-empty body'];
      const r = await ctx.probe.http();
      if (r.outcome === 'ok' && r.status === 200 && r.body.length > 0) return verdict.pass(expected, describeHttp(r));
      return verdict.fail(expected, describeHttp(r));
    },
  },
  {
    id: 'http/no-cross-host-redirect',
    desc: 'GETs the policy URL; it does not redirect to another host',
    requirement: 'The policy URL MUST NOT redirect to another host: a policy redirected across hosts is not a policy of the original host.',
    requirementIds: ['WIRE-HTTP-4'],
    strict: false,
    appliesTo: onHttp,
    budgetMs: ordinary,
    async run(ctx) {
      const expected = ['no redirect, or one to the same host'];
      const r = await ctx.probe.http();
      if (r.status === undefined || r.status < 300 || r.status > 399) return verdict.pass(expected, describeHttp(r));
      const loc = r.headers['location'];
      let host: string | null = null;
      try {
        host = loc ? new URL(loc, ctx.target.key).hostname : null;
      } catch {
        host = null;
      }
      if (host !== null && host === new URL(ctx.target.key).hostname) return verdict.pass(expected, `same-host redirect to ${loc}`);
      return verdict.fail(expected, `HTTP ${r.status} redirect to ${loc ?? '(no Location)'}`);
    },
  },
  {
    id: 'http/no-redirect',
    desc: 'GETs the policy URL; it answers without any redirect',
    requirement: 'The policy URL SHOULD answer directly: redirects are read differently by different clients.',
    requirementIds: ['WIRE-HTTP-4'],
    strict: true,
    appliesTo: onHttp,
    budgetMs: ordinary,
    async run(ctx) {
      const expected = ['no 3xx status'];
      const r = await ctx.probe.http();
      if (r.status !== undefined && r.status >= 300 && r.status <= 399) return verdict.fail(expected, `HTTP ${r.status} to ${r.headers['location'] ?? '(no Location)'}`);
      return verdict.pass(expected, describeHttp(r));
    },
  },
  {
    id: 'http/content-type',
    desc: 'GETs the policy URL; its Content-Type is one the client accepts for a policy',
    requirement: 'The policy MUST be served with a Content-Type the client accepts (text/*, application/xml; Flash also application/xhtml+xml).',
    requirementIds: ['WIRE-HTTP-2'],
    strict: false,
    appliesTo: onHttp,
    budgetMs: ordinary,
    async run(ctx) {
      const r = await ctx.probe.http();
      const ct = r.headers['content-type'];
      const expected = [acceptedPolicyContentTypes(ctx.client)];
      if (r.status !== 200) return verdict.skip(`no policy (HTTP ${r.status ?? r.outcome})`);
      // WIRE-HTTP-2: the client's own rule (FLASH-URL-7, SL-HTTP-4), from the library.
      return acceptsPolicyContentType(ctx.client, ct) ? verdict.pass(expected, `Content-Type ${ct}`) : verdict.fail(expected, `Content-Type ${ct ?? '(none)'}`);
    },
  },
  {
    id: 'http/content-type-exact',
    desc: 'GETs /crossdomain.xml; it is served as text/x-cross-domain-policy',
    requirement: 'A Flash URL policy SHOULD be served as text/x-cross-domain-policy, the only type the by-content-type meta-policy honours.',
    requirementIds: ['WIRE-HTTP-2'],
    strict: true,
    appliesTo: (t, c) => t.kind === 'url' && c === 'flash',
    budgetMs: ordinary,
    async run(ctx) {
      const r = await ctx.probe.http();
      const ct = r.headers['content-type'];
      const expected = ['text/x-cross-domain-policy'];
      if (r.status !== 200) return verdict.skip(`no policy (HTTP ${r.status ?? r.outcome})`);
      return ct?.split(';')[0]?.trim().toLowerCase() === 'text/x-cross-domain-policy' ? verdict.pass(expected, `Content-Type ${ct}`) : verdict.fail(expected, `Content-Type ${ct ?? '(none)'}`);
    },
  },
  {
    id: 'http/meta-policy-header',
    desc: 'GETs /crossdomain.xml; X-Permitted-Cross-Domain-Policies, when sent, is a known value and agrees with the file\'s site-control',
    requirement: 'An X-Permitted-Cross-Domain-Policies header SHOULD carry a defined value that agrees with the policy\'s own site-control.',
    requirementIds: ['WIRE-HTTP-3'],
    strict: true,
    appliesTo: (t, c) => t.kind === 'url' && c === 'flash',
    budgetMs: ordinary,
    async run(ctx) {
      const r = await ctx.probe.http();
      const header = r.headers['x-permitted-cross-domain-policies'];
      const expected = ['no header, or items among none|master-only|by-content-type|by-ftp-filename|all that agree with the file\'s site-control (as the Flash parser reads it)'];
      if (r.status !== 200) return verdict.skip(`no policy (HTTP ${r.status ?? r.outcome})`);
      if (header === undefined) return verdict.pass(expected, 'no X-Permitted-Cross-Domain-Policies header');
      // WIRE-HTTP-3: the header is read by the library's own reader (FLASH-META-6, FLASH-META-7), the
      // file's site-control from the Flash parser's model: one source of truth for both.
      const h = parseMetaPolicyHeader(header);
      if (h.unknown.length > 0) return verdict.fail(expected, `header '${header}': unknown value ${h.unknown.map((u) => `'${u}'`).join(', ')} (Flash reads it as 'none')`);
      if (h.noneThisResponse) return verdict.fail(expected, `header '${header}' says none-this-response: Flash does not use this response as a policy`);
      const t = ctx.target;
      const scheme = t.kind === 'url' ? t.scheme : 'http';
      // Read as a master so the effective policy keeps the site-control the operator wrote: the case
      // compares the two declarations; that a non-master's site-control is ignored (FLASH-META-8) is lint's finding.
      const body = r.body.toString('utf8');
      const file = ctx.analyzers.flashEffective(body, { kind: 'url', scheme, master: true, servedFrom: t.key });
      const served = ctx.analyzers.flashEffective(body, { kind: 'url', scheme, master: true, servedFrom: t.key, headers: { 'x-permitted-cross-domain-policies': header } });
      if (file?.metaPolicy == null || served?.metaPolicy == null) return verdict.pass(expected, `header '${header}'; the file's site-control is not checked: the parser rejects the file (see flash/policy/valid)`);
      const fromFile = file.metaPolicy;
      const inForce = served.metaPolicy;
      const details = { header, siteControl: file.policy.siteControl.map((sc) => sc.permittedCrossDomainPolicies), inForce: inForce.value, notes: inForce.notes };
      if (fromFile.source === 'site-control' && h.value !== null && h.value !== fromFile.value) {
        return verdict.fail(expected, `header '${header}' but the file's site-control says '${fromFile.value}' (in force: '${inForce.value}', the more restrictive)`, details);
      }
      return verdict.pass(expected, `header '${header}'${fromFile.source === 'site-control' ? `, site-control '${fromFile.value}'` : ', no site-control'}; in force: '${inForce.value}'`, details);
    },
  },
];

/**
 * The soak's budget: every round of `loadConcurrency` connections takes at most one timeout, then
 * the final request; 10 % and 2 s of slack for a loaded machine (WIRE-HARNESS-5).
 */
export function soakBudgetMs(o: RunOptions): number {
  const rounds = Math.ceil(o.load / Math.max(1, o.loadConcurrency));
  return Math.ceil((rounds + 1) * o.timeoutMs * 1.1) + 2000;
}

/** The load probe (`--load N`). */
export const LOAD_CASES: readonly CaseDefinition[] = [
  {
    id: 'load/flash/soak',
    desc: 'N Flash-like connections at a set concurrency (source addresses rotated over 127.0.0.0/8 on loopback), then one ordinary request',
    requirement: 'Under a soak of many connections every client MUST get the whole policy, and the server MUST still answer afterwards.',
    requirementIds: ['WIRE-CONN-4'],
    strict: false,
    slow: true,
    phase: 'soak',
    appliesTo: onSocket('flash'),
    enabled: (o) => o.load > 0,
    budgetMs: soakBudgetMs,
    run: (ctx) => runLoadCase(ctx, 'flash'),
  },
  {
    id: 'load/silverlight/soak',
    desc: 'N Silverlight-like connections at a set concurrency, then one ordinary request',
    requirement: 'Under a soak of many connections every client MUST get the whole policy, and the server MUST still answer afterwards.',
    requirementIds: ['WIRE-CONN-4'],
    strict: false,
    slow: true,
    phase: 'soak',
    appliesTo: onSocket('silverlight'),
    enabled: (o) => o.load > 0,
    budgetMs: soakBudgetMs,
    run: (ctx) => runLoadCase(ctx, 'silverlight'),
  },
];

const FAILURE_TEXT: Record<LoadFailure, string> = {
  unconnected: 'never completed the TCP handshake',
  refused: 'refused',
  timeout: 'connected but got no whole answer within the timeout',
  reset: 'reset with nothing sent',
  empty: 'closed with nothing sent',
  partial: 'closed mid-answer',
  error: 'failed otherwise',
};

/** One line of a soak's counts. */
export function soakSummary(r: LoadResult, timeoutMs: number): string {
  const text = (k: LoadFailure): string => FAILURE_TEXT[k].replace('the timeout', seconds(timeoutMs));
  const failed = (Object.keys(r.failures) as LoadFailure[]).filter((k) => r.failures[k] > 0).map((k) => `${r.failures[k]} ${text(k)}`);
  const parts = [`${r.ok} of ${r.attempted} connections got the whole policy in ${seconds(r.elapsedMs)} over ${r.sourceAddresses} source address${r.sourceAddresses === 1 ? '' : 'es'}`];
  if (failed.length > 0) parts.push(`failed: ${failed.join(', ')}`);
  if (r.lateHandshakes > 0) parts.push(`${r.lateHandshakes} of the failed completed their handshake only after a SYN retransmission, a sign of a full listen backlog`);
  if (r.stoppedEarly) {
    parts.push(`stopped early after ${r.stoppedEarly.inARow} identical failures in a row (${text(r.stoppedEarly.kind)}) at connection ${r.stoppedEarly.atConnection} of ${r.connections}, ${seconds(r.stoppedEarly.atMs)} in; the ${r.abandoned} connections in flight were destroyed`);
  } else if (r.attempted < r.connections) parts.push(`cancelled at connection ${r.attempted} of ${r.connections}`);
  if (r.firstRefusedMs !== undefined) parts.push(`the first refusal came ${seconds(r.firstRefusedMs)} in`);
  parts.push(`afterwards: ${r.after}`);
  return parts.join('; ');
}

async function runLoadCase(ctx: CaseContext, client: ClientProfile): Promise<Verdict> {
  if (ctx.target.kind !== 'socket') return verdict.skip('not a socket target');
  const base = await ctx.probe.baseline(client);
  // WIRE-CONN-4: a soak that stops on its verdict and destroys every socket of it then.
  const r = await loadProbe({
    host: ctx.target.host,
    port: ctx.target.port,
    client,
    connections: ctx.options.load,
    concurrency: ctx.options.loadConcurrency,
    timeoutMs: ctx.options.timeoutMs,
    maxBytes: ctx.options.maxBytes,
    expectedBytes: base.bytes.length > 0 ? base.bytes.length : undefined,
    signal: ctx.signal,
    stopAfterIdentical: identicalFailureLimit(ctx.options.loadConcurrency),
    send: (steps, overrides) => ctx.probe.exchange(steps, overrides),
  });
  const expected = [`all ${ctx.options.load} connections get the whole policy`, 'afterwards, an ordinary request still gets the policy'];
  const details = { ...r };
  const summary = soakSummary(r, ctx.options.timeoutMs);
  return r.ok === r.connections && r.afterOk ? verdict.pass(expected, summary, details) : verdict.fail(expected, summary, details);
}

/** Every built-in (non-corpus) case. */
export const BUILTIN_CASES: readonly CaseDefinition[] = [...RESPONSE_CASES, ...POLICY_CASES, ...HTTP_CASES, ...LOAD_CASES];

