// The popup as keyboard and screen-reader users meet it: headings to find their way by, Escape leaving what
// its visible Cancel or Close leaves, buttons named for what they do, and a sync line that speaks when it matters.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../stack/index';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { createDevice } from '../support/sync-device';
import { signInAtStack } from '../support/stack-identity';
import type { PageDriver } from './support/driver';
import type { ExtensionGlobal } from './support/extension-global';
import { announced, recordAnnouncements, signInFromPopup } from './support/popup-actions';
import { BROWSERS, configure, openProfile, type Profile, replyValue, sendMessage } from './support/profiles';

const LETTER = 'Dear Alice,\nall is well.';

/** The page's headings in order, as a screen reader lists them: level and text. */
function headings(popup: PageDriver): Promise<string[]> {
  return popup.evaluate(() =>
    [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
      .filter((heading) => heading.checkVisibility({ visibilityProperty: true }))
      .map((heading) => `${heading.tagName.toLowerCase()} ${(heading.textContent ?? '').replace(/\s+/g, ' ').trim()}`),
  );
}

/** What the popup keeps of the text typed and not saved (drafts.ts), or undefined when nothing. */
function storedDrafts(popup: PageDriver): Promise<unknown> {
  return popup.evaluate(async () => (await (globalThis as ExtensionGlobal).chrome.storage.session.get('popupDrafts'))['popupDrafts']);
}

describe.each(BROWSERS)('the popup by keyboard and screen reader in %s', (browser) => {
  let stack: Stack;
  let profile: Profile;
  let popup: PageDriver;

  beforeAll(async () => {
    [stack, profile] = await Promise.all([startStack({ port: 0, memory: true }), openProfile(browser, 'keyboard')]);
    await configure(profile, stack);
  });
  afterAll(async () => {
    await profile?.close();
    await stack?.close();
  });
  // Each test but the first (which signs in) starts from a popup just opened: none meets what another left open.
  afterEach(async () => {
    await popup?.close();
  });
  async function openPopup(): Promise<PageDriver> {
    popup = await profile.openPage('popup/index.html');
    await popup.waitForButton('Sync now');
    return popup;
  }

  it('names the page in a heading, signed out or in, with the open dataset’s heading under it and a record’s or the export’s under that', async () => {
    const signedOut = await profile.openPage('popup/index.html');
    await signedOut.waitForButton('Sign in');
    expect(await headings(signedOut)).toEqual(['h1 Cognito Sync']);
    await signedOut.close();

    popup = await signInFromPopup(profile, 'alice');
    await popup.waitForButton('Sync now');
    expect(await headings(popup)).toEqual(['h1 Cognito Sync', 'h2 Dataset: MainDataset']);

    await popup.click('Export or import');
    await popup.waitForButton('Export dataset');
    expect(await headings(popup)).toEqual(['h1 Cognito Sync', 'h2 Dataset: MainDataset', 'h3 Export or import MainDataset']);

    // A value of two lines: its Edit opens the detail view.
    replyValue(await sendMessage(popup, 'putRecord', 'letter', LETTER));
    await expect.poll(() => popup.rowText('letter')).toMatch(/^letter Dear Alice,/);
    await popup.click('Edit letter');
    await popup.waitForButton('Back to the list');
    expect(await headings(popup)).toEqual(['h1 Cognito Sync', 'h2 Dataset: MainDataset', 'h3 Export or import MainDataset', 'h3 letter']);
    await popup.click('Back to the list');
    await expect.poll(() => popup.focused()).toBe('Edit letter');
  });

  it('leaves a row’s edit with Escape from its field or each of its buttons, as Cancel does; a changed value goes only with a second Escape, on Cancel', async () => {
    await openPopup();
    await popup.fill('New key', 'city');
    await popup.fill('New value', 'Oxford');
    await popup.click('Add');
    await expect.poll(() => popup.rowText('city')).toMatch(/^city Oxford/);

    // Nothing typed: Escape on Save, or on Expand, cancels at once, and the focus is back on the row's Edit.
    for (const [tabs, button] of [
      [1, 'Save city'],
      [2, 'Open city in the full view'],
    ] as const) {
      await popup.click('Edit city');
      await expect.poll(() => popup.focused()).toBe('New value for city');
      for (let i = 0; i < tabs; i++) await popup.press('Tab');
      expect(await popup.focused()).toBe(button);
      await popup.press('Escape');
      await expect.poll(() => popup.focused()).toBe('Edit city');
      await popup.waitForButton('Cancel editing city', false);
    }

    // A value typed: Escape takes the focus to Cancel, whose name says what it does, and keeps the value.
    await popup.click('Edit city');
    await popup.fill('New value for city', 'Cambridge');
    await popup.press('Escape');
    await expect.poll(() => popup.focused()).toBe('Cancel editing city');
    expect(await popup.fieldValue('New value for city')).toBe('Cambridge');
    await expect.poll(() => storedDrafts(popup)).toMatchObject({ rows: { city: 'Cambridge' } });
    // Escape there is that Cancel: the value is dropped, and the record is as it was.
    await popup.press('Escape');
    await expect.poll(() => popup.focused()).toBe('Edit city');
    expect(await popup.rowText('city')).toMatch(/^city Oxford/);
    await expect.poll(() => storedDrafts(popup)).toBeUndefined();
  });

  it('closes the detail view with Escape as its Back to the list does; with text typed, Escape goes to Discard changes first', async () => {
    await openPopup();
    await popup.click('Edit letter');
    await expect.poll(() => popup.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await popup.press('Escape');
    await expect.poll(() => popup.focused()).toBe('Edit letter');
    await popup.waitForButton('Back to the list', false);

    await popup.click('Edit letter');
    await popup.fill('New value for letter', 'Dear Bob,');
    await popup.press('Escape');
    // Still open, with the text, kept as the popup keeps it when it closes; the focus on the button that would drop it.
    await expect.poll(() => popup.focused()).toBe('Discard changes');
    expect(await popup.fieldValue('New value for letter')).toBe('Dear Bob,');
    await expect.poll(() => storedDrafts(popup)).toMatchObject({ detail: { key: 'letter', value: 'Dear Bob,' } });
    // Escape on it is that button: the view closes without saving, the focus back on the row it was opened from.
    await popup.press('Escape');
    await expect.poll(() => popup.focused()).toBe('Edit letter');
    expect(await popup.rowText('letter')).toMatch(/^letter Dear Alice,/);
    await expect.poll(() => storedDrafts(popup)).toBeUndefined();
  });

  it('closes the list of datasets and the export panel with Escape, as their Close does, giving the focus back to the button that opened them', async () => {
    await openPopup();
    await popup.click('Datasets');
    await popup.fill('New dataset name', 'Trips');
    await popup.press('Escape');
    await popup.waitForButton('Create', false);
    await expect.poll(() => popup.focused()).toBe('Datasets');

    // The question of a deletion is answered first, with its Cancel; the list then closes.
    await popup.click('Datasets');
    await popup.click('Delete dataset MainDataset');
    await expect.poll(() => popup.focused()).toBe('Cancel');
    await popup.press('Escape');
    await popup.waitForButton('Delete dataset', false);
    await expect.poll(() => popup.focused()).toBe('Delete dataset MainDataset');
    await popup.press('Escape');
    await popup.waitForButton('Create', false);
    await expect.poll(() => popup.focused()).toBe('Datasets');

    await popup.click('Export or import');
    await expect.poll(() => popup.focused()).toBe('Export dataset');
    await popup.press('Escape');
    await popup.waitForButton('Export dataset', false);
    await expect.poll(() => popup.focused()).toBe('Export or import');
  });

  it('names each Close for what it closes, when the list of datasets and the export panel are shown together', async () => {
    await openPopup();
    await popup.click('Datasets');
    await popup.click('Export or import');
    await popup.waitForButton('Export dataset');
    await popup.waitForButton('Create');
    // What a screen reader says of each button that shows "Close".
    const closeNames = () =>
      popup.evaluate(() =>
        [...document.querySelectorAll('button')]
          .filter((button) => button.textContent?.trim() === 'Close')
          .map((button) => button.getAttribute('aria-label') ?? button.textContent),
      );
    expect((await closeNames()).sort()).toEqual(['Close datasets', 'Close export or import']);

    await popup.click('Close export or import');
    await popup.waitForButton('Export dataset', false);
    await expect.poll(() => popup.focused()).toBe('Export or import');
    await popup.waitForButton('Create');
    await popup.click('Close datasets');
    await popup.waitForButton('Create', false);
    await expect.poll(() => popup.focused()).toBe('Datasets');
  });

  it('tells a screen reader how a sync the person asked for ended, a failure and its end, and records from elsewhere; not each sync the extension runs itself', async () => {
    await openPopup();
    await popup.waitForText('All changes synced');
    await recordAnnouncements(popup);
    /** What live regions said since `from` of them had been said; an emptied region says nothing. */
    const heardAfter = async (from: number): Promise<string[]> => (await announced(popup)).slice(from).filter((text) => text.trim() !== '');

    // An edit, and the extension's own sync of it (from the edit's timer, the periodic alarm): shown, not said.
    replyValue(await sendMessage(popup, 'putRecord', 'weather', 'rain'));
    await expect.poll(() => popup.rowText('weather')).toMatch(/^weather rain Pending/);
    replyValue(await sendMessage(popup, 'syncNow'));
    await expect.poll(() => popup.rowText('weather')).toMatch(/^weather rain Synced/);
    await popup.waitForText('All changes synced');
    expect(await heardAfter(0)).toEqual([]);

    // A failure of such a sync is said, once, by its alert; the line's "Last sync failed" is not said again.
    stack.addFault({ service: 'dynamodb', kind: 'status', status: 500, count: 50 });
    replyValue(await sendMessage(popup, 'putRecord', 'weather', 'snow'));
    await sendMessage(popup, 'syncNow');
    await popup.waitForText('The dataset service had a problem');
    await popup.waitForButton('Try again');
    const heard = await heardAfter(0);
    expect(heard.length).toBeGreaterThan(0);
    expect(heard.every((text) => text.includes('The dataset service had a problem'))).toBe(true);

    // Try again, pressed by the person and failing again: how it ended is said, though the alert stays as it was.
    let from = (await announced(popup)).length;
    await popup.click('Try again');
    await expect.poll(() => heardAfter(from)).toEqual(['Last sync failed · 1 pending']);

    // The failure's end, by a sync the extension ran itself, is said with the line as it then reads.
    from = (await announced(popup)).length;
    stack.clearFaults();
    replyValue(await sendMessage(popup, 'syncNow'));
    await popup.waitForButton('Try again', false);
    await expect.poll(() => heardAfter(from)).toEqual([expect.stringMatching(/^Synced \d.* · All changes synced$/)]);

    // Sync now, pressed and succeeding: said, even in the same words as the announcement before.
    from = (await announced(popup)).length;
    await popup.click('Sync now');
    await expect.poll(() => heardAfter(from)).toEqual([expect.stringMatching(/^Synced \d.* · All changes synced$/)]);

    // Records another browser changed, brought by a sync the extension ran itself: said.
    from = (await announced(popup)).length;
    const other = await createDevice(stack, { identity: await signInAtStack(stack, 'alice'), dataset: DEFAULT_SETTINGS.datasetName });
    await other.service.importRecords([{ key: 'note', value: 'from the other browser' }]);
    await other.service.sync();
    replyValue(await sendMessage(popup, 'syncNow'));
    await expect.poll(() => popup.rowText('note')).toMatch(/^note from the other browser Synced/);
    await expect.poll(() => heardAfter(from)).toEqual(['1 record(s) updated from your other browsers.']);
  });
});
