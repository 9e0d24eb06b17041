import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideSilverlight } from '../../src/decision/decide.js';
import { acceptsPolicyContentType } from '../../src/world/content-type.js';
import { parseSilverlightFlashSubset } from '../../src/silverlight/flash-subset.js';
import type { WorldSnapshot } from '../../src/world/world.js';
import type { DecisionRequest } from '../../src/decision/types.js';
import { policy, simple, wrap } from './helpers.js';

const APP = 'http://app.test/client/app.xap';
const SOCKET_ALL = simple('*', '<socket-resource port="4502-4534" protocol="tcp"/>');
const WHOLE_SITE = simple('*', '<resource path="/" include-subpaths="true"/>');
const FLASH_STAR = '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="*"/>\n</cross-domain-policy>\n';

function ask(world: WorldSnapshot, target: string, extra: Partial<DecisionRequest> = {}, origin = APP) {
  return decideSilverlight({ client: 'silverlight', origin, target, ...extra }, world);
}
const xml = (body: string, extra: Record<string, unknown> = {}) => ({ body, contentType: 'text/xml', ...extra });
const reqs = (d: { decidedBy: { requirements: string[] }; trace: { requirements: string[] }[] }) => [...d.decidedBy.requirements, ...d.trace.flatMap((t) => t.requirements)];

