// Settings travel between two profiles of one browser through the options page: exported from one as a
// file, imported into a fresh one, reviewed and saved there. A bad file changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/shared/settings';
import type { PageDriver } from './support/driver';
import { BROWSERS, openProfile, type Profile, replyValue, sendMessage } from './support/profiles';

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
  roleArn: 'arn:aws:iam::123456789012:role/service-role/TransferRole',
  accountId: '123456789012',
  stsEndpoint: 'http://127.0.0.1:4712/sts',
  customEndpoints: false,
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
  ['Role ARN (basic flow)', 'roleArn'],
  ['AWS account ID', 'accountId'],
  ['STS endpoint', 'stsEndpoint'],
  ['Cognito Sync endpoint', 'cognitoSyncEndpoint'],
];
const STRATEGY_LABEL = 'When the same record changed in two places';
const IMPORT_LABEL = 'Import settings…';

async function openOptions(profile: Profile): Promise<PageDriver> {
  const page = await profile.openPage('options/index.html');
  // The form is filled from the background (the development build's defaults) before anything is typed or imported.
  await expect.poll(() => page.fieldValue('Client ID'), { timeout: 15_000 }).not.toBe('');
  return page;
}

async function storedSettings(page: PageDriver): Promise<unknown> {
  return replyValue<{ settings: unknown }>(await sendMessage(page, 'getOptions')).settings;
}

async function formValues(page: PageDriver): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const [label, field] of TEXT_FIELDS) values[field] = await page.fieldValue(label);
  values['conflictStrategy'] = await page.fieldValue(STRATEGY_LABEL);
  values['customEndpoints'] = String(await page.isChecked('Custom endpoints'));
  values['syncBackend'] = await page.fieldValue('Where datasets are kept');
  return values;
}

const statusText = (page: PageDriver) => page.evaluate(() => document.querySelector('p.status[role=status]')?.textContent ?? null);
const statusClass = (page: PageDriver) => page.evaluate(() => document.querySelector('p.status[role=status]')?.getAttribute('class') ?? null);
const invalidFields = (page: PageDriver) => page.evaluate(() => document.querySelectorAll('[aria-invalid="true"]').length);

describe.each(BROWSERS)('moving settings to another %s profile with a file', (browser) => {
  let exported = '';

  it('exports the saved settings as cognito-sync-settings.json', async () => {
    const profile = await openProfile(browser, 'export');
    try {
      const page = await openOptions(profile);
      // Nothing is saved in a fresh profile, so there is nothing to export yet.
      expect(await page.isDisabled('Export settings')).toBe(true);

      for (const [label, field] of TEXT_FIELDS) await page.fill(label, String(SETTINGS[field]));
      await page.select(STRATEGY_LABEL, SETTINGS.conflictStrategy);
      await page.click('Save');
      await expect.poll(() => statusText(page)).toBe('Settings saved.');

      const file = await profile.download(() => page.click('Export settings'));
      expect(file.name).toBe('cognito-sync-settings.json');
      exported = file.text;
      expect(JSON.parse(exported)).toEqual({ format: 'cognito-sync-settings', version: 1, settings: SETTINGS });
      await expect.poll(() => statusText(page)).toBe('Saved settings exported to cognito-sync-settings.json.');
    } finally {
      await profile.close();
    }
  });

  describe('in a fresh profile', () => {
    let profile: Profile;
    let page: PageDriver;

    beforeAll(async () => {
      profile = await openProfile(browser, 'import');
    });
    afterAll(async () => {
      await profile?.close();
    });

    it('refuses bad files with a message, leaving the form and storage as they were', async () => {
      page = await openOptions(profile);
      const before = await formValues(page);
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
          JSON.stringify({
            format: 'cognito-sync-settings',
            version: 1,
            settings: { ...SETTINGS, identityPoolId: 'eu-central-1:nope', datasetName: 'has space' },
          }),
          'typo.json was not imported: some settings are not valid. Identity pool ID: An identity pool ID looks like',
        ],
        ['huge.json', `{"format":"cognito-sync-settings","pad":"${'x'.repeat(70_000)}"}`, 'huge.json was not imported: it is larger than 64 KB'],
      ];
      for (const [name, text, message] of bad) {
        await page.chooseFile(IMPORT_LABEL, { name, mimeType: 'application/json', text });
        await expect.poll(() => statusText(page), { message: name }).toContain(message);
        expect(await statusText(page)).toMatch(/Nothing was changed\.$/);
        expect(await formValues(page)).toEqual(before);
      }
      expect(await statusClass(page)).toContain('error');
      expect(await storedSettings(page)).toBeUndefined();
    });

    it('fills the form from the exported file without saving it', async () => {
      // Typed and not saved: the preview says that using the file replaces it too.
      await page.fill('Client ID', 'TypedNotSaved');
      await page.chooseFile(IMPORT_LABEL, { name: 'cognito-sync-settings.json', mimeType: 'application/json', text: exported });
      await page.waitForText('Using these settings also replaces what you changed in the form and did not save: Client ID.');
      // The import shows what it would change first; the form is filled once the person accepts it.
      await page.click('Use these settings');
      await expect.poll(() => statusText(page)).toBe('Settings read from cognito-sync-settings.json. Review them, then press Save to use them.');
      expect(await formValues(page)).toEqual(Object.fromEntries(Object.entries(SETTINGS).map(([field, value]) => [field, String(value)])));
      expect(await invalidFields(page)).toBe(0);
      expect(await storedSettings(page)).toBeUndefined();
    });

    it('saves the imported settings when the person presses Save, and the background reads them back', async () => {
      await page.click('Save');
      await expect.poll(() => statusText(page)).toBe('Settings saved.');
      expect(await storedSettings(page)).toEqual(SETTINGS);
    });
  });
});

