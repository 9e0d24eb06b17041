/**
 * The client conformance vectors: every request of the corpus that the stdio protocol can express,
 * as one language-neutral JSON file per client family (`vectors/flash.json`,
 * `vectors/silverlight.json`, schema `vectors/schema.json`). `npm run vectors` writes them
 * (scripts/vectors.ts); `xdpolicy conform` reads them back with {@link readVectorFile}.
 *
 * A vector needs nothing but its file: the world is resolved (bodies inline, a socket server's NUL
 * included), and the requirements it names come with their titles and chapters.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileExpectations } from '../../src/corpus/expectations.js';
import type { CorpusCase } from '../../src/corpus/types.js';
import { CLIENT_PROFILES, type ClientProfile } from '../../src/decision/types.js';
import { parseWorld } from '../../src/world/parse.js';
import type { WorldResponse } from '../../src/world/world.js';

/** The `format` field of a vectors file. */
export const VECTOR_FORMAT = 'xdpolicy-client-vectors';
/**
 * The format version. A reader refuses another major version; fields added compatibly (a new
 * optional field, a new profile in `expect`) keep it.
 */
export const VECTOR_FORMAT_VERSION = 1;

/** A verdict. */
export type Verdict = 'allow' | 'deny';

/** One case: a request, the world it is decided in, and the verdict each profile reaches. */
export interface VectorCase {
  /** `<corpus case id>#<request index>`: stable, written out in the corpus. */
  id: string;
  /** Requirement IDs the case exercises (spec/), the request's own first. */
  requirements: string[];
  /** The client family whose request this is. */
  client: ClientProfile;
  /** URL of the requesting SWF or XAP. */
  origin: string;
  /** `socket://host:port`, or the `http(s)://` URL loaded. */
  target: string;
  /** `Security.loadPolicyFile` URLs called before the request, in order (Flash). */
  loadPolicy: string[];
  /** Request header names the content sends. */
  headers: string[];
  /** HTTP method (Silverlight), when not `GET`. */
  method?: string;
  /** The world: policy location → what it answered (the `decide --world` format). */
  world: Record<string, WorldResponse>;
  /** Expected verdict per profile: the family's reference first, then profiles checked against it. */
  expect: Record<string, Verdict>;
  /** What the case is about, for people. */
  note: string;
}

/** A requirement a vector names: its title and the chapter of spec/ it belongs to. */
export interface VectorRequirement {
  /** The heading's title, e.g. `Sub-domain wildcards match the bare domain`. */
  title: string;
  /** The chapter's title, e.g. `3. Domain matching (Flash)`. */
  chapter: string;
  /** The chapter's file in the package, e.g. `spec/flash/3-domains.md`. */
  spec: string;
}

/** A corpus request left out of the vectors, and why. */
export interface ExcludedVector {
  id: string;
  why: string;
}

/** A vectors file. */
export interface VectorFile {
  $schema: string;
  format: typeof VECTOR_FORMAT;
  version: number;
  client: ClientProfile;
  /** The profiles `expect` may name, with what each models. */
  profiles: Record<string, string>;
  /** Every requirement the cases name. */
  requirements: Record<string, VectorRequirement>;
  cases: VectorCase[];
  /** Corpus requests of this client the protocol cannot express. */
  excluded: ExcludedVector[];
  /** Profile verdicts the corpus records that are not expectations (not checked, or not request verdicts). */
  unchecked: UncheckedVerdict[];
}

/** What the builder needs to know about a requirement of spec/. */
export interface SpecRequirementInfo extends VectorRequirement {
  id: string;
}

/** The reference profile of each family, described for implementers. */
export const REFERENCE_PROFILES: Record<ClientProfile, string> = {
  flash: 'the reference: Flash Player 10 and later, strict socket policies (spec/flash)',
  silverlight: 'the reference: Silverlight 4 and 5 in the browser (spec/silverlight)',
};

/** A profile of the family other than its reference, as the builder sees it. */
export interface VectorProfile {
  name: string;
  description: string;
}

/** A profile's verdict the corpus records for a case but that is not published: why not. */
export interface UncheckedVerdict {
  id: string;
  profile: string;
  /** What the corpus records. */
  corpus: Verdict;
  /** What our implementation of the profile decides. */
  implementation: Verdict;
}

