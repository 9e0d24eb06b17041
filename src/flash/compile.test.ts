import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../decision/decide.js';
import type { DecisionRequest } from '../decision/types.js';
import type { WorldSnapshot } from '../world/world.js';
import { parseOriginUrl } from '../world/locations.js';
import { compileFlashPolicy as compileEffective, findAccessGrant, findAccessGrantLinear, findHeaderGrants, headerPatternMatches, prepareLinear as prepareEffective, ruleOrigin as ruleOriginOf, type RuleOrigin } from './compile.js';
import { effectiveFlashPolicy, effectiveSecure, restrictToHighPorts, type FlashPolicyContext } from './effective.js';
import type { FlashAllowAccessFrom, FlashPolicy, PortSpec } from './model.js';

// The index over a policy's effective rules, and the linear scan over the same rules.
const compileFlashPolicy = (policy: FlashPolicy, context: FlashPolicyContext) => compileEffective(effectiveFlashPolicy(policy, context));
const prepareLinear = (policy: FlashPolicy, context: FlashPolicyContext) => prepareEffective(effectiveFlashPolicy(policy, context));
const skipped = (policy: FlashPolicy, context: FlashPolicyContext) => effectiveFlashPolicy(policy, context).access.filter((r) => r.never !== null).map((r) => r.never!.requirement);
// The origin as the request reader reads it: a host ('' for a local SWF; an IPv6 address bare or bracketed).
function ruleOrigin(host: string, scheme: string): RuleOrigin {
  const url = host === '' ? 'file:///m.swf' : `${scheme}://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}/m.swf`;
  return ruleOriginOf(parseOriginUrl(url, { what: 'origin', requirement: 'FLASH-URL-12', diagnostics: [] })!);
}

const rule = (domain: string, toPorts: PortSpec | null = null, secure: boolean | null = null): FlashAllowAccessFrom => ({ domain, toPorts, secure });
const flash = (allowAccessFrom: FlashAllowAccessFrom[], extra: Partial<FlashPolicy> = {}): FlashPolicy => ({
  format: 'flash',
  siteControl: [],
  allowAccessFrom,
  allowHttpRequestHeadersFrom: [],
  allowAccessFromIdentity: [],
  ...extra,
});
const ports = (...r: [number, number][]): PortSpec => ({ any: false, ranges: r.map(([from, to]) => ({ from, to })) });

