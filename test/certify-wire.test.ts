/**
 * The wire scenarios of corpus/wire/: their format, their requirements, and each one run live
 * against a conforming fixture server on loopback (titles name the requirement each checks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWireScenario, compileSend, gradeWire, loadWireScenarios, wireCase, type WireScenario } from '../conformance/wire.js';
import { defaultRunOptions, type CaseContext } from '../conformance/model.js';
import { createProber } from '../conformance/probe.js';
import { loadAnalyzers } from '../conformance/analyze.js';
import type { ExchangeResult } from '../conformance/client.js';
import { startFixture, testTarget, type Fixture } from '../conformance/test-support/servers.js';
import { specRequirements } from './support/requirements.js';

const scenarios = loadWireScenarios();
const specIds = new Set(specRequirements().map((r) => r.id));

describe('corpus/wire: format', () => {
  it('holds at least 30 scenarios, with unique written-out ids', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
  });

  it('gives every scenario a well-formed shape and a requirement that exists in spec/', () => {
    const problems = scenarios.flatMap((s) => [
      ...checkWireScenario(s).map((p) => `${s.id}: ${p}`),
      ...(specIds.has(s.requirement) ? [] : [`${s.id}: ${s.requirement} is not a requirement heading in spec/`]),
    ]);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('covers the probes issue 7 lists (exact, split, Silverlight, whitespace, <p garbage, oversize, idle, drip, two requests, HTTP, half-close, concurrency)', () => {
    const ids = scenarios.map((s) => s.id);
    for (const needed of [
      'wire/flash/exact-request',
      'wire/flash/split-bytewise',
      'wire/silverlight/exact-request',
      'wire/flash/leading-whitespace',
      'wire/flash/trailing-whitespace',
      'wire/flash/p-then-garbage',
      'wire/flash/oversize-1k',
      'wire/flash/oversize-64k',
      'wire/flash/idle',
      'wire/flash/slowloris',
      'wire/flash/two-requests',
      'wire/flash/http-request',
      'wire/flash/half-close-after-request',
      'wire/flash/many-concurrent',
    ]) {
      expect(ids).toContain(needed);
    }
  });

  it('checks each request and connection requirement with at least one scenario of the right level', () => {
    const levels = new Map<string, Set<string>>();
    for (const s of scenarios) levels.set(s.requirement, new Set([...(levels.get(s.requirement) ?? []), s.level]));
    const want: [string, 'MUST' | 'SHOULD'][] = [
      ['WIRE-REQ-1', 'MUST'],
      ['WIRE-REQ-2', 'MUST'],
      ['WIRE-REQ-3', 'MUST'],
      ['WIRE-REQ-4', 'SHOULD'],
      ['WIRE-REQ-5', 'MUST'],
      ['WIRE-REQ-6', 'SHOULD'],
      ['WIRE-REQ-7', 'SHOULD'],
      ['WIRE-CONN-1', 'SHOULD'],
      ['WIRE-CONN-2', 'MUST'],
      ['WIRE-CONN-3', 'MUST'],
    ];
    for (const [id, level] of want) expect([id, levels.get(id)?.has(level)]).toEqual([id, true]);
  });

  it('compiles scripts to the exact bytes: the 23-byte request with its NUL, byte-wise splits, fills', () => {
    const steps = compileSend([{ text: '<policy-file-request/>\u0000' }]);
    expect(steps).toEqual([{ write: Buffer.from('<policy-file-request/>\u0000', 'latin1') }]);
    expect((steps[0] as { write: Buffer }).write.length).toBe(23);
    const split = compileSend([{ text: 'abc', bytewise: true, delayMs: 5 }]);
    expect(split).toEqual([{ write: Buffer.from('a') }, { wait: 5 }, { write: Buffer.from('b') }, { wait: 5 }, { write: Buffer.from('c') }]);
    expect(compileSend([{ fill: 'A', count: 3 }, { hex: '00ff' }, { halfClose: true }])).toEqual([
      { write: Buffer.from('AAA') },
      { write: Buffer.from([0, 255]) },
      { end: true },
    ]);
  });
});

/** A synthetic exchange result, for the grading rules alone. */
function result(bytes: string, endReason: ExchangeResult['endReason']): ExchangeResult {
  return { bytes: Buffer.from(bytes, 'latin1'), truncated: false, connected: true, endReason, endMs: 10, bytesBeforeFirstWrite: 0, writeFailed: false };
}