/**
 * The verdict the corpus gives `profile` for request `index` of a case (the corpus's one rule,
 * `profileExpectations`: its own `divergences` entry, else its family's `expect` verdict), or
 * `undefined` when the corpus gives none.
 */
export function corpusVerdict(c: CorpusCase, index: number, profile: string): Verdict | undefined {
  return profileExpectations(c, index).find((e) => e.client === profile)?.verdict;
}

// CONFORM-1
/**
 * Builds the vectors of `client` from the loaded corpus. A request becomes a case when the corpus
 * gives `client`'s verdict for it; a request decided under a client configuration is listed in
 * `excluded` (the protocol carries none). For each further profile of the family, the corpus's
* verdict ({@link corpusVerdict}) becomes an expectation only when it is checked: a verdict
 * that our implementation of the profile (`decideAs`) reaches too. Any other is listed in
 * `unchecked`, never published as an expectation.
 */
export function buildVectors(
  cases: readonly CorpusCase[],
  client: ClientProfile,
  spec: readonly SpecRequirementInfo[],
  profiles: readonly VectorProfile[] = [],
  decideAs: (profile: string, vector: VectorCase) => Verdict = () => {
    throw new Error('buildVectors: profiles given without decideAs');
  },
): VectorFile {
  const specById = new Map(spec.map((r) => [r.id, r]));
  const out: VectorFile = {
    $schema: './schema.json',
    format: VECTOR_FORMAT,
    version: VECTOR_FORMAT_VERSION,
    client,
    profiles: { [client]: REFERENCE_PROFILES[client] },
    requirements: {},
    cases: [],
    excluded: [],
    unchecked: [],
  };
  for (const p of profiles) out.profiles[p.name] = p.description;
  const named = new Set<string>();
  for (const c of cases) {
    (c.requests ?? []).forEach((r, index) => {
      const verdict = r.expect[client];
      if (verdict === undefined) return;
      const id = `${c.id}#${index}`;
      if (r.clientConfig !== undefined) {
        out.excluded.push({ id, why: 'decided under a client configuration, which the protocol does not carry' });
        return;
      }
      const { world, diagnostics } = parseWorld(c.resolvedWorld);
      if (world === null) throw new Error(`corpus/${c.path}: its world cannot be read: ${diagnostics.map((d) => d.message).join('; ')}`);
      const requirements = [...new Set([...(r.requirements ?? []), ...c.requirements])];
      for (const req of requirements) {
        if (!specById.has(req)) throw new Error(`corpus/${c.path}: names ${req}, which spec/ does not declare`);
        named.add(req);
      }
      const vector: VectorCase = {
        id,
        requirements,
        client,
        origin: r.origin,
        target: r.target,
        loadPolicy: r.loadPolicy ?? [],
        headers: r.headers ?? [],
        // The corpus world as written: its keys are part of the test (an implementation normalises them).
        world: c.resolvedWorld,
        expect: { [client]: verdict },
        note: r.note ? `${c.title}. ${r.note}` : c.title,
      };
      if (r.method !== undefined) vector.method = r.method;
      for (const p of profiles) {
        const recorded = corpusVerdict(c, index, p.name);
        if (recorded === undefined) continue; // a profile the corpus does not know
        const implementation = decideAs(p.name, vector);
        if (recorded === implementation) vector.expect[p.name] = implementation;
        else out.unchecked.push({ id, profile: p.name, corpus: recorded, implementation });
      }
      out.cases.push(vector);
    });
  }
  for (const s of spec) if (named.has(s.id)) out.requirements[s.id] = { title: s.title, chapter: s.chapter, spec: s.spec };
  return out;
}

/**
 * The vectors as written to disk: still one JSON value, but each case and each excluded request on
 * one line of its own (a changed case is a one-line diff, and the file stays small).
 */
