import { describe, expect, it } from 'vitest';
import { decide } from '../decision/decide.js';
import { encodedPathEscape, MAX_PATH_DECODE_ROUNDS } from './scope.js';
import type { Decision, DecisionRequest } from '../decision/types.js';
import type { WorldResponse, WorldSnapshot } from '../world/world.js';
import { effectiveMetaPolicy, metaPolicyPermits, parseMetaPolicyHeader } from './meta.js';
import type { FlashPolicy } from './model.js';
import { extractSocketPolicyText, POLICY_FILE_REQUEST, POLICY_FILE_REQUEST_BYTES } from './socket.js';
import { FLASH_BLOCKED_PORTS, flashBlocksPort } from './blocked-ports.js';

const policy = (...rules: string[]): string => `<?xml version="1.0"?>\n<cross-domain-policy>\n${rules.map((r) => `  ${r}\n`).join('')}</cross-domain-policy>\n`;
const sockBody = (...rules: string[]): WorldResponse => ({ body: `${policy(...rules)}\u0000` });
const xml = (text: string, extra: Partial<WorldResponse> = {}): WorldResponse => ({ body: text, contentType: 'text/x-cross-domain-policy', ...extra });

function run(world: WorldSnapshot, origin: string, target: string, more: Partial<DecisionRequest> = {}): Decision {
  return decide({ client: 'flash', origin, target, ...more }, world);
}
const verdict = (world: WorldSnapshot, origin: string, target: string, more: Partial<DecisionRequest> = {}): string => run(world, origin, target, more).decision;
// Requirements named anywhere in the decision: the steps, and the diagnostics of the policies fetched.
const allReqs = (d: Decision): string[] => [...new Set([...d.decidedBy.requirements, ...d.trace.flatMap((e) => [...e.requirements, ...(e.diagnostics ?? []).map((x) => x.requirement)])])];

const A = 'http://a.com/m.swf';
const AS = 'https://a.com/m.swf';

describe('chapter 5: secure', () => {
  const httpsMaster = (rule: string): WorldSnapshot => ({ 'https://b.com/crossdomain.xml': xml(policy(rule)) });
  it('FLASH-SEC-1 secure has no effect in a policy served over HTTP', () => {
    const world = { 'http://b.com/crossdomain.xml': xml(policy('<allow-access-from domain="a.com" secure="true"/>')) };
    expect(verdict(world, A, 'http://b.com/data.xml')).toBe('allow');
  });
  it('FLASH-SEC-2 over HTTPS secure defaults to true: an HTTP SWF is not granted, an HTTPS SWF is', () => {
    const world = httpsMaster('<allow-access-from domain="a.com"/>');
    const d = run(world, A, 'https://b.com/data.xml');
    expect(d.decision).toBe('deny');
    expect(allReqs(d)).toContain('FLASH-SEC-2');
    expect(verdict(world, AS, 'https://b.com/data.xml')).toBe('allow');
  });
  it('FLASH-SEC-2 secure="false" in an HTTPS policy grants an HTTP SWF', () => {
    expect(verdict(httpsMaster('<allow-access-from domain="a.com" secure="false"/>'), A, 'https://b.com/data.xml')).toBe('allow');
  });
  it('FLASH-SEC-3 in a socket policy secure defaults to false; secure="true" needs an HTTPS SWF', () => {
    const open = { 'xmlsocket://b.com:843': sockBody('<allow-access-from domain="a.com" to-ports="5000"/>') };
    expect(verdict(open, A, 'socket://b.com:5000')).toBe('allow');
    const strict = { 'xmlsocket://b.com:843': sockBody('<allow-access-from domain="a.com" to-ports="5000" secure="true"/>') };
    expect(verdict(strict, A, 'socket://b.com:5000')).toBe('deny');
    expect(verdict(strict, AS, 'socket://b.com:5000')).toBe('allow');
  });
  it('FLASH-SEC-4 header grants follow the same secure rules', () => {
    const rules = ['<allow-access-from domain="a.com" secure="false"/>', '<allow-http-request-headers-from domain="a.com" headers="X-Token"/>'];
    const world = { 'https://b.com/crossdomain.xml': xml(policy(...rules)) };
    expect(verdict(world, A, 'https://b.com/api', { headers: ['X-Token'] })).toBe('deny');
    expect(verdict(world, AS, 'https://b.com/api', { headers: ['X-Token'] })).toBe('allow');
    const insecure = { 'https://b.com/crossdomain.xml': xml(policy(rules[0]!, '<allow-http-request-headers-from domain="a.com" headers="X-Token" secure="false"/>')) };
    expect(verdict(insecure, A, 'https://b.com/api', { headers: ['X-Token'] })).toBe('allow');
  });
});