describe('Silverlight HTTP decisions (SL-HTTP)', () => {
  it('SL-HTTP-1: same scheme, host and port needs no policy', () => {
    const d = ask({}, 'http://app.test:80/data.xml');
    expect(d.decision).toBe('allow');
    expect(d.decidedBy.requirements).toEqual(['SL-HTTP-1']);
    expect(ask({}, 'https://app.test/data.xml').decision).toBe('deny');
    expect(ask({}, 'http://app.test:8080/data.xml').decision).toBe('deny');
  });
  it('SL-HTTP-2: the policy is /clientaccesspolicy.xml at the target\'s scheme, host and port', () => {
    const world = { 'http://api.test:8080/clientaccesspolicy.xml': xml(WHOLE_SITE) };
    const d = ask(world, 'http://api.test:8080/deep/data.xml');
    expect(d.decision).toBe('allow');
    expect(d.trace[0]).toMatchObject({ step: 'fetch', location: 'http://api.test:8080/clientaccesspolicy.xml', used: true });
    expect(ask(world, 'http://api.test/deep/data.xml').decision).toBe('deny');
    expect(ask(world, 'https://api.test:8080/deep/data.xml').decision).toBe('deny');
    expect(ask({ 'http://api.test/sub/clientaccesspolicy.xml': xml(WHOLE_SITE) }, 'http://api.test/sub/x').decision).toBe('deny');
  });
  it('SL-HTTP-2: world keys are matched regardless of case and default port', () => {
    expect(ask({ 'HTTP://API.test:80/clientaccesspolicy.xml': xml(WHOLE_SITE) }, 'http://api.test/x').decision).toBe('allow');
  });
  it('SL-HTTP-3: only status 200 counts; redirects and errors are no policy', () => {
    for (const entry of [{ status: 301, headers: { Location: 'http://api.test/other.xml' } }, { status: 500 }, { error: 'timeout' as const }, { error: 'reset' as const }]) {
      const d = ask({ 'http://api.test/clientaccesspolicy.xml': xml(WHOLE_SITE, entry) }, 'http://api.test/x');
      expect(d.decision).toBe('deny');
      expect(d.trace[0]?.requirements).toContain('SL-HTTP-3');
    }
  });
  it('SL-HTTP-4: text/* and application/xml are accepted, others not ([ML-DRT] silverlight-24 to 32)', () => {
    for (const ct of ['application/xml', 'application/xml; charset=utf-8', 'text/plain', 'text/html', 'text/unknown', 'TEXT/XML']) expect(acceptsPolicyContentType('silverlight', ct), ct).toBe(true);
    for (const ct of ['application/msword', 'unknown/xml', 'application/xhtml+xml', 'text/', undefined, 'application/xml-dtd']) expect(acceptsPolicyContentType('silverlight', ct), String(ct)).toBe(false);
    const d = ask({ 'http://api.test/clientaccesspolicy.xml': { body: WHOLE_SITE, contentType: 'application/msword' } }, 'http://api.test/x');
    expect(d.decision).toBe('deny');
    expect(reqs(d)).toContain('SL-HTTP-4');
  });
  it('SL-HTTP-5: each location is read once per decider, the outcome reused', () => {
    const world = { 'http://api.test/clientaccesspolicy.xml': xml(WHOLE_SITE) };
    const a = ask(world, 'http://api.test/x');
    const b = ask(world, 'http://api.test/y');
    expect([a.decision, b.decision]).toEqual(['allow', 'allow']);
  });
  it('SL-HTTP-6: crossdomain.xml is read only when no clientaccesspolicy.xml was served', () => {
    for (const sl of [undefined, { body: WHOLE_SITE, contentType: 'application/octet-stream' }, xml(WHOLE_SITE, { status: 404 }), { body: '', error: 'timeout' as const }, xml(WHOLE_SITE, { end: 'reset' as const })]) {
      const world: WorldSnapshot = { 'http://api.test/crossdomain.xml': xml(FLASH_STAR) };
      if (sl) world['http://api.test/clientaccesspolicy.xml'] = sl;
      const d = ask(world, 'http://api.test/x');
      expect(d.decision).toBe('allow');
      expect(reqs(d)).toContain('SL-HTTP-6');
    }
  });
  it('SL-HTTP-6: a served clientaccesspolicy.xml that is rejected ends the lookup: deny, crossdomain.xml unread (divergence: Moonlight reads it)', () => {
    const rejected = [
      '<access-policy/>',
      simple('*', '<resource path=""/>'),
      simple('*', '<resource path="/" include-subpaths="yes"/>'),
      simple('*', '<socket-resource port="80" protocol="tcp"/>'),
      '<!DOCTYPE access-policy [<!ENTITY e "x">]>\n' + WHOLE_SITE.replace(/^<\?xml[^>]*>\n/, ''),
      WHOLE_SITE + '<access-policy/>',
      FLASH_STAR,
      '',
    ];
    for (const body of rejected) {
      const d = ask({ 'http://api.test/clientaccesspolicy.xml': xml(body), 'http://api.test/crossdomain.xml': xml(FLASH_STAR) }, 'http://api.test/x');
      expect(d.decision, body).toBe('deny');
      expect(d.decidedBy.requirements).toEqual(['SL-HTTP-6']);
      expect(d.trace.filter((t) => t.step === 'fetch').map((t) => [t.location, t.answered])).toEqual([['http://api.test/clientaccesspolicy.xml', 'invalid']]);
    }
  });
  it('SL-HTTP-7: a valid policy granting nothing stops the fallback ([ML-DRT] silverlight-36 to 38)', () => {
    for (const body of [wrap('<policy id="x"><allow-from><domain uri="*"/></allow-from><grant-to><resource path="/"/></grant-to></policy>'), simple('http://other.test'), simple('*', '<resource path="/only"/>'), '<access-policy></access-policy>']) {
      const d = ask({ 'http://api.test/clientaccesspolicy.xml': xml(body), 'http://api.test/crossdomain.xml': xml(FLASH_STAR) }, 'http://api.test/x');
      expect(d.decision).toBe('deny');
      expect(d.trace.some((t) => t.location === 'http://api.test/crossdomain.xml' && t.step === 'fetch')).toBe(false);
      expect(reqs(d)).toContain('SL-HTTP-7');
    }
  });
  it('SL-HTTP-8: a grant needs domain, method, headers and a resource of the same policy', () => {
    const body = wrap([
      policy('<allow-from><domain uri="http://other.test"/></allow-from>', '<grant-to><resource path="/a"/></grant-to>'),
      policy('<allow-from><domain uri="http://app.test"/></allow-from>', '<grant-to><resource path="/b"/></grant-to>'),
    ].join('\n'));
    const world = { 'http://api.test/clientaccesspolicy.xml': xml(body) };
    expect(ask(world, 'http://api.test/b').decision).toBe('allow');
    const d = ask(world, 'http://api.test/a');
    expect(d.decision).toBe('deny');
    expect(d.decidedBy.requirements).toContain('SL-HTTP-8');
  });
  it('SL-HTTP-9: nothing anywhere denies', () => {
    const d = ask({}, 'http://api.test/x');
    expect(d.decision).toBe('deny');
    expect(d.decidedBy.requirements).toEqual(['SL-HTTP-9']);
    expect(d.trace.map((t) => t.location).filter(Boolean)).toEqual(['http://api.test/clientaccesspolicy.xml', 'http://api.test/crossdomain.xml']);
  });
  it('SL-HTTP-10: targets other than socket:// and http(s) are denied', () => {
    for (const t of ['ftp://api.test/x', 'nonsense', 'xmlsocket://api.test:4502']) {
      const d = ask({}, t);
      expect(d.decision).toBe('deny');
      expect(d.decidedBy.requirements).toEqual(['SL-HTTP-10']);
    }
  });
  it('SL-HDR-7: each allow-from is judged whole; a later one may grant (divergence: Moonlight denies at the first)', () => {
    const body = wrap([
      policy('<allow-from><domain uri="*"/></allow-from>', '<grant-to><resource path="/" include-subpaths="true"/></grant-to>'),
      policy('<allow-from http-request-headers="SOAPAction"><domain uri="*"/></allow-from>', '<grant-to><resource path="/soap"/></grant-to>'),
    ].join('\n'));
    const world = { 'http://api.test/clientaccesspolicy.xml': xml(body) };
    expect(ask(world, 'http://api.test/soap', { headers: ['SOAPAction'] }).decision).toBe('allow');
    const d = ask(world, 'http://api.test/other', { headers: ['SOAPAction'] });
    expect(d.decision).toBe('deny');
    expect(reqs(d)).toContain('SL-HDR-7');
    expect(ask(world, 'http://api.test/other', { headers: ['Content-Type'] }).decision).toBe('allow');
  });
  it('SL-HDR-8: PUT needs http-methods="*"', () => {
    const world = { 'http://api.test/clientaccesspolicy.xml': xml(WHOLE_SITE) };
    expect(ask(world, 'http://api.test/x', { method: 'PUT' }).decision).toBe('deny');
    const w2 = { 'http://api.test/clientaccesspolicy.xml': xml(simple('*', '<resource path="/" include-subpaths="true"/>', ' http-methods="*"')) };
    expect(ask(w2, 'http://api.test/x', { method: 'PUT' }).decision).toBe('allow');
    for (const v of ['PUT,*', ' * ']) {
      const w3 = { 'http://api.test/clientaccesspolicy.xml': xml(simple('*', '<resource path="/" include-subpaths="true"/>', ` http-methods="${v}"`)) };
      expect(ask(w3, 'http://api.test/x', { method: 'PUT' }).decision, v).toBe('deny');
    }
  });
  it('SL-PATH-5, SL-PATH-6: forbidden sequences deny unless the policy is the whole-site grant ([ML-DRT] silverlight-1, 2, 4)', () => {
    const test = { 'http://api.test/clientaccesspolicy.xml': xml(simple('*', '<resource path="/test" include-subpaths="true"/>')) };
    for (const p of ['/test/../x', '/test/./x', '/test/using%20x']) {
      const d = ask(test, `http://api.test${p}`);
      expect(d.decision, p).toBe('deny');
      expect(d.decidedBy.requirements).toEqual(['SL-PATH-5']);
    }
    for (const q of ['?query=../x', '?query=./x', '?query=%20']) expect(ask(test, `http://api.test/test/path${q}`).decision).toBe('allow');
    const whole = { 'http://api.test/clientaccesspolicy.xml': xml(WHOLE_SITE) };
    for (const p of ['/test/../x', '/test/./x', '/test/using%20x']) expect(ask(whole, `http://api.test${p}`).decision, p).toBe('allow');
    const root = { 'http://api.test/clientaccesspolicy.xml': xml(simple('*', '<resource path="/"/>')) };
    for (const p of ['/../', '/./', '/%20']) expect(ask(root, `http://api.test${p}`).decision, p).toBe('deny');
  });
});

