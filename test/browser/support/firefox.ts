// Launches Firefox ESR through puppeteer-core over WebDriver BiDi and installs the built extension.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../../scripts/extension-ids.mjs';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export interface FirefoxExtension {
  browser: Browser;
  /** moz-extension://<uuid>/ — pinned through a preference, so tests know it in advance. */
  origin: string;
  openPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchFirefox(extensionDir = 'dist/firefox', prefs: Record<string, string | number | boolean> = {}): Promise<FirefoxExtension> {
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
      ...prefs,
    },
  });
  await browser.installExtension(resolve(extensionDir));
  const origin = `moz-extension://${uuid}/`;
  return {
    browser,
    origin,
    async openPage(path) {
      const page = await browser.newPage();
      const url = `${origin}${path}`;
      // goto on a moz-extension:// URL loads the page but may never resolve: don't wait for it.
      void page.goto(url, { timeout: 0 }).catch(() => undefined);
      // Don't poll inside the page yet: a poll that lands in the about:blank document being replaced fails
      // with a protocol error instead of being retried. The page's URL changes only once the new document
      // has loaded its DOM (BiDi's domContentLoaded), so wait for that here, then poll in that document.
      for (const deadline = Date.now() + 15_000; page.url() !== url; ) {
        if (Date.now() > deadline) throw new Error(`${url} did not load within 15 s (the tab shows ${page.url()})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await page.waitForFunction(() => document.readyState === 'complete', { timeout: 15_000 });
      return page;
    },
    async close() {
      await browser.close();
    },
  };
}