describe('chapter 6: sockets', () => {
  it('FLASH-SOCK-1 the request is <policy-file-request/> plus NUL, 23 bytes', () => {
    expect(POLICY_FILE_REQUEST).toBe('<policy-file-request/>\0');
    expect(POLICY_FILE_REQUEST_BYTES.length).toBe(23);
    expect(POLICY_FILE_REQUEST_BYTES[22]).toBe(0);
    expect(Buffer.from(POLICY_FILE_REQUEST_BYTES).toString('latin1')).toBe(POLICY_FILE_REQUEST);
  });
  it('FLASH-SOCK-2 the policy ends at the first NUL or at close; an empty response is no policy', () => {
    expect(extractSocketPolicyText('<p/>\0junk')).toEqual({ text: '<p/>', terminatedBy: 'nul', ignoredAfterNul: 4 });
    expect(extractSocketPolicyText('<p/>')).toEqual({ text: '<p/>', terminatedBy: 'close', ignoredAfterNul: 0 });
    expect(extractSocketPolicyText('').text).toBeNull();
    expect(extractSocketPolicyText('\0<p/>').text).toBeNull();
    const rule = '<allow-access-from domain="*" to-ports="5000"/>';
    expect(verdict({ 'xmlsocket://b.com:843': { body: policy(rule) } }, A, 'socket://b.com:5000')).toBe('allow');
    expect(verdict({ 'xmlsocket://b.com:843': { body: `${policy(rule)}\0<cross-domain-policy><allow-access-from domain="*" to-ports="6000"/></cross-domain-policy>` } }, A, 'socket://b.com:6000')).toBe('deny');
    expect(verdict({ 'xmlsocket://b.com:843': { body: '\0' } }, A, 'socket://b.com:5000')).toBe('deny');
  });
  it('FLASH-SOCK-3 a socket to the SWF\'s own host needs a socket policy; crossdomain.xml never authorizes sockets', () => {
    const world = { 'http://a.com/crossdomain.xml': xml(policy('<allow-access-from domain="*"/>')) };
    const d = run(world, A, 'socket://a.com:5000');
    expect(d.decision).toBe('deny');
    expect(d.decidedBy.requirements).toContain('FLASH-SOCK-3');
    expect(verdict(world, A, 'socket://a.com:5000', { loadPolicy: ['http://a.com/crossdomain.xml'] })).toBe('deny');
  });
  it('FLASH-SOCK-4 the master on 843 is asked first and decides when it grants', () => {
    const world = {
      'xmlsocket://b.com:843': sockBody('<allow-access-from domain="a.com" to-ports="5000"/>'),
      'xmlsocket://b.com:5000': sockBody('<allow-access-from domain="*" to-ports="5000"/>'),
    };
    const d = run(world, A, 'socket://b.com:5000');
    expect(d.decision).toBe('allow');
    expect(d.decidedBy.location).toBe('xmlsocket://b.com:843');
    expect(d.decidedBy.rule).toMatchObject({ element: 'allow-access-from', attributes: { domain: 'a.com', 'to-ports': '5000' }, line: 3, column: 3 });
    expect(d.trace[0]).toMatchObject({ step: 'fetch', location: 'xmlsocket://b.com:843', answered: 'policy' });
  });
  it.each([
    ['nothing listens', undefined],
    ['the 3-second wait expired', { body: '', error: 'timeout' } as WorldResponse],
    ['refused', { body: '', error: 'refused' } as WorldResponse],
    ['reset', { body: '', error: 'reset' } as WorldResponse],
    ['empty answer', { body: '' }],
    ['malformed master (even one saying none)', { body: 'junk<cross-domain-policy><site-control permitted-cross-domain-policies="none"/></cross-domain-policy>\0' }],
  ])('FLASH-SOCK-5 falls back to the destination port when 843 gives no policy: %s', (_name, master) => {
    const world: WorldSnapshot = { 'xmlsocket://b.com:5000': sockBody('<allow-access-from domain="*" to-ports="5000"/>') };
    if (master) world['xmlsocket://b.com:843'] = master;
    const d = run(world, A, 'socket://b.com:5000');
    expect(d.decision).toBe('allow');
    expect(d.decidedBy.location).toBe('xmlsocket://b.com:5000');
    expect(allReqs(d)).toContain('FLASH-SOCK-5');
  });
  it('FLASH-SOCK-5 falls back when the master does not grant and its meta-policy is all', () => {
    const world = {
      'xmlsocket://b.com:843': sockBody('<allow-access-from domain="c.com" to-ports="*"/>'),
      'xmlsocket://b.com:5000': sockBody('<allow-access-from domain="a.com" to-ports="5000"/>'),
    };
    expect(run(world, A, 'socket://b.com:5000').decidedBy.location).toBe('xmlsocket://b.com:5000');
  });
  it('FLASH-SOCK-6 a master saying none forbids every socket connection to the host', () => {
    const world = {
      'xmlsocket://b.com:843': sockBody('<site-control permitted-cross-domain-policies="none"/>', '<allow-access-from domain="*" to-ports="*"/>'),
      'xmlsocket://b.com:5000': sockBody('<allow-access-from domain="*" to-ports="5000"/>'),
    };
    const d = run(world, A, 'socket://b.com:5000');
    expect(d.decision).toBe('deny');
    expect(d.decidedBy.requirements).toEqual(['FLASH-SOCK-6', 'FLASH-META-2']);
  });
  it('FLASH-SOCK-6 a master saying master-only rules out the destination port policy', () => {
    const world = {
      'xmlsocket://b.com:843': sockBody('<site-control permitted-cross-domain-policies="master-only"/>', '<allow-access-from domain="*" to-ports="6000"/>'),
      'xmlsocket://b.com:5000': sockBody('<allow-access-from domain="*" to-ports="5000"/>'),
    };
    expect(verdict(world, A, 'socket://b.com:5000')).toBe('deny');
    expect(verdict(world, A, 'socket://b.com:6000')).toBe('allow');
    expect(verdict(world, A, 'socket://b.com:5000', { loadPolicy: ['xmlsocket://b.com:5000'] })).toBe('deny');
  });
  it('FLASH-SOCK-7 a policy from a port of 1024 or higher grants only ports of 1024 or higher', () => {
    const world = { 'xmlsocket://b.com:1024': sockBody('<allow-access-from domain="*" to-ports="*"/>') };
    const low = run(world, A, 'socket://b.com:1023', { loadPolicy: ['xmlsocket://b.com:1024'] });
    expect(low.decision).toBe('deny');
    expect(allReqs(low)).toContain('FLASH-SOCK-7');
    expect(verdict(world, A, 'socket://b.com:1024', { loadPolicy: ['xmlsocket://b.com:1024'] })).toBe('allow');
    // A policy from below 1024 (here the master on 843) can grant any port.
    expect(verdict({ 'xmlsocket://b.com:843': sockBody('<allow-access-from domain="*" to-ports="80"/>') }, A, 'socket://b.com:80')).toBe('allow');
    // Served from 1023: low.
    expect(verdict({ 'xmlsocket://b.com:1023': sockBody('<allow-access-from domain="*" to-ports="22"/>') }, A, 'socket://b.com:22', { loadPolicy: ['xmlsocket://b.com:1023'] })).toBe('allow');
  });
  it('FLASH-SOCK-8 loadPolicyFile socket locations: consulted before the destination port, same host only, no 3-second limit', () => {
    const world = {
      'xmlsocket://b.com:2000': sockBody('<allow-access-from domain="*" to-ports="5000"/>'),
      'xmlsocket://c.com:2000': sockBody('<allow-access-from domain="*" to-ports="5000"/>'),
      'xmlsocket://b.com:3000': { body: '', error: 'timeout' as const },
    };
    const d = run(world, A, 'socket://b.com:5000', { loadPolicy: ['xmlsocket://b.com:3000', 'xmlsocket://c.com:2000', 'xmlsocket://b.com:2000'] });
    expect(d.decision).toBe('allow');
    expect(d.decidedBy.location).toBe('xmlsocket://b.com:2000');
    expect(d.trace.find((e) => e.location === 'xmlsocket://c.com:2000')).toMatchObject({ step: 'ignore', requirements: ['FLASH-SOCK-8'] });
    expect(d.trace.find((e) => e.location === 'xmlsocket://b.com:3000')?.why).toContain('without the 3-second limit');
    expect(verdict(world, A, 'socket://b.com:5000')).toBe('deny');
  });
  it('FLASH-SOCK-9 a site-control in a non-master socket policy is ignored', () => {
    const world = { 'xmlsocket://b.com:5000': sockBody('<site-control permitted-cross-domain-policies="none"/>', '<allow-access-from domain="*" to-ports="5000"/>') };
    expect(verdict(world, A, 'socket://b.com:5000')).toBe('allow');
  });
  it('FLASH-SOCK-10 by-content-type and by-ftp-filename in a socket master read as none', () => {
    for (const v of ['by-content-type', 'by-ftp-filename']) {
      const world = { 'xmlsocket://b.com:843': sockBody(`<site-control permitted-cross-domain-policies="${v}"/>`, '<allow-access-from domain="*" to-ports="*"/>') };
      const d = run(world, A, 'socket://b.com:5000');
      expect(d.decision).toBe('deny');
      expect(allReqs(d)).toContain('FLASH-META-2');
    }
  });
});

