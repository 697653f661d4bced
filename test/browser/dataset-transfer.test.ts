// A dataset travels between two profiles through the popup's export and import: exported by alice in one
// profile, imported by bob in a fresh one, it is the same dataset there, record for record ("" values and
// Unicode exactly), and it syncs. A bad file is refused with a reason and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { createDevice } from '../support/sync-device';
import { signInAtStack } from '../support/stack-identity';
import type { PageDriver } from './support/driver';
import { signInFromPopup, syncNow } from './support/popup-actions';
import { BROWSERS, configure, openProfile, replyValue, sendMessage, type Profile } from './support/profiles';

const RECORDS: Record<string, string> = {
  value: 'hello',
  empty: '',
  café: 'naïve ☕ 𝄞',
  'cafe\u0301': 'the other Unicode form of the key',
  rtl: 'עברית وعربي',
  ' padded ': '  spaces kept  ',
  multiline: 'one\ntwo\tthree',
};
const IMPORT_LABEL = 'Import dataset…';

const statusText = (page: PageDriver) => page.evaluate(() => document.querySelector('.transfer-status')?.textContent ?? null);

async function values(page: PageDriver): Promise<Record<string, string>> {
  const records = replyValue<Array<{ key: string; value: string }>>(await sendMessage(page, 'listRecords'));
  return Object.fromEntries(records.map((record) => [record.key, record.value]));
}

/** Signs in from the popup and waits for the dataset there: the identity id is known (GetId answered), so edits have a home. */
async function signInWithDataset(profile: Profile, username: string): Promise<PageDriver> {
  const popup = await signInFromPopup(profile, username);
  await popup.waitForButton('Sync now');
  return popup;
}

