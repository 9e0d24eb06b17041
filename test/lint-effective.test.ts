/**
 * lint reads what the client reads (LINT-4): the effective policy of the context — a Flash socket
 * policy cut at its NUL (FLASH-SOCK-2), grants the client can never use reported as such, at low
 * severity (LINT-RULE-NEVER-APPLIES), and a dropped element's finding saying what it would have
 * granted.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from '../src/lint/lint.js';
import { resolveLintContext } from '../src/lint/context.js';
import { loadWildFiles, wildPresent } from './support/wild.js';

const SOCK = 'xmlsocket://game.example.com:843';
/** A compatibility finding (LINT-17): about another client, not the reference's reading. */
const compat = (id: string): boolean => id.startsWith('LINT-COMPAT-');
const flash = (body: string): string => `<?xml version="1.0"?>\n<cross-domain-policy>\n${body}\n</cross-domain-policy>\n`;
const sl = (allowFrom: string, grantTo: string): string =>
  `<?xml version="1.0"?>\n<access-policy>\n  <cross-domain-access>\n    <policy>\n      <allow-from>\n${allowFrom}\n      </allow-from>\n      <grant-to>\n${grantTo}\n      </grant-to>\n    </policy>\n  </cross-domain-access>\n</access-policy>\n`;
const shown = (text: string, servedFrom: string) => lintText(text, { servedFrom }).map((f) => `${f.severity} ${f.id} ${f.line}:${f.column} ${f.value} ${f.message}`);

describe('FLASH-SOCK-2, LINT-4: a socket policy is linted as the server sends it', () => {
  it('a policy ending in its NUL terminator gives the same findings as the policy without it', () => {
    const policy = flash('  <allow-access-from domain="*" to-ports="*"/>');
    expect(shown(`${policy}\u0000`, SOCK)).toEqual(shown(policy, SOCK));
    expect(lintText(`${policy}\u0000`, { servedFrom: SOCK }).map((f) => f.id)).toEqual(expect.arrayContaining(['LINT-DOMAIN-ANY', 'LINT-PORT-ANY']));
  });

  it('bytes after the NUL are not part of the policy, and a note says they were left out', () => {
    const policy = flash('  <allow-access-from domain="www.example.com" to-ports="9100"/>');
    const f = lintText(`${policy}\u0000<cross-domain-policy><allow-access-from domain="*" to-ports="*"/></cross-domain-policy>`, { servedFrom: SOCK });
    expect(f.map((x) => x.id)).not.toContain('LINT-DOMAIN-ANY');
    expect(f.find((x) => x.id === 'LINT-PARSE-NOTE')).toMatchObject({ requirement: 'FLASH-SOCK-2' });
  });

  it('a socket answer with nothing before its NUL is rejected, never silently passed', () => {
    expect(lintText('\u0000', { servedFrom: SOCK }).map((f) => f.id)).toContain('LINT-PARSE-REJECTED');
  });

  it('a Silverlight socket policy is read up to the close: a NUL in it is no framing (SL-SOCK-4)', () => {
    const text = `${sl('        <domain uri="*"/>', '        <socket-resource port="4502-4506" protocol="tcp"/>')}\u0000`;
    expect(lintText(text, { servedFrom: 'xmlsocket://game.example.com:943' }).map((f) => f.id)).toContain('LINT-PARSE-REJECTED');
  });

  it.skipIf(!wildPresent('lint-effective'))('the two real-world socket policies ending in a NUL (shared/wild 075, 076) are linted as Flash reads them', () => {
    const files = loadWildFiles().filter((f) => f.text.includes('\u0000'));
    expect(files.map((f) => f.file)).toEqual(['075.xml', '076.xml']);
    for (const f of files) {
      const cut = f.text.slice(0, f.text.indexOf('\u0000'));
      expect(shown(f.text, 'xmlsocket://host:843'), f.file).toEqual(shown(cut, 'xmlsocket://host:843'));
      const ids = lintText(f.text, { servedFrom: 'xmlsocket://host:843' }).map((x) => x.id);
      expect(ids, f.file).toEqual(expect.arrayContaining(['LINT-DOMAIN-ANY', 'LINT-PORT-ANY']));
      expect(ids, f.file).not.toContain('LINT-PARSE-REJECTED');
    }
  });
});

