import { describe, expect, it } from 'vitest';
import { decide } from '../decision/decide.js';
import type { DecisionRequest } from '../decision/types.js';
import { readFlashPolicy } from '../flash/effective.js';
import { flashStepsOf } from './index.js';
import { unityDomainPattern } from './unity.js';
import { int32TryParse, UNITY_RANGE_LIMIT, unityFraming, unityToPorts } from './unity-parser.js';

const steps = flashStepsOf('unity');
const policy = (rules: string): string => `<?xml version="1.0"?>\n<cross-domain-policy>\n${rules}\n</cross-domain-policy>\n`;
const STAR_ALL = policy('<allow-access-from domain="*" to-ports="*"/>');
const unity = (request: Omit<DecisionRequest, 'client'>, world: Record<string, unknown>) => decide({ client: 'unity', ...request }, world as never);
const flash = (request: Omit<DecisionRequest, 'client'>, world: Record<string, unknown>) => decide({ client: 'flash', ...request }, world as never);
const ORIGIN = 'http://app.example.org/main.swf';

describe('unity: to-ports as the fork\'s parser reads them (flash/9#UN-4)', () => {
  it('Int32.TryParse: white space around, a sign, ASCII digits, 32 bits', () => {
    expect(int32TryParse(' 80 ')).toBe(80);
    expect(int32TryParse('+5000')).toBe(5000);
    expect(int32TryParse('-5')).toBe(-5);
    expect(int32TryParse('0080')).toBe(80);
    expect(int32TryParse('2147483647')).toBe(2147483647);
    expect(int32TryParse('2147483648')).toBeNull();
    for (const bad of ['', ' ', '*', '80a', '8 0', '0x50', '+-1', '٣']) expect(int32TryParse(bad), bad).toBeNull();
  });

  it('a range leaves its end out; an item that does not parse is skipped; only "*" itself is every port', () => {
    expect(unityToPorts('516-523')).toEqual({ any: false, ranges: [{ from: 516, to: 522 }] });
    expect(unityToPorts('5000-5000')).toEqual({ any: false, ranges: [] });
    expect(unityToPorts('1-65535')).toEqual({ any: false, ranges: [{ from: 1, to: 65534 }] });
    expect(unityToPorts('5000, 6000,,x,1-2-3')).toEqual({ any: false, ranges: [{ from: 5000, to: 5000 }, { from: 6000, to: 6000 }] });
    expect(unityToPorts('*,80')).toEqual({ any: false, ranges: [{ from: 80, to: 80 }] });
    expect(unityToPorts('*')).toEqual({ any: true });
    expect(unityToPorts('0,70000,-5')).toEqual({ any: false, ranges: [] });
  });

  it('a range the loop cannot finish makes the reader fail (no policy)', () => {
    expect(unityToPorts('6000-5000')).toBeNull();
    expect(unityToPorts(`1-${UNITY_RANGE_LIMIT + 2}`)).toBeNull();
    const read = readFlashPolicy(policy('<allow-access-from domain="*" to-ports="80,9-1"/>'), { kind: 'socket', servedFromPort: 843 }, {}, steps);
    expect(read.answered).toBe('invalid');
  });
});

