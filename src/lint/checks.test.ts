import { describe, expect, it } from 'vitest';
import type { FlashAllowAccessFrom, FlashPolicy } from '../flash/model.js';
import type { SilverlightPolicy } from '../silverlight/model.js';
import { CHECKS } from './catalogue.js';
import { resolveLintContext, type LintContext, type LintOptions } from './context.js';
import { lint, lintText } from './lint.js';

const X = '<?xml version="1.0"?>\n';
const flash = (body: string): string => `${X}<cross-domain-policy>\n${body}\n</cross-domain-policy>\n`;
const sl = (domains: string, grants = '<resource path="/api/" include-subpaths="true"/>', attrs = ''): string =>
  `${X}<access-policy><cross-domain-access><policy><allow-from${attrs}>${domains}</allow-from><grant-to>${grants}</grant-to></policy></cross-domain-access></access-policy>\n`;
const HTTPS = 'https://www.example.com/crossdomain.xml';
const SOCK = 'xmlsocket://game.example.com:843';
const SL = 'https://www.example.com/clientaccesspolicy.xml';

const ids = (text: string, options: LintOptions = {}): string[] => lintText(text, options).map((f) => f.id);

function ctx(options: LintOptions): LintContext {
  return resolveLintContext('<cross-domain-policy/>', options).context;
}
function rule(domain: string, extra: Partial<FlashAllowAccessFrom> = {}): FlashAllowAccessFrom {
  return { domain, toPorts: null, secure: null, ...extra };
}
function model(p: Partial<FlashPolicy>): FlashPolicy {
  return { format: 'flash', siteControl: [], allowAccessFrom: [], allowHttpRequestHeadersFrom: [], allowAccessFromIdentity: [], ...p };
}

describe('catalogue examples (spec/lint.md)', () => {
  for (const c of CHECKS) {
    it(`${c.id}: raised by its triggering example, not by its near miss`, () => {
      const opts = (e: typeof c.trigger): LintOptions => {
        const o: LintOptions = {};
        if (e.servedFrom !== undefined) o.servedFrom = e.servedFrom;
        if (e.client !== undefined) o.client = e.client;
        if (e.contentType !== undefined) o.contentType = e.contentType;
        if (e.headers !== undefined) o.headers = e.headers;
        if (e.trusted !== undefined) o.trusted = e.trusted;
        return o;
      };
      expect(ids(c.trigger.policy, opts(c.trigger))).toContain(c.id);
      expect(ids(c.nearMiss.policy, opts(c.nearMiss))).not.toContain(c.id);
    });
  }
});

describe('LINT-3: parse verdicts are findings', () => {
  it('LINT-PARSE-REJECTED: a wrong root element rejects the file; every finding is an error or info', () => {
    const f = lintText(`${X}<policy><allow-access-from domain="*"/></policy>`, { servedFrom: HTTPS });
    expect(f.map((x) => x.id)).toContain('LINT-PARSE-REJECTED');
    expect(f.find((x) => x.id === 'LINT-PARSE-REJECTED')?.severity).toBe('error');
    // A rejected file grants nothing: no grant finding is made up from it.
    expect(f.map((x) => x.id)).not.toContain('LINT-DOMAIN-ANY');
  });
  it('LINT-PARSE-VOIDED: a socket rule without to-ports is void (FLASH-GRAM-7) and reported as an error', () => {
    const f = lintText(flash('  <allow-access-from domain="www.example.com"/>'), { servedFrom: SOCK });
    const v = f.find((x) => x.id === 'LINT-PARSE-VOIDED');
    expect(v?.severity).toBe('error');
    expect(v?.line).toBe(3);
  });
  it('LINT-PARSE-DTD: an undeclared entity reference is reported as a DTD finding, not a generic one', () => {
    expect(ids(flash('  <allow-access-from domain="&star;"/>'), { servedFrom: HTTPS })).toContain('LINT-PARSE-DTD');
  });
  it('LINT-PARSE-WARNING: to-ports in a URL policy is ignored and reported (FLASH-GRAM-6)', () => {
    expect(ids(flash('  <allow-access-from domain="www.example.com" to-ports="80"/>'), { servedFrom: HTTPS })).toContain('LINT-PARSE-WARNING');
  });
  it('LINT-PARSE-NOTE: a byte order mark is noted at info', () => {
    const f = lintText(`\uFEFF${flash('')}`, { servedFrom: HTTPS });
    expect(f.find((x) => x.id === 'LINT-PARSE-NOTE')?.severity).toBe('info');
  });
});

