/**
 * The client conformance vectors (CONFORM-1) and the protocol's encoding (CONFORM-2): fresh, valid
 * against their schema, self-contained, every expectation checked; requests and answers read and
 * written as spec/conform.md says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerLine } from '../conformance/kit/adapter.js';
import { referenceDecision } from '../conformance/kit/conform.js';
import { protocolLine, readAnswer, requestOf, splitCommand } from '../conformance/kit/protocol.js';
import { buildVectors, corpusVerdict, readVectorFile, type VectorFile } from '../conformance/kit/vectors.js';
import { generateVectors, specIndex } from '../scripts/vectors.js';
import { loadCorpus } from '../src/corpus/load.js';
import { REPO_ROOT } from './support/requirements.js';
import { Ajv2020 } from 'ajv/dist/2020.js';

const generated = generateVectors();
const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'vectors', 'schema.json'), 'utf8')) as Record<string, unknown>;
// The schema is checked by a validator we did not write (ajv, JSON Schema 2020-12).
const checkSchema = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
function validate(value: unknown): string[] {
  return checkSchema(value) ? [] : (checkSchema.errors ?? []).map((e) => `${e.instancePath || '$'} ${e.message ?? e.keyword}`);
}
const files = new Map([...generated].map(([name, text]) => [name, JSON.parse(text) as VectorFile]));

describe('vectors (CONFORM-1)', () => {
  it('are committed as npm run vectors writes them (run it after changing corpus/ or spec/)', () => {
    for (const [name, text] of generated) expect(readFileSync(join(REPO_ROOT, 'vectors', name), 'utf8') === text, `vectors/${name} is stale: run \`npm run vectors\``).toBe(true);
  });

  it('the README states how many cases they hold (its bench:conform figure)', () => {
    const total = [...files.values()].reduce((n, f) => n + f.cases.length, 0);
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain(`the whole corpus, ${total} cases of both`);
  });

  it('match vectors/schema.json, and the schema check can fail', () => {
    for (const [name, file] of files) expect(validate(file), name).toEqual([]);
    const broken = structuredClone(files.get('flash.json')!);
    (broken.cases[0] as unknown as Record<string, unknown>).decision = 'allow';
    broken.cases[1]!.world['http://h/crossdomain.xml'] = { body: 'x', status: '200' } as never;
    delete (broken.cases[2] as Partial<typeof broken.cases[2]>).expect;
    const problems = validate(broken).join('\n');
    expect(problems).toMatch(/\/cases\/0 must NOT have additional properties/);
    expect(problems).toMatch(/\/cases\/1\/world\/http:~1~1h~1crossdomain\.xml\/status must be integer/);
    expect(problems).toMatch(/\/cases\/2 must have required property 'expect'/);
  });

  it('hold every corpus request of the client, or list it as excluded with the reason', () => {
    const corpus = loadCorpus(join(REPO_ROOT, 'corpus'));
    for (const client of ['flash', 'silverlight'] as const) {
      const file = files.get(`${client}.json`)!;
      const ids = new Set([...file.cases.map((c) => c.id), ...file.excluded.map((e) => e.id)]);
      const wanted = corpus.flatMap((c) => (c.requests ?? []).flatMap((r, i) => (r.expect[client] ? [`${c.id}#${i}`] : [])));
      expect([...ids].sort()).toEqual(wanted.sort());
      expect(file.excluded.every((e) => e.why.includes('client configuration'))).toBe(true);
    }
  });

  it('describe every requirement they name, and every profile they expect', () => {
    for (const file of files.values()) {
      for (const c of file.cases) {
        for (const id of c.requirements) expect(file.requirements[id], `${c.id}: ${id}`).toBeDefined();
        for (const p of Object.keys(c.expect)) expect(file.profiles[p], `${c.id}: ${p}`).toBeDefined();
        expect(c.expect[file.client]).toBeDefined();
      }
    }
  });

  it('expect of every profile only what our implementation of it decides (checked verdicts only)', () => {
    for (const file of files.values()) {
      for (const c of file.cases) for (const [p, v] of Object.entries(c.expect)) expect(referenceDecision(c, p).decision, `${c.id} as ${p}`).toBe(v);
    }
  });

  it('publish a modelled profile\'s corpus verdict only where checked; the rest is listed as unchecked', () => {
    const corpus = loadCorpus(join(REPO_ROOT, 'corpus'), 'flash/sockets');
    const spec = specIndex();
    const withEntry = corpus.find((c) => (c.divergences ?? []).some((d) => d.client === 'lightspark' && (d.verdict === 'allow' || d.verdict === 'deny')))!;
    expect(withEntry).toBeDefined();
    // A stand-in implementation of lightspark that reaches the corpus's verdict everywhere but on one request.
    const wrongOn = `${withEntry.id}#0`;
    const byId = new Map<string, 'allow' | 'deny' | undefined>(corpus.flatMap((c) => (c.requests ?? []).map((_, i) => [`${c.id}#${i}`, corpusVerdict(c, i, 'lightspark')] as const)));
    const file = buildVectors(corpus, 'flash', spec, [{ name: 'lightspark', description: 'test' }], (_p, v) => {
      const verdict = byId.get(v.id) ?? 'deny';
      return v.id === wrongOn ? (verdict === 'allow' ? 'deny' : 'allow') : verdict;
    });
    expect(file.cases.find((c) => c.id === wrongOn)!.expect.lightspark).toBeUndefined();
    expect(file.unchecked.some((u) => u.id === wrongOn && u.profile === 'lightspark')).toBe(true);
    for (const c of file.cases) if (c.id !== wrongOn && c.expect.lightspark === undefined) expect(file.unchecked.some((u) => u.id === c.id), c.id).toBe(true);
    // A divergence entry is the profile's verdict; no entry means the reference's.
    const entry = withEntry.divergences!.find((d) => d.client === 'lightspark')!;
    expect(corpusVerdict(withEntry, entry.request ?? 0, 'lightspark')).toBe(entry.verdict);
    const plain = corpus.find((c) => (c.divergences ?? []).length === 0)!;
    expect(corpusVerdict(plain, 0, 'lightspark')).toBe(plain.requests![0]!.expect.flash);
  });

  it('are read strictly: another version, a bad verdict or world is named', () => {
    const text = generated.get('flash.json')!;
    expect(readVectorFile(text).file?.cases.length).toBe(files.get('flash.json')!.cases.length);
    expect(readVectorFile(text.replace('"version": 1', '"version": 2')).problems[0]).toMatch(/version 2; this xdpolicy reads version 1/);
    const bad = structuredClone(files.get('flash.json')!);
    bad.cases[3]!.expect.flash = 'maybe' as never;
    bad.cases[4]!.world = { 'ftp://x/': { body: '' } };
    const problems = readVectorFile(JSON.stringify(bad)).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain(`(${bad.cases[3]!.id}): expect.flash must be "allow" or "deny"`);
    expect(problems[1]).toContain(`(${bad.cases[4]!.id}): "world"`);
  });
});

describe('protocol lines (CONFORM-2)', () => {
  const flash = files.get('flash.json')!;
  it('a request carries loadPolicy, headers and method only when the case has them', () => {
    const plain = flash.cases.find((c) => c.loadPolicy.length === 0)!;
    expect(Object.keys(requestOf(plain)).sort()).toEqual(['client', 'id', 'origin', 'target', 'world']);
    const withLoad = flash.cases.find((c) => c.loadPolicy.length > 0)!;
    expect(requestOf(withLoad).loadPolicy).toEqual(withLoad.loadPolicy);
    const sl = files.get('silverlight.json')!.cases;
    const withMethod = sl.find((c) => c.method !== undefined)!;
    const withHeaders = sl.find((c) => c.headers.length > 0)!;
    expect(requestOf(withMethod).method).toBe(withMethod.method);
    expect(requestOf(withHeaders).headers).toEqual(withHeaders.headers);
  });

  it('lines are printable ASCII ending in one newline, and decode to the same value (NUL, U+2028, astral)', () => {
    const value = { id: 'x', world: { 'xmlsocket://h:843': { body: '<a\u0000b>\u2028é\u{1F600}\r\n\ud800' } } };
    const line = protocolLine(value);
    expect(line).toMatch(/^[\x20-\x7e]*\n$/);
    expect(JSON.parse(line)).toEqual(value);
    for (const c of flash.cases.slice(0, 50)) expect(protocolLine(requestOf(c))).toMatch(/^[\x20-\x7e]*\n$/);
  });

  it('answers: exactly one outcome, verdicts allow/deny, extra fields ignored', () => {
    expect(readAnswer('{"id":"a","decision":"allow","trace":[1]}')).toEqual({ answer: { id: 'a', decision: 'allow' } });
    expect(readAnswer('{"id":"a","skip":"no http"}')).toEqual({ answer: { id: 'a', skip: 'no http' } });
    expect(readAnswer('{"id":"a","error":"boom"}')).toEqual({ answer: { id: 'a', error: 'boom' } });
    expect(readAnswer('{"id":"a","decision":"Allow"}')).toEqual({ problem: '"decision" must be "allow" or "deny", not "Allow"' });
    expect(readAnswer('{"id":"a","decision":"allow","skip":"x"}')).toEqual({ problem: 'needs exactly one of "decision", "skip", "error" (has decision and skip)' });
    expect(readAnswer('{"decision":"allow"}')).toEqual({ problem: 'no "id" string' });
    expect(readAnswer('allow')).toEqual({ problem: 'not JSON' });
  });

  it('--impl is split like a shell splits it, without a shell', () => {
    expect(splitCommand(`python3 "my adapter.py" --x='a b' c\\ d "q\\"q" ''`)).toEqual({ words: ['python3', 'my adapter.py', '--x=a b', 'c d', 'q"q', ''] });
    expect(splitCommand('echo $HOME | cat')).toEqual({ words: ['echo', '$HOME', '|', 'cat'] });
    expect(splitCommand('a "b')).toEqual({ problem: 'an unclosed double quote' });
    expect(splitCommand('   ')).toEqual({ problem: 'no command' });
  });

  it('the built-in adapter answers every vector with the expected verdict, in-process', () => {
    for (const file of files.values()) {
      for (const c of file.cases) expect(answerLine(JSON.stringify(requestOf(c)), file.client), c.id).toEqual({ id: c.id, decision: c.expect[file.client] });
    }
    expect(answerLine('{"id":"a","client":"silverlight","origin":"http://a/x.xap","target":"socket://b:4502","world":{}}', 'flash')).toMatchObject({ id: 'a', skip: expect.stringContaining('a flash client') });
    expect(answerLine('{"id":"a","client":"flash","origin":"http://a/x.swf","target":"socket://b:1","world":{"xmlsocket://b:843":{"bdy":""}}}', 'flash')).toMatchObject({ id: 'a', error: expect.stringContaining("unknown field 'bdy'") });
    expect(answerLine('nope', 'flash')).toEqual({ id: null, error: 'the request line is not JSON' });
  });
});
