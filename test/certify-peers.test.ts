/**
 * Proof on real peers: the bundled reference server is certified (what `npm start` runs), and npm
 * `policyfile` 0.0.6 — run as deployed, in its own process — fails for its real faults: it answers
 * before the request, sends no NUL, is wide open by default, and under `--load` keeps a descriptor
 * per connection until it answers nothing (shown with a lowered `ulimit -n` in the child).
 * Loopback only; the load is modest (600 connections) and every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import type { CertifyReport } from '../conformance/run.js';
import { captureIO } from '../cli/test-support/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-peers-'));


async function certifyJson(args: string[]): Promise<{ code: number; report: CertifyReport; err: string }> {
  const io = captureIO(dir);
  const code = await main(['certify', ...args, '--json', '-'], io);
  return { code, report: JSON.parse(io.out()) as CertifyReport, err: io.err() };
}

const statusOf = (r: CertifyReport, id: string): string | undefined => r.results.find((x) => x.id === id)?.verdict.status;

/** Starts npm policyfile as deployed (`createServer().listen(port)`), in a child with `ulimit -n 256`. */
async function startPolicyfile(): Promise<{ port: number; child: ChildProcess }> {
  const entry = createRequire(import.meta.url).resolve('policyfile');
  const script = join(dir, 'policyfile-server.cjs');
  writeFileSync(
    script,
    [
      // Node 20 dropped process.EventEmitter, which some policyfile releases read; 0.0.6 does not, the shim is harmless.
      "process.EventEmitter = process.EventEmitter || require('events').EventEmitter;",
      `const server = require(${JSON.stringify(entry)}).createServer();`,
      "server.listen(0, () => console.log('PORT ' + server.socket.address().port));",
    ].join('\n'),
  );
  const child = spawn('sh', ['-c', `ulimit -n 256; exec "${process.execPath}" "${script}"`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('policyfile did not start within 10 s')), 10_000);
    let text = '';
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      const m = /PORT (\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`policyfile exited with ${code}`)));
  });
  return { port, child };
}

describe('the bundled reference server', () => {
  it('is certified with no URL given — what `npm start` runs (WIRE-REQ-1, WIRE-REQ-3, WIRE-RESP-1, WIRE-RESP-4, WIRE-POL-1, WIRE-CONN-2)', async () => {
    const { code, report } = await certifyJson([]);
    const failed = report.results.filter((r) => r.verdict.status === 'fail' || r.verdict.status === 'error').map((r) => `${r.id} ${r.target}: ${r.verdict.actual}`);
    expect(failed, failed.join('\n')).toEqual([]);
    expect(code).toBe(0);
    expect(report.targets.map((t) => t.clients[0])).toEqual(['flash', 'flash', 'silverlight', 'silverlight']);
    expect(statusOf(report, 'wire/flash/split-bytewise')).toBe('pass');
    expect(statusOf(report, 'flash/response/nul-terminator')).toBe('pass');
    expect(statusOf(report, 'flash/response/waits-for-request')).toBe('pass');
    expect(statusOf(report, 'wire/silverlight/exact-request')).toBe('pass');
    // The default policy's grants, decided over what the server answered.
    const flashMatrix = report.matrices.find((m) => m.client === 'flash' && m.target.startsWith('xmlsocket:'))!;
    const cell = (origin: string, port: string) => flashMatrix.rows[flashMatrix.origins.indexOf(origin)]![flashMatrix.columns.indexOf(port)]!.decision;
    expect(cell('http://www.example.com/app.swf', '4502')).toBe('allow');
    expect(cell('http://evil.example/attack.swf', '4502')).toBe('deny');
    expect(cell('http://www.example.com/app.swf', '80')).toBe('deny');
  });
});

describe('npm policyfile 0.0.6, run as deployed', () => {
  let peer: { port: number; child: ChildProcess };
  beforeAll(async () => {
    peer = await startPolicyfile();
    writeFileSync(
      join(dir, 'expect.json'),
      JSON.stringify({ rules: [{ client: 'flash', origins: ['http://evil.example/attack.swf'], ports: [4502, 8080], expect: 'deny' }] }),
    );
  });
  afterAll(() => {
    peer?.child.kill('SIGTERM');
  });

  it('fails: answers before the request (WIRE-RESP-4), no NUL (WIRE-RESP-1), wide open by default (WIRE-POL-2, WIRE-POL-3)', async () => {
    const { code, report } = await certifyJson([`xmlsocket://127.0.0.1:${peer.port}`, '--client', 'flash', '--timeout', '2000', '--expect', 'expect.json', '--cases', 'flash/,wire/flash/exact-request,wire/flash/http-request']);
    expect(code).toBe(1);
    expect(statusOf(report, 'flash/response/waits-for-request')).toBe('fail');
    expect(statusOf(report, 'flash/response/nul-terminator')).toBe('fail');
    expect(statusOf(report, 'flash/policy/expectations')).toBe('fail');
    // WIRE-POL-2: its default domain="*" to-ports="*" carries high-severity lint findings.
    expect(statusOf(report, 'flash/policy/lint')).toBe('fail');
    expect(report.results.find((r) => r.id === 'flash/policy/lint')!.verdict.actual).toMatch(/^high /);
    expect(report.results.find((r) => r.id === 'flash/policy/expectations')!.verdict.actual).toMatch(/evil\.example.*allow, expected deny/);
    // It answers anything with its policy (a SHOULD: a warning, not a failure).
    expect(statusOf(report, 'wire/flash/http-request')).toBe('warn');
    // What it does right: the exact request gets a parseable policy.
    expect(statusOf(report, 'wire/flash/exact-request')).toBe('pass');
    expect(statusOf(report, 'flash/policy/valid')).toBe('pass');
  });

  it('fails the soak: it keeps a descriptor per connection and then answers nothing (WIRE-CONN-4)', async () => {
    const { code, report } = await certifyJson([`xmlsocket://127.0.0.1:${peer.port}`, '--client', 'flash', '--timeout', '2000', '--cases', 'load/', '--load', '600', '--load-concurrency', '20']);
    expect(code).toBe(1);
    const soak = report.results.find((r) => r.id === 'load/flash/soak')!;
    expect(soak.verdict.status).toBe('fail');
    const d = soak.verdict.details as { ok: number; connections: number; afterOk: boolean };
    expect(d.connections).toBe(600);
    expect(d.ok).toBeLessThan(600);
    expect(d.afterOk).toBe(false);
  });
});

describe('the reference server under the same soak', () => {
  it('passes it: every connection gets the whole policy and it still answers (WIRE-CONN-4)', async () => {
    const { startPolicyServer } = await import('../src/server/index.js');
    const { DEFAULT_FLASH_SOCKET_POLICY } = await import('../cli/certify.js');
    const server = await startPolicyServer({ host: '127.0.0.1', flash: { policy: DEFAULT_FLASH_SOCKET_POLICY, port: 0 } });
    try {
      const port = server.listeners[0]!.port;
      const { code, report } = await certifyJson([`xmlsocket://127.0.0.1:${port}`, '--client', 'flash', '--cases', 'load/', '--load', '600', '--load-concurrency', '20']);
      const soak = report.results.find((r) => r.id === 'load/flash/soak')!;
      expect(soak.verdict.status, soak.verdict.actual).toBe('pass');
      expect(code).toBe(0);
    } finally {
      await server.close();
    }
  });
});