describe('LINT-4: the context decides which rules apply', () => {
  it('LINT-CONTEXT-INFERRED: a Flash file with to-ports and no --served-from is read as the port-843 master and says so', () => {
    const f = lintText(flash('  <allow-access-from domain="www.example.com" to-ports="9100"/>'));
    const inferred = f.find((x) => x.id === 'LINT-CONTEXT-INFERRED');
    expect(inferred?.message).toMatch(/socket policy on port 843/);
  });
  it('LINT-CONTEXT-INFERRED: a file named crossdomain.xml is read as a URL policy even with to-ports', () => {
    const r = resolveLintContext(flash('<allow-access-from domain="a.example" to-ports="80"/>'), { fileName: 'site/crossdomain.xml' });
    expect(r.context.kind).toBe('url');
    expect(r.context.inferred).toMatch(/named crossdomain.xml/);
  });
  it('LINT-CONTEXT-INFERRED: an unreadable --served-from is reported, and the context inferred', () => {
    const f = lintText(flash(''), { servedFrom: 'gopher://x/' });
    expect(f.find((x) => x.id === 'LINT-CONTEXT-INFERRED')?.message).toMatch(/gopher/);
  });
  it('LINT-CONTEXT-CLIENT: Silverlight never reads a Flash socket policy', () => {
    expect(ids(flash('  <allow-access-from domain="www.example.com" to-ports="9100"/>'), { servedFrom: SOCK, client: 'silverlight' })).toContain('LINT-CONTEXT-CLIENT');
    expect(ids(flash('  <allow-access-from domain="www.example.com" to-ports="9100"/>'), { servedFrom: SOCK, client: 'all' })).not.toContain('LINT-CONTEXT-CLIENT');
  });
  it('LINT-4: every response header given is kept, one named __proto__ included', () => {
    const headers = JSON.parse('{"__proto__": "x", "X-Permitted-Cross-Domain-Policies": "none"}') as Record<string, string>;
    const { context } = resolveLintContext('<cross-domain-policy/>', { headers });
    expect(Object.keys(context.headers!)).toEqual(['__proto__', 'x-permitted-cross-domain-policies']);
    expect(context.headers!['__proto__']).toBe('x');
  });
  it('LINT-4: served-from fixes kind, scheme, port and master', () => {
    expect(ctx({ servedFrom: 'https://h/sub/policy.xml' })).toMatchObject({ kind: 'url', scheme: 'https', port: 443, master: false });
    expect(ctx({ servedFrom: 'xmlsocket://h:5000' })).toMatchObject({ kind: 'socket', port: 5000, master: false });
    expect(ctx({ servedFrom: 'xmlsocket://h' })).toMatchObject({ kind: 'socket', port: 843, master: true });
  });
});

