import { describe, expect, it } from 'vitest';
import { FLASH_DIAGNOSTIC_CODES, FLASH_GRAMMAR_DIAGNOSTIC_CODES, parseFlashPolicy } from './parse.js';
import type { FlashParseContext } from './model.js';

const URL_CTX: FlashParseContext = { kind: 'url', scheme: 'http' };
const HTTPS_CTX: FlashParseContext = { kind: 'url', scheme: 'https' };
const FTP_CTX: FlashParseContext = { kind: 'url', scheme: 'ftp' };
const SOCKET_CTX: FlashParseContext = { kind: 'socket' };

function parse(text: string, context: FlashParseContext = URL_CTX) {
  const result = parseFlashPolicy(text, context);
  return { ...result, codes: result.diagnostics.map((d) => d.code), requirements: result.diagnostics.map((d) => d.requirement) };
}
const wrap = (body: string) => `<?xml version="1.0"?>\n<cross-domain-policy>\n${body}\n</cross-domain-policy>\n`;

describe('Flash policy documents (spec/flash/1-document.md)', () => {
  it.each([
    ['unclosed root', '<cross-domain-policy><allow-access-from domain="*"/>'],
    ['mismatched end tag', '<cross-domain-policy></cross-domain-polic>'],
    ['unquoted attribute', '<cross-domain-policy><allow-access-from domain=*/></cross-domain-policy>'],
    ['two roots', '<cross-domain-policy/><cross-domain-policy/>'],
    ['empty text', ''],
    ['only a comment', '<!-- No access -->'],
  ])('FLASH-XML-1: a malformed document (%s) is rejected as a whole', (_what, text) => {
    const r = parse(text);
    expect(r.policy).toBeNull();
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.requirement === 'FLASH-XML-1')).toBe(true);
  });

  it.each([
    ['plain text', 'crossdomain.xml.dev'],
    ['text before the root', 'junk<cross-domain-policy><allow-access-from domain="*"/></cross-domain-policy>'],
    ['text after the root', '<cross-domain-policy><allow-access-from domain="*"/></cross-domain-policy>junk'],
    ['an element after the root', '<cross-domain-policy><allow-access-from domain="*"/></cross-domain-policy></xml>'],
    ['HTML around the root', '<html><body><cross-domain-policy><allow-access-from domain="*"/></cross-domain-policy></body></html>'],
  ])('FLASH-XML-2: %s rejects the file', (_what, text) => {
    const r = parse(text);
    expect(r.policy).toBeNull();
    expect(r.requirements.some((q) => q === 'FLASH-XML-2' || q === 'FLASH-XML-1' || q === 'FLASH-XML-3')).toBe(true);
  });

  it.each([
    ['plain text', 'crossdomain.xml.dev', 1, 1],
    ['text before the root', '\n  junk<cross-domain-policy/>', 2, 3],
    ['text after the root', '<cross-domain-policy/>\n\t&amp;', 2, 2],
    ['a DOCTYPE after the root', '<cross-domain-policy/><!DOCTYPE cross-domain-policy>', 1, 23],
    ['a second XML declaration', '<?xml version="1.0"?><!-- --><?xml version="1.0"?><cross-domain-policy/>', 1, 30],
  ])('FLASH-XML-2: %s is content outside the root, reported where it starts', (_what, text, line, column) => {
    const r = parse(text);
    expect(r.policy).toBeNull();
    expect(r.diagnostics.map((d) => [d.requirement, d.code, d.line, d.column])).toEqual([['FLASH-XML-2', 'content-outside-root', line, column]]);
  });

  it('FLASH-XML-2: the declaration, comments, PIs, a DOCTYPE and whitespace around the root are allowed', () => {
    const text = '<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE cross-domain-policy SYSTEM "http://www.adobe.com/xml/dtds/cross-domain-policy.dtd">\n<?pi x?>\n<cross-domain-policy><allow-access-from domain="*"/></cross-domain-policy>\n<!-- end -->\n\n';
    const r = parse(text);
    expect(r.policy?.allowAccessFrom).toHaveLength(1);
    expect(r.diagnostics).toEqual([]);
  });

  it.each([['policy'], ['Cross-Domain-Policy'], ['x:cross-domain-policy'], ['access-policy']])('FLASH-XML-3: a root named <%s> is rejected', (name) => {
    const r = parse(`<${name}><allow-access-from domain="*"/></${name}>`);
    expect(r.policy).toBeNull();
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'wrong-root', requirement: 'FLASH-XML-3', value: name, line: 1, column: 1 })]);
  });

  it('FLASH-XML-4: a DOCTYPE internal subset cannot turn an entity into a grant', () => {
    const r = parse('<?xml version="1.0"?>\n<!DOCTYPE cross-domain-policy [<!ENTITY w "*">]>\n<cross-domain-policy><allow-access-from domain="&w;"/></cross-domain-policy>');
    expect(r.policy).toBeNull();
    expect(r.diagnostics[0]).toMatchObject({ code: 'internal-dtd-subset', requirement: 'FLASH-XML-4', line: 2 });
  });

  it('FLASH-XML-4: an undeclared entity reference rejects the file; predefined and character references are decoded', () => {
    expect(parse(wrap('<allow-access-from domain="&w;"/>'))).toMatchObject({ policy: null, codes: ['undeclared-entity'], requirements: ['FLASH-XML-4'] });
    const ok = parse(wrap('<allow-access-from domain="&#42;.a&#x2E;com"/>'));
    expect(ok.policy?.allowAccessFrom[0]?.domain).toBe('*.a.com');
  });

  it('FLASH-XML-5: input beyond the limits is rejected, never parsed without bound', () => {
    const many = wrap('<allow-access-from domain="*"/>\n'.repeat(50));
    expect(parseFlashPolicy(many, URL_CTX, { limits: { maxElements: 10 } })).toMatchObject({ policy: null, diagnostics: [expect.objectContaining({ code: 'too-many-elements', requirement: 'FLASH-XML-5' })] });
    expect(parseFlashPolicy(many, URL_CTX, { limits: { maxLength: 100 } }).diagnostics[0]).toMatchObject({ code: 'input-too-large', requirement: 'FLASH-XML-5' });
    const deep = '<cross-domain-policy>' + '<a>'.repeat(40) + '</a>'.repeat(40) + '</cross-domain-policy>';
    expect(parse(deep)).toMatchObject({ policy: null, requirements: ['FLASH-XML-5'] });
    const longAttr = wrap(`<allow-access-from domain="${'a'.repeat(9000)}.com"/>`);
    expect(parse(longAttr)).toMatchObject({ policy: null, codes: ['attribute-too-long'] });
    const manyAttrs = wrap(`<allow-access-from domain="*" ${Array.from({ length: 40 }, (_, i) => `a${i}="1"`).join(' ')}/>`);
    expect(parse(manyAttrs)).toMatchObject({ policy: null, codes: ['too-many-attributes'] });
  });

  it('FLASH-XML-6: a NUL or other forbidden character inside the text rejects the file', () => {
    for (const text of [wrap('<allow-access-from domain="*"/>\u0000'), wrap('<allow-access-from domain="a\u0001.com"/>'), wrap('<allow-access-from domain="*"/>').replace('<cross', '\u0000<cross')]) {
      const r = parse(text, SOCKET_CTX);
      expect(r.policy).toBeNull();
      expect(r.diagnostics[0]).toMatchObject({ code: 'invalid-character', requirement: 'FLASH-XML-6' });
    }
  });

  it('FLASH-XML-7: a leading byte order mark is accepted and skipped (reported as info)', () => {
    const r = parse('\uFEFF' + wrap('<allow-access-from domain="*"/>'));
    expect(r.policy?.allowAccessFrom).toHaveLength(1);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', code: 'byte-order-mark', requirement: 'FLASH-XML-7' })]);
  });

  it('FLASH-XML-8: whitespace before the XML declaration rejects the file; whitespace before a root without declaration does not', () => {
    expect(parse('\n' + wrap('<allow-access-from domain="*"/>'))).toMatchObject({ policy: null, requirements: ['FLASH-XML-8'] });
    expect(parse('   \n<cross-domain-policy><allow-access-from domain="*"/></cross-domain-policy>').policy?.allowAccessFrom).toHaveLength(1);
  });

  it('FLASH-XML-9: namespace and xsi: attributes on the root are ignored silently; others are reported and ignored', () => {
    const xsi = parse('<cross-domain-policy xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.adobe.com/xml/schemas/PolicyFile.xsd"><allow-access-from domain="*"/></cross-domain-policy>');
    expect(xsi.diagnostics).toEqual([]);
    expect(xsi.policy?.allowAccessFrom).toHaveLength(1);
    const other = parse('<cross-domain-policy version="2"><allow-access-from domain="*"/></cross-domain-policy>');
    expect(other.policy?.allowAccessFrom).toHaveLength(1);
    expect(other.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'root-attribute', requirement: 'FLASH-XML-9', value: 'version', line: 1, column: 22 })]);
  });
});

