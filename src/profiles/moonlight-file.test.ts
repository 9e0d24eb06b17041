import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDecider } from '../decision/decide.js';
import { compileSilverlightPolicy, findSocketGrant, findSocketGrantLinear, prepareLinearSilverlight } from '../silverlight/compile.js';
import { callerOf, matchDomainPattern } from '../silverlight/domains.js';
import { effectiveSilverlightPolicy } from '../silverlight/effective.js';
import { policyReadingOf, SILVERLIGHT_STEPS } from '../silverlight/steps.js';
import { parseOriginUrl } from '../world/locations.js';
import { silverlightStepsOf, withoutOverride } from './index.js';
import { moonlightFileDomainPattern, readMonoFileDomain, readMonoXap } from './moonlight-file.js';
import { monoEscape, monoUnescape, readMonoFileUri } from './moonlight-uri.js';

const caller = (origin: string) => callerOf(parseOriginUrl(origin, { what: 'origin', requirement: 'SL-DOM-1', diagnostics: [] })!);
const href = (origin: string) => new URL(origin).href;

describe("moonlight: mono's Uri reading file: values (silverlight/9#15)", () => {
  it.each([
    // LocalPath "/": compared by ToString ().
    ['file:///', { form: 'root', root: 'file:///' }],
    ['FILE:///', { form: 'root', root: 'file:///' }],
    ['file://', { form: 'root', root: 'file:///' }],
    ['file:////', { form: 'root', root: 'file:///' }],
    ['//', { form: 'root', root: 'file:///' }],
    ['file://SERVER', { form: 'root', root: 'file://server/' }],
    ['file://A/', { form: 'root', root: 'file://A/' }],
    ['file:xy', { form: 'root', root: 'file://xy/' }],
    ['file:///?q', { form: 'root', root: 'file:///?q' }],
    ['file:///#f', { form: 'root', root: 'file:///#f' }],
    ['file://server:8080/', { form: 'root', root: 'file://server:8080/' }],
    ['\\\\server', { form: 'root', root: 'file://server' }],
    ['\\\\server\\', { form: 'root', root: 'file://server/' }],
    // Another LocalPath: compared with the XAP's, the root by GetRoot.
    ['file:///C:/apps/app.xap?v=1', { form: 'application', root: 'file:///', localPath: 'C:\\apps\\app.xap' }],
    ['C:\\apps\\app.xap', { form: 'application', root: 'file:///', localPath: 'C:\\apps\\app.xap' }],
    ['file:///C:/', { form: 'application', root: 'file:///', localPath: 'C:/' }],
    ['/home/u/app.xap', { form: 'application', root: 'file:///', localPath: '/home/u/app.xap' }],
    ['file:///home/u@x/app.xap', { form: 'application', root: 'file:///', localPath: '/x/app.xap' }],
    ['file:///a%20b/c.xap', { form: 'application', root: 'file:///', localPath: '/a b/c.xap' }],
    ['\\\\server\\share\\app.xap', { form: 'application', root: 'file://server/', localPath: '/share/app.xap' }],
    // Refused by TryCreate: the wildcard branch.
    ['file://*.example.com', { form: 'host-ending', ending: 'example.com', port: -1 }],
    ['file://*.', { form: 'host-ending', ending: '', port: -1 }],
    ['file://*.x:8080', { form: 'host-ending', ending: 'x', port: 8080 }],
  ] as const)('%s is read as %j', (uri, read) => {
    expect(readMonoFileDomain(uri)).toEqual(read);
  });

  it.each(['file:/x', 'file:', 'C:x', 'FILE://*.x', 'file://*.x/y', 'file://*.x?q', 'file://a~b/', 'file://s:1x/'])('%s never admits', (uri) => {
    expect(readMonoFileDomain(uri)).toMatchObject({ form: 'never' });
    expect(moonlightFileDomainPattern(uri)).toMatchObject({ kind: 'never' });
  });

  it.each(['*', '/', 'http://a.test/', 'https://*.a.test', 'ftp://a/', 'example.com', '1:x', ':x', 'files://*.x', ' file:///', 'F\u0130LE:///'])('%s is no file: value to mono (left to domainPattern)', (uri) => {
    expect(readMonoFileDomain(uri)).toBeNull();
    expect(moonlightFileDomainPattern(uri)).toBeNull();
  });

  it("escapes as EscapeString does (bytes, %XX kept, the %XX test at the byte's index) and unescapes UTF-8 sequences", () => {
    expect(monoEscape('/a b/%41[x]#')).toBe('/a%20b/%41%5Bx%5D%23');
    expect(monoEscape('[::1]', false)).toBe('[::1]');
    // "é" is two bytes: the "%41" after it is tested one index late and escaped.
    expect(monoEscape('é%41')).toBe('%C3%A9%2541');
    expect(monoUnescape('%E2%82%AC%41%zz%C3')).toBe('€A%zz\u00c3');
    expect(monoUnescape('%23%25%3F%20', true)).toBe('%23%25%3F ');
    expect(readMonoFileUri('http://a/')).toBeNull();
  });
});

