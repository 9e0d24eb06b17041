/**
 * Policies as the server holds them: validated once, encoded once into immutable buffers, and
 * swapped as a whole on reload so that every response is entirely the old or entirely the new
 * policy (SRV-RELOAD-1).
 *
 * @module
 */
import type { Diagnostic } from '../diagnostics.js';
import type { MetaPolicy } from '../flash/model.js';
import { checkFlashPolicy, checkSilverlightPolicy, type PolicyWarning } from './validate.js';

/** Where a policy is served: the two socket listeners and the two HTTP paths. */
export type PolicySlot = 'flash' | 'silverlight' | 'http-flash' | 'http-silverlight';

/** The port Flash Player asks first; a socket policy served there is the master (FLASH-SOCK-4). */
export const FLASH_MASTER_PORT = 843;

/** One policy ready to send. */
export interface PreparedPolicy {
  /** The text as given. */
  text: string;
  /** The exact bytes of a response body: UTF-8, plus the terminating NUL on the Flash socket. */
  bytes: Buffer;
  /** For Flash policies: the `site-control` meta-policy, or null without one. */
  metaPolicy: MetaPolicy | null;
  warnings: PolicyWarning[];
}

/** The policies of one server at one moment. Never mutated: a reload builds a new set. */
export type PolicySet = Readonly<Partial<Record<PolicySlot, PreparedPolicy>>>;

/** Why a policy could not be prepared. */
export interface PolicyProblem {
  slot: PolicySlot;
  errors: Diagnostic[];
}

/** The outcome of preparing one policy. */
export type PrepareResult = { ok: true; policy: PreparedPolicy } | { ok: false; problem: PolicyProblem };

/**
 * Validates and encodes the policy for `slot`. `flashPort` is the Flash listener's port: a socket
 * policy is validated as the master exactly when it is served on 843.
 */
export function preparePolicy(slot: PolicySlot, text: string, flashPort: number, silverlightPort = 943): PrepareResult {
  const check =
    slot === 'flash'
      ? checkFlashPolicy(text, { kind: 'socket', master: flashPort === FLASH_MASTER_PORT }, flashPort)
      : slot === 'http-flash'
        ? checkFlashPolicy(text, { kind: 'url', scheme: 'http', master: true })
        : slot === 'silverlight'
          ? checkSilverlightPolicy(text, { kind: 'socket', port: silverlightPort })
          : checkSilverlightPolicy(text, { kind: 'url' });
  // SRV-VALID-1
  if (!check.ok) return { ok: false, problem: { slot, errors: check.errors } };
  const body = Buffer.from(text, 'utf8');
  // SRV-FRAME-6: the Flash socket response ends with exactly one NUL, in the same write.
  const bytes = slot === 'flash' ? Buffer.concat([body, Buffer.alloc(1)]) : body;
  return { ok: true, policy: { text, bytes, metaPolicy: check.metaPolicy, warnings: check.warnings } };
}

/** Formats problems as `slot:line:column: message [REQUIREMENT]` lines. */
export function describeProblems(problems: readonly PolicyProblem[], names: Partial<Record<PolicySlot, string>> = {}): string {
  const lines: string[] = [];
  for (const p of problems) {
    const where = names[p.slot] ?? p.slot;
    if (p.errors.length === 0) lines.push(`${where}: not a usable policy`);
    for (const e of p.errors) lines.push(`${where}:${e.line}:${e.column}: ${e.message} [${e.requirement}]`);
  }
  return lines.join('\n');
}
