import { describe, expect, it } from 'vitest';
import type { CliIO } from './io.js';
import { main } from './main.js';

describe('xdpolicy demo', () => {
  it('FLASH-SOCK-4 FLASH-SOCK-7 FLASH-DOM-3 FLASH-META-3 tours the examples and gets every expected verdict', async () => {
    let out = '';
    const io: CliIO = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: {}, cwd: process.cwd() };
    const code = await main(['demo'], io);
    expect(code).toBe(0);
    expect(out).toMatch(/(\d+)\/\1 example decisions as the corpus expects/);
    expect(out).toContain('FLASH-SOCK-7');
    expect(out).toContain('FLASH-META-3');
    expect(out).toContain('ALLOW: the master socket policy grants port 5000');
  });
});
