/**
 * `xdpolicy certify`, run in-process as the CLI: the exit-status contract (0/1/2/3), `--list` and
 * `--cases`, `--json -` carrying only JSON on stdout, the JUnit/HTML/record files, and `--expect`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { decide } from '../src/decision/decide.js';
import { startFixture, type Fixture } from '../conformance/test-support/servers.js';
import { matchCasePattern } from '../conformance/model.js';
import { parseExpectations } from '../conformance/expect.js';
import { parseCertifyTarget } from '../conformance/target.js';
import { parsePolicyLocation, worldKeyReading } from '../src/world/locations.js';
import { captureIO } from '../cli/test-support/capture.js';


const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-certify-'));
let good: Fixture;
let onConnect: Fixture;
beforeAll(async () => {
  [good, onConnect] = await Promise.all([startFixture('good', { idleMs: 1500 }), startFixture('on-connect')]);
});
afterAll(async () => {
  await Promise.all([good.close(), onConnect.close()]);
});

async function certify(args: string[]) {
  const io = captureIO(dir);
  const code = await main(['certify', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('certify: usage errors exit 2', () => {
  for (const args of [
    ['--client', 'java', 'xmlsocket://127.0.0.1:843'],
    ['ftp://example.com/crossdomain.xml'],
    ['xmlsocket://127.0.0.1'],
    ['--timeout', 'soon', 'xmlsocket://127.0.0.1:843'],
    ['--load', '-3', 'xmlsocket://127.0.0.1:843'],
    ['--no-such-flag'],
    ['--cases', 'nothing/matches/this', 'xmlsocket://127.0.0.1:843'],
    ['--expect', 'missing-file.json', 'xmlsocket://127.0.0.1:843'],
  ]) {
    it(`exit 2 for ${args.join(' ')}`, async () => {
      const r = await certify(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/xdpolicy certify: /);
    });
  }

  it('exit 2 for an expectations file that names no ports or URLs (WIRE-POL-3)', async () => {
    writeFileSync(join(dir, 'bad-expect.json'), JSON.stringify({ rules: [{ origins: ['http://a.example/x.swf'], expect: 'allow' }] }));
    const r = await certify(['--expect', 'bad-expect.json', good.url]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/rules\[0\] needs "ports" or "urls"/);
  });

  it('exit 2 naming it for an unknown finding ID in "accept" (a typo would accept nothing, silently)', async () => {
    writeFileSync(join(dir, 'typo-expect.json'), JSON.stringify({ accept: ['LINT-DOMAIN-ANY', 'LINT-DOMAN-ANY'], rules: [] }));
    const r = await certify(['--expect', 'typo-expect.json', good.url]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("xdpolicy certify: --expect typo-expect.json: accept[1]: 'LINT-DOMAN-ANY' is not a finding ID of the lint catalogue (spec/lint.md)\n");
  });
});

describe('certify: listing and selecting cases', () => {
  it('--list prints every case with its level and requirement', async () => {
    const r = await certify(['--list']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wire\/flash\/exact-request\s+MUST\s+WIRE-REQ-1/m);
    expect(r.out).toMatch(/^flash\/response\/nothing-after-nul\s+SHOULD\s+WIRE-RESP-2/m);
    expect(r.out).toMatch(/^http\/content-type\s+MUST\s+WIRE-HTTP-2/m);
  });

  it('--cases selects by ID prefix or glob', async () => {
    const r = await certify(['--list', '--cases', 'wire/silverlight']);
    const ids = r.out.trim().split('\n').slice(0, -1).map((l) => l.split(/\s+/)[0]);
    expect(ids.length).toBeGreaterThan(5);
    expect(ids.every((id) => id!.startsWith('wire/silverlight/'))).toBe(true);
    expect(matchCasePattern('flash/response/nul-terminator', '*/response/*')).toBe(true);
    expect(matchCasePattern('flash/responses', 'flash/response')).toBe(true);
    expect(matchCasePattern('silverlight/policy/valid', 'flash/*')).toBe(false);
  });
});

describe('certify: exit statuses against live servers', () => {
  it('exit 3 when nothing listens at the target', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as { port: number }).port;
    await new Promise((r) => s.close(r));
    const r = await certify([`xmlsocket://127.0.0.1:${port}`, '--timeout', '1000']);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/could not be tested/);
  });

  it('exit 0 for a conforming server (selected cases), inferring the client by probing both requests (WIRE-REQ-1)', async () => {
    const r = await certify([good.url, '--cases', 'wire/flash/exact-request,flash/response', '--timeout', '1000']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/tested as Flash \(probed both requests/);
    expect(r.out).toMatch(/CERTIFIED/);
  });

  it('exit 1 for a server that answers on connect, with expected vs actual and the requirement (WIRE-RESP-4)', async () => {
    const r = await certify([onConnect.url, '--cases', 'flash/response', '--timeout', '1000']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL flash\/response\/waits-for-request/);
    expect(r.out).toMatch(/Requirement: The server MUST NOT send the policy before it has received the request\./);
    expect(r.out).toMatch(/Expected: +no byte before the request/);
    expect(r.out).toMatch(/Actual: +\d+ bytes arrived/);
  });
});

describe('certify: reports', () => {
  it('--json - puts the JSON document alone on stdout; progress and summary go to stderr', async () => {
    const r = await certify([onConnect.url, '--client', 'flash', '--cases', 'flash/response,wire/flash/exact-request', '--timeout', '1000', '--json', '-']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc.tool).toBe('xdpolicy certify');
    expect(doc.exitCode).toBe(1);
    expect(doc.results.find((x: { id: string }) => x.id === 'flash/response/waits-for-request').verdict.status).toBe('fail');
    expect(r.err).toMatch(/FAIL flash\/response\/waits-for-request/);
  });

  it('--junit, --html and --record write their files; the record reproduces the verdicts with decide (WIRE-POL-3)', async () => {
    const expectFile = join(dir, 'expect.json');
    writeFileSync(
      expectFile,
      JSON.stringify({
        rules: [
          { client: 'flash', origins: ['http://www.example.com/app.swf'], ports: [4502], expect: 'allow' },
          { client: 'flash', origins: ['http://evil.example/x.swf'], ports: ['4502-4503'], expect: 'deny' },
        ],
      }),
    );
    const r = await certify([good.url, '--client', 'flash', '--cases', 'flash/', '--timeout', '1000', '--expect', 'expect.json', '--junit', 'r.xml', '--html', 'r.html', '--record', 'world.json']);
    expect(r.err).toMatch(/wrote --junit r.xml/);
    const junit = readFileSync(join(dir, 'r.xml'), 'utf8');
    expect(junit).toMatch(/^<\?xml/);
    expect(junit).toMatch(/<testsuite name="xmlsocket:\/\/127\.0\.0\.1:\d+ \(flash\)"/);
    expect(junit).toMatch(/<testcase classname="[^"]+" name="flash\/policy\/expectations: /);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toMatch(/<table class="matrix">/);
    expect(html).toMatch(/flash\/policy\/valid/);
    expect(html).not.toMatch(/<script/);
    const world = JSON.parse(readFileSync(join(dir, 'world.json'), 'utf8'));
    const url = good.url;
    expect(world[url].body).toMatch(/<cross-domain-policy>[\s\S]*\u0000$/);
    // The answer of a non-standard port is also recorded at 843, where it will be deployed.
    expect(world['xmlsocket://127.0.0.1:843'].body).toBe(world[url].body);
    expect(decide({ client: 'flash', origin: 'http://www.example.com/app.swf', target: 'socket://127.0.0.1:4502' }, world).decision).toBe('allow');
    expect(decide({ client: 'flash', origin: 'http://evil.example/x.swf', target: 'socket://127.0.0.1:4502' }, world).decision).toBe('deny');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/PASS|CERTIFIED/);
  });

  it('an expectation the served policy contradicts fails certification (WIRE-POL-3)', async () => {
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ rules: [{ client: 'flash', origins: ['http://evil.example/x.swf'], ports: [4502], expect: 'allow' }] }));
    const r = await certify([good.url, '--client', 'flash', '--cases', 'flash/policy/expectations', '--timeout', '1000', '--expect', 'wrong.json']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/http:\/\/evil\.example\/x\.swf → socket:\/\/127\.0\.0\.1:4502: deny, expected allow/);
  });
});

describe('certify: targets and expectations parsing', () => {
  it('parses xmlsocket and http(s) targets, defaulting the path to /crossdomain.xml', () => {
    expect(parseCertifyTarget('xmlsocket://example.com:843')).toEqual({ ok: true, value: { kind: 'socket', host: 'example.com', port: 843, key: 'xmlsocket://example.com:843' } });
    expect(parseCertifyTarget('https://example.com')).toMatchObject({ ok: true, value: { kind: 'url', port: 443, path: '/crossdomain.xml', key: 'https://example.com/crossdomain.xml' } });
    expect(parseCertifyTarget('http://[::1]:8080/clientaccesspolicy.xml')).toMatchObject({ ok: true, value: { kind: 'url', host: '[::1]', port: 8080 } });
    expect(parseCertifyTarget('gopher://x')).toMatchObject({ ok: false, reason: expect.stringContaining('xmlsocket://host:port') });
    expect(parseCertifyTarget('xmlsocket://example.com')).toMatchObject({ ok: false, reason: expect.stringContaining('843 for Flash') });
  });

  it('a target is the core\'s policy location: the same normalised key a world snapshot uses', () => {
    for (const text of ['xmlsocket://[0:0:0:0:0:0:0:1]:943', 'XMLSOCKET://Example.COM:843', 'HTTPS://Example.com:443/crossdomain.xml', 'http://127.1:8080/clientaccesspolicy.xml']) {
      expect(parseCertifyTarget(text)).toEqual({ ok: true, value: parsePolicyLocation(text, worldKeyReading()) });
    }
    expect(parseCertifyTarget('xmlsocket://[0:0:0:0:0:0:0:1]:943')).toMatchObject({ ok: true, value: { host: '[::1]', key: 'xmlsocket://[::1]:943' } });
    // What the core refuses as a location, certify refuses too.
    expect(parseCertifyTarget('http://user:pw@example.com/crossdomain.xml')).toMatchObject({ ok: false, reason: expect.stringContaining('credentials') });
    expect(parseCertifyTarget('http://example.com/crossdomain.xml?x=1')).toMatchObject({ ok: false, reason: expect.stringContaining('query') });
  });

  it('rejects malformed expectations with a message naming the rule', () => {
    expect(parseExpectations('{')).toHaveProperty('error');
    expect(parseExpectations(JSON.stringify({ rules: [{ origins: ['x'], ports: [1], expect: 'allow' }] }))).toEqual({ error: expect.stringMatching(/rules\[0\]\.origins: 'x' is not a URL/) });
    expect(parseExpectations(JSON.stringify({ rules: [{ origins: ['http://a/x'], ports: ['9-2'], expect: 'deny' }] }))).toEqual({ error: expect.stringMatching(/rules\[0\]\.ports/) });
    expect(parseExpectations(JSON.stringify({ rules: [{ origins: ['http://a/x'], ports: ['4502-4534'], expect: 'deny' }] }))).not.toHaveProperty('error');
  });
});