describe('chapter 7: meta-policies', () => {
  const target = 'http://b.com/data/x.xml';
  const side = 'http://b.com/data/policy.xml';
  const withMaster = (master: WorldResponse, sideResp: WorldResponse = xml(policy('<allow-access-from domain="a.com"/>'))): WorldSnapshot => ({
    'http://b.com/crossdomain.xml': master,
    [side]: sideResp,
  });
  it('FLASH-META-1 without a declaration URL policies default to master-only, sockets to all', () => {
    expect(effectiveMetaPolicy(null, undefined, { kind: 'url', scheme: 'http' }).value).toBe('master-only');
    expect(effectiveMetaPolicy(null, undefined, { kind: 'socket' }).value).toBe('all');
    expect(verdict(withMaster(xml(policy())), A, target, { loadPolicy: [side] })).toBe('deny');
    // No master at all: still master-only, so the loadPolicyFile policy is not honoured.
    expect(verdict({ [side]: xml(policy('<allow-access-from domain="a.com"/>')) }, A, target, { loadPolicy: [side] })).toBe('deny');
  });
  it('FLASH-META-2 none forbids every policy file, the master included', () => {
    const d = run(withMaster(xml(policy('<site-control permitted-cross-domain-policies="none"/>', '<allow-access-from domain="*"/>'))), A, target, { loadPolicy: [side] });
    expect(d.decision).toBe('deny');
    expect(d.decidedBy.requirements).toEqual(['FLASH-META-2']);
    expect(metaPolicyPermits('none', { master: true }).permitted).toBe(false);
  });
  it('FLASH-META-3 master-only honours only the master', () => {
    const world = withMaster(xml(policy('<site-control permitted-cross-domain-policies="master-only"/>')));
    const d = run(world, A, target, { loadPolicy: [side] });
    expect(d.decision).toBe('deny');
    expect(allReqs(d)).toContain('FLASH-META-3');
  });
  it('FLASH-META-4 by-content-type honours non-master files served as text/x-cross-domain-policy exactly', () => {
    const master = xml(policy('<site-control permitted-cross-domain-policies="by-content-type"/>'));
    const ok = withMaster(master, xml(policy('<allow-access-from domain="a.com"/>'), { contentType: 'text/x-cross-domain-policy; charset=utf-8' }));
    expect(verdict(ok, A, target, { loadPolicy: [side] })).toBe('allow');
    const wrong = withMaster(master, xml(policy('<allow-access-from domain="a.com"/>'), { contentType: 'text/xml' }));
    const d = run(wrong, A, target, { loadPolicy: [side] });
    expect(d.decision).toBe('deny');
    expect(allReqs(d)).toContain('FLASH-META-4');
  });
  it('FLASH-META-5 by-ftp-filename over HTTP reads as none', () => {
    const d = run(withMaster(xml(policy('<site-control permitted-cross-domain-policies="by-ftp-filename"/>', '<allow-access-from domain="*"/>'))), A, target);
    expect(d.decision).toBe('deny');
    expect(allReqs(d)).toContain('FLASH-META-5');
    expect(metaPolicyPermits('by-ftp-filename', { master: false, path: '/x/crossdomain.xml' }).permitted).toBe(true);
    expect(metaPolicyPermits('by-ftp-filename', { master: false, path: '/x/policy.xml' }).permitted).toBe(false);
  });
  it('FLASH-META-6 the header on the master response; with site-control the more restrictive wins; unknown reads as none', () => {
    const allSite = policy('<site-control permitted-cross-domain-policies="all"/>', '<allow-access-from domain="c.com"/>');
    // Header alone opens the host to loadPolicyFile policies.
    expect(verdict(withMaster(xml(policy(), { headers: { 'X-Permitted-Cross-Domain-Policies': 'all' } })), A, target, { loadPolicy: [side] })).toBe('allow');
    // site-control all + header master-only: master-only wins.
    expect(verdict(withMaster(xml(allSite, { headers: { 'x-permitted-cross-domain-policies': 'master-only' } })), A, target, { loadPolicy: [side] })).toBe('deny');
    // site-control master-only + header all: master-only wins.
    const ms = policy('<site-control permitted-cross-domain-policies="master-only"/>');
    expect(verdict(withMaster(xml(ms, { headers: { 'X-Permitted-Cross-Domain-Policies': 'all' } })), A, target, { loadPolicy: [side] })).toBe('deny');
    expect(parseMetaPolicyHeader('bogus')).toEqual({ value: 'none', noneThisResponse: false, unknown: ['bogus'] });
    expect(parseMetaPolicyHeader(' ALL ').value).toBe('all');
    const fp: FlashPolicy = { format: 'flash', siteControl: [{ permittedCrossDomainPolicies: 'all' }], allowAccessFrom: [], allowHttpRequestHeadersFrom: [], allowAccessFromIdentity: [] };
    expect(effectiveMetaPolicy(fp, 'by-content-type', { kind: 'url', scheme: 'http' })).toMatchObject({ value: 'by-content-type', source: 'site-control+header' });
  });
  it('FLASH-META-7 a response saying none-this-response is not used as a policy', () => {
    const world = { 'http://b.com/crossdomain.xml': xml(policy('<allow-access-from domain="*"/>'), { headers: { 'X-Permitted-Cross-Domain-Policies': 'none-this-response' } }) };
    const d = run(world, A, target);
    expect(d.decision).toBe('deny');
    expect(d.trace[0]).toMatchObject({ answered: 'none-this-response', requirements: expect.arrayContaining(['FLASH-META-7']) });
    expect(parseMetaPolicyHeader('none-this-response')).toEqual({ value: null, noneThisResponse: true, unknown: [] });
  });
  it('FLASH-META-8 a site-control in a non-master URL policy is ignored', () => {
    const world = withMaster(
      xml(policy('<site-control permitted-cross-domain-policies="all"/>')),
      xml(policy('<site-control permitted-cross-domain-policies="none"/>', '<allow-access-from domain="a.com"/>')),
    );
    expect(verdict(world, A, target, { loadPolicy: [side] })).toBe('allow');
  });
  it('FLASH-META-9 all honours every policy file of the host', () => {
    const world = withMaster(xml(policy('<site-control permitted-cross-domain-policies="all"/>')));
    const d = run(world, A, target, { loadPolicy: [side] });
    expect(d.decision).toBe('allow');
    expect(d.decidedBy.location).toBe(side);
    expect(allReqs(d)).toContain('FLASH-META-9');
  });
});