describe('Silverlight crossdomain.xml subset (SL-FLASH)', () => {
  const fallback = (body: string, extra: Record<string, unknown> = {}, target = 'http://api.test/x', req: Partial<DecisionRequest> = {}, origin = APP) =>
    ask({ 'http://api.test/crossdomain.xml': xml(body, extra), 'https://api.test/crossdomain.xml': xml(body, extra) }, target, req, origin);
  const cdp = (inner: string, rootAttrs = '') => `<?xml version="1.0"?>\n<cross-domain-policy${rootAttrs}>\n${inner}\n</cross-domain-policy>\n`;
  it('SL-FLASH-1: only three elements; anything else makes the file unusable', () => {
    expect(parseSilverlightFlashSubset(cdp('<allow-access-from-identity><signatory/></allow-access-from-identity><allow-access-from domain="*"/>')).policy).toBeNull();
    expect(parseSilverlightFlashSubset(cdp('<foo/><allow-access-from domain="*"/>')).diagnostics.map((d) => d.requirement)).toContain('SL-FLASH-1');
    expect(parseSilverlightFlashSubset(simple()).policy).toBeNull();
    expect(fallback(cdp('<allow-access-from-identity/><allow-access-from domain="*"/>')).decision).toBe('deny');
  });
  it('SL-FLASH-2: unknown attributes (to-ports, xmlns) make the file unusable ([ML-DRT] flash-34 to 37)', () => {
    for (const body of [cdp('<allow-access-from domain="*" to-ports="*"/>'), cdp('<allow-access-from domain="*" foo="1"/>'), cdp('<allow-access-from domain="*"/>', ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'), cdp('<site-control permitted-cross-domain-policies="all" x="1"/><allow-access-from domain="*"/>'), cdp('<allow-http-request-headers-from domain="*"/><allow-access-from domain="*"/>')]) {
      const r = parseSilverlightFlashSubset(body);
      expect(r.policy).toBeNull();
      expect(r.diagnostics.map((d) => d.requirement)).toContain('SL-FLASH-2');
      expect(fallback(body).decision).toBe('deny');
    }
  });
  it('SL-FLASH-3: secure must be true or false ([ML-DRT] flash-11 to 13)', () => {
    expect(fallback(cdp('<allow-access-from domain="*" secure="true"/>')).decision).toBe('allow');
    expect(fallback(cdp('<allow-access-from domain="*" secure="false"/>')).decision).toBe('allow');
    const r = parseSilverlightFlashSubset(cdp('<allow-access-from domain="*" secure="yes"/>'));
    expect(r.policy).toBeNull();
    expect(r.diagnostics.map((d) => d.requirement)).toContain('SL-FLASH-3');
  });
  it('SL-FLASH-4: only domain="*" grants ([ML-DRT] flash-2, 3, 22, 23)', () => {
    for (const dom of ['app.test', '*.app.test', '127.0.0.1']) {
      const d = fallback(cdp(`<allow-access-from domain="${dom}"/>`));
      expect(d.decision).toBe('deny');
      expect(d.decidedBy.requirements).toEqual(['SL-FLASH-4']);
    }
  });
  it('SL-FLASH-5: meta-policies all, master-only, by-ftp-filename allowed; others deny ([ML-DRT] flash-4 to 9, 16 to 21)', () => {
    for (const v of ['all', 'master-only', 'by-ftp-filename']) {
      expect(fallback(cdp(`<site-control permitted-cross-domain-policies="${v}"/><allow-access-from domain="*"/>`)).decision, v).toBe('allow');
      expect(fallback(FLASH_STAR, { headers: { 'X-Permitted-Cross-Domain-Policies': v } }).decision, v).toBe('allow');
    }
    for (const v of ['none', 'by-content-type', 'bogus', 'none-this-response']) {
      const d = fallback(cdp(`<site-control permitted-cross-domain-policies="${v}"/><allow-access-from domain="*"/>`));
      expect(d.decision, v).toBe('deny');
      expect(d.decidedBy.requirements).toEqual(['SL-FLASH-5']);
      expect(fallback(FLASH_STAR, { headers: { 'x-permitted-cross-domain-policies': v } }).decision, v).toBe('deny');
    }
  });
  it('SL-FLASH-6: over HTTPS, secure (default true) admits only HTTPS callers', () => {
    expect(fallback(FLASH_STAR, {}, 'https://api.test/x').decision).toBe('deny');
    expect(fallback(FLASH_STAR, {}, 'https://api.test/x', {}, 'https://app.test/a.xap').decision).toBe('allow');
    expect(fallback(cdp('<allow-access-from domain="*" secure="false"/>'), {}, 'https://api.test/x').decision).toBe('allow');
    expect(fallback(cdp('<allow-access-from domain="*" secure="true"/>'), {}, 'http://api.test/x').decision).toBe('allow');
    expect(fallback(FLASH_STAR, {}, 'https://api.test/x').decidedBy.requirements).toEqual(['SL-FLASH-6']);
  });
  it('SL-FLASH-7: headers need allow-http-request-headers-from domain="*"', () => {
    expect(fallback(FLASH_STAR, {}, 'http://api.test/x', { headers: ['Content-Type'] }).decision).toBe('allow');
    const d = fallback(FLASH_STAR, {}, 'http://api.test/x', { headers: ['SOAPAction'] });
    expect(d.decision).toBe('deny');
    expect(d.decidedBy.requirements).toEqual(['SL-FLASH-7']);
    expect(fallback(cdp('<allow-access-from domain="*"/><allow-http-request-headers-from domain="*" headers="SOAP*"/>'), {}, 'http://api.test/x', { headers: ['soapaction'] }).decision).toBe('allow');
    expect(fallback(cdp('<allow-access-from domain="*"/><allow-http-request-headers-from domain="app.test" headers="*"/>'), {}, 'http://api.test/x', { headers: ['SOAPAction'] }).decision).toBe('deny');
  });
  it('SL-FLASH-8: no path restriction, GET and POST only ([ML-DRT] flash-1)', () => {
    for (const p of ['/a/../b', '/a/./b', '/a%20b']) expect(fallback(FLASH_STAR, {}, `http://api.test${p}`).decision, p).toBe('allow');
    expect(fallback(FLASH_STAR, {}, 'http://api.test/x', { method: 'POST' }).decision).toBe('allow');
    const d = fallback(FLASH_STAR, {}, 'http://api.test/x', { method: 'PUT' });
    expect(d.decision).toBe('deny');
    expect(d.decidedBy.requirements).toEqual(['SL-FLASH-8']);
  });
  it('SL-FLASH-9: a file without allow-access-from grants nothing', () => {
    const d = fallback(cdp('<site-control permitted-cross-domain-policies="all"/>'));
    expect(d.decision).toBe('deny');
    expect(d.decidedBy.requirements).toEqual(['SL-FLASH-9']);
  });
  it('SL-FLASH-10: the document rules apply (entities, text outside the root, leading whitespace)', () => {
    const ent = parseSilverlightFlashSubset('<!DOCTYPE cross-domain-policy [<!ENTITY w "*">]><cross-domain-policy><allow-access-from domain="&w;"/></cross-domain-policy>');
    expect(ent.policy).toBeNull();
    expect(ent.diagnostics.map((d) => d.requirement)).toContain('SL-XML-4');
    expect(parseSilverlightFlashSubset('  \n' + FLASH_STAR).policy?.allowAccessFrom.length).toBe(1);
    const d = fallback('<!DOCTYPE cross-domain-policy [<!ENTITY w "*">]><cross-domain-policy><allow-access-from domain="&w;"/></cross-domain-policy>');
    expect(d.decision).toBe('deny');
    expect(reqs(d)).toContain('SL-FLASH-10');
  });
});

describe('Silverlight sockets (SL-SOCK)', () => {
  const world = { 'xmlsocket://srv.test:943': { body: SOCKET_ALL } };
  it('SL-SOCK-1: ports outside 4502-4534 are denied without asking for a policy', () => {
    for (const port of [80, 443, 843, 943, 4501, 4535, 65535]) {
      const d = ask(world, `socket://srv.test:${port}`);
      expect(d.decision).toBe('deny');
      expect(d.decidedBy.requirements).toEqual(['SL-SOCK-1']);
      expect(d.trace.some((t) => t.step === 'fetch')).toBe(false);
    }
    for (const port of [4502, 4518, 4534]) expect(ask(world, `socket://srv.test:${port}`).decision).toBe('allow');
  });
  it('SL-SOCK-1: property — a port outside 4502-4534 is never allowed, whatever the world', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }).filter((p) => p < 4502 || p > 4534), fc.constantFrom(SOCKET_ALL, WHOLE_SITE, FLASH_STAR), (port, body) => {
        const w: WorldSnapshot = { 'xmlsocket://srv.test:943': { body }, [`xmlsocket://srv.test:${port}`]: { body }, 'xmlsocket://srv.test:843': { body } };
        expect(ask(w, `socket://srv.test:${port}`).decision).toBe('deny');
      }),
      { numRuns: 500 },
    );
  });
  it('SL-SOCK-2: the policy comes only from port 943 of the target host', () => {
    expect(ask({ 'xmlsocket://srv.test:4502': { body: SOCKET_ALL }, 'xmlsocket://srv.test:843': { body: SOCKET_ALL } }, 'socket://srv.test:4502').decision).toBe('deny');
    const d = ask(world, 'socket://srv.test:4502');
    expect(d.trace[0]).toMatchObject({ step: 'fetch', location: 'xmlsocket://srv.test:943', used: true });
    expect(ask(world, 'socket://other.test:4502').decision).toBe('deny');
  });
  it('SL-SOCK-3: the request is the 22 bytes <policy-file-request/> without NUL', async () => {
    const { SILVERLIGHT_POLICY_REQUEST } = await import('../../src/silverlight/socket.js');
    expect(SILVERLIGHT_POLICY_REQUEST).toBe('<policy-file-request/>');
    expect(Buffer.byteLength(SILVERLIGHT_POLICY_REQUEST)).toBe(22);
  });
  it('SL-SOCK-4: the response ends at the close; a NUL makes it invalid; empty is no policy', () => {
    expect(ask({ 'xmlsocket://srv.test:943': { body: SOCKET_ALL + '\u0000' } }, 'socket://srv.test:4502').decision).toBe('deny');
    const d = ask({ 'xmlsocket://srv.test:943': { body: '' } }, 'socket://srv.test:4502');
    expect(d.decision).toBe('deny');
    expect(reqs(d)).toContain('SL-SOCK-4');
  });
  it('SL-SOCK-5: a Flash socket policy on 943 is not read', () => {
    const d = ask({ 'xmlsocket://srv.test:943': { body: '<cross-domain-policy><allow-access-from domain="*" to-ports="*"/></cross-domain-policy>' } }, 'socket://srv.test:4502');
    expect(d.decision).toBe('deny');
    expect(reqs(d)).toContain('SL-SOCK-5');
  });
  it('SL-SOCK-6: the XAP\'s own host needs a policy too', () => {
    const d = ask({}, 'socket://app.test:4502');
    expect(d.decision).toBe('deny');
    expect(reqs(d)).toContain('SL-SOCK-6');
    expect(ask({ 'xmlsocket://app.test:943': { body: SOCKET_ALL } }, 'socket://app.test:4502').decision).toBe('allow');
  });
  it('SL-SOCK-10: domain and port must come from the same policy; headers do not matter', () => {
    const body = wrap([
      policy('<allow-from><domain uri="http://other.test"/></allow-from>', '<grant-to><socket-resource port="4502" protocol="tcp"/></grant-to>'),
      policy('<allow-from http-request-headers=""><domain uri="http://app.test"/></allow-from>', '<grant-to><socket-resource port="4503" protocol="tcp"/><socket-resource port="4510-4512" protocol="tcp"/></grant-to>'),
    ].join('\n'));
    const w = { 'xmlsocket://srv.test:943': { body } };
    expect(ask(w, 'socket://srv.test:4502').decision).toBe('deny');
    expect(ask(w, 'socket://srv.test:4503', { headers: ['X-Foo'] }).decision).toBe('allow');
    expect(ask(w, 'socket://srv.test:4511').decision).toBe('allow');
    const d = ask(w, 'socket://srv.test:4504');
    expect(d.decision).toBe('deny');
    expect(d.decidedBy.requirements).toEqual(['SL-SOCK-10']);
  });
  it('SL-SOCK-11: resource grants no socket, socket-resource no HTTP path', () => {
    expect(ask({ 'xmlsocket://srv.test:943': { body: WHOLE_SITE } }, 'socket://srv.test:4502').decision).toBe('deny');
    expect(ask({ 'http://srv.test/clientaccesspolicy.xml': xml(SOCKET_ALL) }, 'http://srv.test/x').decision).toBe('deny');
  });
  it('SL-SOCK-12: no policy on 943 denies and nothing else is tried', () => {
    for (const entry of [undefined, { body: '', error: 'timeout' as const }, { body: '', error: 'refused' as const }, { body: '<access-policy/>' }]) {
      const w: WorldSnapshot = { 'http://srv.test/clientaccesspolicy.xml': xml(SOCKET_ALL), 'xmlsocket://srv.test:843': { body: SOCKET_ALL } };
      if (entry) w['xmlsocket://srv.test:943'] = entry;
      const d = ask(w, 'socket://srv.test:4502');
      expect(d.decision).toBe('deny');
      expect(d.decidedBy.requirements).toEqual(['SL-SOCK-12']);
      expect(d.trace.filter((t) => t.step === 'fetch').map((t) => t.location)).toEqual(['xmlsocket://srv.test:943']);
    }
  });
  it('SL-SOCK-13: no HTTP-mode retrieval: a clientaccesspolicy.xml on port 80 does not authorize sockets', () => {
    const d = ask({ 'http://srv.test/clientaccesspolicy.xml': xml(SOCKET_ALL) }, 'socket://srv.test:4502');
    expect(d.decision).toBe('deny');
  });
});

