/**
 * The corpus runner: every case under corpus/ (see corpus/README.md), checked against the parsers
 * and `decide`, plus corpus-wide checks (stable unique IDs, requirements that exist, no orphan
 * files). Test titles are `<case id> [REQ-IDS]: <what is checked>`.
 */
import { dirname, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCorpusDir, listFiles, loadCorpus } from '../src/corpus/load.js';
import type { CorpusCase, CorpusParseExpectation, CorpusRequest } from '../src/corpus/types.js';
import { createDecider, type Decider } from '../src/decision/decide.js';
import { isProfileEntry, profileExpectations, UNMODELLED_CLIENTS } from '../src/corpus/expectations.js';
import { PROFILES, profileFamily } from '../src/profiles/index.js';
import { PROFILE_NAMES, type Decision } from '../src/decision/types.js';
import type { Diagnostic } from '../src/diagnostics.js';
import { parseFlashPolicy } from '../src/flash/parse.js';
import { parseSilverlightPolicy } from '../src/silverlight/parse.js';
import { specRequirements } from './support/requirements.js';
import { lintText } from '../src/lint/lint.js';
import { lintOptionsOf } from './support/lint.js';
import { parsePolicyLocation, worldKeyReading } from '../src/world/locations.js';

const CORPUS_DIR = defaultCorpusDir();
const cases: CorpusCase[] = loadCorpus(CORPUS_DIR);
const specIds = new Set(specRequirements().map((r) => r.id));

/** Every requirement a case names, its own and its requests'. */
function caseRequirements(c: CorpusCase): string[] {
  const ids = new Set(c.requirements ?? []);
  for (const r of c.requests ?? []) for (const id of r.requirements ?? []) ids.add(id);
  return [...ids];
}

const KNOWN_DIVERGENT_CLIENTS = new Set<string>([...PROFILE_NAMES, ...UNMODELLED_CLIENTS]);