describe('moonlight: the file: XAP as ApplicationUri reads it (silverlight/9#15)', () => {
  it.each([
    ['file:///C:/apps/app.xap', { root: 'file:///', localPath: 'C:\\apps\\app.xap', host: '', port: -1 }],
    ['file:///home/u/app.xap', { root: 'file:///', localPath: '/home/u/app.xap', host: '', port: -1 }],
    ['file://server/share/app.xap', { root: 'file://server/', localPath: '/share/app.xap', host: 'server', port: -1 }],
    ['file:////server/share/app.xap', { root: 'file://server/', localPath: '/share/app.xap', host: 'server', port: -1 }],
    ['file://localhost/app.xap?q#f', { root: 'file:///', localPath: '/app.xap', host: '', port: -1 }],
    ['file:///%E2%82%AC.xap', { root: 'file:///', localPath: '/€.xap', host: '', port: -1 }],
  ] as const)('%s', (origin, xap) => {
    expect(readMonoXap(href(origin))).toEqual(xap);
  });

  it.each(['file:///a:b/app.xap', 'file://a~b/app.xap'])('%s: mono refuses it, so no application', (origin) => {
    expect(readMonoXap(href(origin))).toBeNull();
    expect(matchDomainPattern(moonlightFileDomainPattern('file:///')!, caller(origin))).toBe(false);
  });

  it.each([
    ['FILE:///', 'file:///C:/apps/app.xap', true],
    ['file://', 'file:///home/u/app.xap', true],
    ['file:///', 'file://server/share/app.xap', false],
    ['file:///', 'file:////server/share/app.xap', false],
    ['file://server/', 'file:////server/share/app.xap', true],
    ['file://server/share/app.xap', 'file://server/share/app.xap', true],
    ['file:///C:/apps/app.xap', 'file:///C:/apps/other.xap', false],
    ['file://*.example.com', 'file://evilexample.com/app.xap', true],
    ['file://*.example.com', 'file:///C:/example.com/app.xap', false],
    ['file://*.', 'file://server/app.xap', true],
    ['/home/u/app.xap', 'http://www.example.com/home/u/app.xap', false],
    ['file:///', 'http://www.example.com/', false],
  ] as const)('%s admits %s: %s', (uri, origin, admits) => {
    expect(matchDomainPattern(moonlightFileDomainPattern(uri)!, caller(origin))).toBe(admits);
  });
});

