// Launches Firefox ESR through puppeteer-core over WebDriver BiDi and installs the built extension.
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { inject } from 'vitest';
import { GECKO_ID } from '../../../scripts/extension-ids.mjs';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export interface FirefoxExtension {
  browser: Browser;
  /** moz-extension://<uuid>/ — pinned through a preference, so tests know it in advance. */
  origin: string;
  openPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

/** A new profile folder: a copy of the run's started template (firefox-template.ts), or undefined for an empty one. */
async function profileCopy(): Promise<string | undefined> {
  let template: string | undefined;
  try {
    template = inject('firefoxProfileTemplate');
  } catch {
    return undefined; // outside Vitest (bench, screenshots): no template
  }
  if (!template) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'firefox-profile-'));
  await cp(template, dir, { recursive: true });
  return dir;
}

export async function launchFirefox(extensionDir = 'dist/firefox', prefs: Record<string, string | number | boolean> = {}): Promise<FirefoxExtension> {
  const uuid = randomUUID();
  const userDataDir = await profileCopy();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    args: ['--remote-allow-system-access'],
    ...(userDataDir ? { userDataDir } : {}),
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
      // Firefox reports no load event for a moz-extension:// page, so readiness is read inside the tab. Not
      // with waitForFunction: its poll, started in the about:blank document being replaced, fails with a
      // protocol error when that document goes (puppeteer retries only the errors it knows). One question
      // at a time instead: one asked of the old document fails, and the next one reaches the new.
      let last: unknown;
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
        try {
          if (await page.evaluate((expected: string) => location.href === expected && document.readyState === 'complete', url)) return page;
        } catch (error) {
          last = error;
        }
      }
      throw new Error(`${url} did not load within 15 s`, { cause: last });
    },
    async close() {
      await browser.close();
      // Puppeteer removes only the profiles it made itself.
      if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
