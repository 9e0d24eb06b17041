import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { captureIO } from './test-support/capture.js';

describe('xdpolicy demo', () => {
  it('FLASH-SOCK-4 FLASH-SOCK-7 FLASH-DOM-3 FLASH-META-3 tours the examples and gets every expected verdict', async () => {
    const io = captureIO(process.cwd());
    const code = await main(['demo'], io);
    const out = io.out();
    expect(code).toBe(0);
    expect(out).toMatch(/(\d+)\/\1 example decisions as the corpus expects/);
    expect(out).toContain('FLASH-SOCK-7');
    expect(out).toContain('FLASH-META-3');
    expect(out).toContain('ALLOW: the master socket policy grants port 5000');
  });
});
