/**
 * Findings an operator can act on (issue 15): remediation and fixes (LINT-12), trust in other
 * registered domains (LINT-14), the context given never reported as inferred (LINT-15), the
 * indexed shadowed-rule check that never stops silently (LINT-16), and the Silverlight `*` wording.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDomainPattern } from '../flash/domains.js';
import { effectiveSecure } from '../flash/effective.js';
import type { FlashAllowAccessFrom, FlashPolicy, PortSpec } from '../flash/model.js';
import { checkShadowedRules, SHADOW_COMPARISON_BUDGET } from './checks/index.js';
import { mergeRanges, portRanges } from './checks/ports.js';
import { domainCovers } from './checks/rules.js';
import { resolveLintContext, type LintContext } from './context.js';
import { applyFixes, fixDiff, fixesOf } from './fix.js';
import { lintText, lintTextReport } from './lint.js';

const X = '<?xml version="1.0"?>\n';
const flash = (body: string): string => `${X}<cross-domain-policy>\n${body}\n</cross-domain-policy>\n`;
const sl = (domains: string, grants: string): string =>
  `${X}<access-policy>\n  <cross-domain-access>\n    <policy>\n      <allow-from>\n        ${domains}\n      </allow-from>\n      <grant-to>\n        ${grants}\n      </grant-to>\n    </policy>\n  </cross-domain-access>\n</access-policy>\n`;
const HTTPS = 'https://www.example.com/crossdomain.xml';
const SOCK = 'xmlsocket://game.example.com:843';

describe('LINT-SL-DOMAIN-ANY speaks of what the kind of policy opens', () => {
  it('a socket policy: socket connections, never "the visitor\'s credentials"', () => {
    const text = sl('<domain uri="*"/>', '<socket-resource port="4502" protocol="tcp"/>');
    const f = lintText(text, { servedFrom: 'xmlsocket://game.example.com:943' }).find((x) => x.id === 'LINT-SL-DOMAIN-ANY');
    expect(f?.message).toContain('socket connections');
    expect(f?.message).not.toContain('credentials');
  });
  it('an HTTP policy: the visitor\'s credentials', () => {
    const text = sl('<domain uri="*"/>', '<resource path="/api/" include-subpaths="true"/>');
    const f = lintText(text, { servedFrom: 'https://www.example.com/clientaccesspolicy.xml' }).find((x) => x.id === 'LINT-SL-DOMAIN-ANY');
    expect(f?.message).toContain("visitor's credentials");
  });
});

describe('LINT-15: --served-from given, nothing reported as inferred', () => {
  for (const [name, text] of [
    ['an empty file', ''],
    ['a file whose root is not a policy root', `${X}<html><body/></html>\n`],
    ['a truncated file', '<cross-domain-policy><allow-access-from domain="*"'],
  ] as const) {
    it(name, () => {
      const ids = lintText(text, { servedFrom: HTTPS }).map((f) => f.id);
      expect(ids).toContain('LINT-PARSE-REJECTED');
      expect(ids).not.toContain('LINT-CONTEXT-INFERRED');
    });
  }
  it('without --served-from the inference is still reported (LINT-4)', () => {
    expect(lintText('').map((f) => f.id)).toContain('LINT-CONTEXT-INFERRED');
  });
});

describe('LINT-14: trust in other registered domains', () => {
  const policy = flash(
    [
      '  <allow-access-from domain="widgets.partner-cdn.net"/>',
      '  <allow-access-from domain="*.cdn.partner-cdn.net"/>',
      '  <allow-access-from domain="static.example.com"/>',
      '  <allow-access-from domain="*.github.io"/>',
      '  <allow-access-from domain="10.1.2.3"/>',
      '  <allow-http-request-headers-from domain="api.other.co.uk" headers="X-A"/>',
    ].join('\n'),
  );
  it('names each registered domain other than the served host\'s, per grant (public suffixes, IPs and the own domain are not listed)', () => {
    const found = lintText(policy, { servedFrom: HTTPS }).filter((f) => f.id === 'LINT-DOMAIN-REGISTERED');
    expect(found.map((f) => [f.line, f.value])).toEqual([
      [3, 'partner-cdn.net'],
      [4, 'partner-cdn.net'],
      [8, 'other.co.uk'],
    ]);
    expect(found[0]!.severity).toBe('info');
    expect(found[0]!.message).toContain('not this host\'s (example.com)');
    expect(found[0]!.requirement).toBe('LINT-14');
  });
  it('--trusted marks the expected ones: grants under their registered domains are not listed', () => {
    const found = lintText(policy, { servedFrom: HTTPS, trusted: ['www.partner-cdn.net'] }).filter((f) => f.id === 'LINT-DOMAIN-REGISTERED');
    expect(found.map((f) => f.value)).toEqual(['other.co.uk']);
    expect(found[0]!.message).toContain('not among --trusted');
  });
  it('Silverlight <domain uri> hosts too', () => {
    const text = sl('<domain uri="https://app.partner.net"/>', '<resource path="/api/" include-subpaths="true"/>');
    const found = lintText(text, { servedFrom: 'https://www.example.com/clientaccesspolicy.xml' }).filter((f) => f.id === 'LINT-DOMAIN-REGISTERED');
    expect(found.map((f) => f.value)).toEqual(['partner.net']);
  });
  it('is not folded into what a grant that never applies would raise (it describes, it does not judge)', () => {
    const text = flash('  <site-control permitted-cross-domain-policies="none"/>\n  <allow-access-from domain="*.partner.net"/>');
    const never = lintText(text, { servedFrom: HTTPS }).find((f) => f.id === 'LINT-RULE-NEVER-APPLIES');
    expect(never?.message).not.toContain('LINT-DOMAIN-REGISTERED');
  });
});

describe('LINT-12: remediation and the fixed element', () => {
  it('every finding says what to change', () => {
    const findings = lintText(flash('  <allow-access-from domain="*" secure="false"/>\n  <allow-access-from domain="*.github.io"/>'), { servedFrom: HTTPS });
    expect(findings.length).toBeGreaterThan(2);
    for (const f of findings) expect(f.remediation, f.id).toMatch(/\S/);
  });
  it('a * grant becomes one element per --trusted domain, indented as the original', () => {
    const text = flash('  <allow-access-from domain="*"/>');
    const f = lintText(text, { servedFrom: HTTPS, trusted: ['www.example.com', '*.partner.net'] }).find((x) => x.id === 'LINT-DOMAIN-ANY');
    expect(f?.fix?.kind).toBe('trusted-domains');
    expect(f?.fix?.original).toBe('<allow-access-from domain="*"/>');
    expect(f?.fix?.replacement).toBe('<allow-access-from domain="www.example.com"/>\n  <allow-access-from domain="*.partner.net"/>');
  });
  it('without --trusted the remediation says what the fix needs, and there is no fix', () => {
    const f = lintText(flash('  <allow-access-from domain="*"/>'), { servedFrom: HTTPS }).find((x) => x.id === 'LINT-DOMAIN-ANY');
    expect(f?.fix).toBeUndefined();
    expect(f?.remediation).toContain('--trusted');
  });
  it('to-ports="*" becomes the ports the other rules use', () => {
    const text = flash('  <allow-access-from domain="a.example.com" to-ports="5000-5010,6000"/>\n  <allow-access-from domain="b.example.com" to-ports="5005-5020"/>\n  <allow-access-from domain="c.example.com" to-ports="*"/>');
    const f = lintText(text, { servedFrom: SOCK }).find((x) => x.id === 'LINT-PORT-ANY');
    expect(f?.fix?.replacement).toBe('<allow-access-from domain="c.example.com" to-ports="5000-5020,6000"/>');
  });
  it('to-ports="*" with no other ports in the file: no fix, and the remediation says why', () => {
    const f = lintText(flash('  <allow-access-from domain="c.example.com" to-ports="*"/>'), { servedFrom: SOCK }).find((x) => x.id === 'LINT-PORT-ANY');
    expect(f?.fix).toBeUndefined();
    expect(f?.remediation).toContain('No other rule of the file names ports');
  });
  it('secure="false" is removed (quotes, spacing and the rest of the element kept)', () => {
    const text = flash("  <allow-http-request-headers-from domain='www.example.com'  secure = 'false' headers='X-A'/>");
    const f = lintText(text, { servedFrom: HTTPS }).find((x) => x.id === 'LINT-SECURE-FALSE-HTTPS');
    expect(f?.fix?.replacement).toBe("<allow-http-request-headers-from domain='www.example.com' headers='X-A'/>");
  });
  it('Silverlight <domain uri="*"/> becomes http:// and https:// URIs of each --trusted domain', () => {
    const text = sl('<domain uri="*"/>', '<resource path="/api/" include-subpaths="true"/>');
    const f = lintText(text, { servedFrom: 'https://www.example.com/clientaccesspolicy.xml', trusted: ['www.example.com'] }).find((x) => x.id === 'LINT-SL-DOMAIN-ANY');
    expect(f?.fix?.replacement).toBe('<domain uri="http://www.example.com"/>\n        <domain uri="https://www.example.com"/>');
  });
  it('fixes of one element compose, and the diff shows every change with context', () => {
    const text = flash('  <allow-access-from domain="*" secure="false"/>\n  <allow-access-from domain="www.example.com"/>');
    const report = lintTextReport(text, { servedFrom: HTTPS, trusted: ['a.example.com', 'b.example.com'] });
    const fixes = fixesOf(report.findings);
    expect(fixes.map((f) => f.kind).sort()).toEqual(['drop-secure-false', 'trusted-domains']);
    const fixed = applyFixes(text, fixes);
    expect(fixed).toBe(flash('  <allow-access-from domain="a.example.com"/>\n  <allow-access-from domain="b.example.com"/>\n  <allow-access-from domain="www.example.com"/>'));
    expect(lintText(fixed, { servedFrom: HTTPS }).map((f) => f.id)).not.toContain('LINT-DOMAIN-ANY');
    expect(fixDiff(text, fixes, 'crossdomain.xml')).toBe(
      [
        '--- crossdomain.xml',
        '+++ crossdomain.xml (fixed)',
        '@@ -1,5 +1,6 @@',
        ' <?xml version="1.0"?>',
        ' <cross-domain-policy>',
        '-  <allow-access-from domain="*" secure="false"/>',
        '+  <allow-access-from domain="a.example.com"/>',
        '+  <allow-access-from domain="b.example.com"/>',
        '   <allow-access-from domain="www.example.com"/>',
        ' </cross-domain-policy>',
        '',
      ].join('\n'),
    );
  });
});

describe('LINT-16: the shadowed-rule check is indexed and never stops silently', () => {
  const rules = (n: number, line: (i: number) => string): string => flash(Array.from({ length: n }, (_, i) => line(i)).join('\n'));
  it('finds shadowed rules past 2,000 rules (it used to stop there without a word)', () => {
    // 3,000 distinct hosts, then a repeat of the first and a host under a wildcard at the end.
    const text = rules(3000, (i) => `  <allow-access-from domain="host${i}.example.com" to-ports="${1024 + i}"/>`).replace('</cross-domain-policy>', '  <allow-access-from domain="*.zone.example.net" to-ports="9000-9100"/>\n  <allow-access-from domain="a.zone.example.net" to-ports="9050"/>\n  <allow-access-from domain="host0.example.com" to-ports="1024"/>\n</cross-domain-policy>');
    const found = lintText(text, { servedFrom: SOCK });
    const shadowed = found.filter((f) => f.id === 'LINT-RULE-SHADOWED');
    expect(shadowed.map((f) => f.value)).toEqual(['a.zone.example.net', 'host0.example.com']);
    expect(shadowed[1]!.message).toContain('on line 3');
    expect(found.map((f) => f.id)).not.toContain('LINT-CHECK-INCOMPLETE');
  });
  it('5,000 rules for distinct hosts are compared in full', () => {
    const text = rules(5_000, (i) => `  <allow-access-from domain="h${i}.example.com" to-ports="80${i % 10}"/>`).replace('</cross-domain-policy>', '  <allow-access-from domain="h4999.example.com" to-ports="809"/>\n</cross-domain-policy>');
    const found = lintText(text, { servedFrom: SOCK });
    expect(found.filter((f) => f.id === 'LINT-RULE-SHADOWED').map((f) => f.line)).toEqual([5_003]);
    expect(found.map((f) => f.id)).not.toContain('LINT-CHECK-INCOMPLETE');
  });
  it('past its stated bound it says so, naming the rules it did not reach', () => {
    expect(SHADOW_COMPARISON_BUDGET).toBe(1_000_000);
    const text = rules(1100, (i) => `  <allow-access-from domain="*" to-ports="${2000 + 2 * i}"/>`);
    const found = lintText(text, { servedFrom: SOCK });
    const incomplete = found.filter((f) => f.id === 'LINT-CHECK-INCOMPLETE');
    expect(incomplete).toHaveLength(1);
    expect(incomplete[0]!.message).toMatch(/stopped after 1,000,000 comparisons .* the \d+ rules from line \d+ on were not checked/);
    expect(incomplete[0]!.requirement).toBe('LINT-16');
  });
});

describe('LINT-16: the index finds what comparing every pair finds', () => {
  // The oracle: every pair, in file order (the check before it was indexed, without its cut-off).
  function pairwise(policy: FlashPolicy, context: LintContext): string[] {
    const secure = (r: FlashAllowAccessFrom): boolean => effectiveSecure(r.secure, { kind: context.kind, ...(context.scheme !== undefined ? { scheme: context.scheme } : {}) });
    const portsCover = (a: FlashAllowAccessFrom, b: FlashAllowAccessFrom): boolean => {
      if (context.kind !== 'socket') return true;
      if (!a.toPorts || !b.toPorts) return false;
      if (a.toPorts.any) return true;
      if (b.toPorts.any) return false;
      const merged = mergeRanges(portRanges(a.toPorts));
      return mergeRanges(portRanges(b.toPorts)).every((r) => merged.some((m) => m.from <= r.from && r.to <= m.to));
    };
    const covers = (a: FlashAllowAccessFrom, b: FlashAllowAccessFrom): boolean => (!secure(a) || secure(b)) && domainCovers(parseDomainPattern(a.domain), parseDomainPattern(b.domain)) && portsCover(a, b);
    const out: string[] = [];
    const rs = policy.allowAccessFrom;
    rs.forEach((b, j) => {
      const i = rs.findIndex((a, k) => k !== j && covers(a, b) && !(k > j && covers(b, a)));
      if (i >= 0) out.push(`${j} by ${rs[i]!.domain} line ${i + 1}`);
    });
    return out;
  }
  const domain = fc.constantFrom('*', 'example.com', 'www.example.com', 'a.www.example.com', '*.example.com', '*.www.example.com', '*.com', 'other.net', '*.other.net', '10.0.0.1', '[::1]', 'bad domain');
  const ports: fc.Arbitrary<PortSpec | null> = fc.oneof(fc.constant(null), fc.constant<PortSpec>({ any: true }), fc.array(fc.record({ from: fc.integer({ min: 1000, max: 1010 }), to: fc.integer({ min: 1000, max: 1012 }) }), { minLength: 1, maxLength: 3 }).map((ranges): PortSpec => ({ any: false, ranges })));
  const rule: fc.Arbitrary<FlashAllowAccessFrom> = fc.record({ domain, toPorts: ports, secure: fc.constantFrom(true, false, null) });
  it('same rules reported, each with the same covering rule, over sockets and HTTPS', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 10 }), fc.constantFrom(SOCK, HTTPS), (rules, servedFrom) => {
        // Rule j sits on line j + 1, so a finding's line names the rule it is about.
        const allowAccessFrom = rules.map((r, j) => ({ ...r, source: { location: { line: j + 1, column: 1, offset: 0 }, raw: {} } }));
        const policy: FlashPolicy = { format: 'flash', siteControl: [], allowAccessFrom, allowHttpRequestHeadersFrom: [], allowAccessFromIdentity: [] };
        const context = resolveLintContext('', { servedFrom }).context;
        const indexed = checkShadowedRules(policy, context).map((f) => `${f.line - 1} by ${/the rule domain="([^"]*)" on line (\d+)/.exec(f.message)?.slice(1).join(' line ')}`);
        expect(indexed).toEqual(pairwise(policy, context));
      }),
      { numRuns: 400 },
    );
  });
});
