import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSilverlightPolicy, SILVERLIGHT_DIAGNOSTIC_CODES } from '../../src/silverlight/parse.js';
import { serializeSilverlightPolicy, withoutSource } from '../../src/silverlight/serialize.js';
import type { SilverlightPolicy } from '../../src/silverlight/model.js';
import { policy, simple, wrap } from './helpers.js';

function parse(text: string) {
  const r = parseSilverlightPolicy(text);
  return { ...r, codes: r.diagnostics.map((d) => d.code), reqs: r.diagnostics.map((d) => d.requirement) };
}

describe('Silverlight document rules (SL-XML)', () => {
  it('SL-XML-1: text that is not well-formed XML is no policy', () => {
    const r = parse('<access-policy><cross-domain-access></access-policy>');
    expect(r.policy).toBeNull();
    expect(r.codes).toContain('not-well-formed');
    expect(r.reqs).toContain('SL-XML-1');
  });
  it('SL-XML-1: two root elements are no policy ([ML-DRT] silverlight-33)', () => {
    const r = parse(simple() + '<access-policy/>');
    expect(r.policy).toBeNull();
    expect(r.codes).toContain('multiple-roots');
  });
  it('SL-XML-2: markup or text after the root is no policy', () => {
    const r = parse(simple() + '<!DOCTYPE x>');
    expect(r.policy).toBeNull();
    expect(r.reqs).toContain('SL-XML-2');
    const t = parse(simple().trimEnd() + 'junk');
    expect(t.policy).toBeNull();
    expect(t.reqs).toEqual(['SL-XML-2']);
  });
  it('SL-XML-3: the root must be access-policy, case-sensitively', () => {
    for (const root of ['cross-domain-policy', 'Access-Policy', 'x:access-policy']) {
      const r = parse(`<${root}><cross-domain-access/></${root}>`);
      expect(r.policy).toBeNull();
      expect(r.codes).toContain('wrong-root');
      expect(r.reqs).toContain('SL-XML-3');
    }
  });
  it('SL-XML-3: an empty root element <access-policy/> is no policy, an open/close pair grants nothing', () => {
    expect(parse('<access-policy/>').codes).toContain('empty-root');
    expect(parse('<access-policy/>').policy).toBeNull();
    const open = parse('<access-policy></access-policy>');
    expect(open.policy).toEqual({ format: 'silverlight', policies: [] });
    expect(open.codes).toContain('no-cross-domain-access');
  });
  it('SL-XML-4: no DOCTYPE entity can produce a grant', () => {
    const r = parse('<!DOCTYPE access-policy [<!ENTITY w "*">]>' + simple('&w;').replace(/^<\?xml[^>]*>\n/, ''));
    expect(r.policy).toBeNull();
    expect(r.reqs).toContain('SL-XML-4');
    const u = parse(simple('&w;'));
    expect(u.policy).toBeNull();
    expect(u.codes).toContain('undeclared-entity');
  });
  it('SL-XML-4: a DOCTYPE without internal subset is ignored', () => {
    const r = parse('<!DOCTYPE access-policy SYSTEM "x.dtd">' + simple().replace(/^<\?xml[^>]*>\n/, ''));
    expect(r.policy?.policies.length).toBe(1);
  });
  it('SL-XML-5: input beyond the limits is rejected', () => {
    const r = parseSilverlightPolicy(simple(), { limits: { maxLength: 50 } });
    expect(r.policy).toBeNull();
    expect(r.diagnostics.map((d) => d.requirement)).toContain('SL-XML-5');
    const deep = parseSilverlightPolicy(simple(), { limits: { maxDepth: 3 } });
    expect(deep.policy).toBeNull();
    expect(deep.diagnostics.map((d) => d.code)).toContain('too-deep');
  });
  it('SL-XML-6: a NUL (such as a Flash-style terminator) makes the file invalid', () => {
    const r = parse(simple() + '\u0000');
    expect(r.policy).toBeNull();
    expect(r.reqs).toContain('SL-XML-6');
  });
  it('SL-XML-7: whitespace before <?xml is skipped ([ML-DRT] silverlight-7)', () => {
    const r = parse('\n   \t' + simple());
    expect(r.policy?.policies.length).toBe(1);
    expect(r.reqs).toContain('SL-XML-7');
  });
  it('SL-XML-8: a byte order mark is skipped', () => {
    const r = parse('\uFEFF' + simple());
    expect(r.policy?.policies.length).toBe(1);
    expect(r.reqs).toContain('SL-XML-8');
  });
  it('SL-XML-9: element names are case-sensitive', () => {
    const r = parse(wrap('<Policy><allow-from><domain uri="*"/></allow-from><grant-to><resource path="/"/></grant-to></Policy>'));
    expect(r.policy?.policies).toEqual([]);
    expect(r.codes).toContain('skipped-element');
  });
});

