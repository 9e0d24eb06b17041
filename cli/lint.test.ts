import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../src/lint/catalogue.js';
import { main } from './main.js';
import { POLICY_FILE_LIMIT } from './read.js';
import { captureIO } from './test-support/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-lint-'));
const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return name;
};
const X = '<?xml version="1.0"?>\n';
const open = write('crossdomain.xml', `${X}<cross-domain-policy>\n  <allow-access-from domain="*"/>\n</cross-domain-policy>\n`);
const tight = write('tight.xml', `${X}<cross-domain-policy>\n  <allow-access-from domain="www.example.com"/>\n</cross-domain-policy>\n`);
const socket = write('socket.xml', `${X}<cross-domain-policy>\n  <allow-access-from domain="www.example.com" to-ports="900-1100"/>\n</cross-domain-policy>\n`);
const silver = write('clientaccesspolicy.xml', `${X}<access-policy><cross-domain-access><policy><allow-from><domain uri="https://*"/></allow-from><grant-to><resource path="/api/"/></grant-to></policy></cross-domain-access></access-policy>\n`);

async function run(args: string[], env: Record<string, string | undefined> = {}, tty = false, stdin?: string): Promise<{ code: number; out: string; err: string }> {
  const captured = captureIO(dir, { env, tty });
  const io = stdin === undefined ? captured : { ...captured, stdin: Readable.from([Buffer.from(stdin)]) };
  const code = await main(['lint', ...args], io);
  const out = captured.out();
  const err = captured.err();
  return { code, out, err };
}

describe('xdpolicy lint (CLI contract, spec/lint.md)', () => {
  it('LINT-6, LINT-7 (LINT-DOMAIN-ANY): exits 1 at the default --fail-on medium and prints the finding grouped under HIGH', async () => {
    const r = await run([open]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^HIGH \(1\)\n {2}crossdomain\.xml:3:3 {2}LINT-DOMAIN-ANY/m);
    expect(r.out).toMatch(/INFO \(1\)[\s\S]*LINT-CONTEXT-INFERRED/);
  });
  it('LINT-6: exits 0 when nothing reaches --fail-on; --fail-on info makes an info finding fail', async () => {
    // Lightspark lets HTTP SWFs read an HTTPS file (LINT-COMPAT-GRANTS-MORE, medium): this test is about the reference's findings.
    expect((await run([tight, '--served-from', 'https://www.example.com/crossdomain.xml', '--clients', 'none'])).code).toBe(0);
    expect((await run([tight, '--fail-on', 'info'])).code).toBe(1);
    expect((await run([open, '--fail-on=error'])).code).toBe(0);
  });
  it('LINT-4 (LINT-PORT-UNREACHABLE): --served-from fixes the kind and port (FLASH-SOCK-7)', async () => {
    const r = await run([socket, '--served-from', 'xmlsocket://game.example.com:5000', '--json']);
    const json = JSON.parse(r.out) as { files: string[]; findings: Record<string, unknown>[] };
    expect(json.files).toEqual([socket]);
    expect(json.findings.map((f) => f['id'])).toContain('LINT-PORT-UNREACHABLE');
    expect(json.findings.map((f) => f['id'])).not.toContain('LINT-CONTEXT-INFERRED');
  });
  it('LINT-7: --json prints exactly the contract keys, with the file of each finding', async () => {
    const r = await run([open, silver, '--json']);
    const json = JSON.parse(r.out) as { files: string[]; findings: Record<string, unknown>[] };
    expect(Object.keys(json)).toEqual(['files', 'findings']);
    expect(json.files).toEqual([open, silver]);
    for (const f of json.findings) {
      const keys = Object.keys(f);
      expect(keys).toEqual(expect.arrayContaining(['id', 'severity', 'message', 'line', 'column', 'value', 'file', 'remediation']));
      for (const k of keys) expect(['id', 'severity', 'message', 'line', 'column', 'value', 'file', 'remediation', 'requirement', 'cwe', 'fix']).toContain(k);
    }
    expect(json.findings.find((f) => f['id'] === 'LINT-SL-SCHEME-WILDCARD')?.['file']).toBe(silver);
    expect(r.code).toBe(1);
  });
  it('LINT-CONTEXT-CLIENT: --client flash on a Silverlight file says Flash never reads it', async () => {
    const r = await run([silver, '--client', 'flash', '--json']);
    expect(r.out).toContain('LINT-CONTEXT-CLIENT');
  });
  it('LINT-7: colours on a TTY, not with NO_COLOR set, not when piped', async () => {
    expect((await run([open], {}, true)).out).toContain('\u001b[');
    expect((await run([open], { NO_COLOR: '1' }, true)).out).not.toContain('\u001b[');
    expect((await run([open], {}, false)).out).not.toContain('\u001b[');
  });
  it.each([
    [['missing.xml'], /cannot read 'missing.xml': no such file/],
    [[], /no FILE given/],
    [[open, '--client', 'opera'], /--client 'opera'/],
    [[open, '--fail-on', 'critical'], /--fail-on 'critical'/],
    [[open, '--served-from', 'gopher://h/'], /scheme 'gopher:'/],
    [[open, '--served-from'], /--served-from needs a value/],
    [[open, '--frobnicate'], /unknown option '--frobnicate'/],
  ])('LINT-6: usage error %j exits 2 with a message naming it', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });
  it('--help prints the usage and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: xdpolicy lint FILE\.\.\./);
  });
});

