/**
 * Probes of one target, shared by the cases that grade them: the exact request sent at once
 * (the baseline every response check reads), the request sent after a pause (was the policy sent
 * on connect?), and the HTTP fetch. Each is made once per target and client and memoised, so
 * concurrent cases reading the same response cost one connection.
 *
 * @module
 */
import type { ClientProfile } from '../src/decision/types.js';
import { exchange, FLASH_REQUEST, seconds, SILVERLIGHT_REQUEST, type ExchangeOptions, type ExchangeResult, type SendStep } from './client.js';
import { fetchBounded, type HttpFetchResult } from './http.js';
import type { RunOptions } from './model.js';
import type { Target } from './target.js';

/** Probe helpers bound to one target and the run's budgets. */
export interface Prober {
  /** A fresh exchange with the target (socket targets only), within the run's budgets unless overridden. */
  exchange(steps: SendStep[], overrides?: Partial<Omit<ExchangeOptions, 'host' | 'port' | 'steps'>>): Promise<ExchangeResult>;
  /** The client's exact request, sent on connect; the server's close awaited for a short grace after the NUL. */
  baseline(client: ClientProfile, signal?: AbortSignal): Promise<ExchangeResult>;
  /** Connect, stay silent for {@link DELAYED_REQUEST_MS}, then send the exact request. */
  delayed(client: ClientProfile): Promise<ExchangeResult>;
  /** The URL policy, fetched once (HTTP targets only). */
  http(): Promise<HttpFetchResult>;
  /**
   * Another URL at the target's root, fetched once with the same budgets and TLS setting — the
   * locations a client consults beside the target (Silverlight's `crossdomain.xml` fallback).
   */
  httpAt(url: string): Promise<HttpFetchResult>;
  /**
   * A prober for one case: its exchanges follow the case's signal and hooks, and it shares only the
   * target's baselines and HTTP fetches (made once, alone, before any case); every other probe is
   * made afresh, so a case run again alone does not read what it saw beside others.
   */
  forCase(hooks: ProbeHooks): Prober;
}

/** What a case's prober reports to the runner. */
export interface ProbeHooks {
  /** Aborts every exchange of the case (their sockets are destroyed). */
  signal?: AbortSignal;
  /** Sees every exchange as it ends (the target's vitals, the case's connection failures). */
  observe?: (r: ExchangeResult) => void;
  /** Called once a request byte of the case has been sent (the runner staggers odd input on it). */
  onFirstWrite?: () => void;
}

/** How long the delayed probe waits before sending the request (bytes before then were sent on connect). */
export const DELAYED_REQUEST_MS = 400;
/** Grace after the NUL for the server's close, in the baseline probe. */
export const BASELINE_NUL_GRACE_MS = 1000;

/** The exact request bytes of a client. */
export function requestFor(client: ClientProfile): Buffer {
  return client === 'flash' ? FLASH_REQUEST : SILVERLIGHT_REQUEST;
}

/** Creates the prober of one target. */
export function createProber(target: Target, options: RunOptions, hooks: ProbeHooks = {}, shared: Map<string, Promise<unknown>> = new Map()): Prober {
  const own = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    const memo = key.startsWith('baseline:') || key.startsWith('http:') ? shared : own;
    let p = memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      memo.set(key, p);
    }
    return p;
  };
  const socketOnly = (): { host: string; port: number } => {
    if (target.kind !== 'socket') throw new Error(`${target.key} is not a socket target`);
    return { host: target.host, port: target.port };
  };
  const prober: Prober = {
    exchange(steps, overrides = {}) {
      return exchange({ ...socketOnly(), steps, timeoutMs: options.timeoutMs, maxBytes: options.maxBytes, ...hooks, ...overrides });
    },
    baseline(client, signal) {
      // The first caller's signal governs the memoised exchange (only client inference passes one).
      return once(`baseline:${client}`, () =>
        prober.exchange([{ write: requestFor(client) }], { nulGraceMs: BASELINE_NUL_GRACE_MS, ...(signal ? { signal } : {}) }),
      );
    },
    delayed(client) {
      return once(`delayed:${client}`, () =>
        prober.exchange([{ wait: DELAYED_REQUEST_MS }, { write: requestFor(client) }], {
          timeoutMs: options.timeoutMs + DELAYED_REQUEST_MS,
          nulGraceMs: 200,
        }),
      );
    },
    http() {
      return prober.httpAt(target.key);
    },
    httpAt(url) {
      return once(`http:${url}`, () => fetchBounded(url, { timeoutMs: options.timeoutMs, maxBytes: options.maxBytes, insecure: options.insecure }));
    },
    forCase(caseHooks) {
      return createProber(target, options, caseHooks, shared);
    },
  };
  return prober;
}

/** The root element name of each client's policy format. */
export function rootFor(client: ClientProfile): string {
  return client === 'flash' ? 'cross-domain-policy' : 'access-policy';
}

/** True when `text` holds a complete policy document of `client`'s format (its root closed). */
export function holdsCompletePolicy(text: string, client: ClientProfile): boolean {
  const root = rootFor(client);
  return new RegExp(`<${root}(\\s[^>]*)?/>|</${root}\\s*>`).test(text);
}

/** How many policy documents of `client`'s format start in `text`. */
export function countPolicies(text: string, client: ClientProfile): number {
  return text.match(new RegExp(`<${rootFor(client)}[\\s/>]`, 'g'))?.length ?? 0;
}

/** What a socket response means to a client: the policy text it would read. */
export function socketPolicyText(result: ExchangeResult): string {
  const nul = result.bytes.indexOf(0);
  return (nul < 0 ? result.bytes : result.bytes.subarray(0, nul)).toString('utf8');
}

/** One line saying how an exchange ended, for `actual`. */
export function describeExchange(r: ExchangeResult): string {
  const parts: string[] = [];
  switch (r.endReason) {
    case 'refused':
      return 'connection refused (nothing listens)';
    case 'connect-timeout':
      return `the TCP handshake did not complete within ${seconds(r.endMs)}`;
    case 'error':
      return `connection failed (${r.error ?? 'error'})`;
    default:
  }
  parts.push(`${r.bytes.length}${r.truncated ? '+' : ''} bytes received`);
  if (r.firstByteMs !== undefined) parts.push(`first byte at ${Math.round(r.firstByteMs)} ms`);
  const how: Record<string, string> = {
    closed: `then the server closed at ${seconds(r.endMs)}`,
    reset: `then the connection was reset at ${seconds(r.endMs)} (${r.error ?? 'RST'})`,
    timeout: `then nothing more: still open when certify stopped waiting at ${seconds(r.endMs)}`,
    overflow: 'and the byte budget ran out (the server kept sending)',
    'client-done': 'the server still held the connection open after the NUL',
    'client-reset': 'the client reset the connection',
  };
  parts.push(how[r.endReason] ?? r.endReason);
  return parts.join(', ');
}