describe('Silverlight grammar and voiding (SL-GRAM)', () => {
  it('SL-GRAM-1: unknown children, text and attributes of access-policy are skipped ([ML-DRT] silverlight-34)', () => {
    const t = `<access-policy foo="bar">hello<extra><policy/></extra><cross-domain-access>${policy('<allow-from><domain uri="*"/></allow-from>', '<grant-to><resource path="/"/></grant-to>')}</cross-domain-access></access-policy>`;
    const r = parse(t);
    expect(r.policy?.policies.length).toBe(1);
    expect(r.codes).toEqual(expect.arrayContaining(['ignored-attribute', 'skipped-element', 'ignored-text']));
    expect(r.reqs).toContain('SL-GRAM-1');
  });
  it('SL-GRAM-2: attributes of cross-domain-access are ignored, other children skipped ([ML-DRT] silverlight-35)', () => {
    const t = `<access-policy><cross-domain-access a="b"><foo/>${policy('<allow-from><domain uri="*"/></allow-from>', '<grant-to><resource path="/"/></grant-to>')}</cross-domain-access></access-policy>`;
    const r = parse(t);
    expect(r.policy?.policies.length).toBe(1);
    expect(r.reqs.filter((x) => x === 'SL-GRAM-2').length).toBe(2);
  });
  it('SL-GRAM-3: any attribute voids the policy ([ML-DRT] silverlight-36)', () => {
    const r = parse(wrap('<policy id="1"><allow-from><domain uri="*"/></allow-from><grant-to><resource path="/"/></grant-to></policy>'));
    expect(r.policy?.policies).toEqual([]);
    expect(r.codes).toContain('policy-voided');
    expect(r.reqs).toContain('SL-GRAM-3');
  });
  it('SL-GRAM-4: any other child element voids the policy, empty or not (divergence: Moonlight skips an empty one)', () => {
    for (const extra of ['<foo/>', '<foo>x</foo>', '<domain uri="*"/>']) {
      const r = parse(wrap(`<policy><allow-from><domain uri="*"/></allow-from>${extra}<grant-to><resource path="/"/></grant-to></policy>`));
      expect(r.policy?.policies).toEqual([]);
      expect(r.reqs).toContain('SL-GRAM-4');
    }
  });
  it('SL-GRAM-5: a policy without allow-from or grant-to is kept but reported', () => {
    const r = parse(wrap('<policy><grant-to><resource path="/"/></grant-to></policy>'));
    expect(r.policy?.policies[0]?.allowFrom).toEqual([]);
    expect(r.codes).toContain('policy-incomplete');
    expect(r.reqs).toContain('SL-GRAM-5');
  });
  it('SL-GRAM-6: an unknown allow-from attribute voids the allow-from ([ML-DRT] silverlight-37)', () => {
    const r = parse(simple('*', '<resource path="/"/>', ' secure="true"'));
    expect(r.policy?.policies[0]?.allowFrom).toEqual([]);
    expect(r.codes).toContain('allow-from-voided');
    expect(r.reqs).toContain('SL-GRAM-6');
  });
  it('SL-GRAM-7: an unknown allow-from child voids it; a namespaced one is skipped; no domains admits nobody', () => {
    const bad = parse(wrap(policy('<allow-from><domain uri="*"/><host name="a"/></allow-from>', '<grant-to><resource path="/"/></grant-to>')));
    expect(bad.policy?.policies[0]?.allowFrom).toEqual([]);
    expect(bad.reqs).toContain('SL-GRAM-7');
    const ns = parse(wrap(policy('<allow-from xmlns:x="urn:x"><x:note/><domain uri="*"/></allow-from>', '<grant-to><resource path="/"/></grant-to>')));
    expect(ns.policy?.policies[0]?.allowFrom.length).toBe(0); // xmlns:x is an attribute: SL-GRAM-6 voids it
    const ns2 = parse(wrap(policy('<allow-from><x:note xmlns:x="urn:x"/><domain uri="*"/></allow-from>', '<grant-to><resource path="/"/></grant-to>')));
    expect(ns2.policy?.policies[0]?.allowFrom[0]?.domains).toEqual([expect.objectContaining({ uri: '*' })]);
    expect(ns2.codes).toContain('skipped-element');
    const none = parse(wrap(policy('<allow-from/>', '<grant-to><resource path="/"/></grant-to>')));
    expect(none.policy?.policies[0]?.allowFrom[0]?.domains).toEqual([]);
    expect(none.codes).toContain('allow-from-no-domains');
  });
  it('SL-GRAM-8: a domain without uri admits nobody; other domain attributes are ignored', () => {
    const r = parse(wrap(policy('<allow-from><domain url="*"/><domain uri="*" secure="true"/></allow-from>', '<grant-to><resource path="/"/></grant-to>')));
    expect(r.policy?.policies[0]?.allowFrom[0]?.domains.map((d) => d.uri)).toEqual(['*']);
    expect(r.codes).toEqual(expect.arrayContaining(['domain-missing-uri', 'ignored-attribute']));
    expect(r.reqs).toContain('SL-GRAM-8');
  });
  it('SL-GRAM-9: an attribute or unknown child voids the grant-to ([ML-DRT] silverlight-38)', () => {
    for (const gt of ['<grant-to a="b"><resource path="/"/></grant-to>', '<grant-to><resource path="/"/><file path="/x"/></grant-to>']) {
      const r = parse(wrap(policy('<allow-from><domain uri="*"/></allow-from>', gt)));
      expect(r.policy?.policies[0]?.grantTo).toEqual([]);
      expect(r.reqs).toContain('SL-GRAM-9');
    }
  });
  it('SL-GRAM-9: a namespaced child of grant-to is skipped and reported, not voiding', () => {
    const r = parse(simple('*', '<x:ext xmlns:x="urn:x"/><resource path="/"/>'));
    expect(r.policy?.policies[0]?.grantTo[0]?.resources.map((x) => x.path)).toEqual(['/']);
    expect(r.diagnostics.find((d) => d.requirement === 'SL-GRAM-9')).toMatchObject({ severity: 'info', code: 'skipped-element' });
  });
  it('SL-GRAM-4, SL-GRAM-9, SL-GRAM-10: an element voided by a child is read on, so a later fault still invalidates the file', () => {
    const af = '<allow-from><domain uri="*"/></allow-from>';
    for (const body of [
      simple('*', '<resource path="/a" mode="x"/><resource path="/b" include-subpaths="yes"/>'),
      simple('*', '<file/><resource path=""/>'),
      simple('*', '<resource path="/a"><x/></resource><socket-resource port="80" protocol="tcp"/>'),
      wrap(`<policy>${af}<unknown><x/></unknown><grant-to><resource path="/" include-subpaths="maybe"/></grant-to></policy>`),
    ]) {
      const r = parse(body);
      expect(r.policy, body).toBeNull();
      expect(r.diagnostics.some((d) => d.code === 'grant-to-voided' || d.code === 'policy-voided')).toBe(true);
    }
    // Voided by an attribute, the element is not read: its content cannot invalidate the file.
    expect(parse(wrap(`<policy id="1">${af}<grant-to><resource path=""/></grant-to></policy>`)).policy).not.toBeNull();
    expect(parse(wrap(`<policy>${af}<grant-to a="b"><resource path="/" include-subpaths="yes"/></grant-to></policy>`)).policy).not.toBeNull();
  });
  it('SL-GRAM-10: resource takes only path and include-subpaths and must be empty', () => {
    for (const res of ['<resource path="/" mode="x"/>', '<resource path="/"><x/></resource>']) {
      const r = parse(simple('*', res));
      expect(r.policy?.policies[0]?.grantTo).toEqual([]);
      expect(r.reqs).toContain('SL-GRAM-10');
    }
  });
  it('SL-GRAM-11: include-subpaths is an XML Schema boolean; any other value invalidates the file', () => {
    expect(parse(simple('*', '<resource path="/" include-subpaths="1"/>')).policy?.policies[0]?.grantTo[0]?.resources[0]?.includeSubpaths).toBe(true);
    expect(parse(simple('*', '<resource path="/" include-subpaths=" false "/>')).policy?.policies[0]?.grantTo[0]?.resources[0]?.includeSubpaths).toBe(false);
    expect(parse(simple('*', '<resource path="/"/>')).policy?.policies[0]?.grantTo[0]?.resources[0]?.includeSubpaths).toBe(false);
    for (const v of ['yes', 'True', 'TRUE', '']) {
      const r = parse(simple('*', `<resource path="/" include-subpaths="${v}"/>`));
      expect(r.policy).toBeNull();
      expect(r.reqs).toContain('SL-GRAM-11');
    }
  });
  it('SL-GRAM-12: an empty or missing resource path invalidates the whole file ([ML-DRT] silverlight-5, 6)', () => {
    for (const res of ['<resource path=""/><resource path="/test"/>', '<resource include-subpaths="true"/>']) {
      const r = parse(simple('*', res));
      expect(r.policy).toBeNull();
      expect(r.reqs).toContain('SL-GRAM-12');
    }
  });
  it('SL-GRAM-13: other attributes and content of socket-resource are ignored and reported, never voiding', () => {
    for (const sr of ['<socket-resource port="4502" protocol="tcp" secure="false"/>', '<socket-resource port="4502" protocol="tcp"><x/>text</socket-resource>']) {
      const r = parse(simple('*', sr));
      expect(r.policy?.policies[0]?.grantTo[0]?.socketResources.map((s) => [s.from, s.to]), sr).toEqual([[4502, 4502]]);
      expect(r.diagnostics.filter((d) => d.requirement === 'SL-GRAM-13').every((d) => d.severity === 'warning')).toBe(true);
      expect(r.reqs).toContain('SL-GRAM-13');
    }
  });
  it('SL-GRAM-14: text inside policy elements is skipped and reported (bnc#681699)', () => {
    const r = parse(wrap('<policy>text<allow-from>more<domain uri="*"/></allow-from><grant-to><resource path="/"/></grant-to></policy>'));
    expect(r.policy?.policies[0]?.allowFrom[0]?.domains.length).toBe(1);
    expect(r.reqs.filter((x) => x === 'SL-GRAM-14').length).toBe(2);
  });
  it('SL-GRAM-16: several allow-from and grant-to in one policy all count', () => {
    const r = parse(wrap('<policy><allow-from><domain uri="http://a.com"/></allow-from><allow-from><domain uri="http://b.com"/></allow-from><grant-to><resource path="/a"/></grant-to><grant-to><socket-resource port="4502" protocol="tcp"/></grant-to></policy>'));
    expect(r.policy?.policies[0]?.allowFrom.length).toBe(2);
    expect(r.policy?.policies[0]?.grantTo.length).toBe(2);
  });
  it('SL-PATH-4: a resource path without a leading "/" is kept and reported', () => {
    const r = parse(simple('*', '<resource path="test"/>'));
    expect(r.policy?.policies[0]?.grantTo[0]?.resources[0]?.path).toBe('test');
    expect(r.reqs).toContain('SL-PATH-4');
  });
  it('SL-DOM-8: a uri that can never match is reported', () => {
    const r = parse(simple('policy-client.moonlight.test'));
    expect(r.codes).toContain('domain-never-matches');
    expect(r.reqs).toContain('SL-DOM-8');
  });
  it('SL-HDR-1, SL-HDR-9: header and method lists are split and trimmed; methods other than * are reported', () => {
    const r = parse(simple('*', '<resource path="/"/>', ' http-request-headers=" SOAPAction ,, X-A*," http-methods="PUT"'));
    expect(r.policy?.policies[0]?.allowFrom[0]?.httpRequestHeaders).toEqual(['SOAPAction', 'X-A*']);
    expect(r.policy?.policies[0]?.allowFrom[0]?.httpMethods).toEqual(['PUT']);
    expect(r.reqs).toContain('SL-HDR-9');
  });
  it('SL-HDR-8, SL-HDR-9: http-methods is compared whole: "PUT,*" and " * " are reported, "*" is not', () => {
    for (const v of ['PUT,*', ' * ']) {
      const r = parse(simple('*', '<resource path="/"/>', ` http-methods="${v}"`));
      expect(r.policy?.policies[0]?.allowFrom[0]?.httpMethods).toEqual(v.split(','));
      expect(r.reqs, v).toContain('SL-HDR-9');
    }
    expect(parse(simple('*', '<resource path="/"/>', ' http-methods="*"')).reqs).not.toContain('SL-HDR-9');
  });
});

