/**
 * The built-in adapter (`xdpolicy adapter --client NAME`): our own decision core behind the stdio
 * protocol, so `xdpolicy conform` can run it like any other implementation — the proof that the
 * vectors and the runner agree with the reference, and a model for adapters in other languages.
 *
 * @module
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { decide } from '../../src/decision/decide.js';
import { PROFILE_NAMES, type ClientProfile, type ProfileName } from '../../src/decision/types.js';
import { profileFamily } from '../../src/profiles/index.js';
import { parseWorld } from '../../src/world/parse.js';
import { protocolLine, type ProtocolAnswer } from './protocol.js';

/** The profiles the adapter can answer as, and the family each belongs to. */
export const ADAPTER_PROFILES: ReadonlyMap<string, ClientProfile> = new Map(PROFILE_NAMES.map((p) => [p, profileFamily(p)]));

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

// CONFORM-2
/**
 * Answers one request line as `profile`: the decision of our core, a skip for a request of the
 * other family, or an error naming what cannot be read (never a throw).
 */
export function answerLine(line: string, profile: string): ProtocolAnswer | { id: null; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { id: null, error: 'the request line is not JSON' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { id: null, error: 'the request line is not a JSON object' };
  const r = json as Record<string, unknown>;
  if (typeof r.id !== 'string') return { id: null, error: 'the request has no "id" string' };
  const id = r.id;
  const family = ADAPTER_PROFILES.get(profile);
  if (family === undefined) return { id, error: `unknown profile ${profile}` };
  if (r.client !== family) return { id, skip: `this adapter answers as ${profile}, a ${family} client; the request is for ${JSON.stringify(r.client)}` };
  if (typeof r.origin !== 'string' || typeof r.target !== 'string') return { id, error: '"origin" and "target" must be strings' };
  for (const f of ['loadPolicy', 'headers'] as const) if (r[f] !== undefined && !isStrings(r[f])) return { id, error: `"${f}" must be an array of strings` };
  if (r.method !== undefined && typeof r.method !== 'string') return { id, error: '"method" must be a string' };
  const { world, diagnostics } = parseWorld(r.world ?? {});
  if (world === null) return { id, error: `the world cannot be read: ${diagnostics.map((d) => d.message).join('; ')}` };
  const d = decide(
    {
      client: profile as ProfileName,
      origin: r.origin,
      target: r.target,
      ...(r.loadPolicy !== undefined ? { loadPolicy: r.loadPolicy as string[] } : {}),
      ...(r.headers !== undefined ? { headers: r.headers as string[] } : {}),
      ...(r.method !== undefined ? { method: r.method as string } : {}),
    },
    world,
  );
  return { id, decision: d.decision };
}

/** Reads request lines from `input` and writes one answer line each to `output`, until `input` ends. */
export async function runAdapter(input: Readable, output: Writable, profile: string): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    if (output.write(protocolLine(answerLine(line, profile))) === false) await new Promise((r) => output.once('drain', r));
  }
}