describe('domains', () => {
  it('LINT-DOMAIN-ANY: domain="*" with to-ports and single quotes (nuclei S4 misses both)', () => {
    expect(ids(`${X}<cross-domain-policy><allow-access-from domain='*' to-ports='9100' /></cross-domain-policy>`, { servedFrom: SOCK })).toContain('LINT-DOMAIN-ANY');
  });
  it.each(['*.com', '*.co.uk', '*.github.io', '*.s3.amazonaws.com', '*.herokuapp.com'])('LINT-DOMAIN-PUBLIC-SUFFIX: %s is high', (d) => {
    const f = lintText(flash(`  <allow-access-from domain="${d}"/>`), { servedFrom: HTTPS });
    expect(f.find((x) => x.id === 'LINT-DOMAIN-PUBLIC-SUFFIX')?.severity).toBe('high');
    expect(f.map((x) => x.id)).not.toContain('LINT-DOMAIN-SUBDOMAIN-WILDCARD');
  });
  it.each(['*.example.com', '*.example.co.uk', '*.someone.github.io'])('LINT-DOMAIN-SUBDOMAIN-WILDCARD: %s is a subdomain wildcard, not a public suffix', (d) => {
    const got = ids(flash(`  <allow-access-from domain="${d}"/>`), { servedFrom: HTTPS });
    expect(got).toContain('LINT-DOMAIN-SUBDOMAIN-WILDCARD');
    expect(got).not.toContain('LINT-DOMAIN-PUBLIC-SUFFIX');
  });
  it('LINT-DOMAIN-PUBLIC-SUFFIX: Silverlight http://*.co.uk', () => {
    expect(ids(sl('<domain uri="http://*.co.uk"/>'), { servedFrom: SL })).toContain('LINT-DOMAIN-PUBLIC-SUFFIX');
  });
  it.each(['127.0.0.1', '10.1.2.3', '192.168.0.10', 'localhost', '*.local', 'dev.internal', '[::1]', '169.254.1.1'])('LINT-DOMAIN-LOCAL: %s', (d) => {
    expect(ids(flash(`  <allow-access-from domain="${d}"/>`), { servedFrom: HTTPS })).toContain('LINT-DOMAIN-LOCAL');
  });
  it('LINT-DOMAIN-IP-LITERAL: a public IPv4 literal is low, and not local', () => {
    const f = lintText(flash('  <allow-access-from domain="8.8.8.8"/>'), { servedFrom: HTTPS });
    expect(f.find((x) => x.id === 'LINT-DOMAIN-IP-LITERAL')?.severity).toBe('low');
    expect(f.map((x) => x.id)).not.toContain('LINT-DOMAIN-LOCAL');
  });
  it('LINT-DOMAIN-NEVER-MATCHES: a Flash model with an invalid pattern (the parser voids it in text)', () => {
    const f = lint(model({ allowAccessFrom: [rule('www.*.com')] }), ctx({ servedFrom: HTTPS }));
    expect(f.map((x) => x.id)).toContain('LINT-DOMAIN-NEVER-MATCHES');
    expect(ids(flash('  <allow-access-from domain="www.*.com"/>'), { servedFrom: HTTPS })).toContain('LINT-PARSE-VOIDED');
  });
  it('LINT-DOMAIN-NEVER-MATCHES: the Silverlight parser warning is not repeated as LINT-PARSE-WARNING', () => {
    const got = ids(sl('<domain uri="www.example.com"/>'), { servedFrom: SL });
    expect(got).toContain('LINT-DOMAIN-NEVER-MATCHES');
    expect(got).not.toContain('LINT-PARSE-WARNING');
  });
});