export function serializeVectors(file: VectorFile): string {
  const { cases, excluded, unchecked, ...head } = file;
  const list = (items: readonly unknown[]): string => (items.length === 0 ? '[]' : `[\n${items.map((i) => `    ${JSON.stringify(i)}`).join(',\n')}\n  ]`);
  const top = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v, null, 2).replace(/\n/g, '\n  ')}`);
  return `{\n${[...top, `  "cases": ${list(cases)}`, `  "excluded": ${list(excluded)}`, `  "unchecked": ${list(unchecked)}`].join(',\n')}\n}\n`;
}

/** The vectors shipped with the package (`vectors/` at the package root). */
export function defaultVectorsDir(): string {
  // conformance/kit/vectors.ts and dist/conformance/kit/vectors.js sit two or three levels below.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    dir = dirname(dir);
    try {
      readFileSync(join(dir, 'vectors', 'schema.json'));
      return join(dir, 'vectors');
    } catch {
      // keep climbing
    }
  }
  throw new Error('cannot find the vectors/ directory of the xdpolicy package (run `npm run vectors`)');
}

/** The path of the shipped vectors of `client`. */
export function defaultVectorsFile(client: ClientProfile): string {
  return join(defaultVectorsDir(), `${client}.json`);
}

const VERDICTS: readonly string[] = ['allow', 'deny'];
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

// CONFORM-1
/**
 * Reads a vectors file (text) strictly: `null` plus the problems found, each naming the case and
 * the field, or the file. A file of another major version is refused.
 */
export function readVectorFile(text: string): { file: VectorFile | null; problems: string[] } {
  const problems: string[] = [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { file: null, problems: [`not valid JSON (${(err as Error).message})`] };
  }
  const o = json as Partial<VectorFile> | null;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return { file: null, problems: ['not a vectors file: expected a JSON object'] };
  if (o.format !== VECTOR_FORMAT) return { file: null, problems: [`not a vectors file: "format" is ${JSON.stringify(o.format)}, expected "${VECTOR_FORMAT}"`] };
  if (o.version !== VECTOR_FORMAT_VERSION) return { file: null, problems: [`vectors format version ${JSON.stringify(o.version)}; this xdpolicy reads version ${VECTOR_FORMAT_VERSION}`] };
  if (!CLIENT_PROFILES.includes(o.client as ClientProfile)) problems.push(`"client" must be one of ${CLIENT_PROFILES.join(', ')}`);
  if (o.profiles === null || typeof o.profiles !== 'object') problems.push('"profiles" must be an object');
  if (o.requirements === null || typeof o.requirements !== 'object') problems.push('"requirements" must be an object');
  if (!Array.isArray(o.cases)) problems.push('"cases" must be an array');
  // Optional for readers: a hand-written --cases file may leave out what it has nothing to say about.
  o.excluded ??= [];
  o.unchecked ??= [];
  if (problems.length > 0) return { file: null, problems };
  const seen = new Set<string>();
  for (const [i, c] of (o.cases as unknown as Record<string, unknown>[]).entries()) {
    const where = `case ${i}${c && typeof c.id === 'string' ? ` (${c.id})` : ''}`;
    if (c === null || typeof c !== 'object') {
      problems.push(`${where}: must be an object`);
      continue;
    }
    if (typeof c.id !== 'string' || c.id === '') problems.push(`${where}: "id" must be a non-empty string`);
    else if (seen.has(c.id)) problems.push(`${where}: "id" is used twice`);
    else seen.add(c.id);
    if (c.client !== o.client) problems.push(`${where}: "client" must be the file's client (${String(o.client)})`);
    for (const f of ['origin', 'target', 'note'] as const) if (typeof c[f] !== 'string') problems.push(`${where}: "${f}" must be a string`);
    for (const f of ['requirements', 'loadPolicy', 'headers'] as const) if (!isStringArray(c[f])) problems.push(`${where}: "${f}" must be an array of strings`);
    if (c.method !== undefined && typeof c.method !== 'string') problems.push(`${where}: "method" must be a string`);
    const expect = c.expect as Record<string, unknown> | undefined;
    if (expect === null || typeof expect !== 'object' || Array.isArray(expect) || Object.keys(expect).length === 0) problems.push(`${where}: "expect" must be an object of profile → "allow" | "deny"`);
    else for (const [p, v] of Object.entries(expect)) if (!VERDICTS.includes(v as string)) problems.push(`${where}: expect.${p} must be "allow" or "deny", not ${JSON.stringify(v)}`);
    const read = parseWorld(c.world);
    if (read.world === null) problems.push(`${where}: "world": ${read.diagnostics.map((d) => d.message).join('; ')}`);
  }
  return problems.length > 0 ? { file: null, problems } : { file: o as VectorFile, problems };
}