async function openTransfer(profile: Profile): Promise<PageDriver> {
  const popup = await profile.openPage('popup/index.html');
  await popup.waitForButton('Sign out');
  await popup.click('Export or import');
  await popup.waitForButton('Export dataset');
  // The panel takes the place of the button, and the focus moves into it (checked here, also from beforeAll).
  for (let tries = 0; (await popup.focused()) !== 'Export dataset'; tries++) {
    if (tries > 50) throw new Error(`the focus is on ${await popup.focused()}, not in the panel that opened`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return popup;
}

describe.each(BROWSERS)('moving a dataset to another %s profile with a file', (browser) => {
  let stack: Stack;
  let exported = '';

  beforeAll(async () => {
    stack = await startStack({ port: 0, memory: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('exports the open dataset as a versioned file of its keys and values', async () => {
    const profile = await openProfile(browser, 'dataset-export');
    try {
      await configure(profile, stack);
      const signedIn = await signInWithDataset(profile, 'alice');
      for (const [key, value] of Object.entries(RECORDS)) replyValue(await sendMessage(signedIn, 'putRecord', key, value));
      // A removed record is a tombstone here and on the server: never in the file.
      replyValue(await sendMessage(signedIn, 'putRecord', 'gone', 'soon'));
      replyValue(await sendMessage(signedIn, 'removeRecord', 'gone'));
      await syncNow(signedIn);

      const popup = await openTransfer(profile);
      const file = await profile.download(() => popup.click('Export dataset'));
      expect(file.name).toBe(`${DEFAULT_SETTINGS.datasetName}.dataset.json`);
      exported = file.text;
      const parsed = JSON.parse(exported);
      expect(parsed).toMatchObject({ format: 'cognito-sync-dataset', version: 1, dataset: DEFAULT_SETTINGS.datasetName });
      expect(Object.keys(parsed).sort()).toEqual(['dataset', 'exportedAt', 'format', 'records', 'version']);
      expect(Object.fromEntries(parsed.records.map((r: { key: string; value: string }) => [r.key, r.value]))).toEqual(RECORDS);
      // Keys and values only: no sync counts, device ids, tombstones or credentials.
      expect(parsed.records.every((r: object) => Object.keys(r).join() === 'key,value')).toBe(true);
      await expect.poll(() => statusText(popup)).toBe(`Exported 7 record(s) to ${file.name}.`);
    } finally {
      await profile.close();
    }
  });

  describe('in a fresh profile, signed in as someone else', () => {
    let profile: Profile;
    let popup: PageDriver;

    beforeAll(async () => {
      profile = await openProfile(browser, 'dataset-import');
      await configure(profile, stack);
      const signedIn = await signInWithDataset(profile, 'bob');
      replyValue(await sendMessage(signedIn, 'putRecord', 'value', 'bob had this'));
      replyValue(await sendMessage(signedIn, 'putRecord', 'bobs own', 'stays'));
      popup = await openTransfer(profile);
    });
    afterAll(async () => {
      await profile?.close();
    });

    it('refuses bad files with a reason, changing nothing', async () => {
      const before = await values(popup);
      const bad: Array<[string, string, string]> = [
        ['notes.txt', 'value = hello', 'notes.txt was not imported: it is not JSON. Nothing was changed.'],
        ['settings.json', '{"format":"cognito-sync-settings","version":1,"settings":{}}', 'settings.json was not imported: it is not a dataset file'],
        ['future.json', '{"format":"cognito-sync-dataset","version":2,"records":[]}', 'future.json was not imported: it is in version 2'],
        [
          'crowded.json',
          JSON.stringify({
            format: 'cognito-sync-dataset',
            version: 1,
            records: Array.from({ length: 1030 }, (_, i) => ({ key: `k${i}`, value: '' })),
          }),
          'crowded.json was not imported: it holds 1030 records; a dataset holds at most 1024.',
        ],
      ];
      for (const [name, text, message] of bad) {
        await popup.chooseFile(IMPORT_LABEL, { name, mimeType: 'application/json', text });
        await expect.poll(() => statusText(popup), { message: name }).toContain(message);
      }
      expect(await popup.evaluate(() => document.querySelector('.import-summary') === null)).toBe(true);
      expect(await values(popup)).toEqual(before);
    });

    it('opens with its export and import shown in a tab of its own, where Firefox lets a file be chosen', async () => {
      // What Import dataset… opens from Firefox's toolbar popup, which closes as soon as a file picker opens.
      const tab = await profile.openPage('popup/index.html?transfer');
      try {
        await tab.waitForButton('Export dataset');
        expect(await tab.evaluate(() => document.querySelector('input[type=file]') !== null)).toBe(true);
        expect(await tab.evaluate(() => document.body.textContent ?? '')).not.toContain('the import opens in a tab');
      } finally {
        await tab.close();
      }
    });

    it('shows what the file would do before writing anything, and Cancel changes nothing', async () => {
      const before = await values(popup);
      await popup.chooseFile(IMPORT_LABEL, { name: 'from-alice.json', mimeType: 'application/json', text: exported });
      await popup.waitForText('from-alice.json would add 6 new record(s), change 1, leave 0 unchanged; 0 refused.');
      await popup.waitForText('Changed: value');
      expect(await values(popup)).toEqual(before);
      await popup.click('Cancel import');
      await expect.poll(() => statusText(popup)).toBe('from-alice.json was not imported. Nothing was changed.');
      expect(await values(popup)).toEqual(before);
    });

    it('imports it as edits: the dataset there is the exported one, exactly, and it syncs', async () => {
      await popup.chooseFile(IMPORT_LABEL, { name: 'from-alice.json', mimeType: 'application/json', text: exported });
      await popup.click('Import these records');
      await expect
        .poll(() => statusText(popup))
        .toBe('Imported 7 record(s) from from-alice.json as edits here; they sync with your other browsers next.');
      expect(await values(popup)).toEqual({ ...RECORDS, 'bobs own': 'stays' });

      await syncNow(popup);
      const bobsOtherBrowser = await createDevice(stack, { identity: await signInAtStack(stack, 'bob'), dataset: DEFAULT_SETTINGS.datasetName });
      await bobsOtherBrowser.service.sync();
      expect(await bobsOtherBrowser.values()).toEqual({ ...RECORDS, 'bobs own': 'stays' });

      // Closed, the panel gives the focus back to the button that opened it.
      await popup.click('Close export or import');
      await expect.poll(() => popup.focused()).toBe('Export or import');
    });
  });
});