describe('LINT-4: a grant that can never apply is reported as such, not high', () => {
  it('FLASH-META-2: domain="*" under site-control none', () => {
    const f = lintText(flash('  <site-control permitted-cross-domain-policies="none"/>\n  <allow-access-from domain="*"/>'), { servedFrom: 'https://www.example.com/crossdomain.xml' });
    expect(f.filter((x) => x.severity === 'high' && !compat(x.id))).toEqual([]);
    // LINT-17: Flash Player 9 has no meta-policies, so there the rule does apply.
    expect(f.filter((x) => compat(x.id)).map((x) => `${x.severity} ${x.id} ${x.value}`)).toContain('high LINT-COMPAT-GRANTS-UNNAMED flash9');
    const never = f.find((x) => x.id === 'LINT-RULE-NEVER-APPLIES');
    expect(never).toMatchObject({ severity: 'low', requirement: 'FLASH-META-2', line: 4, value: '*' });
    expect(never?.message).toContain('never applies');
    expect(never?.message).toContain('SWFs from any site access to this host');
    expect(never?.message).toContain('LINT-DOMAIN-ANY');
  });

  it('FLASH-SOCK-6: the same in a master socket policy', () => {
    const f = lintText(flash('  <site-control permitted-cross-domain-policies="none"/>\n  <allow-access-from domain="*" to-ports="*"/>'), { servedFrom: SOCK });
    expect(f.filter((x) => x.severity === 'high' && !compat(x.id)).map((x) => x.id)).toEqual([]);
    expect(f.find((x) => x.id === 'LINT-RULE-NEVER-APPLIES')).toMatchObject({ requirement: 'FLASH-SOCK-6' });
  });

  it('FLASH-SOCK-7: a rule listing only ports below 1024 in a policy served from a high port', () => {
    const f = lintText(flash('  <allow-access-from domain="*" to-ports="22"/>'), { servedFrom: 'xmlsocket://game.example.com:5000' });
    expect(f.filter((x) => x.severity === 'high' && !compat(x.id))).toEqual([]);
    // LINT-17: Lightspark has no such rule (spec/flash/9-divergences.md), so port 22 is open to it.
    expect(f.filter((x) => compat(x.id)).map((x) => `${x.severity} ${x.id} ${x.value}`)).toContain('high LINT-COMPAT-GRANTS-UNNAMED lightspark');
    const never = f.find((x) => x.id === 'LINT-RULE-NEVER-APPLIES');
    expect(never).toMatchObject({ requirement: 'FLASH-SOCK-7' });
    expect(never?.message).toContain('socket connections to ports 22');
  });

  it('FLASH-URL-7: grants of a file served with a Content-Type the client rejects', () => {
    const f = lintText(flash('  <allow-access-from domain="*"/>'), { servedFrom: 'https://www.example.com/crossdomain.xml', contentType: 'application/json' });
    expect(f.map((x) => x.id)).toEqual(expect.arrayContaining(['LINT-SERVE-CONTENT-TYPE', 'LINT-RULE-NEVER-APPLIES']));
    expect(f.map((x) => x.id)).not.toContain('LINT-DOMAIN-ANY');
  });

  it('SL-GRAM-9: a Silverlight uri="*" whose grant-to is empty', () => {
    const f = lintText(sl('        <domain uri="*"/>', ''), { servedFrom: 'https://www.example.com/clientaccesspolicy.xml' });
    expect(f.filter((x) => x.severity === 'high')).toEqual([]);
    expect(f.find((x) => x.id === 'LINT-RULE-NEVER-APPLIES')).toMatchObject({ severity: 'low', requirement: 'SL-GRAM-9' });
    expect(f.find((x) => x.id === 'LINT-RULE-NEVER-APPLIES')?.message).toContain('LINT-SL-DOMAIN-ANY');
  });

  it('SL-SOCK-11: socket grants in a policy served over HTTP, and resources in one served on 943', () => {
    const sockets = sl('        <domain uri="*"/>', '        <socket-resource port="4502-4534" protocol="tcp"/>');
    expect(lintText(sockets, { servedFrom: 'https://www.example.com/clientaccesspolicy.xml' }).find((x) => x.id === 'LINT-RULE-NEVER-APPLIES')).toMatchObject({ requirement: 'SL-SOCK-11' });
    const both = sl('        <domain uri="*"/>', '        <resource path="/" include-subpaths="true"/>\n        <socket-resource port="4502" protocol="tcp"/>');
    const f = lintText(both, { servedFrom: 'xmlsocket://game.example.com:943' });
    expect(f.map((x) => x.id)).not.toContain('LINT-SL-WHOLE-SITE');
    expect(f.find((x) => x.id === 'LINT-RULE-NEVER-APPLIES')?.message).toContain('<resource path="/" include-subpaths="true"/> never applies');
  });

  it('a Silverlight policy granting only sockets is inferred as served on port 943', () => {
    const { context } = resolveLintContext(sl('        <domain uri="*"/>', '        <socket-resource port="4502" protocol="tcp"/>'));
    expect(context).toMatchObject({ kind: 'socket', port: 943 });
  });
});

describe('LINT-3: a dropped element says what it would have granted', () => {
  it('Flash: an allow-access-from voided by secure="yes"', () => {
    const f = lintText(flash('  <allow-access-from domain="*" to-ports="80" secure="yes"/>'), { servedFrom: SOCK }).find((x) => x.id === 'LINT-PARSE-VOIDED');
    expect(f?.message).toContain('It would have granted SWFs from any site socket connections to ports 80.');
  });

  it('Silverlight: a policy voided by an attribute', () => {
    const text = sl('        <domain uri="*"/>', '        <resource path="/api/" include-subpaths="true"/>').replace('<policy>', '<policy id="1">');
    const f = lintText(text, { servedFrom: 'https://www.example.com/clientaccesspolicy.xml' }).find((x) => x.id === 'LINT-PARSE-VOIDED');
    expect(f?.message).toContain('It would have granted XAPs from any site access to the paths /api/ (and below).');
  });
});