describe('chapter 8: URL policies and data loads', () => {
  const open = policy('<allow-access-from domain="*"/>');
  it('FLASH-URL-1 the master is /crossdomain.xml at the target scheme, host and port', () => {
    const world = { 'http://b.com:8080/crossdomain.xml': xml(open) };
    const d = run(world, A, 'http://b.com:8080/x');
    expect(d.decision).toBe('allow');
    expect(d.decidedBy.location).toBe('http://b.com:8080/crossdomain.xml');
    expect(verdict(world, A, 'http://b.com/x')).toBe('deny');
  });
  it('FLASH-URL-2 same scheme, host and port needs no policy', () => {
    const d = run({}, A, 'http://a.com/data.xml', { headers: ['X-Anything'] });
    expect(d.decision).toBe('allow');
    expect(d.decidedBy.requirements).toEqual(['FLASH-URL-2']);
    expect(verdict({}, A, 'http://a.com:8080/data.xml')).toBe('deny');
    expect(verdict({}, A, 'https://a.com/data.xml')).toBe('deny');
  });
  it('FLASH-URL-3 a policy applies only to its own scheme, host and port', () => {
    const world = { 'http://b.com/crossdomain.xml': xml(open), 'http://b.com:81/p.xml': xml(open) };
    const d = run(world, A, 'http://b.com:8080/x', { loadPolicy: ['http://b.com:81/p.xml', 'https://b.com/p.xml'] });
    expect(d.decision).toBe('deny');
    expect(d.trace.filter((e) => e.step === 'ignore').flatMap((e) => e.requirements)).toContain('FLASH-URL-3');
  });
  it('FLASH-URL-4 a policy applies only to its directory subtree', () => {
    const world = {
      'http://b.com/crossdomain.xml': xml(policy('<site-control permitted-cross-domain-policies="all"/>')),
      'http://b.com/sub/policy.xml': xml(open),
    };
    expect(verdict(world, A, 'http://b.com/sub/deep/x.xml', { loadPolicy: ['http://b.com/sub/policy.xml'] })).toBe('allow');
    const d = run(world, A, 'http://b.com/elsewhere/x.xml', { loadPolicy: ['http://b.com/sub/policy.xml'] });
    expect(d.decision).toBe('deny');
    expect(allReqs(d)).toContain('FLASH-URL-4');
    expect(verdict(world, A, 'http://b.com/subway/x.xml', { loadPolicy: ['http://b.com/sub/policy.xml'] })).toBe('deny');
  });
  it('FLASH-URL-13 below the root, an encoded separator or dot segment takes the path out of scope', () => {
    const world = {
      'http://b.com/crossdomain.xml': xml(policy('<site-control permitted-cross-domain-policies="all"/>')),
      'http://b.com/public/crossdomain.xml': xml(open),
    };
    const lp = { loadPolicy: ['http://b.com/public/crossdomain.xml'] };
    expect(verdict(world, A, 'http://b.com/public/data.xml', lp)).toBe('allow');
    for (const p of ['/public/..%2fprivate/s.xml', '/public/..%5Cprivate/s.xml', '/public/%2E%2E%2Fprivate/s.xml', '/public/%252e%252e/private/s.xml', '/public/x%25252fy']) {
      const d = run(world, A, `http://b.com${p}`, lp);
      expect(d.decision, p).toBe('deny');
      expect(allReqs(d), p).toContain('FLASH-URL-13');
    }
    for (const p of ['/public/a%2eb.xml', '/public/100%25.xml', '/public/caf%C3%A9.xml']) expect(verdict(world, A, `http://b.com${p}`, lp), p).toBe('allow');
    // The master's scope is the whole host: the rule does not apply at the root.
    const master = { 'http://b.com/crossdomain.xml': xml(open) };
    expect(verdict(master, A, 'http://b.com/public/..%2fprivate/s.xml')).toBe('allow');
  });
  it('FLASH-URL-13 encodedPathEscape: what a decoding server reads that the URL parser did not', () => {
    expect(encodedPathEscape('/public/data.xml')).toBeNull();
    expect(encodedPathEscape('/public/..%2fprivate/x')).toEqual({ kind: 'separator', decoded: '/public/../private/x' });
    expect(encodedPathEscape('/public/a%5cb')).toEqual({ kind: 'separator', decoded: '/public/a\\b' });
    expect(encodedPathEscape('/public/%252e%252e/x')).toEqual({ kind: 'dot-segment', decoded: '/public/../x' });
    expect(encodedPathEscape('/public/a%2eb')).toBeNull();
    expect(encodedPathEscape('/public/100%25')).toBeNull();
    // An escape still there after the last round is refused rather than followed further.
    expect(encodedPathEscape(`/public/x%${'25'.repeat(MAX_PATH_DECODE_ROUNDS)}41`)?.kind).toBe('depth');
    expect(encodedPathEscape(`/public/x%${'25'.repeat(MAX_PATH_DECODE_ROUNDS - 1)}41`)).toBeNull();
  });
  it('FLASH-URL-5 a loadPolicyFile policy is honoured only as the meta-policy allows', () => {
    const world = { 'http://b.com/crossdomain.xml': xml(policy('<site-control permitted-cross-domain-policies="all"/>')), 'http://b.com/api/p.xml': xml(open) };
    expect(verdict(world, A, 'http://b.com/api/x', { loadPolicy: ['http://b.com/api/p.xml'] })).toBe('allow');
    expect(verdict(world, A, 'http://b.com/api/x')).toBe('deny');
    expect(verdict(world, A, 'http://b.com/api/x', { loadPolicy: ['xmlsocket://b.com:843', 'not a url'] })).toBe('deny');
  });
  it.each([
    ['404 (missing)', undefined],
    ['status 500', xml(open, { status: 500 })],
    ['status 204', xml(open, { status: 204 })],
    ['timeout', { body: '', error: 'timeout' } as WorldResponse],
    ['refused', { body: '', error: 'refused' } as WorldResponse],
    ['reset', { body: '', error: 'reset' } as WorldResponse],
  ])('FLASH-URL-6 only status 200 counts: %s is no policy', (_n, resp) => {
    const world: WorldSnapshot = resp ? { 'http://b.com/crossdomain.xml': resp } : {};
    const d = run(world, A, 'http://b.com/x');
    expect(d.decision).toBe('deny');
    expect(allReqs(d)).toContain('FLASH-URL-6');
  });
  it.each([
    ['text/x-cross-domain-policy', 'allow'],
    ['text/plain; charset=utf-8', 'allow'],
    ['TEXT/HTML', 'allow'],
    ['application/xml', 'allow'],
    ['application/xhtml+xml', 'allow'],
    ['application/json', 'deny'],
    ['application/octet-stream', 'deny'],
    ['text/', 'deny'],
    [undefined, 'deny'],
  ])('FLASH-URL-7 content type %s → %s', (ct, expected) => {
    const resp: WorldResponse = { body: open };
    if (ct !== undefined) resp.contentType = ct;
    const d = run({ 'http://b.com/crossdomain.xml': resp }, A, 'http://b.com/x');
    expect(d.decision).toBe(expected);
    if (expected === 'deny') expect(allReqs(d)).toContain('FLASH-URL-7');
  });
  it('FLASH-URL-8 a cross-host redirect makes the policy unusable', () => {
    const world = {
      'http://b.com/crossdomain.xml': { body: '', status: 302, headers: { Location: 'http://evil.com/crossdomain.xml' } },
      'http://evil.com/crossdomain.xml': xml(open),
    };
    const d = run(world, A, 'http://b.com/x');
    expect(d.decision).toBe('deny');
    expect(d.trace[0]).toMatchObject({ answered: 'redirect', requirements: expect.arrayContaining(['FLASH-URL-8']) });
  });
  it('FLASH-URL-8 a same-host redirect is followed and the scope rebased to the final URL', () => {
    const world = {
      'http://b.com/crossdomain.xml': { body: '', status: 301, headers: { Location: '/policies/crossdomain.xml' } },
      'http://b.com/policies/crossdomain.xml': xml(open),
    };
    const inside = run(world, A, 'http://b.com/policies/x');
    expect(inside.decision).toBe('allow');
    expect(inside.decidedBy.location).toBe('http://b.com/policies/crossdomain.xml');
    expect(verdict(world, A, 'http://b.com/x')).toBe('deny');
  });
  it('FLASH-URL-8 a redirect loop is no policy', () => {
    const world = {
      'http://b.com/crossdomain.xml': { body: '', status: 302, headers: { Location: '/a.xml' } },
      'http://b.com/a.xml': { body: '', status: 302, headers: { Location: '/crossdomain.xml' } },
    };
    expect(verdict(world, A, 'http://b.com/x')).toBe('deny');
  });
  it('FLASH-URL-9 a grant needs an allow-access-from matching the origin', () => {
    const world = { 'http://b.com/crossdomain.xml': xml(policy('<allow-access-from domain="*.a.com"/>')) };
    expect(verdict(world, A, 'http://b.com/x')).toBe('allow');
    expect(verdict(world, 'http://www.a.com/m.swf', 'http://b.com/x')).toBe('allow');
    expect(verdict(world, 'http://evila.com/m.swf', 'http://b.com/x')).toBe('deny');
    expect(verdict(world, 'http://1.2.3.4/m.swf', 'http://b.com/x')).toBe('deny');
  });
  it('FLASH-URL-10 each request header needs an allow-http-request-headers-from listing it', () => {
    const world = {
      'http://b.com/crossdomain.xml': xml(policy('<allow-access-from domain="*"/>', '<allow-http-request-headers-from domain="a.com" headers="SOAPAction, X-Api-*"/>')),
    };
    expect(verdict(world, A, 'http://b.com/x', { headers: ['soapaction'] })).toBe('allow');
    expect(verdict(world, A, 'http://b.com/x', { headers: ['X-API-Key', 'SOAPAction'] })).toBe('allow');
    const d = run(world, A, 'http://b.com/x', { headers: ['SOAPAction', 'Authorization'] });
    expect(d.decision).toBe('deny');
    expect(d.reason).toContain('Authorization');
    expect(d.decidedBy.requirements).toEqual(['FLASH-URL-10']);
    expect(verdict(world, 'http://c.com/m.swf', 'http://b.com/x', { headers: ['SOAPAction'] })).toBe('deny');
  });
  it('FLASH-URL-11 any failure to read a policy denies', () => {
    const world = { 'http://b.com/crossdomain.xml': xml('<cross-domain-policy><allow-access-from domain="*"/>') };
    const d = run(world, A, 'http://b.com/x');
    expect(d.decision).toBe('deny');
    expect(d.trace[0]).toMatchObject({ answered: 'invalid', requirements: expect.arrayContaining(['FLASH-XML-1']) });
    expect(d.decidedBy.requirements).toContain('FLASH-URL-11');
  });
  it.each([
    ['a bad origin', 'not a url', 'http://b.com/x'],
    ['a javascript: origin', 'javascript:1', 'http://b.com/x'],
    ['a bad target', A, 'ftp://b.com/x'],
    ['a socket target without a port', A, 'socket://b.com'],
  ])('FLASH-URL-12 %s is denied with a trace entry, not thrown', (_n, origin, target) => {
    const d = run({ 'http://b.com/crossdomain.xml': xml(open) }, origin, target);
    expect(d.decision).toBe('deny');
    expect(d.trace[0]).toMatchObject({ step: 'invalid-request', requirements: ['FLASH-URL-12'] });
  });
  it('FLASH-DOM-7 a local SWF is granted only by domain="*"', () => {
    const star = { 'http://b.com/crossdomain.xml': xml(open) };
    expect(verdict(star, 'file:///C:/m.swf', 'http://b.com/x')).toBe('allow');
    const named = { 'http://b.com/crossdomain.xml': xml(policy('<allow-access-from domain="localhost"/>')) };
    expect(verdict(named, 'file:///C:/m.swf', 'http://b.com/x')).toBe('deny');
  });
});

