// The popup as keyboard and screen-reader users meet it: headings to find their way by, Escape leaving what
// its visible Cancel or Close leaves, buttons named for what they do, and a sync line that speaks when it matters.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../stack/index';
import type { PageDriver } from './support/driver';
import type { ExtensionGlobal } from './support/extension-global';
import { signInFromPopup } from './support/popup-actions';
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
});
