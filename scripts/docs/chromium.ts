/**
 * Launching Debian's Chromium through playwright-core (playwright's own browser download cannot
 * work on these machines). Shared by the browser test and the screenshot helper.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package installs the browser; `CHROMIUM` overrides it. */
export const CHROMIUM_PATH = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

/** True when the browser binary is there. */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * Headless Chromium with no sandbox (CI runs as root) and nothing that reaches out to the
 * network on its own: this machine's network is closed, and background fetches only fail noisily.
 * playwright gives every launch a fresh, empty profile directory of its own.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
