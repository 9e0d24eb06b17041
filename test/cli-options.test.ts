/**
 * Option errors are spelled one way in every command (cli/options.ts), and a value out of range
 * is refused in words naming the option and the value: `--timeout -5` is read as a value and
 * refused, never Node's "argument is ambiguous".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { captureIO } from '../cli/test-support/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'xdpolicy-options-'));
writeFileSync(join(dir, 'f.xml'), '<cross-domain-policy>\n  <allow-access-from domain="a.example" to-ports="5000"/>\n</cross-domain-policy>\n');

async function run(args: string[]) {
  const io = captureIO(dir);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const DECIDE = ['--origin', 'http://a.example/a.swf', '--target', 'socket://b.example:5000', '--policy', 'f.xml'];

describe('option errors, in words, the same in every command', () => {
  it.each([
    [['serve', '--flash', 'f.xml', '--flash-port', '-1'], "xdpolicy serve: --flash-port '-1' is not a whole number from 0 to 65535\n"],
    [['serve', '--flash', 'f.xml', '--http-port', '70000'], "xdpolicy serve: --http-port '70000' is not a whole number from 0 to 65535\n"],
    [['serve', '--flash', 'f.xml', '--timeout', '-5'], "xdpolicy serve: --timeout '-5' is not a whole number from 1 to 3600000\n"],
    [['certify', '--timeout', '-5'], "xdpolicy certify: --timeout '-5' is not a whole number from 100 to 600000\n"],
    [['certify', '--load', '-5'], "xdpolicy certify: --load '-5' is not a whole number from 1 to 1000000\n"],
    [['certify', '--load=1e3'], "xdpolicy certify: --load '1e3' is not a whole number from 1 to 1000000\n"],
  ])('a number out of range: %j', async (args, message) => {
    const r = await run(args);
    expect(r.err).toBe(message);
    expect(r.code).toBe(2);
  });

  it.each([
    ['xmlsocket://127.0.0.1:70000', "target 'xmlsocket://127.0.0.1:70000': port 70000 is outside 1-65535"],
    ['http://127.0.0.1:70000/crossdomain.xml', "target 'http://127.0.0.1:70000/crossdomain.xml': port 70000 is outside 1-65535"],
    ['https://[::1]:65536/clientaccesspolicy.xml', "target 'https://[::1]:65536/clientaccesspolicy.xml': port 65536 is outside 1-65535"],
    ['http://127.0.0.1:http/crossdomain.xml', "target 'http://127.0.0.1:http/crossdomain.xml': 'http' is not a port number"],
  ])('a target port out of range names the port, not "not a URL": %s', async (target, message) => {
    const r = await run(['certify', target]);
    expect(r.err).toContain(`xdpolicy certify: ${message};`);
    expect(r.err).not.toContain('not a valid URL');
    expect(r.code).toBe(2);
  });

  const commands: { name: string; args: string[]; valueOption: string[]; choice: string[]; twice?: string[] }[] = [
    { name: 'decide', args: [...DECIDE, '--client', 'flash'], valueOption: [...DECIDE, '--client'], choice: [...DECIDE, '--client', 'opera'], twice: [...DECIDE, '--client', 'flash', '--client', 'flash'] },
    { name: 'lint', args: ['f.xml'], valueOption: ['f.xml', '--client'], choice: ['f.xml', '--client', 'opera'], twice: ['f.xml', '--client', 'flash', '--client', 'silverlight'] },
    { name: 'serve', args: ['--flash', 'f.xml'], valueOption: ['--flash', 'f.xml', '--log'], choice: ['--flash', 'f.xml', '--log', 'opera'], twice: ['--flash', 'f.xml', '--host', 'a', '--host', 'b'] },
    { name: 'certify', args: [], valueOption: ['--client'], choice: ['--client', 'opera'], twice: ['--timeout', '100', '--timeout', '200'] },
  ];
  for (const c of commands) {
    it(`${c.name}: unknown option, missing value, a value not among the choices${c.twice ? ', an option given twice' : ''}`, async () => {
      const unknown = await run([c.name, ...c.args, '--no-such-option']);
      expect(unknown.code).toBe(2);
      expect(unknown.err).toMatch(new RegExp(`^xdpolicy ${c.name}: unknown option '--no-such-option'\\n\\nusage: xdpolicy ${c.name} `));

      const missing = await run([c.name, ...c.valueOption]);
      expect(missing.code).toBe(2);
      expect(missing.err).toBe(`xdpolicy ${c.name}: option ${c.valueOption.at(-1)} needs a value\n`);

      const choice = await run([c.name, ...c.choice]);
      expect(choice.code).toBe(2);
      expect(choice.err).toMatch(new RegExp(`^xdpolicy ${c.name}: ${c.choice.at(-2)} 'opera' is not one of [a-z0-9]+(, [a-z0-9]+)+\\n$`));

      if (c.twice) {
        const twice = await run([c.name, ...c.twice]);
        expect(twice.code).toBe(2);
        expect(twice.err).toBe(`xdpolicy ${c.name}: option ${c.twice.at(-2)} is given twice\n`);
      }
    });
  }

  it('an option that takes a value does not swallow the next option: certify --json --list', async () => {
    const r = await run(['certify', '--json', '--list']);
    expect(r.err).toBe('xdpolicy certify: option --json needs a value\n');
    expect(r.code).toBe(2);
  });

  it('demo takes no option: an unknown one is a usage error, not ignored', async () => {
    const r = await run(['demo', '--fast']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^xdpolicy demo: unknown option '--fast'\n\nusage: xdpolicy demo\n/);
  });
});
