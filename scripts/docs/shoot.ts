/**
 * Screenshot helper for reviewing the built site:
 * `tsx scripts/docs/shoot.ts PAGE OUT.png [--full] [--width N]` with PAGE relative to docs/site/
 * (e.g. `spec/flash/6-sockets.html#FLASH-SOCK-7`).
 *
 * @module
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.js';
import { serveStatic } from './static-server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const [page, out] = args.filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
if (!page || !out) {
  process.stderr.write('usage: tsx scripts/docs/shoot.ts PAGE OUT.png [--full] [--width N]\n');
  process.exit(2);
}
const wi = args.indexOf('--width');
const width = wi >= 0 ? Number(args[wi + 1]) : 1280;
const site = await serveStatic(join(root, 'docs', 'site'));
const browser = await launchChromium();
try {
  const p = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await p.goto(site.url + page);
  await p.waitForTimeout(300);
  await p.screenshot({ path: out, fullPage: args.includes('--full') });
  if (errors.length) process.stderr.write(`page errors:\n${errors.join('\n')}\n`);
} finally {
  await browser.close();
  await site.close();
}
