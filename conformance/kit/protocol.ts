/**
 * The stdio protocol of `xdpolicy conform` (spec/conform.md, CONFORM-2 … CONFORM-4), both sides:
 * the request line written for a case, the reading of an answer line, and the splitting of
 * `--impl "COMMAND ARGS"` into words.
 *
 * @module
 */
import type { ClientProfile } from '../../src/decision/types.js';
import type { WorldResponse } from '../../src/world/world.js';
import type { VectorCase } from './vectors.js';

/** One request line: what the implementation reads. Fields with empty values are absent. */
export interface ProtocolRequest {
  id: string;
  client: ClientProfile;
  origin: string;
  target: string;
  world: Record<string, WorldResponse>;
  loadPolicy?: string[];
  headers?: string[];
  method?: string;
}

/** An answer line as read: a verdict, a skip or an error, for the case `id`. */
export type ProtocolAnswer = { id: string; decision: 'allow' | 'deny' } | { id: string; skip: string } | { id: string; error: string };

// CONFORM-2
/** The request of a case: the vector's fields, `loadPolicy`, `headers` and `method` only when given. */
export function requestOf(c: VectorCase): ProtocolRequest {
  const r: ProtocolRequest = { id: c.id, client: c.client, origin: c.origin, target: c.target, world: c.world };
  if (c.loadPolicy.length > 0) r.loadPolicy = c.loadPolicy;
  if (c.headers.length > 0) r.headers = c.headers;
  if (c.method !== undefined) r.method = c.method;
  return r;
}

// CONFORM-2
/**
 * A value as one protocol line: JSON with every character outside printable ASCII escaped
 * (`\u0000`, `\u00e9`, `\u2028`), so that no line reader in any language or encoding sees a line
 * break or a byte it must decode inside it; ends with `\n`.
 */
export function protocolLine(value: unknown): string {
  return `${JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

// CONFORM-2
/**
 * Reads one answer line (without its `\n`; a final `\r` is allowed). Returns the answer, or the
 * reason the line is not one. Fields other than `id` and the one outcome are ignored (room for
 * compatible extensions).
 */
export function readAnswer(line: string): { answer: ProtocolAnswer } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { problem: 'not JSON' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { problem: 'not a JSON object' };
  const o = json as Record<string, unknown>;
  if (typeof o.id !== 'string') return { problem: 'no "id" string' };
  const outcomes = (['decision', 'skip', 'error'] as const).filter((k) => o[k] !== undefined);
  if (outcomes.length !== 1) return { problem: `needs exactly one of "decision", "skip", "error" (has ${outcomes.length === 0 ? 'none' : outcomes.join(' and ')})` };
  const id = o.id;
  if (o.decision !== undefined) {
    if (o.decision !== 'allow' && o.decision !== 'deny') return { problem: `"decision" must be "allow" or "deny", not ${JSON.stringify(o.decision)}` };
    return { answer: { id, decision: o.decision } };
  }
  if (o.skip !== undefined) return typeof o.skip === 'string' ? { answer: { id, skip: o.skip } } : { problem: '"skip" must be a string (why)' };
  return typeof o.error === 'string' ? { answer: { id, error: o.error } } : { problem: '"error" must be a string (why)' };
}

/**
 * Splits `--impl "COMMAND ARGS"` into words as a POSIX shell would, without running a shell:
 * blanks separate words, `'…'` quotes literally, `"…"` quotes with `\"`, `\\`, `\$` and `` \` ``
 * escapes, and `\` outside quotes escapes the next character. No variables, globs or pipes (write
 * `sh -c '…'` for those). Returns the words, or why the text cannot be split.
 */
export function splitCommand(text: string): { words: string[] } | { problem: string } {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) return { problem: 'an unclosed single quote' };
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word ??= '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`'.includes(text[j + 1]!)) j++;
        word += text[j];
      }
      if (j >= text.length) return { problem: 'an unclosed double quote' };
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { problem: 'a trailing backslash' };
      word = (word ?? '') + text[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return words.length === 0 ? { problem: 'no command' } : { words };
}