describe("unity: the fork's Handler (flash/9#UN-4)", () => {
  it('a socket rule without to-ports grants every port', () => {
    const world = { 'xmlsocket://data.example.com:843': { body: `${policy('<allow-access-from domain="*"/>')}\0` } };
    expect(unity({ origin: ORIGIN, target: 'socket://data.example.com:22' }, world).decision).toBe('allow');
    expect(flash({ origin: ORIGIN, target: 'socket://data.example.com:22' }, world).decision).toBe('deny');
  });

  it('an element inside a policy element, or secure other than true/false, makes the whole file no policy', () => {
    for (const rules of ['<allow-access-from domain="*" to-ports="*"><x/></allow-access-from>', '<allow-access-from domain="*" to-ports="*"/><allow-access-from domain="*" to-ports="*" secure="yes"/>', '<foo><bar/></foo><allow-access-from domain="*" to-ports="*"/>']) {
      const read = readFlashPolicy(policy(rules), { kind: 'socket', servedFromPort: 843 }, {}, steps);
      expect(read.answered, rules).toBe('invalid');
    }
    expect(readFlashPolicy(policy('<foo/><allow-access-from domain="*" to-ports="*"/>'), { kind: 'socket', servedFromPort: 843 }, {}, steps).answered).toBe('policy');
  });

  it('an element whose parent is named cross-domain-policy is read as a root child, at any depth (the Handler tests only the parent name)', () => {
    const nested = policy('<cross-domain-policy><allow-access-from domain="*" to-ports="5000"/><cross-domain-policy><site-control permitted-cross-domain-policies="none"/></cross-domain-policy></cross-domain-policy>');
    const read = readFlashPolicy(nested, { kind: 'socket', servedFromPort: 843 }, {}, steps);
    expect(read.answered).toBe('policy');
    const world = { 'xmlsocket://data.example.com:843': { body: `${nested}\0` } };
    expect(unity({ origin: ORIGIN, target: 'socket://data.example.com:5000' }, world).decision).toBe('allow');
    expect(flash({ origin: ORIGIN, target: 'socket://data.example.com:5000' }, world).decision).toBe('deny');
    const url = (body: string) => unity({ origin: ORIGIN, target: 'http://data.example.com/feed.xml' }, { 'http://data.example.com/crossdomain.xml': { body, contentType: 'text/xml' } }).decision;
    expect(url(policy('<cross-domain-policy><allow-access-from domain="*"/></cross-domain-policy>'))).toBe('allow');
    expect(url(policy('<cross-domain-policy><site-control permitted-cross-domain-policies="none"/></cross-domain-policy><allow-access-from domain="*"/>'))).toBe('deny');
    expect(url(policy('<cross-domain-policy><site-control permitted-cross-domain-policies="none"/></cross-domain-policy><site-control permitted-cross-domain-policies="all"/><allow-access-from domain="*"/>'))).toBe('allow');
    expect(url(policy('<site-control permitted-cross-domain-policies="all"/><cross-domain-policy><site-control permitted-cross-domain-policies="none"/></cross-domain-policy><allow-access-from domain="*"/>'))).toBe('deny');
    expect(readFlashPolicy(policy('<foo><cross-domain-policy/></foo>'), { kind: 'socket', servedFromPort: 843 }, {}, steps).answered).toBe('invalid');
  });

  it('the last site-control of a URL master decides; by-content-type refuses every load', () => {
    const at = (rules: string) => unity({ origin: ORIGIN, target: 'http://data.example.com/feed.xml' }, { 'http://data.example.com/crossdomain.xml': { body: policy(rules), contentType: 'text/xml' } }).decision;
    expect(at('<site-control permitted-cross-domain-policies="none"/><site-control permitted-cross-domain-policies="all"/><allow-access-from domain="*"/>')).toBe('allow');
    expect(at('<site-control permitted-cross-domain-policies="all"/><site-control permitted-cross-domain-policies="by-content-type"/><allow-access-from domain="*"/>')).toBe('deny');
    expect(at('<site-control permitted-cross-domain-policies="by-ftp-filename"/><allow-access-from domain="*"/>')).toBe('allow');
  });
});

describe('unity: one read of a socket answer (flash/9#UN-6)', () => {
  it('needs no NUL and no close, cuts at the first NUL, reads at most 5,000 bytes', () => {
    expect(unityFraming('<a/>')).toMatchObject({ text: '<a/>' });
    expect(unityFraming('<a/>\0<b/>')).toMatchObject({ text: '<a/>' });
    expect(unityFraming('\0<a/>')).toMatchObject({ text: null, answered: 'empty' });
    const long = unityFraming(`${'é'.repeat(3000)}`);
    expect(long.text?.length).toBe(2500);
    const world = { 'xmlsocket://data.example.com:843': { body: STAR_ALL, end: 'timeout' } };
    expect(unity({ origin: ORIGIN, target: 'socket://data.example.com:5000' }, world).decision).toBe('allow');
  });
});

