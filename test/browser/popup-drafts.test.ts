// A popup closes as soon as it loses the focus: a click in the page behind it, to copy a value from there, is
// enough. What the person typed and did not save is there again when the popup opens, until they save it or
// sign out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import type { PageDriver } from './support/driver';
import type { ExtensionGlobal } from './support/extension-global';
import { signInFromPopup } from './support/popup-actions';
import { BROWSERS, configure, openProfile, type Profile, sendMessage } from './support/profiles';

/** The drafts as the popup wrote them in storage.session (undefined when there are none). */
function storedDrafts(page: PageDriver): Promise<unknown> {
  return page.evaluate(async () => (await (globalThis as ExtensionGlobal).chrome.storage.session.get('popupDrafts'))['popupDrafts']);
}

describe.each(BROWSERS)('what is typed in the popup of %s', (browser) => {
  let stack: Stack;
  let profile: Profile;

  beforeAll(async () => {
    [stack, profile] = await Promise.all([startStack({ port: 0 }), openProfile(browser, 'popup-drafts')]);
  });
  afterAll(async () => {
    await profile?.close();
    await stack?.close();
  });

  /** Asks the worker from another of the extension's pages, with the popup closed (as a sync would change things). */
  async function fromAnotherPage(type: string, ...args: string[]): Promise<void> {
    const other = await profile.openPage('options/index.html');
    expect(await sendMessage(other, type, ...args)).toMatchObject({ ok: true });
    await other.close();
  }

  /** Closes the popup once what was typed is kept, as a person's click elsewhere would a moment after typing. */
  async function closeOnceKept(popup: PageDriver, kept: Record<string, unknown>): Promise<void> {
    await expect.poll(() => storedDrafts(popup)).toMatchObject(kept);
    await popup.close();
  }

  it('is there again when the popup opens, until saved, and gone once the person signs out', async () => {
    await configure(profile, stack);
    let popup = await signInFromPopup(profile, 'alice');
    await popup.fill('New key', 'colour');
    await popup.fill('New value', 'blue');
    await popup.click('Add');
    await expect.poll(() => popup.rowText('colour')).toMatch(/^colour blue/);

    // A record half typed in the Add form, and a row being edited.
    await popup.fill('New key', 'shape');
    await popup.fill('New value', 'round');
    await popup.click('Edit colour');
    await popup.fill('New value for colour', 'green');
    await closeOnceKept(popup, { add: { key: 'shape', value: 'round' }, rows: { colour: 'green' } });

    popup = await profile.openPage('popup/index.html');
    await expect.poll(() => popup.fieldValue('New key')).toBe('shape');
    expect(await popup.fieldValue('New value')).toBe('round');
    expect(await popup.fieldValue('New value for colour')).toBe('green');
    // Typed, not saved: the record is as it was.
    expect(await popup.rowText('colour')).toMatch(/^colour/);

    // The detail view, with what is typed there.
    await popup.click('Open colour in the full view');
    await popup.fill('New value for colour', 'green and gold');
    await closeOnceKept(popup, { detail: { key: 'colour', value: 'green and gold', base: 'blue' } });
    // Meanwhile the record changes (as a sync from another browser would change it).
    await fromAnotherPage('putRecord', 'colour', 'purple');

    // The detail view opens again with the text, and says the record changed since it was typed.
    popup = await profile.openPage('popup/index.html');
    await expect.poll(() => popup.fieldValue('New value for colour')).toBe('green and gold');
    await popup.waitForText('This record was changed elsewhere while you were editing it.');
    await popup.waitForButton('Discard changes');
    await popup.click('Save colour');
    await expect.poll(() => popup.rowText('colour')).toMatch(/^colour green and gold/);
    await expect
      .poll(() => storedDrafts(popup))
      .toEqual({
        identityId: expect.any(String),
        datasetName: 'MainDataset',
        add: { key: 'shape', value: 'round' },
      });

    // Signed out, nothing typed is left for whoever uses this browser next; the same person, signing in again in the
    // same popup, finds an empty form.
    await popup.click('Sign out');
    await popup.waitForButton('Sign in');
    expect(await storedDrafts(popup)).toBeUndefined();
    await profile.signInThroughWindow(() => popup.click('Sign in'), 'alice');
    await popup.waitForButton('Sign out');
    await expect.poll(() => popup.rowText('colour')).toMatch(/^colour green and gold/);
    // Editing a row writes the drafts once those kept before have been read back: the Add form's are not among them.
    await popup.click('Edit colour');
    await popup.fill('New value for colour', 'red');
    await expect.poll(() => storedDrafts(popup)).toEqual({ identityId: expect.any(String), datasetName: 'MainDataset', rows: { colour: 'red' } });
    expect(await popup.fieldValue('New key')).toBe('');
    expect(await popup.fieldValue('New value')).toBe('');

    // The record is deleted elsewhere while its row's draft is kept: the draft goes with it.
    await popup.close();
    await fromAnotherPage('removeRecord', 'colour');
    popup = await profile.openPage('popup/index.html');
    await popup.waitForText('No records yet.');
    await expect.poll(() => storedDrafts(popup)).toBeUndefined();
    await popup.close();
  });
  it('keeps what is typed in one dataset out of another', async () => {
    const popup = await profile.openPage('popup/index.html');
    await popup.waitForText(/Dataset:\s*MainDataset/);
    await popup.fill('New key', 'meant for the main dataset');
    await popup.click('Datasets');
    await popup.fill('New dataset name', 'Travel');
    await popup.click('Create');
    await popup.waitForText(/Dataset:\s*Travel/);
    await popup.waitForText('No records yet.');
    expect(await popup.fieldValue('New key')).toBe('');
    await popup.close();
  });
});
