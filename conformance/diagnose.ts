/**
 * Diagnoses: the failures and warnings of a run grouped by their root cause, each with what to
 * change, so the report says "your server answers only a request that arrives in one read" once
 * rather than four cases each saying "0 bytes received, then the server closed" (WIRE-HARNESS-7).
 *
 * The classification reads only what the cases recorded (their IDs, statuses and details); the
 * rules and the hints live here and nowhere else.
 *
 * @module
 */
import { maxOf } from '../src/collections.js';
import type { ClientProfile } from '../src/decision/types.js';
import type { CaseResult } from './model.js';
import type { ServingMode } from './phases.js';

/** The root causes certify can name. */
export type RootCause =
  | 'stops-accepting'
  | 'single-read-framing'
  | 'missing-nul'
  | 'writes-before-reading'
  | 'no-timeout'
  | 'short-timeout'
  | 'ignores-half-close'
  | 'small-backlog'
  | 'reads-without-bound'
  | 'one-at-a-time'
  | 'blocked-by-idle-clients'
  | 'overloaded'
  | 'answers-anything'
  | 'endless-answer'
  | 'no-answer'
  | 'keeps-connection-open'
  | 'slow-answer'
  | 'invalid-policy'
  | 'too-open-policy'
  | 'expectations-differ'
  | 'url-serving'
  | 'harness'
  | 'other';

/** What a cause means and what to change, in one place. */
export const CAUSES: Record<RootCause, { title: string; fix: string }> = {
  'stops-accepting': {
    title: 'Your server stops accepting (or answering) connections',
    fix: 'Keep the accept loop alive: catch each connection\'s errors inside it, never exit or stop listening because of one client, and close every connection you accept (each one left open holds a descriptor until the process runs out).',
  },
  'single-read-framing': {
    title: 'Your server answers only a request that arrives in one read',
    fix: 'Keep reading until the whole request has arrived (23 bytes ending in the NUL for Flash, 22 for Silverlight) and answer then: TCP may deliver it in several reads, and comparing only the first read loses it.',
  },
  'missing-nul': {
    title: 'Your server does not end the policy with a NUL byte',
    fix: 'Send one NUL byte (0x00) after the policy, before closing: Flash Player reads up to the NUL.',
  },
  'writes-before-reading': {
    title: 'Your server sends the policy before it has read the request',
    fix: 'Read the request first, then answer. A server that writes on connect and closes leaves the request unread; the kernel then resets the connection and the client may lose the policy.',
  },
  'no-timeout': {
    title: 'Your server holds connections that never complete a request',
    fix: 'Close a connection as soon as its input cannot be the request, and close every connection that has not sent a whole request within a few seconds (the reference server: 5 s). Each held connection costs a descriptor for as long as the client likes.',
  },
  'short-timeout': {
    title: 'Your server closes a slow request before the client has given up',
    fix: 'Give a request that is still arriving at least 3 seconds (the time Flash Player waits for a policy) before closing it as idle.',
  },
  'ignores-half-close': {
    title: 'Your server ignores the client\'s half-close',
    fix: 'Treat a read of zero bytes (end of stream) as the end: close the connection. No request can follow it; re-arming the read loops at 100 % CPU and keeps the descriptor for ever.',
  },
  'small-backlog': {
    title: 'Your server\'s listen backlog is too small',
    fix: 'Raise the listen backlog (listen(5) queues 6 handshakes; the SYNs of a burst beyond that are dropped, and those clients wait 1, 3, 7 s for retransmissions — past Flash\'s 3-second wait) and accept without blocking.',
  },
  'reads-without-bound': {
    title: 'Your server keeps reading input longer than any request',
    fix: 'Stop reading after the request\'s length: more than 23 bytes cannot be a request, so close the connection.',
  },
  'one-at-a-time': {
    title: 'Your server serves one connection at a time',
    fix: 'Serve connections concurrently (a thread, task or event per connection), or at least time silent ones out in well under a second: one silent client now blocks every other.',
  },
  'blocked-by-idle-clients': {
    title: 'Silent clients keep your server from answering others',
    fix: 'Bound the connections one address may hold and time silent ones out, so a crowd of idle connections cannot starve real clients.',
  },
  overloaded: {
    title: 'Your server does not answer every client of a burst',
    fix: 'Answer every accepted connection with the whole policy; look for a limit on connections, threads or descriptors that drops clients under load.',
  },
  'answers-anything': {
    title: 'Your server sends its policy to input that is not the request',
    fix: 'Answer only the exact request; close anything else without the policy.',
  },
  'endless-answer': {
    title: 'Your server\'s answer never ends',
    fix: 'Send the policy once and stop: more than the byte budget (256 KiB) arrived and the server was still sending.',
  },
  'no-answer': {
    title: 'Your server does not answer the ordinary request',
    fix: 'Answer the exact request with the policy (see the failing cases for what came instead).',
  },
  'keeps-connection-open': {
    title: 'Your server does not close after answering',
    fix: 'Close the connection once the policy is sent, and answer one request per connection.',
  },
  'slow-answer': {
    title: 'Your server answers too late',
    fix: 'Start answering within the client\'s wait: 3 s for Flash, 10 s for Silverlight.',
  },
  'invalid-policy': {
    title: 'The policy your server sends is not a valid policy',
    fix: 'Fix the policy file itself (`xdpolicy lint` shows where): a client rejects a malformed policy as a whole.',
  },
  'too-open-policy': {
    title: 'The policy grants more than it should',
    fix: 'Narrow the grants the lint findings name, or list the findings you mean under "accept" in --expect.',
  },
  'expectations-differ': {
    title: 'What the clients decide differs from your expectations',
    fix: 'Change the policy (or the expectations) so they agree; the failing case names each decision and its reason.',
  },
  'url-serving': {
    title: 'The policy URL is not served as a client needs',
    fix: 'Serve the policy with status 200, an accepted Content-Type and no redirect; see each case.',
  },
  harness: {
    title: 'certify could not test some cases',
    fix: 'Nothing to change on the server for these: the harness itself failed (a case overran its budget, an exception). Run again; report it if it stays.',
  },
  other: {
    title: 'Other failures',
    fix: 'See each case\'s requirement, expected and actual behaviour.',
  },
};