describe('Silverlight voiding property', () => {
  it('SL-GRAM-3, SL-GRAM-4: a voided policy never grants, whatever it holds', () => {
    const grants = fc.constantFrom('<resource path="/" include-subpaths="true"/>', '<socket-resource port="4502-4534" protocol="tcp"/>');
    const voiders = fc.constantFrom(' id="1"', ' xmlns:x="urn:x"', ' secure="true"');
    fc.assert(
      fc.property(grants, voiders, fc.boolean(), fc.constantFrom(4502, 4520, 4534), fc.constantFrom('/', '/a', '/a/b'), (grant, voider, byChild, port, path) => {
        const body = byChild
          ? wrap(`<policy><allow-from><domain uri="*"/></allow-from><grant-to>${grant}</grant-to><unknown/></policy>`)
          : wrap(`<policy${voider}><allow-from><domain uri="*"/></allow-from><grant-to>${grant}</grant-to></policy>`);
        const w: WorldSnapshot = { 'xmlsocket://srv.test:943': { body }, 'http://srv.test/clientaccesspolicy.xml': xml(body), 'http://srv.test/crossdomain.xml': xml(FLASH_STAR) };
        expect(ask(w, `socket://srv.test:${port}`).decision).toBe('deny');
        expect(ask(w, `http://srv.test${path}`).decision).toBe('deny');
      }),
      { numRuns: 200 },
    );
  });
});