describe('Flash policy text encoding', () => {
  it('FLASH-XML-10: a declared encoding other than UTF-8 or US-ASCII is reported; the text is still read', () => {
    for (const enc of ['UTF-8', 'utf-8', 'utf8', 'US-ASCII']) {
      expect(parse(`<?xml version="1.0" encoding="${enc}"?><cross-domain-policy/>`).diagnostics).toEqual([]);
    }
    const r = parse('<?xml version="1.0" encoding="ISO-8859-1"?><cross-domain-policy><allow-access-from domain="*"/></cross-domain-policy>');
    expect(r.policy?.allowAccessFrom).toHaveLength(1);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'declared-encoding', requirement: 'FLASH-XML-10', value: 'ISO-8859-1' })]);
  });
});

describe('Flash policy grammar (spec/flash/2-grammar.md)', () => {
  it('FLASH-GRAM-1: the four children are read in any order, kept in document order', () => {
    const r = parse(
      wrap(
        [
          '<allow-http-request-headers-from domain="*.b.com" headers="SOAPAction"/>',
          '<allow-access-from domain="a.com"/>',
          '<site-control permitted-cross-domain-policies="master-only"/>',
          '<allow-access-from domain="*.b.com" secure="false"/>',
        ].join('\n'),
      ),
      HTTPS_CTX,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.policy).toMatchObject({
      format: 'flash',
      siteControl: [{ permittedCrossDomainPolicies: 'master-only' }],
      allowAccessFrom: [{ domain: 'a.com', toPorts: null, secure: null }, { domain: '*.b.com', toPorts: null, secure: false }],
      allowHttpRequestHeadersFrom: [{ domain: '*.b.com', headers: ['SOAPAction'], secure: null }],
      allowAccessFromIdentity: [],
    });
  });

  it('FLASH-GRAM-1: every kept element carries its location and raw attributes', () => {
    const r = parse(wrap('  <allow-access-from domain="*.A.com" />'));
    expect(r.policy?.allowAccessFrom[0]?.source).toEqual({ location: { line: 3, column: 3, offset: 46 }, raw: { domain: '*.A.com' } });
  });

  it('FLASH-GRAM-2: unknown elements and case variants are reported and grant nothing; the rest stays in force', () => {
    const r = parse(wrap('<Allow-Access-From domain="*"/>\n<allow-everything domain="*"/>\n<allow-access-from domain="a.com"/>'));
    expect(r.policy?.allowAccessFrom.map((x) => x.domain)).toEqual(['a.com']);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'element-name-case', requirement: 'FLASH-GRAM-2', value: 'Allow-Access-From', line: 3 }),
      expect.objectContaining({ severity: 'warning', code: 'unknown-element', requirement: 'FLASH-GRAM-2', value: 'allow-everything', line: 4 }),
    ]);
  });

  it('FLASH-GRAM-2: a child element inside a policy element is reported and ignored', () => {
    const r = parse(wrap('<allow-access-from domain="a.com"><allow-access-from domain="*"/></allow-access-from>'));
    expect(r.policy?.allowAccessFrom.map((x) => x.domain)).toEqual(['a.com']);
    expect(r.codes).toEqual(['unknown-element']);
  });

  it('FLASH-GRAM-3: non-whitespace text inside the root or a policy element is reported and ignored', () => {
    const r = parse(wrap('downloaded\n<allow-access-from domain="a.com">x</allow-access-from><![CDATA[<allow-access-from domain="*"/>]]>'));
    expect(r.policy?.allowAccessFrom.map((x) => x.domain)).toEqual(['a.com']);
    expect(r.codes).toEqual(['text-content', 'text-content', 'text-content']);
    expect(r.requirements.every((q) => q === 'FLASH-GRAM-3')).toBe(true);
    expect(r.diagnostics[0]).toMatchObject({ value: 'downloaded', line: 3 });
  });

  it('FLASH-GRAM-4: allow-access-from without domain, or with an empty one, grants nothing', () => {
    const r = parse(wrap('<allow-access-from/>\n<allow-access-from domain=""/>\n<allow-access-from to-ports="80"/>'), SOCKET_CTX);
    expect(r.policy?.allowAccessFrom).toEqual([]);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.requirement, d.line])).toEqual([
      ['error', 'missing-domain', 'FLASH-GRAM-4', 3],
      ['error', 'missing-to-ports', 'FLASH-GRAM-7', 3],
      ['error', 'missing-domain', 'FLASH-GRAM-4', 4],
      ['error', 'missing-to-ports', 'FLASH-GRAM-7', 4],
      ['error', 'missing-domain', 'FLASH-GRAM-4', 5],
    ]);
  });

  it('FLASH-GRAM-4, FLASH-DOM-4, FLASH-DOM-5, FLASH-DOM-6: an allow-access-from whose domain can never match is dropped with an error', () => {
    const r = parse(wrap('<allow-access-from domain="www.*.com"/>\n<allow-access-from domain="*.0.0.1"/>\n<allow-access-from domain="http://a.com"/>\n<allow-access-from domain="ok.com"/>'));
    expect(r.policy?.allowAccessFrom.map((x) => x.domain)).toEqual(['ok.com']);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.requirement, d.value])).toEqual([
      ['error', 'invalid-domain', 'FLASH-DOM-4', 'www.*.com'],
      ['error', 'invalid-domain', 'FLASH-DOM-5', '*.0.0.1'],
      ['error', 'invalid-domain', 'FLASH-DOM-6', 'http://a.com'],
    ]);
  });

  it('FLASH-GRAM-5: unknown attributes of allow-access-from are reported and ignored', () => {
    const r = parse(wrap('<allow-access-from domain="a.com" ports="80"/>'));
    expect(r.policy?.allowAccessFrom).toHaveLength(1);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'unknown-attribute', requirement: 'FLASH-GRAM-5', value: 'ports', line: 3, column: 35 })]);
  });

  it('FLASH-GRAM-6: to-ports in a URL policy is reported and has no effect', () => {
    const r = parse(wrap('<allow-access-from domain="*" to-ports="*"/>\n<allow-access-from domain="*" to-ports="nonsense"/>'));
    expect(r.policy?.allowAccessFrom.map((x) => x.toPorts)).toEqual([null, null]);
    expect(r.codes).toEqual(['to-ports-in-url-policy', 'to-ports-in-url-policy']);
    expect(r.requirements).toEqual(['FLASH-GRAM-6', 'FLASH-GRAM-6']);
  });

  it('FLASH-GRAM-7: in a socket policy an allow-access-from without to-ports grants nothing; with one it is parsed', () => {
    const r = parse(wrap('<allow-access-from domain="*"/>\n<allow-access-from domain="*" to-ports="123,456-458"/>'), SOCKET_CTX);
    expect(r.policy?.allowAccessFrom).toMatchObject([{ domain: '*', toPorts: { any: false, ranges: [{ from: 123, to: 123 }, { from: 456, to: 458 }] } }]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'missing-to-ports', requirement: 'FLASH-GRAM-7', line: 3 })]);
  });

  it('FLASH-GRAM-7, FLASH-PORT-2, FLASH-PORT-3, FLASH-PORT-4: an invalid to-ports drops its rule with an error naming the port rule', () => {
    const r = parse(wrap('<allow-access-from domain="*" to-ports="*,80"/>\n<allow-access-from domain="*" to-ports="0"/>\n<allow-access-from domain="*" to-ports="458-456"/>'), SOCKET_CTX);
    expect(r.policy?.allowAccessFrom).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.requirement, d.value])).toEqual([
      ['invalid-to-ports', 'FLASH-PORT-2', '*,80'],
      ['invalid-to-ports', 'FLASH-PORT-3', '0'],
      ['invalid-to-ports', 'FLASH-PORT-4', '458-456'],
    ]);
  });

  it('FLASH-GRAM-8: secure is exactly "true" or "false"; anything else drops the element', () => {
    const r = parse(wrap('<allow-access-from domain="a.com" secure="true"/>\n<allow-access-from domain="b.com" secure="false"/>\n<allow-access-from domain="c.com" secure="TRUE"/>\n<allow-access-from domain="d.com" secure="1"/>'), HTTPS_CTX);
    expect(r.policy?.allowAccessFrom.map((x) => [x.domain, x.secure])).toEqual([['a.com', true], ['b.com', false]]);
    expect(r.diagnostics.map((d) => [d.code, d.requirement, d.value])).toEqual([
      ['invalid-secure', 'FLASH-GRAM-8', 'TRUE'],
      ['invalid-secure', 'FLASH-GRAM-8', '1'],
    ]);
  });

  it('FLASH-SEC-1: secure in a policy served over HTTP is kept but reported as having no effect', () => {
    const r = parse(wrap('<allow-access-from domain="a.com" secure="false"/>'), URL_CTX);
    expect(r.policy?.allowAccessFrom[0]?.secure).toBe(false);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'secure-without-effect', requirement: 'FLASH-SEC-1' })]);
    expect(parse(wrap('<allow-access-from domain="a.com" secure="false" to-ports="80"/>'), SOCKET_CTX).diagnostics).toEqual([]);
  });

  it('FLASH-GRAM-9: allow-http-request-headers-from needs domain and headers; items are trimmed and empty ones dropped', () => {
    const r = parse(
      wrap(
        [
          '<allow-http-request-headers-from domain="*" headers=" SOAPAction , X-Foo-*,,*"/>',
          '<allow-http-request-headers-from domain="*"/>',
          '<allow-http-request-headers-from headers="X"/>',
          '<allow-http-request-headers-from domain="*" headers=" , "/>',
          '<allow-http-request-headers-from domain="*" headers="Bad Header,X-Ok" to-ports="80"/>',
        ].join('\n'),
      ),
    );
    expect(r.policy?.allowHttpRequestHeadersFrom.map((x) => x.headers)).toEqual([['SOAPAction', 'X-Foo-*', '*'], ['X-Ok']]);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.requirement, d.line])).toEqual([
      ['error', 'missing-headers', 'FLASH-GRAM-9', 4],
      ['error', 'missing-domain', 'FLASH-GRAM-9', 5],
      ['error', 'missing-headers', 'FLASH-GRAM-9', 6],
      ['warning', 'unknown-attribute', 'FLASH-GRAM-9', 7],
      ['warning', 'invalid-header-name', 'FLASH-GRAM-9', 7],
    ]);
  });

  it('FLASH-GRAM-9: allow-http-request-headers-from is reported and ignored in socket and FTP policies', () => {
    for (const ctx of [SOCKET_CTX, FTP_CTX]) {
      const r = parse(wrap('<allow-http-request-headers-from domain="*" headers="*"/>'), ctx);
      expect(r.policy?.allowHttpRequestHeadersFrom).toEqual([]);
      expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'headers-not-applicable', requirement: 'FLASH-GRAM-9' })]);
    }
  });

  it('FLASH-GRAM-10: site-control values are read; a missing or unknown value is reported and read as none', () => {
    for (const v of ['none', 'master-only', 'by-content-type', 'all']) {
      expect(parse(wrap(`<site-control permitted-cross-domain-policies="${v}"/>`)).policy?.siteControl).toEqual([expect.objectContaining({ permittedCrossDomainPolicies: v })]);
    }
    expect(parse(wrap('<site-control permitted-cross-domain-policies="by-ftp-filename"/>'), FTP_CTX).policy?.siteControl[0]?.permittedCrossDomainPolicies).toBe('by-ftp-filename');
    for (const text of ['<site-control/>', '<site-control permitted-cross-domain-policies="Master-Only"/>', '<site-control permitted-cross-domain-policies="by-contract-type"/>']) {
      const r = parse(wrap(text));
      expect(r.policy?.siteControl.map((s) => s.permittedCrossDomainPolicies)).toEqual(['none']);
      expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'invalid-meta-policy', requirement: 'FLASH-GRAM-10' })]);
    }
    const extra = parse(wrap('<site-control permitted-cross-domain-policies="all" foo="1"/>'));
    expect(extra.policy?.siteControl[0]?.permittedCrossDomainPolicies).toBe('all');
    expect(extra.diagnostics).toEqual([expect.objectContaining({ code: 'unknown-attribute', requirement: 'FLASH-GRAM-10', value: 'foo' })]);
  });

  it('FLASH-GRAM-10, FLASH-SOCK-10, FLASH-META-5: a meta-policy that does not apply to the transport is read as none', () => {
    const cases: [FlashParseContext, string, string][] = [
      [SOCKET_CTX, 'by-content-type', 'FLASH-SOCK-10'],
      [SOCKET_CTX, 'by-ftp-filename', 'FLASH-SOCK-10'],
      [URL_CTX, 'by-ftp-filename', 'FLASH-META-5'],
      [HTTPS_CTX, 'by-ftp-filename', 'FLASH-META-5'],
      [FTP_CTX, 'by-content-type', 'FLASH-GRAM-10'],
    ];
    for (const [ctx, value, requirement] of cases) {
      const r = parse(wrap(`<site-control permitted-cross-domain-policies="${value}"/>`), ctx);
      expect(r.policy?.siteControl.map((s) => s.permittedCrossDomainPolicies)).toEqual(['none']);
      expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'meta-policy-not-applicable', requirement, value })]);
    }
  });

  it('FLASH-GRAM-11: several site-controls are all kept in order and each is reported', () => {
    const r = parse(wrap('<site-control permitted-cross-domain-policies="all"/>\n<allow-access-from domain="*"/>\n<site-control permitted-cross-domain-policies="none"/>'));
    expect(r.policy?.siteControl.map((s) => s.permittedCrossDomainPolicies)).toEqual(['all', 'none']);
    expect(r.diagnostics.map((d) => [d.code, d.requirement, d.line])).toEqual([
      ['multiple-site-control', 'FLASH-GRAM-11', 3],
      ['multiple-site-control', 'FLASH-GRAM-11', 5],
    ]);
  });

  it('FLASH-META-8, FLASH-SOCK-9: a site-control outside the master is reported and left out of the model', () => {
    const url = parse(wrap('<site-control permitted-cross-domain-policies="all"/>\n<allow-access-from domain="*"/>'), { kind: 'url', master: false });
    expect(url.policy?.siteControl).toEqual([]);
    expect(url.policy?.allowAccessFrom).toHaveLength(1);
    expect(url.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'site-control-not-master', requirement: 'FLASH-META-8', value: 'all' })]);
    const socket = parse(wrap('<site-control permitted-cross-domain-policies="all"/>'), { kind: 'socket', master: false });
    expect(socket.policy?.siteControl).toEqual([]);
    expect(socket.diagnostics).toEqual([expect.objectContaining({ code: 'site-control-not-master', requirement: 'FLASH-SOCK-9' })]);
  });

  it('FLASH-GRAM-12: allow-access-from-identity is parsed, reported, and holds no grant', () => {
    const r = parse(
      wrap(
        '<allow-access-from-identity><signatory><certificate fingerprint="01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67" fingerprint-algorithm="sha-1"/><certificate fingerprint="x"/></signatory></allow-access-from-identity>',
      ),
    );
    expect(r.policy?.allowAccessFromIdentity).toMatchObject([{ certificates: [{ fingerprint: '01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67', fingerprintAlgorithm: 'sha-1' }] }]);
    expect(r.policy?.allowAccessFrom).toEqual([]);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.requirement])).toEqual([
      ['warning', 'invalid-certificate', 'FLASH-GRAM-12'],
      ['info', 'identity-never-grants', 'FLASH-GRAM-12'],
    ]);
  });

  it('every diagnostic names a code from FLASH_DIAGNOSTIC_CODES, a requirement, a line and a column', () => {
    const texts = [
      wrap('<Allow-Access-From/><allow-access-from/><x/>t<site-control/><site-control permitted-cross-domain-policies="by-ftp-filename"/><allow-http-request-headers-from/><allow-access-from-identity/>'),
      '<x/>',
      '<cross-domain-policy a="1"><allow-access-from domain="*" to-ports="a" secure="x"/></cross-domain-policy>',
    ];
    for (const text of texts) {
      for (const ctx of [URL_CTX, SOCKET_CTX, FTP_CTX, { kind: 'url', master: false } as const]) {
        for (const d of parseFlashPolicy(text, ctx).diagnostics) {
          expect(FLASH_DIAGNOSTIC_CODES).toContain(d.code);
          expect(d.requirement).toMatch(/^FLASH-[A-Z]+-\d+$/);
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.message.length).toBeGreaterThan(10);
        }
      }
    }
  });
});