describe('unity: Security.PrefetchSocketPolicy (flash/9#UN-3)', () => {
  const high = policy('<allow-access-from domain="*" to-ports="1-65535"/>');

  it('a policy prefetched from port 1024 counts as low; from 1025 it grants only ports from 1024', () => {
    const world = { 'xmlsocket://192.0.2.10:1024': { body: `${high}\0` }, 'xmlsocket://192.0.2.10:1025': { body: `${high}\0` } };
    expect(unity({ origin: ORIGIN, target: 'socket://192.0.2.10:1023', loadPolicy: ['xmlsocket://192.0.2.10:1024'] }, world).decision).toBe('allow');
    expect(unity({ origin: ORIGIN, target: 'socket://192.0.2.10:1023', loadPolicy: ['xmlsocket://192.0.2.10:1025'] }, world).decision).toBe('deny');
    expect(unity({ origin: ORIGIN, target: 'socket://192.0.2.10:1024', loadPolicy: ['xmlsocket://192.0.2.10:1025'] }, world).decision).toBe('allow');
  });

  it('the held policy stands for every connection to the address: port 843 is not asked', () => {
    const world = { 'xmlsocket://192.0.2.12:843': { body: `${STAR_ALL}\0` }, 'xmlsocket://192.0.2.12:2000': { body: `${policy('<allow-access-from domain="*" to-ports="5000"/>')}\0` } };
    const d = unity({ origin: ORIGIN, target: 'socket://192.0.2.12:6000', loadPolicy: ['xmlsocket://192.0.2.12:2000'] }, world);
    expect(d.decision).toBe('deny');
    expect(d.trace.some((e) => e.location === 'xmlsocket://192.0.2.12:843')).toBe(false);
  });

  it('a host name, another address or a failed prefetch holds nothing: the connection asks port 843', () => {
    const world = { 'xmlsocket://data.example.com:1024': { body: `${STAR_ALL}\0` }, 'xmlsocket://192.0.2.13:843': { body: `${STAR_ALL}\0` } };
    expect(unity({ origin: ORIGIN, target: 'socket://data.example.com:5000', loadPolicy: ['xmlsocket://data.example.com:1024'] }, world).decision).toBe('deny');
    const failed = unity({ origin: ORIGIN, target: 'socket://192.0.2.13:5000', loadPolicy: ['xmlsocket://192.0.2.13:1024', 'xmlsocket://192.0.2.99:1024'] }, world);
    expect(failed.decision).toBe('allow');
    expect(failed.trace.find((e) => e.location === 'xmlsocket://192.0.2.99:1024')?.why).toContain('serves connections to 192.0.2.99 only');
  });

  it('a host-name target may resolve to a prefetched address (no DNS in a world): it connects only if that held policy and port 843 of the host both grant', () => {
    const world = { 'xmlsocket://data.example.com:843': { body: `${STAR_ALL}\0` }, 'xmlsocket://192.0.2.14:2000': { body: `${policy('<allow-access-from domain="*" to-ports="6000"/>')}\0` }, 'xmlsocket://192.0.2.15:2000': { body: `${policy('<allow-access-from domain="*" to-ports="5000"/>')}\0` } };
    const refused = unity({ origin: ORIGIN, target: 'socket://data.example.com:5000', loadPolicy: ['xmlsocket://192.0.2.14:2000'] }, world);
    expect(refused.decision).toBe('deny');
    expect(refused.reason).toContain('xmlsocket://192.0.2.14:2000');
    expect(unity({ origin: ORIGIN, target: 'socket://data.example.com:5000', loadPolicy: ['xmlsocket://192.0.2.15:2000'] }, world).decision).toBe('allow');
    expect(unity({ origin: ORIGIN, target: 'socket://data.example.com:5000' }, world).decision).toBe('allow');
    expect(unity({ origin: ORIGIN, target: 'socket://data.example.com:5000', loadPolicy: ['xmlsocket://192.0.2.15:2000'] }, { 'xmlsocket://192.0.2.15:2000': world['xmlsocket://192.0.2.15:2000'] }).decision).toBe('deny');
  });

  it('no socket policy is ever read from an IPv6 address (an IPv4 policy socket)', () => {
    const world = { 'xmlsocket://[2001:db8::1]:843': { body: `${STAR_ALL}\0` } };
    expect(flash({ origin: ORIGIN, target: 'socket://[2001:db8::1]:5000' }, world).decision).toBe('allow');
    expect(unity({ origin: ORIGIN, target: 'socket://[2001:db8::1]:5000' }, world).decision).toBe('deny');
  });
});

