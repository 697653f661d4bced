import type { ExtensionGlobal } from './support/extension-global';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CHROME_ID } from '../../scripts/extension-ids.mjs';
import { LOCAL_STACK_SETTINGS } from '../../scripts/local-stack.mjs';
import { launchChromium, type ChromiumExtension } from './support/chromium';

describe('the extension in Chromium', () => {
  let chromium: ChromiumExtension;

  beforeAll(async () => {
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
  });

  it('starts its service worker under the pinned development id', async () => {
    const worker = await chromium.worker();
    expect(worker.url()).toBe(`chrome-extension://${DEV_CHROME_ID}/background.js`);
  });

  it('refuses an invalid identity pool id with a visible message and saves nothing', async () => {
    const page = await chromium.openPage('options/index.html');
    await page.getByLabel('Provider domain').fill('tenant.example.com');
    await page.getByLabel('Client ID').fill('abc123');
    await page.getByLabel('Identity pool ID').fill('us-east-1:not-a-uuid');
    await page.getByRole('button', { name: 'Save' }).click();

    await expect.poll(() => page.getByText('An identity pool ID looks like').isVisible()).toBe(true);
    expect(await page.getByLabel('Identity pool ID').getAttribute('aria-invalid')).toBe('true');
    const stored = await page.evaluate(() => (globalThis as ExtensionGlobal).chrome.storage.local.get(null));
    expect(stored).toEqual({});
    await page.close();
  });

  it('saves a valid configuration that the worker reads back through a message', async () => {
    const page = await chromium.openPage('options/index.html');
    // The development build starts from the local stack's settings.
    await expect.poll(() => page.getByLabel('Client ID').inputValue()).toBe(LOCAL_STACK_SETTINGS.clientId);
    await page.getByLabel('Dataset name').fill('Notes');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Settings saved.');

    const reply = await page.evaluate(() => (globalThis as ExtensionGlobal).chrome.runtime.sendMessage({ type: 'getOptions', args: [] }));
    expect(reply).toMatchObject({
      ok: true,
      value: { settings: { ...LOCAL_STACK_SETTINGS, datasetName: 'Notes' } },
    });
    await page.close();
  });

  it('shows the redirect URL to register at the provider', async () => {
    const page = await chromium.openPage('options/index.html');
    await expect.poll(() => page.getByRole('textbox', { name: 'Redirect URL' }).inputValue()).toBe(`https://${DEV_CHROME_ID}.chromiumapp.org/`);
    await page.close();
  });

  it('asks once more before Reset clears the settings', async () => {
    const page = await chromium.openPage('options/index.html');
    await expect.poll(() => page.getByLabel('Client ID').inputValue()).not.toBe('');
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('Reset signs you out of this browser');
    const stored = () => page.evaluate(() => (globalThis as ExtensionGlobal).chrome.storage.local.get('settings'));
    expect(await stored()).toHaveProperty('settings');
    await page.getByRole('button', { name: 'Reset now' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toBe('Settings cleared.');
    expect(await stored()).toEqual({});
    await page.close();
  });
});
