/**
 * A policy of 62,000 granting rules (2.7 MB) is inside every parse limit (DEFAULT_XML_LIMITS: 4 MiB,
 * 100,000 elements). Everything that handles a parsed policy must handle it: `lintText` threw
 * `RangeError: Maximum call stack size exceeded` from `findings.push(...lint())` on it, and the
 * CLI printed the stack trace.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { parseFlashPolicy } from '../src/flash/parse.js';
import { serializeFlashPolicy } from '../src/flash/serialize.js';
import { lintText } from '../src/lint/lint.js';
import { captureIO } from '../cli/test-support/capture.js';

const RULES = 62_000;
const rules: string[] = ['<cross-domain-policy>'];
for (let i = 0; i < RULES; i++) rules.push('  <allow-access-from domain="*" to-ports="*"/>');
rules.push('</cross-domain-policy>', '');
const POLICY = rules.join('\n');

describe('a policy of 62,000 granting rules', { timeout: 60_000 }, () => {
  it('LINT-5: lintText reports every rule instead of overflowing the stack', () => {
    expect(POLICY.length).toBeGreaterThan(2_700_000);
    const findings = lintText(POLICY, { servedFrom: 'xmlsocket://game.example.com:843' });
    expect(findings.filter((f) => f.id === 'LINT-DOMAIN-ANY')).toHaveLength(RULES);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('LINT-5 LINT-6: xdpolicy lint prints the findings and exits 1, with nothing on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-large-'));
    writeFileSync(join(dir, 'socket.xml'), POLICY);
    const io = captureIO(dir);
    const code = await main(['lint', 'socket.xml', '--served-from', 'xmlsocket://game.example.com:843', '--json'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(1);
    const json = JSON.parse(io.out()) as { findings: { id: string }[] };
    expect(json.findings.filter((f) => f.id === 'LINT-DOMAIN-ANY')).toHaveLength(RULES);
  });

  it('FLASH-XML-5: the serializer writes every rule back', () => {
    const parsed = parseFlashPolicy(POLICY, { kind: 'socket', master: true });
    expect(parsed.policy?.allowAccessFrom).toHaveLength(RULES);
    const text = serializeFlashPolicy(parsed.policy!);
    expect(text.split('<allow-access-from ').length - 1).toBe(RULES);
  });
});
