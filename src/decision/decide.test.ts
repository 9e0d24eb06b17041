import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../corpus/load.js';
import { createDecider, decide } from './decide.js';
import { readRequest } from './request.js';
import { CLIENT_PROFILES, TRACE_STEPS, type ClientProfile, type Decision, type TraceAnswer } from './types.js';

const SOCKET_POLICY = '<cross-domain-policy><allow-access-from domain="*" to-ports="*"/></cross-domain-policy>\0';
const SL_POLICY = '<access-policy><cross-domain-access><policy><allow-from><domain uri="*"/></allow-from><grant-to><socket-resource port="4502-4534" protocol="tcp"/></grant-to></policy></cross-domain-access></access-policy>';
const WORLD = { 'xmlsocket://b.example:843': { body: SOCKET_POLICY }, 'xmlsocket://b.example:943': { body: SL_POLICY } };

describe('DECIDE-1: one request reader for both clients', () => {
  it('reads the origin and target once, the same for both clients, and the decision carries what it read', () => {
    for (const client of CLIENT_PROFILES) {
      const d = decide({ client, origin: 'HTTP://A.Example:80/games/app.xap', target: 'socket://B.EXAMPLE:4502' }, WORLD);
      expect(d.decision, client).toBe('allow');
      expect(d.origin).toBe('HTTP://A.Example:80/games/app.xap');
      expect(d.parsed?.origin).toMatchObject({ scheme: 'http', host: 'a.example', hostKind: 'name', port: 80, path: '/games/app.xap', href: 'http://a.example/games/app.xap' });
      expect(d.parsed?.target).toEqual({ kind: 'socket', host: 'b.example', port: 4502 });
      // The JSON output shows them.
      expect(JSON.parse(JSON.stringify(d)).parsed.origin.host).toBe('a.example');
    }
  });

  it('denies an unknown client naming no client, with one invalid-request step', () => {
    const d = decide({ client: 'netscape' as ClientProfile, origin: 'http://a.example/m.swf', target: 'socket://b.example:5000' }, WORLD);
    expect(d).toMatchObject({ decision: 'deny', client: null, parsed: null, decidedBy: { location: null, requirements: ['DECIDE-1'] } });
    expect(d.trace.map((t) => t.step)).toEqual(['invalid-request', 'deny']);
    expect(d.reason).toContain("unknown client profile \"netscape\"");
  });

  it('denies an unreadable origin or target for each client with that client\'s rule', () => {
    const rule = (client: ClientProfile, origin: string, target: string) => decide({ client, origin, target }, WORLD).decidedBy.requirements;
    expect(rule('flash', 'nope', 'socket://b.example:5000')).toEqual(['FLASH-URL-12']);
    expect(rule('silverlight', 'nope', 'socket://b.example:4502')).toEqual(['SL-DOM-1']);
    expect(rule('silverlight', 'http://a.example/app.xap', 'socket://b.example')).toEqual(['SL-SOCK-1']);
    expect(rule('silverlight', 'http://a.example/app.xap', 'ftp://b.example/x')).toEqual(['SL-HTTP-10']);
    expect(rule('flash', 'http://u:p@a.example/m.swf', 'socket://b.example:5000')).toEqual(['FLASH-URL-12']);
    expect(rule('silverlight', 'http://u:p@a.example/app.xap', 'socket://b.example:4502')).toEqual(['SL-DOM-11']);
  });

  it('reads loadPolicy, headers and method into typed fields', () => {
    const read = readRequest({ client: 'flash', origin: 'http://a.example/m.swf', target: 'http://b.example/x', loadPolicy: ['http://b.example/p.xml', 'junk'], headers: ['X-A'], method: '' });
    expect(read.request?.loadPolicy.map((l) => l.location?.key ?? null)).toEqual(['http://b.example/p.xml', null]);
    expect(read.request?.loadPolicy[1]?.diagnostics[0]?.requirement).toBe('FLASH-URL-5');
    expect(read.request?.headers).toEqual(['X-A']);
    expect(read.request?.method).toBe('GET');
  });

  it('never throws, whatever the request: anything unreadable is a denial', () => {
    const anything = fc.anything();
    fc.assert(
      fc.property(fc.record({ client: fc.oneof(fc.constantFrom<unknown>('flash', 'silverlight'), anything), origin: anything, target: anything, loadPolicy: anything, headers: anything, method: anything, clientConfig: anything }, { requiredKeys: [] }), (request) => {
        const d = decide(request as never, WORLD);
        expect(['allow', 'deny']).toContain(d.decision);
      }),
      { numRuns: 300 },
    );
    expect(decide(null as never, WORLD).decision).toBe('deny');
  });
});

describe('one trace vocabulary (spec/README.md, "Decision traces")', () => {
  const ANSWER = /^(policy|invalid|empty|refused|timeout|reset|redirect|none-this-response|content-type|unfinished \((reset|timeout|limit)\)|status \d+)$/;
  const check = (d: Decision, where: string): void => {
    for (const t of d.trace) {
      expect(TRACE_STEPS, where).toContain(t.step);
      if (t.answered !== undefined) expect(t.answered as TraceAnswer, where).toMatch(ANSWER);
    }
    expect(d.trace[d.trace.length - 1]?.step, where).toBe(d.decision);
  };

  it('every decision of the corpus, for both clients, uses only the vocabulary and ends with its verdict', () => {
    let n = 0;
    for (const c of loadCorpus()) {
      const decider = createDecider(c.resolvedWorld);
      for (const r of c.requests ?? []) {
        for (const client of CLIENT_PROFILES) {
          check(decider.decide({ ...r, client }), `${c.id} ${client} ${r.origin} → ${r.target}`);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(500);
  });

  it('names the same step with the same word in both clients: nothing listening is "refused", same origin is "same-origin"', () => {
    for (const client of CLIENT_PROFILES) {
      const none = decide({ client, origin: 'http://a.example/app.xap', target: 'socket://c.example:4502' }, {});
      expect(none.trace.find((t) => t.step === 'fetch')?.answered, client).toBe('refused');
      const same = decide({ client, origin: 'http://a.example/app.xap', target: 'http://a.example/data.xml' }, {});
      expect(same.trace.map((t) => t.step), client).toEqual(['same-origin', 'allow']);
    }
  });
});