describe('Silverlight socket-resource (SL-SOCK)', () => {
  it('SL-SOCK-7: port is "A" or "A-B", each within 4502-4534, else the file is invalid', () => {
    const ok = parse(simple('*', '<socket-resource port="4502-4534" protocol="tcp"/><socket-resource port="4510" protocol="tcp"/>'));
    expect(ok.policy?.policies[0]?.grantTo[0]?.socketResources.map((s) => [s.from, s.to])).toEqual([[4502, 4534], [4510, 4510]]);
    for (const p of ['*', '4501-4531', '4535', '443', '4502,4503', '', ' 4502', '4502-', '-4502', '99999999']) {
      const r = parse(simple('*', `<socket-resource port="${p}" protocol="tcp"/>`));
      expect(r.policy, p).toBeNull();
      expect(r.reqs).toContain('SL-SOCK-7');
    }
    expect(parse(simple('*', '<socket-resource protocol="tcp"/>')).policy).toBeNull();
  });
  it('SL-SOCK-8: a reversed range grants no port', () => {
    const r = parse(simple('*', '<socket-resource port="4534-4502" protocol="tcp"/>'));
    expect(r.policy?.policies[0]?.grantTo[0]?.socketResources).toEqual([]);
    expect(r.reqs).toContain('SL-SOCK-8');
  });
  it('SL-SOCK-9: protocol must be exactly "tcp"', () => {
    for (const p of [' protocol="Tcp"', ' protocol="udp"', '']) {
      const r = parse(simple('*', `<socket-resource port="4502"${p}/>`));
      expect(r.policy?.policies[0]?.grantTo[0]?.socketResources).toEqual([]);
      expect(r.reqs).toContain('SL-SOCK-9');
    }
  });
  it('SL-SOCK-9, SL-SOCK-7: the port of a non-tcp socket-resource is never read, so it cannot invalidate the file', () => {
    for (const p of ['443', '*', '', '4501-4531']) {
      for (const proto of ['', ' protocol="udp"']) {
        const r = parse(simple('*', `<resource path="/" include-subpaths="true"/><socket-resource port="${p}"${proto}/>`));
        expect(r.policy, `${p}${proto}`).not.toBeNull();
        expect(r.policy?.policies[0]?.grantTo[0]?.resources.length).toBe(1);
        expect(r.reqs).toContain('SL-SOCK-9');
        expect(r.reqs).not.toContain('SL-SOCK-7');
      }
    }
  });
});