describe('the closed list of diagnostic codes', () => {
  // One input per grammar code: the list must not hold a code the parser can no longer produce.
  const producers: Record<string, [string, FlashParseContext]> = {
    'wrong-root': ['<policy/>', URL_CTX],
    'root-attribute': ['<cross-domain-policy a="1"/>', URL_CTX],
    'unknown-element': [wrap('<x/>'), URL_CTX],
    'element-name-case': [wrap('<Site-Control/>'), URL_CTX],
    'text-content': [wrap('t'), URL_CTX],
    'unknown-attribute': [wrap('<allow-access-from domain="*" x="1"/>'), URL_CTX],
    'missing-domain': [wrap('<allow-access-from/>'), URL_CTX],
    'invalid-domain': [wrap('<allow-access-from domain="a*"/>'), URL_CTX],
    'to-ports-in-url-policy': [wrap('<allow-access-from domain="*" to-ports="1"/>'), URL_CTX],
    'missing-to-ports': [wrap('<allow-access-from domain="*"/>'), SOCKET_CTX],
    'invalid-to-ports': [wrap('<allow-access-from domain="*" to-ports="x"/>'), SOCKET_CTX],
    'invalid-secure': [wrap('<allow-access-from domain="*" secure="x"/>'), URL_CTX],
    'secure-without-effect': [wrap('<allow-access-from domain="*" secure="true"/>'), URL_CTX],
    'missing-headers': [wrap('<allow-http-request-headers-from domain="*"/>'), URL_CTX],
    'invalid-header-name': [wrap('<allow-http-request-headers-from domain="*" headers="a b,c"/>'), URL_CTX],
    'headers-not-applicable': [wrap('<allow-http-request-headers-from domain="*" headers="*"/>'), SOCKET_CTX],
    'invalid-meta-policy': [wrap('<site-control/>'), URL_CTX],
    'meta-policy-not-applicable': [wrap('<site-control permitted-cross-domain-policies="by-content-type"/>'), SOCKET_CTX],
    'multiple-site-control': [wrap('<site-control permitted-cross-domain-policies="all"/><site-control permitted-cross-domain-policies="all"/>'), URL_CTX],
    'site-control-not-master': [wrap('<site-control permitted-cross-domain-policies="all"/>'), { kind: 'url', master: false }],
    'identity-never-grants': [wrap('<allow-access-from-identity/>'), URL_CTX],
    'invalid-certificate': [wrap('<allow-access-from-identity><signatory><certificate/></signatory></allow-access-from-identity>'), URL_CTX],
    'declared-encoding': ['<?xml version="1.0" encoding="latin1"?><cross-domain-policy/>', URL_CTX],
  };
  it.each(Object.entries(producers))('FLASH-GRAM-2..12, FLASH-XML-3, FLASH-XML-9, FLASH-XML-10: code %s is produced and listed', (code, [text, ctx]) => {
    expect(FLASH_DIAGNOSTIC_CODES).toContain(code);
    expect(parseFlashPolicy(text, ctx).diagnostics.map((d) => d.code)).toContain(code);
  });
  it('every listed grammar code has a producer above (internal-error aside: it marks a bug)', () => {
    for (const code of FLASH_GRAMMAR_DIAGNOSTIC_CODES) if (code !== 'internal-error') expect(Object.keys(producers)).toContain(code);
  });
});