describe('Silverlight compiled index', () => {
  it('SL-SOCK-10, SL-DOM-7: the domain index gives the same first grant as a linear scan', async () => {
    const { compileSilverlightPolicy, findSocketGrant, findSocketGrantLinear, prepareLinearSilverlight } = await import('../../src/silverlight/compile.js');
    const { effectiveSilverlightPolicy } = await import('../../src/silverlight/effective.js');
    const { callerOf } = await import('../../src/silverlight/domains.js');
    const { parseOriginUrl } = await import('../../src/world/locations.js');
    const hosts = ['a.test', 'b.a.test', 'c.b.a.test', 'evila.test', 'x.test'];
    const uri = fc.oneof(
      fc.constantFrom('*', 'http://*', 'https://*', 'file:///', 'bogus'),
      fc.tuple(fc.constantFrom('http', 'https'), fc.constantFrom(...hosts), fc.constantFrom('', ':8080'), fc.constantFrom('', '/', '/app.xap')).map(([s, h, p, path]) => `${s}://${h}${p}${path}`),
      fc.tuple(fc.constantFrom('http', 'https'), fc.constantFrom('a.test', 'b.a.test', 'test'), fc.constantFrom('', ':8080')).map(([s, h, p]) => `${s}://*.${h}${p}`),
    );
    const range = fc.tuple(fc.integer({ min: 4502, max: 4534 }), fc.integer({ min: 4502, max: 4534 })).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b), protocol: 'tcp' as const }));
    const model = fc.array(fc.record({
      allowFrom: fc.array(fc.record({ domains: fc.array(fc.record({ uri }), { maxLength: 3 }), httpRequestHeaders: fc.constant<string[]>([]), httpMethods: fc.constant<string[]>([]) }), { maxLength: 2 }),
      grantTo: fc.array(fc.record({ resources: fc.constant<{ path: string; includeSubpaths: boolean }[]>([]), socketResources: fc.array(range, { maxLength: 2 }) }), { maxLength: 2 }),
    }), { maxLength: 6 });
    const origin = fc.tuple(fc.constantFrom('http', 'https'), fc.constantFrom(...hosts), fc.constantFrom('', ':8080', ':443', ':80'), fc.constantFrom('/app.xap', '/other.xap')).map(([s, h, p, path]) => `${s}://${h}${p}${path}`);
    fc.assert(
      fc.property(model, fc.oneof(origin, fc.constantFrom('file:///app.xap', 'file://srv/share/app.xap')), fc.integer({ min: 4502, max: 4534 }), (policies, o, port) => {
        const policy = { format: 'silverlight' as const, policies };
        const caller = callerOf(parseOriginUrl(o, { what: 'origin', requirement: 'SL-DOM-1', diagnostics: [] })!);
        const effective = effectiveSilverlightPolicy(policy, { kind: 'socket' });
        const a = findSocketGrant(compileSilverlightPolicy(effective), caller, port);
        const b = findSocketGrantLinear(prepareLinearSilverlight(effective), caller, port);
        expect(a === null ? null : [a.allowFrom.policyIndex, a.allowFrom.allowFromIndex]).toEqual(b === null ? null : [b.allowFrom.policyIndex, b.allowFrom.allowFromIndex]);
      }),
      { numRuns: 1000 },
    );
  });
});