/** One root cause on one target and client, with the cases it explains. */
export interface Diagnosis {
  cause: RootCause;
  title: string;
  fix: string;
  /** `MUST` when a case that counts failed; `SHOULD` when every case is a warning. */
  level: 'MUST' | 'SHOULD';
  target: string;
  client: ClientProfile;
  requirementIds: string[];
  cases: { id: string; status: string; actual: string }[];
  /** Facts beside the cases that support the diagnosis (a passing exact request, the capacity probe). */
  notes: string[];
}

const detailsOf = (r: CaseResult): Record<string, unknown> => r.verdict.details ?? {};
const ends = (r: CaseResult, name: string): boolean => r.id.endsWith(`/${name}`);

/** The root cause of one failing or warning result. */
export function causeOf(r: CaseResult, siblings: readonly CaseResult[], serving: ServingMode | undefined): RootCause {
  const d = detailsOf(r);
  if (r.verdict.status === 'error') return 'harness';
  if (r.id.includes('/alive/')) return 'stops-accepting';
  if (ends(r, 'half-close-without-request')) return 'ignores-half-close';
  if (ends(r, 'valid') && r.verdict.actual.startsWith('rejected')) return 'invalid-policy';
  // A server that does not answer the exact request fails every case that needs an answer for that
  // one reason: they are one cause, not eleven. How it holds connections stays a cause of its own.
  const exact = siblings.find((s) => s.client === r.client && ends(s, 'exact-request'));
  const expect = d['expect'];
  const aboutHolding = expect === 'close' || expect === 'policy-or-close' || expect === 'no-policy';
  if (exact && exact.verdict.status !== 'pass' && (!aboutHolding || r.verdict.actual.startsWith('afterwards:'))) {
    return detailsOf(exact)['endReason'] === 'overflow' ? 'endless-answer' : 'no-answer';
  }
  if (r.verdict.actual.startsWith('afterwards:')) return 'stops-accepting';
  if (r.id.startsWith('load/')) {
    const f = (d['failures'] ?? {}) as Record<string, number>;
    // Answered some, then refused or fell silent: it stopped. Answered none: it never answered.
    if (d['ok'] === 0 && d['firstRefusedMs'] === undefined) return 'no-answer';
    if (d['firstRefusedMs'] !== undefined || d['afterOk'] === false) return 'stops-accepting';
    return (f['unconnected'] ?? 0) + Number(d['lateHandshakes'] ?? 0) > 0 ? 'small-backlog' : 'overloaded';
  }
  if (ends(r, 'idle-crowd')) return serving?.mode === 'serial' ? 'one-at-a-time' : 'blocked-by-idle-clients';
  const failed = d['failed'] as Record<string, number> | undefined;
  if (failed) return (failed['unconnected'] ?? 0) + (failed['lateHandshake'] ?? 0) > 0 ? 'small-backlog' : 'overloaded';
  if (/\/(split-[a-z-]+|drip-within-wait)$/.test(r.id)) {
    const mine = (name: string): CaseResult | undefined => siblings.find((s) => s.client === r.client && ends(s, name));
    if (mine('exact-request')?.verdict.status !== 'pass') return 'no-answer';
    // A slow request closed while the quick splits are answered: the timeout is too short, not the framing.
    const splits = siblings.filter((s) => s.client === r.client && /\/split-[a-z-]+$/.test(s.id));
    if (ends(r, 'drip-within-wait') && splits.length > 0 && splits.every((s) => s.verdict.status === 'pass')) return 'short-timeout';
    return 'single-read-framing';
  }
  if (ends(r, 'nul-terminator')) return 'missing-nul';
  if (ends(r, 'waits-for-request')) return 'writes-before-reading';
  if (ends(r, 'nothing-after-nul') || ends(r, 'close-after-send') || ends(r, 'two-requests-one-answer')) return 'keeps-connection-open';
  if (/first-byte-within/.test(r.id)) return 'slow-answer';
  if (d['overflow'] === true || d['endReason'] === 'overflow') return 'endless-answer';
  if (ends(r, 'valid')) return 'invalid-policy';
  if (ends(r, 'lint')) return 'too-open-policy';
  if (ends(r, 'expectations')) return 'expectations-differ';
  if (r.id.startsWith('http/')) return 'url-serving';
  if (expect === 'no-policy') return 'answers-anything';
  if (d['endReason'] === 'timeout' && (expect === 'close' || expect === 'policy-or-close')) return /\/oversize-/.test(r.id) ? 'reads-without-bound' : 'no-timeout';
  if (ends(r, 'exact-request')) return 'no-answer';
  return 'other';
}

