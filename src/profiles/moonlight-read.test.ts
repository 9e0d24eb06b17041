import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics.js';
import { DecisionBuilder } from '../decision/builder.js';
import { findSocketGrant } from '../silverlight/compile.js';
import { callerOf } from '../silverlight/domains.js';
import type { SilverlightPolicy } from '../silverlight/model.js';
import { parseSilverlightPolicy } from '../silverlight/parse.js';
import { serializeSilverlightPolicy, withoutSource } from '../silverlight/serialize.js';
import { SILVERLIGHT_STEPS } from '../silverlight/steps.js';
import { parseOriginUrl } from '../world/locations.js';
import { moonlightDomainPattern, moonlightSocketGrant, MOONLIGHT_PROFILE } from './moonlight.js';
import { domainsWithoutUri, monoPort, monoPortRange, readMoonlightModel, readMoonlightPolicy } from './moonlight-read.js';

const caller = (origin: string) => callerOf(parseOriginUrl(origin, { what: 'origin', requirement: 'SL-DOM-1', diagnostics: [] })!);
const reading = { domainPattern: moonlightDomainPattern, wholeSite: SILVERLIGHT_STEPS.wholeSite };

/** A file around the children of one `<policy>`. */
const file = (policy: string, around: (p: string) => string = (p) => p): string =>
  `<?xml version="1.0"?>\n<access-policy>\n  <cross-domain-access>\n${around(`    <policy>\n${policy}\n    </policy>`)}\n  </cross-domain-access>\n</access-policy>\n`;
const ALLOW_ALL = '<allow-from><domain uri="*"/></allow-from>';
const ALL_PATHS = '<grant-to><resource path="/" include-subpaths="true"/></grant-to>';

function model(text: string): { policy: SilverlightPolicy | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const m = readMoonlightModel(text, diagnostics);
  return { policy: m === null ? null : withoutSource(m.policy), diagnostics };
}

/** The policies of a text as Moonlight reads it, in a compact form: per policy, its domains and the ports and paths of each grant-to. */
function shape(text: string): string[][] | null {
  const { policy } = model(text);
  if (policy === null) return null;
  return policy.policies.map((p) => [
    ...p.allowFrom.map((a) => `from ${a.domains.map((d) => d.uri).join(' ')}`),
    ...p.grantTo.map((g) => `to ${[...g.resources.map((r) => `${r.path}${r.includeSubpaths ? '…' : ''}`), ...g.socketResources.map((s) => `${s.from}-${s.to}`)].join(' ')}`),
  ]);
}

