// Settings travel between two Chromium profiles through the options page: exported from one as a file,
// imported into a fresh one, reviewed and saved there. A bad file changes nothing.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageReply } from '../../src/shared/messages';
import type { Settings } from '../../src/shared/settings';
import { launchChromium, type ChromiumExtension } from './support/chromium';
import type { ExtensionGlobal } from './support/extension-global';

// Every host on 127.0.0.1: the development build holds that permission already, so Save does not prompt
// (an https host would, and a headless browser would wait for ever). Nothing needs to listen there.
const SETTINGS: Settings = {
  domain: 'http://127.0.0.1:4711/tenant/',
  clientId: 'transfer-client',
  audience: 'https://api.example.com/',
  identityPoolId: 'eu-central-1:0123abcd-4567-4890-abcd-ef0123456789',
  tableName: 'TransferTable',
  datasetName: 'Transfer.Notes',
  syncIntervalMinutes: 42,
  conflictStrategy: 'serverWins',
  cognitoIdentityEndpoint: 'http://127.0.0.1:4712/cognito-identity',
  dynamodbEndpoint: 'http://127.0.0.1:4712/dynamodb',
  syncBackend: 'dynamodb',
  cognitoSyncEndpoint: '',
};

const TEXT_FIELDS: Array<[string, keyof Settings]> = [
  ['Provider domain', 'domain'],
  ['Client ID', 'clientId'],
  ['Audience (optional)', 'audience'],
  ['Identity pool ID', 'identityPoolId'],
  ['DynamoDB table', 'tableName'],
  ['Dataset name', 'datasetName'],
  ['Sync every (minutes)', 'syncIntervalMinutes'],
  ['Cognito Identity endpoint', 'cognitoIdentityEndpoint'],
  ['DynamoDB endpoint', 'dynamodbEndpoint'],
  ['Cognito Sync endpoint', 'cognitoSyncEndpoint'],
];
const STRATEGY_LABEL = 'When the same record changed in two places';
const IMPORT_LABEL = 'Import settings…';

let dir: string;
let exported: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'settings-transfer-'));
  exported = join(dir, 'cognito-sync-settings.json');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function openOptions(chromium: ChromiumExtension): Promise<Page> {
  const page = await chromium.openPage('options/index.html');
  // The form is filled from the worker (the development build's defaults) before anything is typed or imported.
  await expect.poll(() => page.getByLabel('Client ID', { exact: true }).inputValue()).not.toBe('');
  return page;
}

async function storedSettings(page: Page): Promise<unknown> {
  const reply = (await page.evaluate(() =>
    (globalThis as ExtensionGlobal).chrome.runtime.sendMessage({ type: 'getOptions', args: [] }),
  )) as MessageReply<{ settings: unknown }>;
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value.settings;
}

async function formValues(page: Page): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const [label, field] of TEXT_FIELDS) values[field] = await page.getByLabel(label, { exact: true }).inputValue();
  values['conflictStrategy'] = await page.getByLabel(STRATEGY_LABEL).inputValue();
  values['syncBackend'] = await page.getByLabel('Where datasets are kept').inputValue();
  return values;
}

const statusText = (page: Page) => page.getByRole('status').textContent();

describe('moving settings to another profile with a file', () => {
  it('exports the saved settings as cognito-sync-settings.json', async () => {
    const chromium = await launchChromium();
    try {
      const page = await openOptions(chromium);
      const exportButton = page.getByRole('button', { name: 'Export settings' });
      // Nothing is saved in a fresh profile, so there is nothing to export yet.
      expect(await exportButton.isDisabled()).toBe(true);

      for (const [label, field] of TEXT_FIELDS) await page.getByLabel(label, { exact: true }).fill(String(SETTINGS[field]));
      await page.getByLabel(STRATEGY_LABEL).selectOption(SETTINGS.conflictStrategy);
      await page.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => statusText(page)).toBe('Settings saved.');

      const download = page.waitForEvent('download');
      await exportButton.click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('cognito-sync-settings.json');
      await file.saveAs(exported);
      expect(JSON.parse(await readFile(exported, 'utf8'))).toEqual({ format: 'cognito-sync-settings', version: 1, settings: SETTINGS });
      expect(await statusText(page)).toBe('Saved settings exported to cognito-sync-settings.json.');
    } finally {
      await chromium.close();
    }
  });

  describe('in a fresh profile', () => {
    let chromium: ChromiumExtension;
    let page: Page;

    beforeAll(async () => {
      chromium = await launchChromium();
    });
    afterAll(async () => {
      await chromium?.close();
    });

    it('refuses bad files with a message, leaving the form and storage as they were', async () => {
      page = await openOptions(chromium);
      const before = await formValues(page);
      const input = page.getByLabel(IMPORT_LABEL);
      const bad: Array<[string, string, string]> = [
        ['notes.txt', 'domain = tenant.auth0.com', 'notes.txt was not imported: it is not JSON. Nothing was changed.'],
        ['other.json', '{"domain":"tenant.auth0.com"}', 'other.json was not imported: it is not a Cognito Sync settings file'],
        [
          'future.json',
          JSON.stringify({ format: 'cognito-sync-settings', version: 2, settings: SETTINGS }),
          'future.json was not imported: it is in version 2 of the settings file format',
        ],
        [
          'typo.json',
          JSON.stringify({ format: 'cognito-sync-settings', version: 1, settings: { ...SETTINGS, identityPoolId: 'eu-central-1:nope', datasetName: 'has space' } }),
          'typo.json was not imported: some settings are not valid. Identity pool ID: An identity pool ID looks like',
        ],
        ['huge.json', `{"format":"cognito-sync-settings","pad":"${'x'.repeat(70_000)}"}`, 'huge.json was not imported: it is larger than 64 KB'],
      ];
      for (const [name, text, message] of bad) {
        await input.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
        await expect.poll(() => statusText(page), { message: name }).toContain(message);
        expect(await statusText(page)).toMatch(/Nothing was changed\.$/);
        expect(await formValues(page)).toEqual(before);
      }
      expect(await page.getByRole('status').getAttribute('class')).toContain('error');
      expect(await storedSettings(page)).toBeUndefined();
    });

    it('fills the form from the exported file without saving it', async () => {
      await page.getByLabel(IMPORT_LABEL).setInputFiles(exported);
      await expect.poll(() => statusText(page)).toBe('Settings read from cognito-sync-settings.json. Review them, then press Save to use them.');
      expect(await formValues(page)).toEqual(Object.fromEntries(Object.entries(SETTINGS).map(([field, value]) => [field, String(value)])));
      expect(await page.locator('[aria-invalid="true"]').count()).toBe(0);
      expect(await storedSettings(page)).toBeUndefined();
    });

    it('saves the imported settings when the person presses Save, and the worker reads them back', async () => {
      await page.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => statusText(page)).toBe('Settings saved.');
      expect(await storedSettings(page)).toEqual(SETTINGS);
    });
  });
});
