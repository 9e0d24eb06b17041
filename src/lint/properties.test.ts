import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlashPolicy, MetaPolicy, PortSpec } from '../flash/model.js';
import { parseFlashPolicy } from '../flash/parse.js';
import type { SilverlightPolicy } from '../silverlight/model.js';
import { CHECK_IDS } from './catalogue.js';
import { resolveLintContext, type LintOptions } from './context.js';
import { compareFindings, SEVERITY_RANK, type Finding } from './finding.js';
import { lint, lintText } from './lint.js';

// Pieces real and hostile policies are made of; the generator glues them into texts that are
// sometimes well-formed and often not.
const domains = ['*', '*.com', '*.co.uk', '*.github.io', '*.example.com', 'example.com', 'www.*.com', 'none.*', '127.0.0.1', '8.8.8.8', '[::1]', 'localhost', '', 'http://a.example', 'a.example:80', '0x7f.1', '&w;', '&amp;'];
const ports = ['*', '80', '25,443', '1-65535', '1024-65535', '900-1100', '5-1', '', 'x', '843', '6379,11211', '4502-4534'];
const metas = ['all', 'none', 'master-only', 'by-content-type', 'by-ftp-filename', 'bogus'];
const servedFroms = [undefined, 'https://h/crossdomain.xml', 'http://h/sub/p.xml', 'ftp://h/crossdomain.xml', 'xmlsocket://h:843', 'xmlsocket://h:5000', 'https://h/clientaccesspolicy.xml', 'xmlsocket://h:943', 'not a url'];

const attr = (name: string, values: string[]): fc.Arbitrary<string> => fc.option(fc.constantFrom(...values).map((v) => ` ${name}="${v}"`), { nil: '' }).map((s) => s ?? '');
const flashElement = fc.oneof(
  fc.tuple(attr('domain', domains), attr('to-ports', ports), attr('secure', ['true', 'false', 'yes'])).map(([a, b, c]) => `<allow-access-from${a}${b}${c}/>`),
  fc.tuple(attr('domain', domains), attr('headers', ['*', 'SOAPAction', 'X-*', ''])).map(([a, b]) => `<allow-http-request-headers-from${a}${b}/>`),
  attr('permitted-cross-domain-policies', metas).map((a) => `<site-control${a}/>`),
  fc.constantFrom('<Allow-Access-From domain="*"/>', 'text', '<!-- c -->', '<allow-access-from-identity/>', '<'),
);
const slElement = fc.oneof(
  fc.constantFrom(...domains, 'http://*', 'https://*', 'file:///', 'https://*.github.io', 'https://a.example/app.xap').map((d) => `<domain uri="${d}"/>`),
);
const flashText = fc.tuple(fc.constantFrom('', '<?xml version="1.0"?>\n', '\uFEFF', ' ', '<!DOCTYPE cross-domain-policy [<!ENTITY w "*">]>'), fc.array(flashElement, { maxLength: 6 })).map(([head, els]) => `${head}<cross-domain-policy>\n${els.join('\n')}\n</cross-domain-policy>`);
const slText = fc
  .tuple(fc.array(slElement, { maxLength: 4 }), attr('http-request-headers', ['*', 'SOAPAction', '']), fc.constantFrom('<resource path="/" include-subpaths="true"/>', '<resource path=""/>', '<socket-resource port="4502-4534" protocol="tcp"/>', '<socket-resource port="*" protocol="tcp"/>', ''))
  .map(([ds, h, g]) => `<?xml version="1.0"?><access-policy><cross-domain-access><policy><allow-from${h}>${ds.join('')}</allow-from><grant-to>${g}</grant-to></policy></cross-domain-access></access-policy>`);
const anyText = fc.oneof(flashText, slText, fc.string({ maxLength: 200 }), fc.constantFrom('<?HbeG@1le', '<', '<?xml'));
const options = fc.record({ servedFrom: fc.constantFrom(...servedFroms), client: fc.constantFrom('flash' as const, 'silverlight' as const, 'all' as const) }).map((o) => {
  const out: LintOptions = { client: o.client };
  if (o.servedFrom !== undefined) out.servedFrom = o.servedFrom;
  return out;
});