describe('ports', () => {
  it('LINT-PORT-ANY: to-ports="*" on a socket policy; not on a URL policy where it means nothing', () => {
    expect(ids(flash('  <allow-access-from domain="a.example.com" to-ports="*"/>'), { servedFrom: SOCK })).toContain('LINT-PORT-ANY');
    expect(ids(flash('  <allow-access-from domain="a.example.com" to-ports="*"/>'), { servedFrom: HTTPS })).not.toContain('LINT-PORT-ANY');
  });
  it('LINT-PORT-WIDE-RANGE: 1000 ports is wide, 999 is not', () => {
    expect(ids(flash('  <allow-access-from domain="a.example.com" to-ports="10000-10999"/>'), { servedFrom: SOCK })).toContain('LINT-PORT-WIDE-RANGE');
    expect(ids(flash('  <allow-access-from domain="a.example.com" to-ports="10000-10998"/>'), { servedFrom: SOCK })).not.toContain('LINT-PORT-WIDE-RANGE');
  });
  it.each(['21', '22', '23', '25', '80', '443', '3306', '5432', '6379', '11211', '27017', '1433', '1521', '9200', '20-30'])('LINT-PORT-SERVICE: to-ports="%s" from port 843', (p) => {
    expect(ids(flash(`  <allow-access-from domain="a.example.com" to-ports="${p}"/>`), { servedFrom: SOCK })).toContain('LINT-PORT-SERVICE');
  });
  it('LINT-PORT-SERVICE: a low service port that the 1024 rule cuts is reported as unreachable instead (FLASH-SOCK-7)', () => {
    const got = ids(flash('  <allow-access-from domain="a.example.com" to-ports="25,5000"/>'), { servedFrom: 'xmlsocket://h:5000' });
    expect(got).toContain('LINT-PORT-UNREACHABLE');
    expect(got).not.toContain('LINT-PORT-SERVICE');
    expect(ids(flash('  <allow-access-from domain="a.example.com" to-ports="6379"/>'), { servedFrom: 'xmlsocket://h:5000' })).toContain('LINT-PORT-SERVICE');
  });
  it('LINT-PORT-UNREACHABLE: finding carries the offending value and the rule position', () => {
    const f = lintText(flash('\n  <allow-access-from domain="a.example.com" to-ports="900-1100"/>'), { servedFrom: 'xmlsocket://h:5000' }).find((x) => x.id === 'LINT-PORT-UNREACHABLE');
    expect(f).toMatchObject({ value: '900-1100', line: 4, column: 3, requirement: 'FLASH-SOCK-7' });
  });
});

describe('dead rules', () => {
  it('LINT-RULE-SHADOWED: a bare name after *.name is covered (FLASH-DOM-3), and the later of two duplicates is reported', () => {
    const f = lintText(flash('  <allow-access-from domain="*.example.com"/>\n  <allow-access-from domain="example.com"/>\n  <allow-access-from domain="*.example.com"/>'), { servedFrom: HTTPS });
    const shadowed = f.filter((x) => x.id === 'LINT-RULE-SHADOWED').map((x) => x.line);
    expect(shadowed).toEqual([4, 5]);
  });
  it('LINT-RULE-SHADOWED: secure="true" does not cover secure="false" over HTTPS', () => {
    const got = ids(flash('  <allow-access-from domain="*.example.com" secure="true"/>\n  <allow-access-from domain="www.example.com" secure="false"/>'), { servedFrom: HTTPS });
    expect(got).not.toContain('LINT-RULE-SHADOWED');
  });
});

describe('secure and headers', () => {
  it('LINT-SECURE-FALSE-HTTPS: also on header grants; not over HTTP', () => {
    const body = '  <allow-http-request-headers-from domain="www.example.com" headers="SOAPAction" secure="false"/>';
    expect(ids(flash(body), { servedFrom: HTTPS })).toContain('LINT-SECURE-FALSE-HTTPS');
    expect(ids(flash(body), { servedFrom: 'http://www.example.com/crossdomain.xml' })).not.toContain('LINT-SECURE-FALSE-HTTPS');
  });
  it('LINT-HEADERS-ANY-DOMAIN and LINT-HEADERS-ALL: both on domain="*" headers="*"', () => {
    const got = ids(flash('  <allow-http-request-headers-from domain="*" headers="*"/>'), { servedFrom: HTTPS });
    expect(got).toEqual(expect.arrayContaining(['LINT-HEADERS-ANY-DOMAIN', 'LINT-HEADERS-ALL']));
  });
  it('LINT-HEADERS-ALL: a prefix pattern such as X-* is not "*"', () => {
    expect(ids(flash('  <allow-http-request-headers-from domain="www.example.com" headers="X-*"/>'), { servedFrom: HTTPS })).not.toContain('LINT-HEADERS-ALL');
  });
});