describe('compiled index', () => {
  it('FLASH-DOM-2 FLASH-DOM-3 FLASH-DOM-5 indexes names, suffixes and IPs', () => {
    const c = compileFlashPolicy(flash([rule('A.com'), rule('*.Example.com'), rule('10.0.0.1'), rule('[::1]')]), { kind: 'url' });
    const find = (host: string) => findAccessGrant(c, ruleOrigin(host, 'http'))?.index ?? null;
    expect(find('a.com')).toBe(0);
    expect(find('www.a.com')).toBeNull();
    expect(find('example.com')).toBe(1);
    expect(find('x.y.example.com')).toBe(1);
    expect(find('evilexample.com')).toBeNull();
    expect(find('10.0.0.1')).toBe(2);
    expect(find('10.0.0.2')).toBeNull();
    expect(find('[::1]')).toBe(3);
    expect(find('')).toBeNull();
  });

  it('FLASH-DOM-4 FLASH-DOM-6 records rules that never match as skipped with their requirement', () => {
    const p = flash([rule('www.*.com'), rule('*.10.0.0'), rule('http://a.com'), rule('*')]);
    const c = compileFlashPolicy(p, { kind: 'url' });
    expect(skipped(p, { kind: 'url' })).toEqual(['FLASH-DOM-4', 'FLASH-DOM-5', 'FLASH-DOM-6']);
    expect(c.accessRules.map((r) => r.index)).toEqual([3]);
  });

  it('FLASH-PORT-5 merges port ranges per key and names the first rule granting a port', () => {
    const c = compileFlashPolicy(flash([rule('*', ports([100, 200])), rule('*', ports([150, 300], [5000, 5000])), rule('*', { any: true })]), { kind: 'socket', servedFromPort: 843 });
    const o = ruleOrigin('a.com', 'http');
    expect(findAccessGrant(c, o, 100)?.index).toBe(0);
    expect(findAccessGrant(c, o, 200)?.index).toBe(0);
    expect(findAccessGrant(c, o, 201)?.index).toBe(1);
    expect(findAccessGrant(c, o, 5000)?.index).toBe(1);
    expect(findAccessGrant(c, o, 4999)?.index).toBe(2);
    expect(findAccessGrant(c, o)).toBeNull();
  });

  it('FLASH-GRAM-7 a socket rule without to-ports is skipped', () => {
    expect(skipped(flash([rule('*')]), { kind: 'socket', servedFromPort: 843 })).toEqual(['FLASH-GRAM-7']);
  });

  it('FLASH-SOCK-7 cuts ports below 1024 from a policy served from 1024 or higher, and keeps them below', () => {
    expect(restrictToHighPorts({ any: true }, 1024)).toEqual(ports([1024, 65535]));
    expect(restrictToHighPorts(ports([80, 80], [1000, 2000]), 5000)).toEqual(ports([1024, 2000]));
    expect(restrictToHighPorts(ports([80, 80]), 5000)).toBeNull();
    expect(restrictToHighPorts(ports([80, 80]), 1023)).toEqual(ports([80, 80]));
    expect(restrictToHighPorts(ports([80, 80]), 843)).toEqual(ports([80, 80]));
  });

  it('FLASH-SEC-1 FLASH-SEC-2 FLASH-SEC-3 effective secure per context', () => {
    expect(effectiveSecure(null, { kind: 'url', scheme: 'https' })).toBe(true);
    expect(effectiveSecure(false, { kind: 'url', scheme: 'https' })).toBe(false);
    expect(effectiveSecure(true, { kind: 'url', scheme: 'http' })).toBe(false);
    expect(effectiveSecure(null, { kind: 'socket' })).toBe(false);
    expect(effectiveSecure(true, { kind: 'socket' })).toBe(true);
  });

  it('FLASH-URL-10 header patterns: *, prefix, case-insensitive', () => {
    expect(headerPatternMatches('*', 'X-A')).toBe(true);
    expect(headerPatternMatches('X-Api-*', 'x-api-key')).toBe(true);
    expect(headerPatternMatches('X-Api-*', 'X-Apikey')).toBe(false);
    expect(headerPatternMatches('SOAPAction', 'soapaction')).toBe(true);
    const c = compileFlashPolicy(
      flash([], { allowHttpRequestHeadersFrom: [{ domain: '*.a.com', headers: ['X-One'], secure: null }, { domain: '*', headers: ['X-Two*'], secure: null }] }),
      { kind: 'url', scheme: 'http' },
    );
    expect(findHeaderGrants(c, ruleOrigin('www.a.com', 'http'), ['x-one', 'X-Two-3', 'X-Three']).map((g) => g?.index ?? null)).toEqual([0, 1, null]);
  });

  it('FLASH-GRAM-9 header grants are skipped in socket policies', () => {
    const e = effectiveFlashPolicy(flash([], { allowHttpRequestHeadersFrom: [{ domain: '*', headers: ['*'], secure: null }] }), { kind: 'socket', servedFromPort: 843 });
    expect(e.headers.map((r) => r.never?.requirement)).toEqual(['FLASH-GRAM-9']);
  });
});

// Random policies over a small alphabet of labels, so that origins and rules often meet.
const label = fc.constantFrom('a', 'b', 'c', 'ex', 'www');
const hostName = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
const ip = fc.constantFrom('10.0.0.1', '10.0.0.2', '::1', '192.168.1.1');
const domain = fc.oneof(
  { weight: 1, arbitrary: fc.constant('*') },
  { weight: 4, arbitrary: hostName },
  { weight: 4, arbitrary: hostName.map((h) => `*.${h}`) },
  { weight: 2, arbitrary: ip },
  { weight: 1, arbitrary: fc.constantFrom('*.0.0.1', 'a*', 'www.*.ex', 'http://a', '') },
);
const portRange = fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 600 })).map(([from, len]) => ({ from, to: Math.min(65535, from + len) }));
const portSpec: fc.Arbitrary<PortSpec> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ any: true } as PortSpec) },
  { weight: 5, arbitrary: fc.array(portRange, { minLength: 1, maxLength: 3 }).map((ranges) => ({ any: false, ranges }) as PortSpec) },
);
const secure = fc.constantFrom(null, true, false);
const socketRule = fc.record({ domain, toPorts: fc.option(portSpec, { freq: 8 }), secure });
const urlRule = fc.record({ domain, toPorts: fc.constant(null), secure });
const originHost = fc.oneof(hostName, ip, fc.constant(''));
const originScheme = fc.constantFrom('http', 'https');
const port = fc.integer({ min: 1, max: 4000 });