describe('issue 15: findings an operator can act on', () => {
  const HTTPS = 'https://www.example.com/crossdomain.xml';
  const many = write(
    'many.xml',
    `${X}<cross-domain-policy>\n  <allow-http-request-headers-from domain="www.example.com" headers="*"/>\n  <allow-access-from domain="www.example.com" secure="false"/>\n  <allow-access-from domain="api.example.com" secure="false"/>\n  <allow-access-from domain="img.example.com" secure="false"/>\n  <allow-access-from domain="*"/>\n  <allow-access-from domain="widgets.partner-cdn.net"/>\n  <allow-access-from domain="http://a.example"/>\n</cross-domain-policy>\n`,
  );

  it('LINT-11: --format sarif validates against the SARIF 2.1.0 schema, with rules, locations and fingerprints', async () => {
    const r = await run([many, silver, '--format', 'sarif', '--served-from', HTTPS, '--trusted', 'www.example.com']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.out) as { version: string; runs: { tool: { driver: { rules: { id: string; help: { text: string }; properties: { tags: string[]; requirements: string[] } }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[]; partialFingerprints: Record<string, string>; fixes?: unknown[] }[] }[] };
    const schema = JSON.parse(readFileSync(new URL('../test/data/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object;
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    (addFormatsPlugin as unknown as (a: Ajv) => void)(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.version).toBe('2.1.0');
    const run0 = log.runs[0]!;
    // Every check is a rule, with its help text, CWE tag and requirements.
    expect(run0.tool.driver.rules.map((x) => x.id)).toEqual(CHECKS.map((c) => c.id));
    const any = run0.tool.driver.rules.find((x) => x.id === 'LINT-DOMAIN-ANY')!;
    expect(any.help.text).toContain('Name the sites that need access');
    expect(any.properties.tags).toContain('external/cwe/cwe-942');
    expect(any.properties.requirements).toContain('FLASH-DOM-1');
    const star = run0.results.find((x) => x.ruleId === 'LINT-DOMAIN-ANY')!;
    expect(star.level).toBe('error');
    expect(star.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'many.xml' }, region: { startLine: 7, startColumn: 3 } });
    expect(star.fixes).toHaveLength(1);
    expect(run0.results.some((x) => x.locations[0]!.physicalLocation.artifactLocation.uri === 'clientaccesspolicy.xml')).toBe(true);
  });

  it('LINT-11: fingerprints survive lines added above, and tell repeats apart', async () => {
    const prints = async (name: string): Promise<Map<string, string[]>> => {
      const log = JSON.parse((await run([name, '--format', 'sarif', '--served-from', HTTPS])).out) as { runs: { results: { ruleId: string; partialFingerprints: Record<string, string> }[] }[] };
      const out = new Map<string, string[]>();
      for (const x of log.runs[0]!.results) out.set(x.ruleId, [...(out.get(x.ruleId) ?? []), x.partialFingerprints['xdpolicy/v1']!]);
      return out;
    };
    const original = readFileSync(join(dir, many), 'utf8');
    const name = write('fingerprints.xml', original);
    const before = await prints(name);
    write(name, original.replace('<cross-domain-policy>\n', '<cross-domain-policy>\n  <!-- a comment -->\n\n'));
    const after = await prints(name);
    const secure = before.get('LINT-SECURE-FALSE-HTTPS')!;
    expect(new Set(secure).size).toBe(3);
    expect(after.get('LINT-SECURE-FALSE-HTTPS')).toEqual(secure);
    expect(after.get('LINT-DOMAIN-ANY')).toEqual(before.get('LINT-DOMAIN-ANY'));
  });

  it('LINT-12: text and JSON say what to change, and give the fixed element', async () => {
    const text = await run([many, '--served-from', HTTPS, '--trusted', 'www.example.com,app.example.com']);
    expect(text.out).toContain('to fix: Name the sites that need access');
    expect(text.out).toContain('fixed: <allow-access-from domain="www.example.com"/>\n               <allow-access-from domain="app.example.com"/>');
    const json = JSON.parse((await run([many, '--json', '--served-from', HTTPS, '--trusted', 'www.example.com'])).out) as { findings: { id: string; remediation: string; fix?: { kind: string; replacement: string } }[] };
    for (const f of json.findings) expect(f.remediation, f.id).toMatch(/\S/);
    expect(json.findings.find((f) => f.id === 'LINT-DOMAIN-ANY')?.fix).toMatchObject({ kind: 'trusted-domains', replacement: '<allow-access-from domain="www.example.com"/>' });
    expect(json.findings.find((f) => f.id === 'LINT-SECURE-FALSE-HTTPS')?.fix).toMatchObject({ kind: 'drop-secure-false', replacement: '<allow-access-from domain="www.example.com"/>' });
  });

  it('LINT-13: --fix writes the fixed file, prints a unified diff, and judges the fixed file', async () => {
    const name = write('fixme.xml', `${X}<cross-domain-policy>\n  <allow-access-from domain="www.example.com" secure="false"/>\n  <allow-access-from domain="*"/>\n</cross-domain-policy>\n`);
    // --clients none: the exit status here is the reference's; other clients' readings are LINT-17's tests.
    const r = await run([name, '--fix', '--served-from', HTTPS, '--trusted', 'www.example.com,app.example.com', '--clients', 'none']);
    expect(readFileSync(join(dir, name), 'utf8')).toBe(`${X}<cross-domain-policy>\n  <allow-access-from domain="www.example.com"/>\n  <allow-access-from domain="www.example.com"/>\n  <allow-access-from domain="app.example.com"/>\n</cross-domain-policy>\n`);
    expect(r.out).toBe(
      [
        '--- fixme.xml',
        '+++ fixme.xml (fixed)',
        '@@ -1,5 +1,6 @@',
        ' <?xml version="1.0"?>',
        ' <cross-domain-policy>',
        '-  <allow-access-from domain="www.example.com" secure="false"/>',
        '+  <allow-access-from domain="www.example.com"/>',
        '-  <allow-access-from domain="*"/>',
        '+  <allow-access-from domain="www.example.com"/>',
        '+  <allow-access-from domain="app.example.com"/>',
        ' </cross-domain-policy>',
        '',
      ].join('\n'),
    );
    expect(r.err).toContain('fixme.xml: 2 fixes written');
    // What is left (a shadowed duplicate, low) does not reach --fail-on medium.
    expect(r.code).toBe(0);
    // A file that cannot be written is a usage error naming it, never a stack trace.
    const locked = write('locked.xml', readFileSync(join(dir, open), 'utf8'));
    chmodSync(join(dir, locked), 0o444);
    const refused = await run([locked, '--fix', '--trusted', 'www.example.com']);
    if (process.getuid?.() !== 0) {
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/cannot write the fixed 'locked\.xml': EACCES/);
    }
    const again = await run([name, '--fix', '--served-from', HTTPS]);
    expect(again.out).toBe('');
    expect(again.err).toContain('fixme.xml: nothing to fix');
  });

  it.each([
    [['-', '--fix'], /--fix writes the fixed FILE in place, and '-' \(standard input\) is not a file/],
    [[open, '--fix', '--json'], /--fix prints a diff, not json/],
    [[open, '--format', 'xml'], /--format 'xml' is not one of text, json, sarif/],
    [[open, '--json', '--format', 'sarif'], /--format sarif contradicts --json/],
    [[open, '--trusted', '*'], /--trusted '\*' trusts every site/],
    [[open, '--trusted', 'http://a.example'], /--trusted 'http:\/\/a.example' is not a domain/],
    [[open, '--trusted'], /--trusted needs a value/],
  ])('usage error %j exits 2 with a message naming it', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  it('LINT-14: --trusted marks the expected registered domains', async () => {
    const without = await run([many, '--json', '--served-from', HTTPS]);
    expect(without.out).toContain('"LINT-DOMAIN-REGISTERED"');
    const withTrusted = await run([many, '--json', '--served-from', HTTPS, '--trusted', 'cdn.partner-cdn.net']);
    expect(withTrusted.out).not.toContain('"LINT-DOMAIN-REGISTERED"');
  });

  it('LINT-7: repeats of one check in one file are one entry with their lines; LINT-2: live exposure above dead elements', async () => {
    const r = await run([many, '--served-from', HTTPS, '--clients', 'none']);
    expect(r.out).toMatch(/^ {2}many\.xml {2}LINT-SECURE-FALSE-HTTPS {2}×3 {2}lines 4, 5, 6\n {6}line 4: allow-access-from domain="www\.example\.com" secure="false"/m);
    expect(r.out.match(/LINT-SECURE-FALSE-HTTPS/g)).toHaveLength(1);
    expect(r.out).toMatch(/MEDIUM \(4\)/);
    // The live * grant (HIGH) is listed before the voided element (ERROR).
    expect(r.out.indexOf('HIGH (1)')).toBeGreaterThanOrEqual(0);
    expect(r.out.indexOf('HIGH (1)')).toBeLessThan(r.out.indexOf('ERROR ('));
  });

  it('LINT-7, LINT-17: compatibility findings about different clients are not folded into one entry', async () => {
    // Flash rejects the unclosed file; Lightspark reads its "*" and Gnash reads no policy at all:
    // both grant origins the file never names, and each is reported under its own name.
    const broken = write('broken.xml', `${X}<cross-domain-policy>\n  <allow-access-from domain="*"/>\n`);
    const r = await run([broken]);
    const entries = r.out.split('\n').filter((l) => l.includes('LINT-COMPAT-GRANTS-UNNAMED'));
    expect(entries).toHaveLength(2);
    expect(entries.some((l) => /LINT-COMPAT-GRANTS-UNNAMED {2}lightspark grants/.test(l))).toBe(true);
    expect(entries.some((l) => /LINT-COMPAT-GRANTS-UNNAMED {2}gnash grants/.test(l))).toBe(true);
    expect(r.out).not.toMatch(/LINT-COMPAT-GRANTS-UNNAMED {2}×/);
  });

  it('LINT-7: - reads standard input, named <stdin> in the report', async () => {
    const policy = readFileSync(join(dir, open), 'utf8');
    const r = await run(['-', '--served-from', HTTPS, '--json'], {}, false, policy);
    const json = JSON.parse(r.out) as { files: string[]; findings: { id: string; file: string }[] };
    expect(json.files).toEqual(['<stdin>']);
    expect(json.findings.find((f) => f.id === 'LINT-DOMAIN-ANY')?.file).toBe('<stdin>');
    expect(r.code).toBe(1);
    expect((await run(['-', '-'], {}, false, policy)).err).toMatch(/'-' \(standard input\) is given more than once/);
    // Standard input goes through the same bound as a file.
    const huge = await run(['-'], {}, false, ' '.repeat(POLICY_FILE_LIMIT.maxBytes + 1));
    expect(huge.code).toBe(2);
    expect(huge.err).toMatch(/cannot read 'standard input': is longer than \d+ bytes; the limit for a policy file/);
  });

  it('LINT-15: --served-from given, LINT-CONTEXT-INFERRED is not reported even for a file that is not a policy', async () => {
    const html = write('page.xml', '<html><body/></html>\n');
    expect((await run([html, '--json', '--served-from', HTTPS])).out).not.toContain('LINT-CONTEXT-INFERRED');
    expect((await run([html, '--json'])).out).toContain('LINT-CONTEXT-INFERRED');
  });
});
