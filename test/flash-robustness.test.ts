import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseFlashPolicy, type FlashParseResult } from '../src/flash/parse.js';
import { serializeFlashPolicy } from '../src/flash/serialize.js';
import { flashPolicyFor, mutations, parseContext } from '../src/flash/test-support/arbitraries.js';

/** A result is well-formed: a policy or null, and a null policy always comes with a FLASH-XML error. */
function checkResult(r: FlashParseResult): boolean {
  if (!Array.isArray(r.diagnostics)) return false;
  if (r.diagnostics.some((d) => d.code === 'internal-error')) return false;
  if (r.policy === null) return r.diagnostics.some((d) => d.severity === 'error' && /^FLASH-XML-\d+$/.test(d.requirement));
  return r.policy.format === 'flash' && Array.isArray(r.policy.allowAccessFrom);
}

const SEED = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cross-domain-policy SYSTEM "http://www.adobe.com/xml/dtds/cross-domain-policy.dtd">
<!-- a comment -->
<cross-domain-policy xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <site-control permitted-cross-domain-policies="master-only"/>
  <allow-access-from domain="*.example.com" to-ports="843,1000-2000" secure="false"/>
  <allow-http-request-headers-from domain="a.com" headers="SOAPAction,X-*"/>
  <allow-access-from-identity><signatory><certificate fingerprint="01:23" fingerprint-algorithm="sha-1"/></signatory></allow-access-from-identity>
</cross-domain-policy>
`;

describe('parser robustness (FLASH-XML-1, FLASH-XML-5)', () => {
  it('FLASH-XML-1: property: parseFlashPolicy never throws and returns a result on arbitrary strings', () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: fc.constantFrom('<', '>', '/', '=', '"', "'", '&', ';', '!', '?', '-', '[', ']', 'a', ' ', '\u0000'), maxLength: 100 }));
    fc.assert(
      fc.property(text, parseContext, (t, ctx) => checkResult(parseFlashPolicy(t, ctx))),
      { numRuns: 2000 },
    );
  });

  it('FLASH-XML-1: property: parseFlashPolicy never throws on mutated policies (truncation, junk, NULs, BOMs, entities, case)', () => {
    fc.assert(
      fc.property(mutations(SEED), parseContext, (t, ctx) => checkResult(parseFlashPolicy(t, ctx))),
      { numRuns: 2000 },
    );
  });

  it('FLASH-XML-1: property: parseFlashPolicy never throws on mutations of generated valid policies', () => {
    const arb = parseContext.chain((ctx) => flashPolicyFor(ctx).chain((m) => mutations(serializeFlashPolicy(m), 3)).map((t) => [t, ctx] as const));
    fc.assert(
      fc.property(arb, ([t, ctx]) => checkResult(parseFlashPolicy(t, ctx))),
      { numRuns: 1000 },
    );
  });

  it('FLASH-XML-4: property: no mutation that adds an internal DTD subset yields a policy', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), (name) => {
        const text = SEED.replace('<!-- a comment -->', `<!DOCTYPE cross-domain-policy [<!ENTITY ${name || 'w'} "*">]>`).replace(/<!DOCTYPE cross-domain-policy SYSTEM[^>]*>\n/, '');
        return parseFlashPolicy(text, { kind: 'socket' }).policy === null;
      }),
      { numRuns: 200 },
    );
  });

  it('FLASH-XML-5: pathological inputs (deep nesting, huge attributes, many elements) end in a result, never a throw', () => {
    const inputs = [
      '<cross-domain-policy>' + '<a>'.repeat(100_000) + '</a>'.repeat(100_000) + '</cross-domain-policy>',
      '<cross-domain-policy>' + '<a>'.repeat(50_000),
      `<cross-domain-policy><allow-access-from domain="${'a'.repeat(1_000_000)}"/></cross-domain-policy>`,
      '<cross-domain-policy>' + '<allow-access-from domain="*"/>'.repeat(120_000) + '</cross-domain-policy>',
      '<'.repeat(100_000),
      '<!--'.repeat(50_000),
      '&'.repeat(100_000),
      '<cross-domain-policy ' + 'a="1" '.repeat(10_000) + '/>',
      '\uFEFF'.repeat(1000) + '<cross-domain-policy/>',
      'x'.repeat(5 * 1024 * 1024),
    ];
    for (const text of inputs) {
      const r = parseFlashPolicy(text, { kind: 'url' });
      expect(checkResult(r)).toBe(true);
      expect(r.policy).toBeNull();
    }
  });
});