const safeText = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && !/[\u0000-\u001f\uD800-\uDFFF\uFFFE\uFFFF]/.test(s));
const item = safeText.filter((s) => !s.includes(','));
const modelArb: fc.Arbitrary<SilverlightPolicy> = fc.record({
  format: fc.constant('silverlight' as const),
  policies: fc.array(
    fc.record({
      allowFrom: fc.array(
        fc.record({
          domains: fc.array(fc.record({ uri: fc.oneof(safeText, fc.constantFrom('*', 'http://*', 'https://*.a.com', 'file:///')) }), { maxLength: 3 }),
          httpRequestHeaders: fc.array(item, { maxLength: 3 }),
          httpMethods: fc.array(fc.constantFrom('*', 'PUT', 'DELETE'), { maxLength: 2 }),
        }),
        { maxLength: 2 },
      ),
      grantTo: fc.array(
        fc.record({
          resources: fc.array(fc.record({ path: safeText, includeSubpaths: fc.boolean() }), { maxLength: 3 }),
          socketResources: fc.array(
            fc.tuple(fc.integer({ min: 4502, max: 4534 }), fc.integer({ min: 4502, max: 4534 })).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b), protocol: 'tcp' as const })),
            { maxLength: 2 },
          ),
        }),
        { maxLength: 2 },
      ),
    }),
    { maxLength: 3 },
  ),
});