describe('meta-policies and serving', () => {
  it('LINT-META-ALL: also in the socket master', () => {
    expect(ids(flash('  <site-control permitted-cross-domain-policies="all"/>\n  <allow-access-from domain="a.example.com" to-ports="9100"/>'), { servedFrom: SOCK })).toContain('LINT-META-ALL');
  });
  it('LINT-META-BY-CONTENT-TYPE: only for URL policies', () => {
    expect(ids(flash('  <site-control permitted-cross-domain-policies="by-content-type"/>'), { servedFrom: HTTPS })).toContain('LINT-META-BY-CONTENT-TYPE');
  });
  it('LINT-META-CONFLICT and LINT-META-DUPLICATE are exclusive', () => {
    const conflict = ids(flash('  <site-control permitted-cross-domain-policies="none"/>\n  <site-control permitted-cross-domain-policies="master-only"/>'), { servedFrom: HTTPS });
    expect(conflict).toContain('LINT-META-CONFLICT');
    expect(conflict).not.toContain('LINT-META-DUPLICATE');
  });
  it('LINT-META-NONE-WITH-GRANTS: in the master only', () => {
    const body = '  <site-control permitted-cross-domain-policies="none"/>\n  <allow-access-from domain="a.example.com" to-ports="9100"/>';
    expect(ids(flash(body), { servedFrom: SOCK })).toContain('LINT-META-NONE-WITH-GRANTS');
    expect(ids(flash(body), { servedFrom: 'xmlsocket://h:5000' })).not.toContain('LINT-META-NONE-WITH-GRANTS');
  });
  it.each([['text/xml', false], ['text/x-cross-domain-policy; charset=utf-8', false], ['application/xml', false], ['application/json', true], ['', true]])('LINT-SERVE-CONTENT-TYPE: Content-Type "%s" → %s', (ct, flagged) => {
    const got = ids(flash(''), { servedFrom: HTTPS, contentType: ct });
    expect(got.includes('LINT-SERVE-CONTENT-TYPE')).toBe(flagged);
  });
  it('LINT-SERVE-CONTENT-TYPE: Silverlight rejects application/xhtml+xml, Flash accepts it', () => {
    expect(ids(sl('<domain uri="https://a.example.com"/>'), { servedFrom: SL, contentType: 'application/xhtml+xml' })).toContain('LINT-SERVE-CONTENT-TYPE');
    expect(ids(flash(''), { servedFrom: HTTPS, contentType: 'application/xhtml+xml' })).not.toContain('LINT-SERVE-CONTENT-TYPE');
  });
  it('LINT-SERVE-META-HEADER-ALL, LINT-SERVE-META-HEADER-CONFLICT, LINT-SERVE-META-HEADER-UNUSABLE: header names are case-insensitive', () => {
    expect(ids(flash(''), { servedFrom: HTTPS, headers: { 'x-permitted-cross-domain-policies': 'ALL' } })).toContain('LINT-SERVE-META-HEADER-ALL');
    expect(ids(flash('  <site-control permitted-cross-domain-policies="none"/>'), { servedFrom: HTTPS, headers: { 'X-Permitted-Cross-Domain-Policies': 'all' } })).toContain('LINT-SERVE-META-HEADER-CONFLICT');
    expect(ids(flash(''), { servedFrom: HTTPS, headers: { 'X-Permitted-Cross-Domain-Policies': 'none-this-response' } })).toContain('LINT-SERVE-META-HEADER-UNUSABLE');
  });
});