function isSorted(findings: readonly Finding[]): boolean {
  return findings.every((f, i) => i === 0 || compareFindings(findings[i - 1]!, f) <= 0);
}

describe('lint properties', () => {
  it('LINT-5, LINT-1: lintText never throws on any text; every finding has a catalogue ID, a severity, a position and a value', () => {
    fc.assert(
      fc.property(anyText, options, (text, opts) => {
        const findings = lintText(text, opts);
        for (const f of findings) {
          expect(CHECK_IDS).toContain(f.id);
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.column).toBeGreaterThanOrEqual(1);
          expect(typeof f.value).toBe('string');
          expect(SEVERITY_RANK[f.severity]).toBeTypeOf('number');
        }
      }),
      { numRuns: 600 },
    );
  });
  it('LINT-2: findings are deterministic and sorted by severity, then position', () => {
    fc.assert(
      fc.property(anyText, options, (text, opts) => {
        const a = lintText(text, opts);
        const b = lintText(text, opts);
        expect(b).toEqual(a);
        expect(isSorted(a)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
  it('LINT-5: lint never throws on any model the Flash parser produces, in any context', () => {
    fc.assert(
      fc.property(flashText, options, fc.constantFrom('url' as const, 'socket' as const), (text, opts, kind) => {
        const { policy } = parseFlashPolicy(text, { kind, scheme: 'https', master: true });
        if (policy) expect(isSorted(lint(policy, resolveLintContext(text, opts).context))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
  it('LINT-5: lint never throws on hand-built models with odd values (reversed and empty ranges, unknown domains)', () => {
    const portSpec: fc.Arbitrary<PortSpec | null> = fc.oneof(
      fc.constant(null),
      fc.constant({ any: true as const }),
      fc.array(fc.record({ from: fc.integer({ min: -5, max: 70000 }), to: fc.integer({ min: -5, max: 70000 }) }), { maxLength: 4 }).map((ranges) => ({ any: false as const, ranges })),
    );
    const rule = fc.record({ domain: fc.oneof(fc.constantFrom(...domains), fc.string({ maxLength: 20 })), toPorts: portSpec, secure: fc.constantFrom(true, false, null) });
    const flashModel: fc.Arbitrary<FlashPolicy> = fc.record({
      format: fc.constant('flash' as const),
      siteControl: fc.array(fc.record({ permittedCrossDomainPolicies: fc.constantFrom<MetaPolicy>('none', 'master-only', 'by-content-type', 'by-ftp-filename', 'all') }), { maxLength: 3 }),
      allowAccessFrom: fc.array(rule, { maxLength: 6 }),
      allowHttpRequestHeadersFrom: fc.array(fc.record({ domain: fc.string({ maxLength: 12 }), headers: fc.array(fc.constantFrom('*', 'a', 'X-*')), secure: fc.constantFrom(true, false, null) }), { maxLength: 3 }),
      allowAccessFromIdentity: fc.constant([]),
    });
    const slModel: fc.Arbitrary<SilverlightPolicy> = fc.record({
      format: fc.constant('silverlight' as const),
      policies: fc.array(
        fc.record({
          allowFrom: fc.array(fc.record({ domains: fc.array(fc.record({ uri: fc.oneof(fc.constantFrom('*', 'http://*', 'https://*.com', 'file:///'), fc.string({ maxLength: 20 })) }), { maxLength: 3 }), httpRequestHeaders: fc.array(fc.constantFrom('*', 'a')), httpMethods: fc.array(fc.constantFrom('*', 'PUT')) }), { maxLength: 2 }),
          grantTo: fc.array(fc.record({ resources: fc.array(fc.record({ path: fc.constantFrom('/', '/a', ''), includeSubpaths: fc.boolean() }), { maxLength: 2 }), socketResources: fc.array(fc.record({ from: fc.integer({ min: 4400, max: 4600 }), to: fc.integer({ min: 4400, max: 4600 }), protocol: fc.constant('tcp' as const) }), { maxLength: 3 }) }), { maxLength: 2 }),
        }),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.oneof(flashModel, slModel), options, (m, opts) => {
        const findings = lint(m, resolveLintContext('', opts).context);
        expect(isSorted(findings)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