describe('corpus: format and traceability', () => {
  it('holds at least 100 Flash cases', () => {
    expect(cases.filter((c) => c.id.startsWith('flash/')).length).toBeGreaterThanOrEqual(100);
  });

  it('gives every case a unique, written-out id', () => {
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const c of cases) {
      if (typeof c.id !== 'string' || c.id.trim() === '') problems.push(`corpus/${c.path}: no id`);
      else if (seen.has(c.id)) problems.push(`id ${c.id} is used by corpus/${seen.get(c.id)} and corpus/${c.path}`);
      else seen.set(c.id, c.path);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('gives every case a title, a category and at least one requirement', () => {
    const problems = cases
      .filter((c) => !c.title || !c.category || !Array.isArray(c.requirements) || c.requirements.length === 0)
      .map((c) => `${c.id} (corpus/${c.path}): needs title, category and requirements`);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('names only requirements that exist in spec/', () => {
    const problems: string[] = [];
    for (const c of cases) for (const id of caseRequirements(c)) if (!specIds.has(id)) problems.push(`${c.id}: ${id} is not a requirement heading in spec/`);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('gives every case something to check (requests, parse or lint expectations)', () => {
    const problems = cases
      .filter((c) => (c.requests ?? []).length === 0 && c.parse === undefined && c.lint === undefined)
      .map((c) => `${c.id}: checks nothing`);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('gives every request an expected verdict and keys every world by policy location', () => {
    const problems: string[] = [];
    for (const c of cases) {
      for (const [i, r] of (c.requests ?? []).entries()) {
        const verdicts = Object.entries(r.expect ?? {});
        if (verdicts.length === 0) problems.push(`${c.id} request ${i}: no expected verdict`);
        for (const [client, v] of verdicts) if (v !== 'allow' && v !== 'deny') problems.push(`${c.id} request ${i}: ${client} verdict ${String(v)}`);
      }
      // DECIDE-2: keys are read by the core's one location reader.
      for (const location of Object.keys(c.world ?? {})) {
        const why = worldKeyReading();
        if (parsePolicyLocation(location, why) === null) problems.push(`${c.id}: ${why.diagnostics[0]?.message ?? location}`);
      }
      if (c.parse && c.policyText === undefined) problems.push(`${c.id}: parse expectations without a policyFile`);
      for (const d of c.divergences ?? []) {
        if (!KNOWN_DIVERGENT_CLIENTS.has(d.client)) problems.push(`${c.id}: divergence client ${d.client} is unknown`);
        if (!d.note) problems.push(`${c.id}: divergence for ${d.client} has no note`);
        if (d.request !== undefined && !(Number.isInteger(d.request) && d.request >= 0 && d.request < (c.requests ?? []).length)) {
          problems.push(`${c.id}: divergence for ${d.client} names request ${d.request}, which the case does not have`);
        }
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('has no orphan files: every file is a sidecar or named by one (README.md and wire/ excepted)', () => {
    const referenced = new Set<string>();
    for (const c of cases) {
      const base = dirname(c.path);
      const ref = (name: string): void => {
        referenced.add(posix.normalize(posix.join(base, name)));
      };
      if (c.policyFile !== undefined) ref(c.policyFile);
      for (const entry of Object.values(c.world ?? {})) if (entry.bodyFile !== undefined) ref(entry.bodyFile);
    }
    const orphans = listFiles(CORPUS_DIR).filter(
      (f) => f !== 'README.md' && !f.startsWith('wire/') && !f.endsWith('.case.json') && !referenced.has(f),
    );
    expect(orphans, `files under corpus/ that no sidecar names:\n${orphans.join('\n')}`).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Parse expectations: each format's parser, behind one shape. (Silverlight adds its entry here.)

/** What the runner needs from a parser: the model (or null when rejected) and the diagnostics. */
type CorpusParser = (text: string, expectation: CorpusParseExpectation) => { model: object | null; diagnostics: Diagnostic[] };

const PARSERS: Partial<Record<CorpusParseExpectation['format'], CorpusParser>> = {
  flash: (text, e) => {
    const { policy, diagnostics } = parseFlashPolicy(text, { kind: e.kind ?? 'url', scheme: e.scheme ?? 'http', master: e.master ?? true });
    return { model: policy, diagnostics };
  },
  // spec/silverlight: counts name lists of the model, e.g. { "policies": 1 }.
  silverlight: (text) => {
    const { policy, diagnostics } = parseSilverlightPolicy(text);
    return { model: policy, diagnostics };
  },
};

/** A `diagnostics` entry is a requirement ID (matched against `requirement`) or a code. */
const REQUIREMENT_ID = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+$/;
const diagnosticMatches = (d: Diagnostic, wanted: string): boolean => (REQUIREMENT_ID.test(wanted) ? d.requirement === wanted : d.code === wanted);
const showDiagnostics = (ds: Diagnostic[]): string =>
  ds.length === 0 ? '  (none)' : ds.map((d) => `  ${d.severity} ${d.code} [${d.requirement}] ${d.line}:${d.column} ${d.message}`).join('\n');

describe('corpus: parse expectations', () => {
  for (const c of cases) {
    const e = c.parse;
    if (e === undefined || c.policyText === undefined) continue;
    const text = c.policyText;
    const ids = caseRequirements(c).join(', ');
    const what = `${e.format}${e.kind ? ` ${e.kind}` : ''}${e.scheme ? ` ${e.scheme}` : ''}${e.master === false ? ' non-master' : ''}`;
    it(`${c.id} [${ids}]: parse ${c.policyFile} as ${what} is ${e.valid ? 'accepted' : 'rejected'}`, () => {
      const parse = PARSERS[e.format];
      expect(parse, `no parser registered for format ${e.format}`).toBeDefined();
      const { model, diagnostics } = (parse as CorpusParser)(text, e);
      const context = `corpus/${c.path} (${c.title})\ndiagnostics:\n${showDiagnostics(diagnostics)}`;
      expect(model !== null, `${c.id}: expected the file to be ${e.valid ? 'accepted' : 'rejected as a whole'}\n${context}`).toBe(e.valid);
      for (const wanted of e.diagnostics ?? []) {
        expect(diagnostics.some((d) => diagnosticMatches(d, wanted)), `${c.id}: expected a diagnostic ${REQUIREMENT_ID.test(wanted) ? 'naming' : 'with code'} ${wanted}\n${context}`).toBe(true);
      }
      for (const unwanted of e.absentDiagnostics ?? []) {
        expect(diagnostics.some((d) => diagnosticMatches(d, unwanted)), `${c.id}: expected no diagnostic ${unwanted}\n${context}`).toBe(false);
      }
      for (const [key, count] of Object.entries(e.counts ?? {})) {
        const list = model === null ? undefined : (model as Record<string, unknown>)[key];
        expect(Array.isArray(list), `${c.id}: the model has no list ${key}\n${context}`).toBe(true);
        expect((list as unknown[]).length, `${c.id}: expected ${count} ${key}\n${context}`).toBe(count);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Requests: every request through `decide`, once per client the case gives a verdict for.

/** `origin → target (loadPolicyFile …, headers …)`, the request part of a test title. */
function summarize(r: CorpusRequest): string {
  let out = `${r.origin} → ${r.target}`;
  if (r.loadPolicy?.length) out += ` loadPolicyFile(${r.loadPolicy.join(', ')})`;
  if (r.headers?.length) out += ` headers(${r.headers.join(', ')})`;
  if (r.method) out += ` ${r.method}`;
  if (r.clientConfig) out += ` clientConfig ${JSON.stringify(r.clientConfig)}`;
  return out;
}

/** The decision, for people: verdict, reason, and the trace one step a line. */
function explain(d: Decision): string {
  const steps = d.trace.map((t) => `  ${t.step}${t.location ? ` ${t.location}` : ''}${t.answered ? ` (${t.answered})` : ''}: ${t.why} [${t.requirements.join(', ')}]`);
  return [`actual: ${d.decision}`, `reason: ${d.reason}`, 'trace:', ...steps].join('\n');
}

describe('corpus: verdicts', () => {
  // Every profile of every family a request names: the profile's divergence entry, or the
  // reference's verdict it inherits (src/corpus/expectations.ts).
  const decider = new Map<CorpusCase, Decider>();
  for (const c of cases) {
    (c.requests ?? []).forEach((r, index) => {
      const ids = [...new Set([...(c.requirements ?? []), ...(r.requirements ?? [])])].join(', ');
      for (const { client, verdict, from, note } of profileExpectations(c, index)) {
        // A record the profile does not model yet: its entry must still fail (src/profiles/types.ts `pending`).
        const pending = from === 'divergence' && (PROFILES[client].pending ?? []).some((p) => p.cases.includes(`${c.id}#${index}`) || (verdict !== r.expect[profileFamily(client)] && p.cases.includes(c.id)));
        (pending ? it.fails : it)(`${c.id} [${ids}]: ${client} ${summarize(r)} is ${verdict}${from === 'divergence' ? ' (divergence)' : ''}${pending ? ' — not modelled yet, must fail' : ''}`, () => {
          const request = { client, origin: r.origin, target: r.target, ...(r.loadPolicy ? { loadPolicy: r.loadPolicy } : {}), ...(r.headers ? { headers: r.headers } : {}), ...(r.method ? { method: r.method } : {}), ...(r.clientConfig ? { clientConfig: r.clientConfig } : {}) };
          let d = decider.get(c);
          if (d === undefined) decider.set(c, (d = createDecider(c.resolvedWorld)));
          const decision = d.decide(request);
          const context = `corpus/${c.path}: ${c.title}${r.note ? `\nnote: ${r.note}` : ''}${note ? `\ndivergence: ${note}` : ''}\nexpected: ${verdict}\n${explain(decision)}`;
          expect(decision.decision, context).toBe(verdict);
        });
      }
    });
  }

  it('PROF-2, PROF-3: checks every divergence entry of a modelled profile; the others name a client without a profile', () => {
    const problems: string[] = [];
    for (const c of cases) {
      for (const d of c.divergences ?? []) {
        if (!isProfileEntry(d)) {
          if (!(UNMODELLED_CLIENTS as readonly string[]).includes(d.client)) problems.push(`${c.id}: unknown client ${d.client}`);
          continue;
        }
        const indexes = d.request === undefined ? (c.requests ?? []).map((_, i) => i) : [d.request];
        if (d.request !== undefined && c.requests?.[d.request] === undefined) problems.push(`${c.id}: ${d.client} entry names request ${d.request}, which does not exist`);
        const checked = indexes.some((i) => profileExpectations(c, i).some((e) => e.client === d.client && e.from === 'divergence'));
        const familyAsked = (c.requests ?? []).some((r) => r.expect[profileFamily(d.client)] !== undefined);
        if (!checked && familyAsked && d.verdict !== 'invalid' && d.verdict !== 'valid') problems.push(`${c.id}: the ${d.client} entry (${d.verdict}) is checked by no request (its family has no expect there)`);
      }
    }
    for (const u of UNMODELLED_CLIENTS) expect((PROFILE_NAMES as readonly string[]).includes(u), `${u} is a profile now: take it out of UNMODELLED_CLIENTS`).toBe(false);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});

// Lint expectations (spec/lint.md): any case may say which findings its policy must or must not
// raise. corpus/lint/ is run by test/lint-corpus.test.ts, with the catalogue checks.
describe('corpus: lint expectations', () => {
  const withLint = cases.filter((c) => c.lint !== undefined && !c.path.startsWith('lint/'));
  if (withLint.length === 0) it.skip('(no case outside corpus/lint/ states lint expectations yet)', () => {});
  for (const c of withLint) {
    it(`${c.id} [${caseRequirements(c).join(', ')}]: lint finds ${(c.lint?.must ?? []).join(', ') || 'nothing it must not'}`, () => {
      const found = lintText(c.policyText ?? '', lintOptionsOf(c)).map((f) => f.id);
      for (const id of c.lint?.must ?? []) expect(found, `${c.id} must raise ${id}`).toContain(id);
      for (const id of c.lint?.mustNot ?? []) expect(found, `${c.id} must not raise ${id}`).not.toContain(id);
    });
  }
});
