import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { captureIO } from './test-support/capture.js';

describe('xdpolicy (no command)', () => {
  it('--version prints the version of package.json, from source as from dist/', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const io = captureIO(process.cwd());
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out()).toBe(`${version}\n`);
  });
});