describe('Silverlight', () => {
  const model1 = (p: Partial<SilverlightPolicy['policies'][number]>): SilverlightPolicy => ({ format: 'silverlight', policies: [{ allowFrom: [], grantTo: [], ...p }] });
  const slCtx = resolveLintContext('<access-policy/>', { servedFrom: SL }).context;
  it('LINT-SL-DOMAIN-ANY and LINT-SL-SCHEME-WILDCARD: *, http://* and https://*', () => {
    expect(ids(sl('<domain uri="*"/>'), { servedFrom: SL })).toContain('LINT-SL-DOMAIN-ANY');
    expect(ids(sl('<domain uri="http://*"/>'), { servedFrom: SL })).toContain('LINT-SL-SCHEME-WILDCARD');
    expect(ids(sl('<domain uri="https://*"/>'), { servedFrom: SL })).not.toContain('LINT-SL-DOMAIN-ANY');
  });
  it('LINT-SL-HEADERS-ANY: "*" among other header names still allows all', () => {
    expect(ids(sl('<domain uri="https://a.example.com"/>', undefined, ' http-request-headers="SOAPAction, *"'), { servedFrom: SL })).toContain('LINT-SL-HEADERS-ANY');
  });
  it('LINT-SL-METHODS-ANY and LINT-SL-WHOLE-SITE on a hand-built model', () => {
    const f = lint(model1({ allowFrom: [{ domains: [{ uri: 'https://a.example.com' }], httpRequestHeaders: [], httpMethods: ['*'] }], grantTo: [{ resources: [{ path: '/', includeSubpaths: true }], socketResources: [] }] }), slCtx);
    expect(f.map((x) => x.id)).toEqual(expect.arrayContaining(['LINT-SL-METHODS-ANY', 'LINT-SL-WHOLE-SITE']));
  });
  it('LINT-SL-SOCKET-ALL-PORTS: two resources that together cover 4502-4534', () => {
    const socketCtx = resolveLintContext('<access-policy/>', { servedFrom: 'xmlsocket://game.example.com:943' }).context;
    const grantTo = [{ resources: [], socketResources: [{ from: 4502, to: 4520, protocol: 'tcp' as const }, { from: 4521, to: 4534, protocol: 'tcp' as const }] }];
    const f = lint(model1({ allowFrom: [{ domains: [{ uri: 'http://a.example.com' }], httpRequestHeaders: [], httpMethods: [] }], grantTo }), socketCtx);
    expect(f.map((x) => x.id)).toContain('LINT-SL-SOCKET-ALL-PORTS');
    // SL-SOCK-11: the same grants in a policy read over HTTP never apply.
    const overHttp = lint(model1({ allowFrom: [{ domains: [{ uri: 'http://a.example.com' }], httpRequestHeaders: [], httpMethods: [] }], grantTo }), slCtx);
    expect(overHttp.map((x) => x.id)).not.toContain('LINT-SL-SOCKET-ALL-PORTS');
    expect(overHttp.find((x) => x.id === 'LINT-RULE-NEVER-APPLIES')).toMatchObject({ severity: 'low', requirement: 'SL-SOCK-11' });
  });
});

describe('messages stay readable', () => {
  it('LINT-PORT-SERVICE: a wide range names the first service ports and counts the rest', () => {
    const f = lintText(flash('  <allow-access-from domain="a.example.com" to-ports="20-65535"/>'), { servedFrom: SOCK }).find((x) => x.id === 'LINT-PORT-SERVICE');
    expect(f?.message).toMatch(/20 \(FTP data\), 21 \(FTP\), 22 \(SSH\), 23 \(Telnet\), 25 \(SMTP\), 53 \(DNS\) and \d+ more/);
  });
});

describe('client profiles (CHECK_PROFILES)', () => {
  it('LINT-4, LINT-CONTEXT-CLIENT: --client silverlight on a Flash socket policy runs no port check; --client all does', () => {
    const text = flash('  <allow-access-from domain="a.example.com" to-ports="*"/>');
    const sl = ids(text, { servedFrom: SOCK, client: 'silverlight' });
    expect(sl).toContain('LINT-CONTEXT-CLIENT');
    expect(sl).not.toContain('LINT-PORT-ANY');
    expect(ids(text, { servedFrom: SOCK, client: 'all' })).toContain('LINT-PORT-ANY');
  });
  it('LINT-DOMAIN-ANY: --client silverlight still judges the domains of /crossdomain.xml (SL-FLASH-4)', () => {
    expect(ids(flash('  <allow-access-from domain="*"/>'), { servedFrom: HTTPS, client: 'silverlight' })).toContain('LINT-DOMAIN-ANY');
  });
});