describe('moonlight readPolicy: the parser’s loops (ClientAccessPolicyParser.cs @ 0a23b07)', () => {
  it('silverlight/9#8: an empty element in <policy> is skipped before its name is read; a non-empty unknown one voids the policy', () => {
    expect(shape(file(`${ALLOW_ALL}${ALL_PATHS}<foo/>`))).toEqual([['from *', 'to /…']]);
    expect(shape(file(`${ALLOW_ALL}${ALL_PATHS}<foo></foo>`))).toEqual([]);
    expect(shape(file(`${ALLOW_ALL}<foo>x</foo>${ALL_PATHS}`))).toEqual([]);
  });

  it('silverlight/9#8a: a voided grant-to’s tcp ports, before and after the bad child, stay as a grant of ports only', () => {
    const text = file(`${ALLOW_ALL}<grant-to><socket-resource port="4502" protocol="tcp"/><resource path="/a" x="1"/><socket-resource port="4510-4512" protocol="tcp"/><file/><socket-resource port="4520" protocol="udp"/></grant-to>`);
    expect(shape(text)).toEqual([['from *', 'to 4502-4502 4510-4512']]);
    const diagnostics: Diagnostic[] = [];
    const m = readMoonlightModel(text, diagnostics)!;
    expect(m.portsOnly.size).toBe(1);
    expect(diagnostics.map((d) => d.code)).toContain('moonlight-ports-kept');
    // A grant-to with attributes is skipped unread: no ports.
    expect(shape(file(`${ALLOW_ALL}<grant-to id="x"><socket-resource port="4502" protocol="tcp"/></grant-to>`))).toEqual([['from *']]);
    // A voided policy keeps nothing.
    expect(shape(file(`${ALLOW_ALL}<grant-to><socket-resource port="4502" protocol="tcp"/></grant-to><bar>1</bar>`))).toEqual([]);
  });

  it('silverlight/9#4a: empty <policy/>, <allow-from/> and <grant-to/> are not in the lists; the ports-only grant-to is not counted for the whole site', () => {
    const lone = readMoonlightPolicy(file(`${ALLOW_ALL}${ALL_PATHS}<grant-to/><allow-from/>`, (p) => `    <policy/>\n${p}`), 'url', reading);
    expect(lone.ok && lone.policy.wholeSite).toBe(true);
    expect(lone.ok && lone.policy.policy.policies.map((p) => [p.allowFrom.length, p.grantTo.length])).toEqual([[1, 1]]);
    const withPorts = readMoonlightPolicy(file(`${ALLOW_ALL}${ALL_PATHS}<grant-to><socket-resource port="4502" protocol="tcp"/><x/></grant-to>`), 'url', reading);
    expect(withPorts.ok && withPorts.policy.wholeSite).toBe(true);
    const twoGrants = readMoonlightPolicy(file(`${ALLOW_ALL}${ALL_PATHS}<grant-to><socket-resource port="4502" protocol="tcp"/></grant-to>`), 'url', reading);
    expect(twoGrants.ok && twoGrants.policy.wholeSite).toBe(false);
  });

  it('silverlight/9#8b: namespaces as mono’s namespace-aware reader reads them', () => {
    // ReadStartElement ("…", String.Empty) throws for a namespaced root, cross-domain-access, allow-from or grant-to.
    expect(shape(file(`${ALLOW_ALL}${ALL_PATHS}`).replace('<access-policy>', '<access-policy xmlns="urn:x">'))).toBeNull();
    expect(shape(file(`${ALLOW_ALL}${ALL_PATHS}`).replace('<access-policy>', '<access-policy xmlns:p="urn:x">').replace(/cross-domain-access>/g, 'p:cross-domain-access>'))).toBeNull();
    expect(shape(file(`<p:allow-from><domain uri="*"/></p:allow-from>${ALL_PATHS}`).replace('<access-policy>', '<access-policy xmlns:p="urn:x">'))).toBeNull();
    expect(shape(file(`${ALLOW_ALL}<p:grant-to><resource path="/"/></p:grant-to>`).replace('<access-policy>', '<access-policy xmlns:p="urn:x">'))).toBeNull();
    // An empty or prefixed element is skipped before that: so is a grant-to with attributes (xmlns:p is one).
    expect(shape(file(`${ALLOW_ALL}${ALL_PATHS}`, (p) => `    <p:cross-domain-access xmlns:p="urn:x"/>\n    <p:policy xmlns:p="urn:x">${ALLOW_ALL}${ALL_PATHS}</p:policy>\n${p}`))).toEqual([['from *', 'to /…']]);
    expect(shape(file(`${ALLOW_ALL}${ALL_PATHS}<p:grant-to xmlns:p="urn:x"><resource path="/x"/></p:grant-to>`))).toEqual([['from *', 'to /…']]);
    // Inside allow-from and grant-to, an element in any namespace is skipped — the default namespace too.
    expect(shape(file(`<allow-from><domain xmlns="urn:x" uri="*"/><domain uri="http://a.test"/></allow-from><grant-to><resource xmlns="urn:x" path="/x"/><resource path="/y"/></grant-to>`))).toEqual([['from http://a.test', 'to /y']]);
    // What a namespace-aware reader refuses: no policy.
    expect(shape(file(`${ALLOW_ALL}<grant-to><q:resource path="/"/></grant-to>`))).toBeNull();
    expect(shape(file(`${ALLOW_ALL}${ALL_PATHS}`).replace('<access-policy>', '<access-policy xmlns:p="">'))).toBeNull();
    expect(shape(file(`${ALLOW_ALL}${ALL_PATHS}`).replace('<access-policy>', '<access-policy xmlns:p="u" xmlns:q="u" p:a="1" q:a="2">'))).toBeNull();
    expect(shape(file(`${ALLOW_ALL}${ALL_PATHS}`).replace('<access-policy>', '<access-policy xml:space="keep">'))).toBeNull();
    // Attributes of <access-policy> and <cross-domain-access> are never looked at.
    expect(shape(file(`${ALLOW_ALL}${ALL_PATHS}`).replace('<access-policy>', '<access-policy xmlns:p="u" p:a="1" xml:space="preserve">'))).toEqual([['from *', 'to /…']]);
  });

  it('silverlight/9#8c: a <resource> not written as an empty element voids its grant-to before its path is read', () => {
    expect(shape(file(`${ALLOW_ALL}<grant-to><resource path="/" include-subpaths="true"></resource></grant-to>`))).toEqual([['from *']]);
    expect(shape(file(`${ALLOW_ALL}<grant-to><resource path=""></resource></grant-to>`))).toEqual([['from *']]);
    expect(shape(file(`${ALLOW_ALL}<grant-to><resource path="" x="1"/></grant-to>`))).toEqual([['from *']]);
    // Read, they throw: no policy.
    expect(shape(file(`${ALLOW_ALL}<grant-to><resource path=""/></grant-to>`))).toBeNull();
    expect(shape(file(`${ALLOW_ALL}<grant-to><resource/></grant-to>`))).toBeNull();
    expect(shape(file(`${ALLOW_ALL}<grant-to><resource path="/" include-subpaths="yes"/></grant-to>`))).toBeNull();
    expect(shape(file(`${ALLOW_ALL}<grant-to><resource path="/" include-subpaths=" 1 "/></grant-to>`))).toEqual([['from *', 'to /…']]);
  });

  it('silverlight/9#8d: a <domain> without uri is remembered with the domains written before it, unless the allow-from has uri="*"', () => {
    const r = readMoonlightPolicy(file(`<allow-from><domain uri="http://a.test"/><domain/><domain uri="http://b.test"/></allow-from><allow-from><domain/><domain uri="*"/></allow-from>${ALL_PATHS}`), 'url', reading);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const without = domainsWithoutUri(r.policy)!;
    expect([...without.values()].map((ps) => ps.map((p) => p.kind))).toEqual([['root']]);
    const plain = readMoonlightPolicy(file(`<allow-from><domain/></allow-from>${ALLOW_ALL}${ALL_PATHS}`.replace('<domain/>', '<domain uri=""/>')), 'url', reading);
    expect(plain.ok && domainsWithoutUri(plain.policy)).toBeUndefined();
  });

  it('silverlight/9#9: ports as UInt16.TryParse and ParsePort read them', () => {
    expect([' 4502', '+4502', '004502', '4502 ', '\u00a04502\u3000', '\t4534'].map(monoPort)).toEqual([4502, 4502, 4502, 4502, 4502, 4534]);
    expect(['', ' ', '4502x', '45 02', '-0', '-4502', '4501', '4535', '\u0664\u0665\u0660\u0662', '99999999999', '+'].map(monoPort)).toEqual(Array(11).fill(null));
    expect(monoPortRange('4510-4502')).toBe('none');
    expect(monoPortRange(' 4502 - 4510 ')).toEqual({ from: 4502, to: 4510 });
    expect([monoPortRange('4502-'), monoPortRange('-4502'), monoPortRange('4502--4503'), monoPortRange('*')]).toEqual([null, null, null, null]);
    expect(shape(file(`${ALLOW_ALL}<grant-to><socket-resource port=" +4502-4504" protocol="tcp"/><socket-resource port="4510-4502" protocol="tcp"/><socket-resource port="x" protocol="TCP"/></grant-to>`))).toEqual([['from *', 'to 4502-4504']]);
    expect(shape(file(`${ALLOW_ALL}<grant-to><socket-resource protocol="tcp"/></grant-to>`))).toBeNull();
  });
});