describe('moonlight: the fileDomainPattern step in decisions (silverlight/9#15)', () => {
  const policy = (uri: string) => `<access-policy><cross-domain-access><policy><allow-from><domain uri="${uri}"/></allow-from><grant-to><resource path="/" include-subpaths="true"/><socket-resource port="4502" protocol="tcp"/></grant-to></policy></cross-domain-access></access-policy>`;
  const decide = (uri: string, origin: string, target: string, profiles?: ReturnType<typeof withoutOverride>) =>
    createDecider({ 'http://api.test/clientaccesspolicy.xml': { body: policy(uri), contentType: 'text/xml' }, 'xmlsocket://api.test:943': { body: policy(uri) } }, profiles ? { profiles } : {}).decide({ client: 'moonlight', origin, target }).decision;

  it.each([
    ['FILE:///', 'file:///C:/apps/app.xap', 'allow'],
    ['file://server/', 'file://server/share/app.xap', 'allow'],
    ['/home/u/app.xap', 'file:///home/u/app.xap', 'allow'],
  ] as const)('%s and %s: %s over HTTP and on sockets, the reference’s verdict without the step', (uri, origin, verdict) => {
    expect(decide(uri, origin, 'http://api.test/x')).toBe(verdict);
    expect(decide(uri, origin, 'socket://api.test:4502')).toBe(verdict);
    const reference = createDecider({ 'http://api.test/clientaccesspolicy.xml': { body: policy(uri), contentType: 'text/xml' } }).decide({ client: 'silverlight', origin, target: 'http://api.test/x' }).decision;
    expect(decide(uri, origin, 'http://api.test/x', withoutOverride('moonlight', 'fileDomainPattern'))).toBe(reference);
    expect(reference).not.toBe(verdict);
  });

  it('the reference reads every value with domainPattern', () => {
    expect(SILVERLIGHT_STEPS.fileDomainPattern('FILE:///')).toBeNull();
    expect(policyReadingOf(SILVERLIGHT_STEPS).domainPattern).toBe(SILVERLIGHT_STEPS.domainPattern);
  });

  it('the domain index with Moonlight’s reading gives the same first grant as a linear scan, file: callers included', () => {
    const reading = policyReadingOf(silverlightStepsOf('moonlight'));
    const uri = fc.constantFrom('*', 'file:///', 'FILE:///', 'file://', 'file://server/', 'file://*.a.test', 'file://*.', '/home/u/app.xap', 'C:/apps/app.xap', '\\\\server\\share\\app.xap', 'file:/x', 'http://*.a.test', 'http://a.test', 'https://*');
    const range = fc.tuple(fc.integer({ min: 4502, max: 4534 }), fc.integer({ min: 4502, max: 4534 })).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b), protocol: 'tcp' as const }));
    const model = fc.array(fc.record({
      allowFrom: fc.array(fc.record({ domains: fc.array(fc.record({ uri }), { maxLength: 3 }), httpRequestHeaders: fc.constant<string[]>([]), httpMethods: fc.constant<string[]>([]) }), { maxLength: 2 }),
      grantTo: fc.array(fc.record({ resources: fc.constant<{ path: string; includeSubpaths: boolean }[]>([]), socketResources: fc.array(range, { maxLength: 2 }) }), { maxLength: 2 }),
    }), { maxLength: 6 });
    const origin = fc.constantFrom('file:///C:/apps/app.xap', 'file:///home/u/app.xap', 'file://server/share/app.xap', 'file://b.a.test/app.xap', 'file:////server/x.xap', 'file:///a:b/x.xap', 'http://b.a.test/app.xap', 'http://a.test/app.xap');
    fc.assert(
      fc.property(model, origin, fc.integer({ min: 4502, max: 4534 }), (policies, o, port) => {
        const effective = effectiveSilverlightPolicy({ format: 'silverlight', policies }, { kind: 'socket' });
        const c = caller(o);
        const a = findSocketGrant(compileSilverlightPolicy(effective, reading.domainPattern), c, port);
        const b = findSocketGrantLinear(prepareLinearSilverlight(effective, reading.domainPattern), c, port);
        expect(a === null ? null : [a.allowFrom.policyIndex, a.allowFrom.allowFromIndex]).toEqual(b === null ? null : [b.allowFrom.policyIndex, b.allowFrom.allowFromIndex]);
      }),
      { numRuns: 300 },
    );
  });
});
