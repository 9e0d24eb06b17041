import { describe, expect, it } from 'vitest';
import { withoutOverride } from '../../profiles/index.js';
import { resolveLintContext } from '../context.js';
import { lintText } from '../lint.js';
import { checkCompatibility, compatProbes, MAX_COMPARED_LENGTH, PROBE_HEADER, PROBE_METHOD } from './compat.js';

const SOCK = 'xmlsocket://game.example.com:843';
const MALFORMED_ANY = '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="*" to-ports="*"/>\n';
// domain="*": Unity's web player honours no other domain.
const RANGE = '<cross-domain-policy>\n  <allow-access-from domain="*" to-ports="5000-5010"/>\n</cross-domain-policy>\n';

const compat = (text: string, servedFrom: string, clients?: string[]) =>
  lintText(text, clients === undefined ? { servedFrom } : { servedFrom, clients: clients as never }).filter((f) => f.id.startsWith('LINT-COMPAT-'));

describe('LINT-17: compatibility findings come from the profiles', () => {
  it('a malformed * file Flash rejects still grants every origin under Lightspark: one high finding naming probes and both reasons', () => {
    const found = compat(MALFORMED_ANY, SOCK).filter((f) => f.value === 'lightspark');
    expect(found.map((f) => `${f.severity} ${f.id} ${f.value}`)).toEqual(['high LINT-COMPAT-GRANTS-UNNAMED lightspark']);
    const m = found[0]!.message;
    expect(m).toContain('http://unrelated.example/xdpolicy-probe.swf → socket://game.example.com:');
    expect(m).toMatch(/ flash: no socket policy grants .* answered invalid/);
    expect(m).toMatch(/ lightspark: the master socket policy grants port \d+: <allow-access-from domain="\*"/);
  });

  it('the finding goes when Lightspark reads XML as the reference does (the profile, not the check, decides)', () => {
    const { context } = resolveLintContext(MALFORMED_ANY, { servedFrom: SOCK });
    const clients = ['lightspark'] as const;
    expect(checkCompatibility(MALFORMED_ANY, context, { clients }).map((f) => f.id)).toEqual(['LINT-COMPAT-GRANTS-UNNAMED']);
    const profiles = withoutOverride('lightspark', 'xmlDocument');
    expect(checkCompatibility(MALFORMED_ANY, context, { clients, profiles })).toEqual([]);
  });

  it('a port range Lightspark collapses to its first port: one medium finding for the probes it breaks, pointing at the rule', () => {
    const found = compat(RANGE, SOCK, ['lightspark']);
    expect(found.map((f) => `${f.severity} ${f.id} ${f.line}:${f.column} ${f.value}`)).toEqual(['medium LINT-COMPAT-DENIES 2:3 lightspark']);
    expect(found[0]!.message).toContain('→ socket://game.example.com:5010');
    expect(found[0]!.message).toContain("lightspark denies 2 requests the reference (flash) allows");
  });

  it('Silverlight family: Moonlight reads http://*.example.com without a dot boundary, so the look-alike host gets the socket ports', () => {
    const text = '<?xml version="1.0" encoding="utf-8"?>\n<access-policy><cross-domain-access><policy>\n  <allow-from><domain uri="http://*.example.com"/></allow-from>\n  <grant-to><socket-resource port="4502-4506" protocol="tcp"/></grant-to>\n</policy></cross-domain-access></access-policy>\n';
    const SL_SOCK = 'xmlsocket://game.example.com:943';
    const found = compat(text, SL_SOCK);
    expect(found.map((f) => `${f.severity} ${f.id} ${f.value}`)).toEqual(['high LINT-COMPAT-GRANTS-UNNAMED moonlight', 'medium LINT-COMPAT-GRANTS-MORE moonlight']);
    expect(found[0]!.message).toContain('http://evilexample.com/xdpolicy-probe.xap → socket://game.example.com:4502');
    expect(found[0]!.message).toContain('moonlight grants 1 request the reference (silverlight) denies');
    // The Moonlight override (silverlight/9#3) decides it, not the check.
    const { context } = resolveLintContext(text, { servedFrom: SL_SOCK });
    expect(checkCompatibility(text, context, { clients: ['moonlight'], profiles: withoutOverride('moonlight', 'domainPattern') })).toEqual([]);
  });

  it('a header probe: Lightspark sends a custom header the file never allowed — more for a granted origin (medium), not an unnamed grant', () => {
    const text = '<?xml version="1.0"?>\n<cross-domain-policy>\n  <allow-access-from domain="*"/>\n</cross-domain-policy>\n';
    const served = 'http://api.example.com/crossdomain.xml';
    const found = compat(text, served, ['lightspark']);
    expect(found.map((f) => `${f.severity} ${f.id} ${f.value}`)).toEqual(['medium LINT-COMPAT-GRANTS-MORE lightspark']);
    expect(found[0]!.message).toContain(`→ http://api.example.com/xdpolicy-probe.txt (header ${PROBE_HEADER})`);
    expect(found[0]!.message).toContain(`no policy in scope allows sending header ${PROBE_HEADER}`);
    // Lightspark's "no header checks" override (LS-11) decides it, not the check.
    const { context } = resolveLintContext(text, { servedFrom: served });
    expect(checkCompatibility(text, context, { clients: ['lightspark'], profiles: withoutOverride('lightspark', 'headersToCheck') })).toEqual([]);
    // A header rule for every origin: the clients agree again.
    const allowed = text.replace('</cross-domain-policy>', '  <allow-http-request-headers-from domain="*" headers="*"/>\n</cross-domain-policy>');
    expect(compat(allowed, served, ['lightspark'])).toEqual([]);
  });

  it('probes a URL policy with a custom header, and a Silverlight one with a method other than GET and POST', () => {
    const { context } = resolveLintContext(RANGE, { servedFrom: 'http://api.example.com/crossdomain.xml' });
    const flash = compatProbes('<cross-domain-policy><allow-access-from domain="www.example.org"/></cross-domain-policy>', context);
    expect(flash.requests.filter((r) => r.headers !== undefined).map((r) => r.origin.url)).toEqual(['http://www.example.org/xdpolicy-probe.swf', 'http://unrelated.example/xdpolicy-probe.swf']);
    expect(flash.requests.some((r) => r.method !== undefined)).toBe(false);
    const sl = '<access-policy><cross-domain-access><policy><allow-from><domain uri="http://www.example.org"/></allow-from><grant-to><resource path="/"/></grant-to></policy></cross-domain-access></access-policy>';
    const slProbes = compatProbes(sl, resolveLintContext(sl, { servedFrom: 'http://api.example.com/clientaccesspolicy.xml' }).context);
    expect(slProbes.requests.filter((r) => r.method === PROBE_METHOD).map((r) => r.origin.url)).toEqual(['http://www.example.org/xdpolicy-probe.xap', 'http://unrelated.example/xdpolicy-probe.xap']);
  });

  it('--clients chooses the profiles: none, or only those named', () => {
    expect(compat(MALFORMED_ANY, SOCK, [])).toEqual([]);
    expect(compat(MALFORMED_ANY, SOCK, ['flash9'])).toEqual([]);
    expect(compat(MALFORMED_ANY, SOCK, ['lightspark']).map((f) => f.value)).toEqual(['lightspark']);
  });

  it('probes the file\'s own domains and ports plus the unrelated, look-alike, bare and IP origins and the standard ports', () => {
    const text = '<cross-domain-policy><allow-access-from domain="*.example.org" to-ports="5000-5010,70000"/><allow-access-from domain="10.1.2.3" to-ports="6000"/></cross-domain-policy>';
    const { context } = resolveLintContext(text, { servedFrom: SOCK });
    const p = compatProbes(text, context);
    const origins = new Set(p.requests.map((r) => r.origin.url));
    for (const o of ['http://sub.example.org/', 'https://sub.example.org/', 'http://example.org/', 'http://evilexample.org/', 'http://10.1.2.3/', 'http://[::ffff:10.1.2.3]/', 'http://unrelated.example/', 'http://192.0.2.1/']) expect(origins, o).toContain(`${o}xdpolicy-probe.swf`);
    const ports = new Set(p.requests.filter((r) => r.origin.url === 'http://sub.example.org/xdpolicy-probe.swf').map((r) => Number(r.target.split(':').pop())));
    // Ends, middle and edges of the range, the 16-bit wrap of 70000, < 1024, 843 and the Silverlight window.
    for (const port of [4999, 5000, 5005, 5010, 5011, 4464, 6000, 80, 843, 4502, 4518, 4534]) expect(ports, String(port)).toContain(port);
    expect(p.world).toEqual({ [SOCK]: { body: text } });
  });

  it('a file over the comparison bound is not compared, and says so (nothing dropped silently)', () => {
    const rule = '  <allow-access-from domain="*" to-ports="*"/>\n';
    const big = `<cross-domain-policy>\n${rule.repeat(Math.ceil(MAX_COMPARED_LENGTH / rule.length))}`;
    const found = compat(big, SOCK);
    expect(found.map((f) => `${f.severity} ${f.id}`)).toEqual(['info LINT-COMPAT-SAMPLED']);
    expect(found[0]!.message).toContain(`not compared: the file is ${big.length.toLocaleString('en-US')} characters, over the ${MAX_COMPARED_LENGTH.toLocaleString('en-US')}`);
  });

  it('a client that never reads the format compares nothing; a reference alone compares nothing', () => {
    expect(lintText(MALFORMED_ANY, { servedFrom: SOCK, client: 'silverlight' }).filter((f) => f.id.startsWith('LINT-COMPAT-'))).toEqual([]);
    expect(compat(MALFORMED_ANY, SOCK, ['flash'])).toEqual([]);
  });
});