describe('wire grading rules', () => {
  const base: WireScenario = { id: 'wire/flash/x', title: 't', client: 'flash', requirement: 'WIRE-REQ-1', level: 'MUST', send: [], expect: 'policy' };
  const policy = '<cross-domain-policy><allow-access-from domain="a" to-ports="1"/></cross-domain-policy>';

  it('WIRE-REQ-1: "policy" needs a complete policy of the client format, by NUL or close', () => {
    expect(gradeWire(base, result(`${policy}\u0000`, 'client-done'))).toBeNull();
    expect(gradeWire(base, result(policy, 'closed'))).toBeNull();
    expect(gradeWire(base, result('<cross-domain-policy><allow', 'timeout'))).not.toBeNull();
    expect(gradeWire({ ...base, client: 'silverlight', id: 'wire/silverlight/x' }, result(policy, 'closed'))).not.toBeNull();
  });

  it('WIRE-REQ-4: "no-policy" fails only when a policy was sent', () => {
    const s = { ...base, expect: 'no-policy' as const };
    expect(gradeWire(s, result('', 'closed'))).toBeNull();
    expect(gradeWire(s, result('', 'timeout'))).toBeNull();
    expect(gradeWire(s, result(policy, 'closed'))).not.toBeNull();
  });

  it('WIRE-REQ-5: "policy-or-close" fails a server that holds the connection silently', () => {
    const s = { ...base, expect: 'policy-or-close' as const };
    expect(gradeWire(s, result('', 'closed'))).toBeNull();
    expect(gradeWire(s, result('', 'reset'))).toBeNull();
    expect(gradeWire(s, result('', 'timeout'))).not.toBeNull();
    expect(gradeWire(s, result('xxxx', 'overflow'))).not.toBeNull();
  });

  it('WIRE-CONN-1: "close" needs the server to close; WIRE-RESP-3: "at-most-one-policy" counts documents', () => {
    expect(gradeWire({ ...base, expect: 'close' }, result('', 'closed'))).toBeNull();
    expect(gradeWire({ ...base, expect: 'close' }, result('', 'timeout'))).not.toBeNull();
    expect(gradeWire({ ...base, expect: 'at-most-one-policy' }, result(`${policy}\u0000`, 'closed'))).toBeNull();
    expect(gradeWire({ ...base, expect: 'at-most-one-policy' }, result(`${policy}\u0000${policy}\u0000`, 'closed'))).not.toBeNull();
  });
});

describe.concurrent('corpus/wire: every scenario passes against a conforming fixture server', () => {
  let flash: Fixture;
  let silverlight: Fixture;
  beforeAll(async () => {
    // The fixture closes every connection 4 s after it opened: inside the 10 s idle window, after the 2.3 s drip.
    [flash, silverlight] = await Promise.all([startFixture('good', { idleMs: 4000 }), startFixture('good-silverlight', { idleMs: 4000 })]);
  });
  afterAll(async () => {
    await Promise.all([flash.close(), silverlight.close()]);
  });

  for (const s of scenarios) {
    it(`${s.id} [${s.requirement}] ${s.level}: ${s.title}`, async () => {
      const fixture = s.client === 'flash' ? flash : silverlight;
      const target = testTarget(fixture.url);
      const options = defaultRunOptions({ timeoutMs: 3000 });
      const ctx: CaseContext = { target, client: s.client, probe: createProber(target, options), options, analyzers: await loadAnalyzers(), world: async () => ({}), signal: new AbortController().signal };
      const v = await wireCase(s).run(ctx);
      expect(v.status, `${v.actual} (expected ${v.expected.join(' | ')})`).toBe('pass');
    });
  }
});