describe('properties', () => {
  it('FLASH-PORT-5 FLASH-DOM-3 the compiled index agrees with the linear scan on random socket policies', () => {
    fc.assert(
      fc.property(fc.array(socketRule, { maxLength: 25 }), fc.constantFrom(843, 1023, 1024, 5000), originHost, originScheme, port, (rules, served, host, scheme, p) => {
        const policy = flash(rules);
        const ctx = { kind: 'socket' as const, servedFromPort: served };
        const o = ruleOrigin(host, scheme);
        const fast = findAccessGrant(compileFlashPolicy(policy, ctx), o, p);
        const slow = findAccessGrantLinear(prepareLinear(policy, ctx), o, p);
        expect(fast?.index ?? null).toBe(slow?.index ?? null);
      }),
      { numRuns: 1500 },
    );
  });

  it('FLASH-URL-9 FLASH-SEC-2 the compiled index agrees with the linear scan on random URL policies', () => {
    fc.assert(
      fc.property(fc.array(urlRule, { maxLength: 25 }), fc.constantFrom('http', 'https'), originHost, originScheme, (rules, served, host, scheme) => {
        const policy = flash(rules);
        const ctx = { kind: 'url' as const, scheme: served as 'http' | 'https' };
        const o = ruleOrigin(host, scheme);
        expect(findAccessGrant(compileFlashPolicy(policy, ctx), o)?.index ?? null).toBe(findAccessGrantLinear(prepareLinear(policy, ctx), o)?.index ?? null);
      }),
      { numRuns: 1000 },
    );
  });

  it('FLASH-SOCK-7 a policy served from a port of 1024 or higher never allows a port below 1024', () => {
    fc.assert(
      fc.property(fc.array(socketRule, { maxLength: 10 }), fc.integer({ min: 1024, max: 65535 }), hostName, fc.integer({ min: 1, max: 1023 }), (rules, served, host, p) => {
        const body = `<cross-domain-policy>${rules
          .map((r) => `<allow-access-from domain="${r.domain}"${r.toPorts ? ` to-ports="${r.toPorts.any ? '*' : r.toPorts.ranges.map((x) => `${x.from}-${x.to}`).join(',')}"` : ''}/>`)
          .join('')}</cross-domain-policy>\0`;
        const world: WorldSnapshot = { [`xmlsocket://b.com:${served}`]: { body } };
        if (p === served) return; // the destination port is then the policy port itself
        const d = decide({ client: 'flash', origin: `http://${host}/m.swf`, target: `socket://b.com:${p}`, loadPolicy: [`xmlsocket://b.com:${served}`] }, world);
        expect(d.decision).toBe('deny');
        // And the compiled form itself never grants such a port.
        const c = compileFlashPolicy(flash(rules), { kind: 'socket', servedFromPort: served });
        expect(findAccessGrant(c, ruleOrigin(host, 'https'), p)).toBeNull();
      }),
      { numRuns: 400 },
    );
  });

  it('FLASH-URL-9 FLASH-PORT-5 adding an allow-access-from rule never turns an allow into a deny', () => {
    fc.assert(
      fc.property(fc.array(socketRule, { maxLength: 10 }), socketRule, fc.nat(10), originHost, originScheme, port, fc.boolean(), (rules, extra, at, host, scheme, p, socket) => {
        const render = (rs: typeof rules) =>
          `<cross-domain-policy>${rs
            .map((r) => `<allow-access-from domain="${r.domain}"${socket && r.toPorts ? ` to-ports="${r.toPorts.any ? '*' : r.toPorts.ranges.map((x) => `${x.from}-${x.to}`).join(',')}"` : ''}${r.secure === null ? '' : ` secure="${r.secure}"`}/>`)
            .join('')}</cross-domain-policy>`;
        const more = [...rules];
        more.splice(Math.min(at, more.length), 0, extra);
        const origin = host === '' ? 'file:///m.swf' : `${scheme}://${host.includes(':') ? `[${host}]` : host}/m.swf`;
        const req: DecisionRequest = socket ? { client: 'flash', origin, target: `socket://b.com:${p}` } : { client: 'flash', origin, target: 'https://b.com/data' };
        const worldOf = (text: string): WorldSnapshot =>
          socket ? { 'xmlsocket://b.com:843': { body: `${text}\0` } } : { 'https://b.com/crossdomain.xml': { body: text, contentType: 'text/x-cross-domain-policy' } };
        const before = decide(req, worldOf(render(rules))).decision;
        const after = decide(req, worldOf(render(more))).decision;
        if (before === 'allow') expect(after).toBe('allow');
      }),
      { numRuns: 500 },
    );
  });

  it('FLASH-URL-12 decide never throws on arbitrary request strings', () => {
    const world: WorldSnapshot = {
      'xmlsocket://b.com:843': { body: '<cross-domain-policy><allow-access-from domain="*" to-ports="*"/></cross-domain-policy>\0' },
      'http://b.com/crossdomain.xml': { body: '<cross-domain-policy><allow-access-from domain="*"/></cross-domain-policy>', contentType: 'text/xml' },
    };
    const urlish = fc.oneof(fc.string(), fc.webUrl(), fc.constantFrom('socket://b.com:', 'socket://[::1]:5', 'file:', 'http://b.com/', 'socket://b.com:843'));
    fc.assert(
      fc.property(urlish, urlish, fc.array(fc.oneof(fc.string(), fc.webUrl()), { maxLength: 3 }), fc.array(fc.string(), { maxLength: 3 }), (origin, target, loadPolicy, headers) => {
        const d = decide({ client: 'flash', origin, target, loadPolicy, headers }, world);
        expect(['allow', 'deny']).toContain(d.decision);
        expect(d.trace.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});
