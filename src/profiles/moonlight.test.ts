import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSilverlightPolicy, findSocketGrant, findSocketGrantLinear, prepareLinearSilverlight } from '../silverlight/compile.js';
import { callerOf, classifyDomainUri, matchDomainPattern } from '../silverlight/domains.js';
import { effectiveSilverlightPolicy } from '../silverlight/effective.js';
import { parseOriginUrl } from '../world/locations.js';
import { moonlightDomainPattern } from './moonlight.js';
import { createDecider } from '../decision/decide.js';
import { monoReduce, readMonoHttpUri } from './moonlight-uri.js';

const caller = (origin: string) => callerOf(parseOriginUrl(origin, { what: 'origin', requirement: 'SL-DOM-1', diagnostics: [] })!);

describe('moonlight: CheckDomainUri wildcards (silverlight/9#3)', () => {
  it.each([
    ['http://*.example.com', 'http://www.example.com/a.xap', true],
    ['http://*.example.com', 'http://example.com/a.xap', true],
    ['http://*.example.com', 'http://evilexample.com/a.xap', true],
    ['http://*.example.com', 'http://example.com.evil.net/a.xap', false],
    ['http://*.example.com', 'https://www.example.com/a.xap', false],
    ['http://*.example.com', 'http://www.example.com:8080/a.xap', false],
    ['https://*.example.com', 'http://www.example.com/a.xap', false],
    ['https://*.example.com:8443/', 'https://a.example.com:8443/a.xap', true],
    ['HTTP://*.example.com', 'http://www.example.com/a.xap', false],
    ['http://*.0.0.1', 'http://127.0.0.1/a.xap', true],
    ['http://*.example.com:8', 'http://www.example.com:8/a.xap', false],
    ['http://*.example.com/x', 'http://www.example.com/a.xap', false],
    ['http://*.example.com/?', 'http://www.example.com/a.xap', false],
    ['http://*.example.com/..', 'http://www.example.com/a.xap', true],
    ['http://*.Example.COM', 'http://www.example.com/a.xap', true],
    ['http://*.*.example.com', 'http://a.b.example.com/a.xap', false],
    // file: values are read by the fileDomainPattern step (silverlight/9#15, moonlight-file.test.ts), never by this one.
    ['file://*.example.com', 'file://www.example.com/a.xap', false],
    // silverlight/9#3a: with a LocalPath other than "/", only LocalPath and GetRoot (scheme, DnsSafeHost, port) are compared.
    ['http://www.example.com/app.xap?v=1', 'http://www.example.com/app.xap', true],
    ['http://www.example.com/app.xap#top', 'http://www.example.com/app.xap', true],
    ['http://user@www.example.com/app.xap', 'http://www.example.com/app.xap', true],
    ['http://www.example.com/app.xap?', 'http://www.example.com/app.xap', true],
    ['http://www.example.com/app.xap?v=1', 'http://www.example.com/other.xap', false],
    ['http://www.example.com/?v=1', 'http://www.example.com/app.xap', false],
    ['http://user@www.example.com/', 'http://www.example.com/app.xap', false],
  ] as const)('%s admits %s: %s', (uri, origin, admits) => {
    expect(matchDomainPattern(moonlightDomainPattern(uri), caller(origin))).toBe(admits);
  });

  it('values mono’s Uri accepts whole, and values without "://*.", are read as the reference reads them', () => {
    for (const uri of ['*', 'http://*', 'file:///', 'http://www.example.com', 'http://a.example.com/app.xap', 'http://*.u@example.com', ' http://www.example.com ']) {
      expect(moonlightDomainPattern(uri)).toEqual(classifyDomainUri(uri));
    }
  });

  it('mono’s Uri: no IPv4 shorthand, one-character ports stay in the host, Reduce', () => {
    expect(readMonoHttpUri('http://0.0.1')).toMatchObject({ host: '0.0.1', port: 80, localPath: '/' });
    expect(readMonoHttpUri('http://a.b:8')).toBe('the hostname could not be parsed');
    expect(readMonoHttpUri('HTTP://A.B:8080/x/../')).toMatchObject({ scheme: 'http', host: 'a.b', port: 8080, localPath: '/' });
    expect(readMonoHttpUri('http://*.a.b')).toBe('the hostname could not be parsed');
    expect(monoReduce('/a/./b/../c/')).toBe('/a/c/');
  });

  it('the domain index with Moonlight’s reading gives the same first grant as a linear scan', () => {
    const hosts = ['a.test', 'b.a.test', 'evila.test', 'test', 'x.test', '127.0.0.1'];
    const uri = fc.oneof(
      fc.tuple(fc.constantFrom('http', 'https'), fc.constantFrom(...hosts), fc.constantFrom('', ':8080')).map(([s, h, p]) => `${s}://${h}${p}`),
      fc.tuple(fc.constantFrom('http', 'https', 'HTTP'), fc.constantFrom('a.test', 'test', 'st', '0.0.1', '.1'), fc.constantFrom('', ':8080', '/', ':8')).map(([s, h, p]) => `${s}://*.${h}${p}`),
    );
    const range = fc.tuple(fc.integer({ min: 4502, max: 4534 }), fc.integer({ min: 4502, max: 4534 })).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b), protocol: 'tcp' as const }));
    const model = fc.array(fc.record({
      allowFrom: fc.array(fc.record({ domains: fc.array(fc.record({ uri }), { maxLength: 3 }), httpRequestHeaders: fc.constant<string[]>([]), httpMethods: fc.constant<string[]>([]) }), { maxLength: 2 }),
      grantTo: fc.array(fc.record({ resources: fc.constant<{ path: string; includeSubpaths: boolean }[]>([]), socketResources: fc.array(range, { maxLength: 2 }) }), { maxLength: 2 }),
    }), { maxLength: 6 });
    const origin = fc.tuple(fc.constantFrom('http', 'https'), fc.constantFrom(...hosts), fc.constantFrom('', ':8080', ':8')).map(([s, h, p]) => `${s}://${h}${p}/app.xap`);
    fc.assert(
      fc.property(model, origin, fc.integer({ min: 4502, max: 4534 }), (policies, o, port) => {
        const effective = effectiveSilverlightPolicy({ format: 'silverlight', policies }, { kind: 'socket' });
        const c = caller(o);
        const a = findSocketGrant(compileSilverlightPolicy(effective, moonlightDomainPattern), c, port);
        const b = findSocketGrantLinear(prepareLinearSilverlight(effective, moonlightDomainPattern), c, port);
        expect(a === null ? null : [a.allowFrom.policyIndex, a.allowFrom.allowFromIndex]).toEqual(b === null ? null : [b.allowFrom.policyIndex, b.allowFrom.allowFromIndex]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('moonlight: escaped application paths (silverlight/9#3b)', () => {
  const policy = (uri: string) => `<access-policy><cross-domain-access><policy><allow-from><domain uri="${uri}"/></allow-from><grant-to><resource path="/" include-subpaths="true"/><socket-resource port="4502" protocol="tcp"/></grant-to></policy></cross-domain-access></access-policy>`;
  const decideUnder = (client: 'moonlight' | 'silverlight', uri: string, origin: string, target: string) =>
    createDecider({ 'http://api.test/clientaccesspolicy.xml': { body: policy(uri), contentType: 'text/xml' }, 'xmlsocket://api.test:943': { body: policy(uri) } }).decide({ client, origin, target }).decision;

  it.each([
    ['http://a.test/app.xap', 'http://a.test/app%2Exap'],
    ['http://a.test/app%2Exap', 'http://a.test/app.xap'],
    ['http://a.test/app%2Exap', 'http://a.test/app%2Exap'],
  ])('value %s, XAP %s: the reference compares decoded paths and allows; Moonlight admits no escaped path (fail closed)', (uri, origin) => {
    for (const target of ['http://api.test/x', 'socket://api.test:4502']) {
      expect(decideUnder('silverlight', uri, origin, target)).toBe('allow');
      expect(decideUnder('moonlight', uri, origin, target)).toBe('deny');
    }
  });

  it('without an escape, and for a root value, Moonlight agrees with the reference', () => {
    expect(decideUnder('moonlight', 'http://a.test/app.xap', 'http://a.test/app.xap', 'http://api.test/x')).toBe('allow');
    expect(decideUnder('moonlight', 'http://a.test/', 'http://a.test/app%2Exap', 'http://api.test/x')).toBe('allow');
    expect(moonlightDomainPattern('http://a.test/app%2Exap').kind).toBe('never');
  });
});
