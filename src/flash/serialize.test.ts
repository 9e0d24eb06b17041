import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseFlashPolicy } from './parse.js';
import { escapeAttribute, flashPolicy, serializeFlashPolicy, withoutSource } from './serialize.js';
import type { FlashParseContext, FlashPolicy } from './model.js';
import { flashPolicyFor, parseContext } from './test-support/arbitraries.js';

const roundTrip = (m: FlashPolicy, ctx: FlashParseContext) => parseFlashPolicy(serializeFlashPolicy(m), ctx);

describe('serialization (FLASH-GRAM-13)', () => {
  it('FLASH-GRAM-13: the canonical form: declaration, DTD order, fixed attribute order, canonical to-ports', () => {
    const m = flashPolicy()
      .allowAccessFrom('*.a.com', { toPorts: ' 843 , 1000-2000 ', secure: false })
      .siteControl('master-only')
      .build();
    expect(serializeFlashPolicy(m)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<cross-domain-policy>\n  <site-control permitted-cross-domain-policies="master-only"/>\n  <allow-access-from domain="*.a.com" to-ports="843,1000-2000" secure="false"/>\n</cross-domain-policy>\n',
    );
    expect(serializeFlashPolicy(flashPolicy().build(), { declaration: false })).toBe('<cross-domain-policy/>\n');
  });

  it('FLASH-GRAM-13: property: parse(serialize(m)) equals m for generated models, without errors', () => {
    fc.assert(
      fc.property(
        parseContext.chain((ctx) => flashPolicyFor(ctx).map((m) => [ctx, m] as const)),
        ([ctx, m]) => {
          const r = roundTrip(m, ctx);
          expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(r.policy && withoutSource(r.policy)).toEqual(withoutSource(m));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('FLASH-GRAM-13: identity certificates and every markup character survive the round trip', () => {
    const m = flashPolicy()
      .allowAccessFromIdentity([{ fingerprint: `a"b'c<d>e&f\tg\nh\ri`, fingerprintAlgorithm: 'sha-1' }])
      .allowHttpRequestHeadersFrom('*', ['SOAPAction', 'X-*'])
      .build();
    const r = roundTrip(m, { kind: 'url', scheme: 'https' });
    expect(r.policy && withoutSource(r.policy)).toEqual(m);
  });

  it('FLASH-GRAM-13: no value can inject markup (npm policyfile can be injected, ours cannot)', () => {
    const evil = 'a.com" to-ports="843"/><allow-access-from domain="*';
    // npm policyfile concatenates: the same origin string becomes a grant to every domain.
    const require = createRequire(import.meta.url);
    const policyfile = require('policyfile') as { createServer(o: object, origins: string[]): { buffer: Uint8Array } };
    const theirs = parseFlashPolicy(Buffer.from(policyfile.createServer({ log: false }, [`${evil}:*`]).buffer).toString('utf8'), { kind: 'socket' });
    expect(theirs.policy?.allowAccessFrom.map((r) => r.domain)).toContain('*');
    // Ours: one element whose domain is the whole (invalid) string; the parser drops it.
    const xml = flashPolicy().allowAccessFrom(evil, { toPorts: '*' }).toXml();
    expect(xml.match(/<allow-access-from /g)).toHaveLength(1);
    const ours = parseFlashPolicy(xml, { kind: 'socket' });
    expect(ours.policy?.allowAccessFrom).toEqual([]);
    expect(ours.diagnostics.map((d) => [d.code, d.value])).toEqual([['invalid-domain', evil]]);
  });

  it('FLASH-GRAM-13: property: any string as a domain or fingerprint yields exactly one element and never a grant it did not name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (domain, fp) => {
        const xml = flashPolicy().allowAccessFrom(domain, { toPorts: '80' }).allowAccessFromIdentity([{ fingerprint: fp, fingerprintAlgorithm: 'sha-1' }]).toXml();
        const r = parseFlashPolicy(xml, { kind: 'socket' });
        // Either the value was serializable (then it reads back exactly) or the whole file fails closed.
        if (r.policy === null) return r.diagnostics.some((d) => d.severity === 'error');
        return r.policy.allowAccessFrom.every((x) => x.domain === domain) && r.policy.allowAccessFrom.length <= 1 && r.policy.allowAccessFromIdentity.length === 1;
      }),
      { numRuns: 1000 },
    );
  });

  it('FLASH-GRAM-13: escapeAttribute escapes markup, non-space whitespace and characters XML cannot carry', () => {
    expect(escapeAttribute(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    expect(escapeAttribute('a\tb\nc\rd')).toBe('a&#x9;b&#xA;c&#xD;d');
    expect(escapeAttribute('\u0000')).toBe('&#x0;');
    expect(escapeAttribute('\uD800x')).toBe('&#xD800;x');
    expect(escapeAttribute('\u{1F600}')).toBe('\u{1F600}');
    expect(escapeAttribute('plain')).toBe('plain');
  });

  it('FLASH-GRAM-13: withoutSource drops locations and raw values only', () => {
    const r = parseFlashPolicy('<cross-domain-policy><allow-access-from domain="*.A.com" to-ports="80"/></cross-domain-policy>', { kind: 'socket' });
    expect(r.policy?.allowAccessFrom[0]?.source).toBeDefined();
    expect(withoutSource(r.policy as FlashPolicy)).toEqual({
      format: 'flash',
      siteControl: [],
      allowAccessFrom: [{ domain: '*.A.com', toPorts: { any: false, ranges: [{ from: 80, to: 80 }] }, secure: null }],
      allowHttpRequestHeadersFrom: [],
      allowAccessFromIdentity: [],
    });
  });
});
