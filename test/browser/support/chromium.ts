// Launches Debian's Chromium with the built extension loaded, through playwright-core.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ChromiumExtension {
  context: BrowserContext;
  extensionId: string;
  /** The extension's service worker, waiting for it to start if needed. */
  worker(): Promise<Worker>;
  /** Opens an extension page (e.g. 'options/index.html') in a new tab. */
  openPage(path: string): Promise<Page>;
  /** Stops every service worker of the profile, as Chrome does after 30 s idle. */
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

export interface ChromiumOptions {
  /** The browser's language (`--lang`): the extension's messages follow it, e.g. 'ar'. */
  lang?: string;
  /** What `prefers-color-scheme` answers in its pages (the system's light or dark). */
  colorScheme?: 'light' | 'dark';
}

export async function launchChromium(extensionDir = 'dist/chrome', { lang, colorScheme }: ChromiumOptions = {}): Promise<ChromiumExtension> {
  const dir = resolve(extensionDir);
  const profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...(colorScheme ? { colorScheme } : {}),
    args: [
      `--disable-extensions-except=${dir}`,
      `--load-extension=${dir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(lang ? [`--lang=${lang}`] : []),
    ],
  });
  const worker = async (): Promise<Worker> => {
    const running = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
    return running ?? context.waitForEvent('serviceworker', { timeout: 15_000 });
  };
  const extensionId = new URL((await worker()).url()).host;
  return {
    context,
    extensionId,
    worker,
    async openPage(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    async stopWorkers() {
      // CDP's ServiceWorker domain is reachable from a session on one of the extension's own pages.
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/popup/index.html`);
      const session = await context.newCDPSession(page);
      await session.send('ServiceWorker.enable');
      await session.send('ServiceWorker.stopAllWorkers');
      await session.detach();
      await page.close();
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