// WIRE-HARNESS-7
/** Every failure and warning of a run, grouped by target, client and root cause; the ones that count first. */
export function diagnose(results: readonly CaseResult[], serving: (target: string) => ServingMode | undefined): Diagnosis[] {
  const groups = new Map<string, Diagnosis>();
  for (const r of results) {
    if (r.verdict.status !== 'fail' && r.verdict.status !== 'warn' && r.verdict.status !== 'error') continue;
    const mode = serving(r.target);
    const cause = causeOf(r, results.filter((s) => s.target === r.target), mode);
    const key = `${r.target}\u0000${r.client}\u0000${cause}`;
    let g = groups.get(key);
    if (!g) {
      g = { cause, ...CAUSES[cause], level: 'SHOULD', target: r.target, client: r.client, requirementIds: [], cases: [], notes: [] };
      if (cause === 'single-read-framing') g.notes.push(`${r.client === 'flash' ? 'wire/flash' : 'wire/silverlight'}/exact-request passed: the same request in one write is answered`);
      if ((cause === 'one-at-a-time' || cause === 'blocked-by-idle-clients') && mode) g.notes.push(`capacity probe: ${mode.detail}`);
      groups.set(key, g);
    }
    if (r.verdict.status === 'fail' || r.verdict.status === 'error') g.level = 'MUST';
    for (const id of r.requirementIds) if (!g.requirementIds.includes(id)) g.requirementIds.push(id);
    g.cases.push({ id: r.id, status: r.verdict.status, actual: r.verdict.actual });
  }
  // A server that serves one connection at a time is named even when only the crowd case shows it.
  return [...groups.values()].sort((a, b) => Number(b.level === 'MUST') - Number(a.level === 'MUST') || b.cases.length - a.cases.length);
}

/** The diagnoses as text, first in the human report. */
export function diagnosisText(diagnoses: readonly Diagnosis[]): string[] {
  if (diagnoses.length === 0) return [];
  const cases = diagnoses.reduce((n, d) => n + d.cases.length, 0);
  const lines = [`Diagnosis: ${diagnoses.length} root cause${diagnoses.length === 1 ? '' : 's'} behind ${cases} failing or warning case${cases === 1 ? '' : 's'}`];
  diagnoses.forEach((d, i) => {
    lines.push('');
    lines.push(`${i + 1}. [${d.level}] ${d.title} (${d.target}, ${d.client}; ${d.requirementIds.join(', ')})`);
    lines.push(`   Fix: ${d.fix}`);
    const width = maxOf(d.cases.map((c) => c.id.length), 0);
    for (const c of d.cases.slice(0, 8)) lines.push(`   ${c.status.toUpperCase().padEnd(4)} ${c.id.padEnd(width)}  ${c.actual}`);
    if (d.cases.length > 8) lines.push(`   … and ${d.cases.length - 8} more`);
    for (const n of d.notes) lines.push(`   (${n})`);
  });
  return lines;
}