describe('chapter 8: blocked ports', () => {
  const open = policy('<site-control permitted-cross-domain-policies="all"/>', '<allow-access-from domain="*" secure="false"/>');
  it('FLASH-URL-14 Adobe\'s list: 20 and 21 for HTTP only, 56 more for HTTP and FTP; HTTPS read as HTTP', () => {
    expect(FLASH_BLOCKED_PORTS.httpOnly).toEqual([20, 21]);
    expect(new Set(FLASH_BLOCKED_PORTS.httpAndFtp).size).toBe(56);
    const http = [];
    for (let port = 1; port <= 65535; port++) if (flashBlocksPort('http', port)) http.push(port);
    expect(http.length).toBe(58);
    expect(http.slice(0, 10)).toEqual([1, 7, 9, 11, 13, 15, 17, 19, 20, 21]);
    expect(http.slice(-4)).toEqual([995, 2049, 4045, 6000]);
    for (const port of [20, 21, 25, 6000]) expect(flashBlocksPort('https', port), String(port)).toBe(true);
    expect(flashBlocksPort('ftp', 21)).toBe(false);
    expect(flashBlocksPort('ftp', 22)).toBe(true);
    for (const port of [80, 443, 843, 8080, 5000]) expect(flashBlocksPort('http', port), String(port)).toBe(false);
  });
  it('FLASH-URL-14 a load to a blocked port is denied before any policy, same origin included', () => {
    const world = { 'http://b.com:22/crossdomain.xml': xml(open), 'https://b.com:25/crossdomain.xml': xml(open) };
    const d = run(world, A, 'http://b.com:22/x.xml');
    expect(d.decision).toBe('deny');
    expect(d.trace.map((e) => e.step)).toEqual(['blocked', 'deny']);
    expect(d.trace[0]).toMatchObject({ step: 'blocked', requirements: ['FLASH-URL-14'] });
    expect(d.decidedBy.requirements).toEqual(['FLASH-URL-14']);
    expect(run(world, AS, 'https://b.com:25/x.xml').trace.map((e) => e.step)).toEqual(['blocked', 'deny']);
    expect(run({}, 'http://b.com:25/m.swf', 'http://b.com:25/x.xml').trace.map((e) => e.step)).toEqual(['blocked', 'deny']);
    expect(verdict({ 'http://b.com:8080/crossdomain.xml': xml(open) }, A, 'http://b.com:8080/x.xml')).toBe('allow');
  });
  it('FLASH-URL-14 sockets are not blocked: a socket policy decides port 25, and a socket policy on port 25 is asked', () => {
    const world = { 'xmlsocket://b.com:843': sockBody('<allow-access-from domain="a.com" to-ports="25"/>'), 'xmlsocket://c.com:25': sockBody('<allow-access-from domain="a.com" to-ports="5000"/>') };
    const d = run(world, A, 'socket://b.com:25');
    expect(d.decision).toBe('allow');
    expect(d.trace.some((e) => e.step === 'blocked')).toBe(false);
    expect(verdict(world, A, 'socket://c.com:5000', { loadPolicy: ['xmlsocket://c.com:25'] })).toBe('allow');
  });
  it('FLASH-URL-15 a loadPolicyFile URL on a blocked port is never fetched, whatever the target', () => {
    const world = { 'http://b.com/crossdomain.xml': xml(open), 'http://b.com:22/p.xml': xml(open) };
    for (const target of ['http://b.com:8080/x.xml', 'socket://b.com:5000']) {
      const d = run(world, A, target, { loadPolicy: ['http://b.com:22/p.xml'] });
      expect(d.decision, target).toBe('deny');
      const steps = d.trace.filter((e) => e.location === 'http://b.com:22/p.xml');
      expect(steps, target).toEqual([expect.objectContaining({ step: 'ignore', used: false, requirements: ['FLASH-URL-15', 'FLASH-URL-14'] })]);
    }
  });
  it('FLASH-URL-15 a redirect to a blocked port is not followed: the master is no policy', () => {
    const world = {
      'http://b.com/crossdomain.xml': { body: '', status: 302, headers: { Location: 'http://b.com:22/crossdomain.xml' } },
      'http://b.com:22/crossdomain.xml': xml(open),
      'http://b.com/api/p.xml': xml(policy('<allow-access-from domain="a.com"/>')),
    };
    const d = run(world, A, 'http://b.com/api/x.xml', { loadPolicy: ['http://b.com/api/p.xml'] });
    expect(d.decision).toBe('deny');
    expect(d.trace[0]).toMatchObject({ step: 'fetch', location: 'http://b.com/crossdomain.xml', answered: 'redirect', used: false });
    expect(d.trace[0]?.requirements).toContain('FLASH-URL-15');
    expect(d.trace.some((e) => e.location === 'http://b.com:22/crossdomain.xml')).toBe(false);
  });
});

describe('dispatcher', () => {
  it('hands the silverlight profile to the Silverlight procedure (SL-HTTP-2)', () => {
    const d = decide({ client: 'silverlight', origin: A, target: 'http://b.com/x' }, {});
    expect(d).toMatchObject({ decision: 'deny', client: 'silverlight' });
    expect(d.trace[0]?.location).toBe('http://b.com/clientaccesspolicy.xml');
  });
  it('FLASH-URL-12 denies an unknown client or a malformed request object', () => {
    expect(decide({ client: 'opera' } as unknown as DecisionRequest, {}).decision).toBe('deny');
    expect(decide(null as unknown as DecisionRequest, {}).decision).toBe('deny');
    expect(decide({ client: 'flash', origin: 1, target: {} } as unknown as DecisionRequest, {}).decision).toBe('deny');
  });
});