describe('Silverlight parser properties', () => {
  it('SL-GRAM-15: parse(serialize(m)) equals m, and serialization escapes every value', () => {
    fc.assert(
      fc.property(modelArb, (m) => {
        const text = serializeSilverlightPolicy(m);
        const back = parseSilverlightPolicy(text);
        expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(back.policy && withoutSource(back.policy)).toEqual(m);
      }),
      { numRuns: 300 },
    );
  });
  it('SL-GRAM-15: an injected value stays inside its attribute', () => {
    const m: SilverlightPolicy = { format: 'silverlight', policies: [{ allowFrom: [{ domains: [{ uri: '"/></allow-from><allow-from><domain uri="*' }], httpRequestHeaders: [], httpMethods: [] }], grantTo: [] }] };
    const back = parseSilverlightPolicy(serializeSilverlightPolicy(m)).policy;
    expect(back?.policies[0]?.allowFrom.length).toBe(1);
    expect(back?.policies[0]?.allowFrom[0]?.domains.map((d) => d.uri)).toEqual(['"/></allow-from><allow-from><domain uri="*']);
  });
  it('SL-XML-1: the parser never throws, on arbitrary strings and on near-valid documents', () => {
    const fragments = fc.constantFrom('<access-policy>', '</access-policy>', '<cross-domain-access>', '</cross-domain-access>', '<policy>', '</policy>', '<allow-from>', '</allow-from>', '<domain uri="*"/>', '<grant-to>', '</grant-to>', '<resource path="/" include-subpaths="true"/>', '<socket-resource port="4502-4534" protocol="tcp"/>', '<!DOCTYPE a [<!ENTITY e "*">]>', '&e;', '\u0000', ' ', '<?xml version="1.0"?>', '<!--', '-->', '"', "'", '<', '>');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(fragments, { maxLength: 30 }).map((a) => a.join(''))), (s) => {
        const r = parseSilverlightPolicy(s);
        expect(r.policy === null || r.policy.format === 'silverlight').toBe(true);
        for (const d of r.diagnostics) expect(SILVERLIGHT_DIAGNOSTIC_CODES as readonly string[]).toContain(d.code);
      }),
      { numRuns: 1000 },
    );
  });
});
