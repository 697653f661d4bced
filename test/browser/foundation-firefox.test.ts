import type { ExtensionGlobal } from './support/extension-global';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFirefox, type FirefoxExtension } from './support/firefox';

describe('the extension in Firefox', () => {
  let firefox: FirefoxExtension;

  beforeAll(async () => {
    firefox = await launchFirefox();
  });
  afterAll(async () => {
    await firefox?.close();
  });

  it('opens the options page and round-trips a message to the background', async () => {
    const page = await firefox.openPage('options/index.html');
    await page.waitForSelector('input#field-domain');
    const reply = await page.evaluate(() => (globalThis as ExtensionGlobal).browser.runtime.sendMessage({ type: 'ping', args: [] }));
    expect(reply).toEqual({ ok: true, value: { version: '0.1.0', startedAt: expect.any(Number) } });
    const redirect = await page.$eval('#redirect-url', (element) => (element as HTMLInputElement).value);
    expect(redirect).toMatch(/^https:\/\/[0-9a-f]{40}\.extensions\.allizom\.org\/$/);
    await page.close();
  });
});