/** What the import preview shows: its heading's region, the warning, and each line's text and class by field. */
function readPreview(): { shown: boolean; alert: string; lines: Record<string, { text: string; kind: string }> } {
  const region = [...document.querySelectorAll('[role=region], section[aria-label], section[aria-labelledby]')].find((el) => {
    const label = el.getAttribute('aria-label') ?? document.getElementById(el.getAttribute('aria-labelledby') ?? '')?.textContent ?? '';
    return label.startsWith('What ') && label.endsWith(' would change');
  });
  const lines: Record<string, { text: string; kind: string }> = {};
  for (const li of region?.querySelectorAll('li[data-field]') ?? []) {
    lines[li.getAttribute('data-field') ?? ''] = { text: li.textContent ?? '', kind: li.getAttribute('class') ?? '' };
  }
  return { shown: region !== undefined, alert: region?.querySelector('[role=alert]')?.textContent ?? '', lines };
}

describe.each(BROWSERS)('importing a file that changes the provider and the endpoints, in %s', (browser) => {
  it('shows every change before anything is used, the provider and endpoints called out, and Cancel changes nothing', async () => {
    const profile = await openProfile(browser, 'preview');
    try {
      const page = await openOptions(profile);
      const before = await formValues(page);
      const diverting: Settings = {
        ...SETTINGS,
        domain: 'http://127.0.0.1:4799/evil/',
        dynamodbEndpoint: 'http://127.0.0.1:4799/dynamodb',
        customEndpoints: true,
      };
      const text = JSON.stringify({ format: 'cognito-sync-settings', version: 1, settings: diverting });
      await page.chooseFile(IMPORT_LABEL, { name: 'shared.json', mimeType: 'application/json', text });
      await expect.poll(async () => (await page.evaluate(readPreview)).shown).toBe(true);
      expect(await statusText(page)).toBe('shared.json read. Check what it would change below, then choose Use these settings or Cancel import.');
      const preview = await page.evaluate(readPreview);
      expect(preview.alert).toContain('changes who signs you in or where your sign-in token and your data are sent');
      // Compared with what is saved: nothing yet in this profile.
      expect(preview.lines['domain']).toEqual({
        text: 'Sign-in provider: Provider domain: (empty) → http://127.0.0.1:4799/evil/',
        kind: 'change provider',
      });
      expect(preview.lines['dynamodbEndpoint']?.text).toBe('Where your data goes: DynamoDB endpoint: (empty) → http://127.0.0.1:4799/dynamodb');
      expect(preview.lines['customEndpoints']?.kind).toBe('change endpoint');
      expect(preview.lines['datasetName']).toEqual({ text: `Dataset name: MainDataset → ${SETTINGS.datasetName}`, kind: 'change other' });
      // Nothing is used until the person says so.
      expect(await formValues(page)).toEqual(before);

      await page.click('Cancel import');
      await expect.poll(async () => (await page.evaluate(readPreview)).shown).toBe(false);
      expect(await statusText(page)).toBe('shared.json was not used. Nothing was changed.');
      expect(await formValues(page)).toEqual(before);
      expect(await storedSettings(page)).toBeUndefined();
    } finally {
      await profile.close();
    }
  });
});