describe("unity: the WWW class's check (flash/9#UN-2, UN-7, UN-8, UN-9)", () => {
  const www = (rules: string, target = 'http://data.example.com/feed.xml', origin = ORIGIN) => unity({ origin, target }, { [`${new URL(target).origin}/crossdomain.xml`]: { body: policy(rules), contentType: 'application/octet-stream' } }).decision;

  it('*x tests the host the file is asked for, the dot kept; an exact domain is the SWF\'s host, case-sensitive', () => {
    expect(unityDomainPattern('*.example.com', { kind: 'url', location: { host: 'data.example.com', port: 80 } })).toEqual({ kind: 'any' });
    expect(unityDomainPattern('*.example.com', { kind: 'url', location: { host: 'example.com', port: 80 } }).kind).toBe('invalid');
    expect(unityDomainPattern('*example.com', { kind: 'url', location: { host: 'evilexample.com', port: 80 } })).toEqual({ kind: 'any' });
    expect(unityDomainPattern('App.example.org', { kind: 'url' }).kind).toBe('invalid');
    expect(unityDomainPattern('[2001:db8::1]', { kind: 'url' })).toEqual({ kind: 'ip', address: '2001:db8::1' });
    expect(unityDomainPattern('app.example.org', { kind: 'socket' }).kind).toBe('invalid');
    expect(www('<allow-access-from domain="*.example.com"/>', 'http://data.example.com/feed.xml', 'http://evil.example.net/x.swf')).toBe('allow');
    expect(www('<allow-access-from domain="*.example.org"/>')).toBe('deny');
    expect(www('<allow-access-from domain="app.example.org"/>')).toBe('allow');
  });

  it('secure keeps HTTP data from HTTPS content, and lets HTTP content load HTTPS data', () => {
    expect(www('<allow-access-from domain="*"/>', 'http://data.example.com/feed.xml', 'https://app.example.org/main.swf')).toBe('deny');
    expect(www('<allow-access-from domain="*" secure="false"/>', 'http://data.example.com/feed.xml', 'https://app.example.org/main.swf')).toBe('allow');
    expect(www('<allow-access-from domain="*"/>', 'https://data.example.com/feed.xml', ORIGIN)).toBe('allow');
  });

  it("a URL rule's to-ports must list the target's port; a rule without a domain voids the file", () => {
    expect(www('<allow-access-from domain="*" to-ports="8080"/>')).toBe('deny');
    expect(www('<allow-access-from domain="*" to-ports="80"/>')).toBe('allow');
    expect(www('<allow-access-from domain="*"/><allow-access-from secure="false"/>')).toBe('deny');
  });

  it('reads any Content-Type, ignores request headers and loadPolicyFile URLs', () => {
    const world = { 'http://data.example.com/crossdomain.xml': { body: policy('<allow-access-from domain="*"/>'), contentType: 'image/png' }, 'http://other.example.com/crossdomain.xml': { body: policy('<site-control permitted-cross-domain-policies="all"/>'), contentType: 'text/x-cross-domain-policy' }, 'http://other.example.com/api/crossdomain.xml': { body: policy('<allow-access-from domain="*"/>'), contentType: 'text/x-cross-domain-policy' } };
    expect(unity({ origin: ORIGIN, target: 'http://data.example.com/feed.xml', headers: ['X-Custom'] }, world).decision).toBe('allow');
    expect(unity({ origin: ORIGIN, target: 'http://other.example.com/api/feed.xml', loadPolicy: ['http://other.example.com/api/crossdomain.xml'] }, world).decision).toBe('deny');
    expect(flash({ origin: ORIGIN, target: 'http://other.example.com/api/feed.xml', loadPolicy: ['http://other.example.com/api/crossdomain.xml'] }, world).decision).toBe('allow');
  });

  it("loads any host's /crossdomain.xml itself without a policy, exactly that URL", () => {
    expect(unity({ origin: ORIGIN, target: 'http://nopolicy.example.com/crossdomain.xml' }, {}).decision).toBe('allow');
    expect(unity({ origin: ORIGIN, target: 'http://nopolicy.example.com:8080/crossdomain.xml' }, {}).decision).toBe('allow');
    for (const target of ['http://nopolicy.example.com/crossdomain.xml?x', 'http://nopolicy.example.com/CrossDomain.xml', 'http://nopolicy.example.com/a/crossdomain.xml']) {
      expect(unity({ origin: ORIGIN, target }, {}).decision, target).toBe('deny');
    }
  });
});