describe('moonlight readPolicy: the text as mono’s XmlReader reads it', () => {
  const policy = file(`${ALLOW_ALL}${ALL_PATHS}`);
  it.each([
    ['a U+0000 ends the text (PeekChar)', `${policy}\u0000junk`, true],
    ['a U+0000 inside the root ends it too early', policy.replace('<cross-domain-access>', '<cross-domain-access>\u0000'), false],
    ['after whitespace following the root nothing is read', `${policy.trimEnd()}\n<access-policy/> text <<`, true],
    ['a second root right after the end tag throws (DRT silverlight-33)', `${policy.trimEnd()}<access-policy/>`, false],
    ['text right after the end tag throws', `${policy.trimEnd()}x`, false],
    ['a comment right after the end tag is read, then nothing', `${policy.trimEnd()}<!-- c --><x/>`, true],
    ['a comment the text ends in is read to its end', `${policy.trimEnd()}<!-- c`, true],
    ['a comment holding "--" throws', `${policy.trimEnd()}<!-- c -- d -->`, false],
    ['a PI right after the end tag, then nothing', `${policy.trimEnd()}<?pi x?>junk`, true],
    ['a byte order mark is consumed: the declared encoding is not compared with it', `\ufeff${policy.replace('version="1.0"', 'version="1.0" encoding="ISO-8859-1"')}`, true],
    ['a second byte order mark is content before the root', `\ufeff\ufeff${policy}`, false],
    ['only version 1.0', policy.replace('version="1.0"', 'version="1.1"'), false],
    ['an internal DTD subset is ignored', policy.replace('<access-policy>', '<!DOCTYPE access-policy [ <!ENTITY w "*"> <!-- ] --> ]>\n<access-policy>'), true],
    ['an entity it declares is undeclared', policy.replace('<access-policy>', '<!DOCTYPE access-policy [ <!ENTITY w "*"> ]>\n<access-policy>').replace('uri="*"', 'uri="&w;"'), false],
    ['whitespace before the XML is skipped (Char.IsWhiteSpace)', `\u3000 \n${policy}`, true],
  ])('%s', (_what, text, read) => {
    const { policy: m, diagnostics } = model(text);
    expect(m !== null, diagnostics.map((d) => d.message).join('\n')).toBe(read);
    if (read) expect(shape(text)).toEqual([['from *', 'to /…']]);
    else expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('an empty root, or another root, is no policy', () => {
    expect(model('<access-policy/>').policy).toBeNull();
    expect(model('<foo/>').policy).toBeNull();
    expect(model('<cross-domain-policy><allow-access-from domain="*"/></cross-domain-policy>').policy).toBeNull();
    expect(model('<access-policy></access-policy>').policy).toEqual({ format: 'silverlight', policies: [] });
  });
});

describe('moonlight decisions over what the reader keeps', () => {
  it('silverlight/9#8d: a socket check that reaches a <domain> without uri fails; an earlier admitting domain or uri="*" never reaches it', () => {
    const at = (children: string) => {
      const r = readMoonlightPolicy(file(`${children}<grant-to><socket-resource port="4502" protocol="tcp"/></grant-to>`), 'socket', reading);
      if (!r.ok) throw new Error(r.why);
      return r.policy;
    };
    const stop = moonlightSocketGrant(at('<allow-from><domain/><domain uri="http://a.test"/></allow-from>'), caller('http://a.test/x.xap'), 4502);
    expect(stop !== null && 'kind' in stop && stop.kind).toBe('domain-without-uri');
    const before = moonlightSocketGrant(at('<allow-from><domain uri="http://a.test"/><domain/></allow-from>'), caller('http://a.test/x.xap'), 4502);
    expect(before !== null && 'resource' in before).toBe(true);
    const star = moonlightSocketGrant(at('<allow-from><domain/><domain uri="*"/></allow-from>'), caller('http://a.test/x.xap'), 4502);
    expect(star !== null && 'resource' in star).toBe(true);
    // The reference's decision over the same lists grants: the domain is skipped there.
    expect(findSocketGrant(at('<allow-from><domain/><domain uri="http://a.test"/></allow-from>'), caller('http://a.test/x.xap'), 4502)).not.toBeNull();
    const b = new DecisionBuilder('moonlight', { origin: 'http://a.test/x.xap', target: 'socket://a.test:4502' }, null);
    const d = MOONLIGHT_PROFILE.overrides.decideSocketGrant!.run(b, at('<allow-from><domain/><domain uri="http://a.test"/></allow-from>'), caller('http://a.test/x.xap'), { kind: 'socket', host: 'a.test', port: 4502 }, 'xmlsocket://a.test:943');
    expect(d.decision).toBe('deny');
  });
});

describe('moonlight readPolicy agrees with the reference parser where no quirk is triggered', () => {
  it('serialized models without empty elements read back the same by both', () => {
    const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,8}$/);
    const uri = fc.oneof(fc.constantFrom('*', 'http://*', 'https://*.example.com', 'file:///', 'http://a.test', 'http://a.test:8080/app.xap'), fc.string({ minLength: 1, maxLength: 12 }));
    const range = fc.tuple(fc.integer({ min: 4502, max: 4534 }), fc.integer({ min: 4502, max: 4534 })).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b), protocol: 'tcp' as const }));
    const allowFrom = fc.record({ domains: fc.array(fc.record({ uri }), { minLength: 1, maxLength: 3 }), httpRequestHeaders: fc.array(word, { maxLength: 2 }), httpMethods: fc.constantFrom<string[][]>([], ['*'], ['PUT']) });
    const grantTo = fc
      .record({ resources: fc.array(fc.record({ path: fc.string({ minLength: 1, maxLength: 8 }), includeSubpaths: fc.boolean() }), { maxLength: 2 }), socketResources: fc.array(range, { maxLength: 2 }) })
      .filter((g) => g.resources.length + g.socketResources.length > 0);
    const policies = fc.array(fc.record({ allowFrom: fc.array(allowFrom, { maxLength: 2 }), grantTo: fc.array(grantTo, { maxLength: 2 }) }), { maxLength: 4 });
    fc.assert(
      fc.property(policies, (ps) => {
        const text = serializeSilverlightPolicy({ format: 'silverlight', policies: ps });
        const ref = parseSilverlightPolicy(text).policy;
        const ours = model(text).policy;
        expect(ref).not.toBeNull();
        expect(ours).toEqual(withoutSource(ref!));
      }),
      { numRuns: 300 },
    );
  });
});
