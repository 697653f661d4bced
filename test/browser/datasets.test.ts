// Several datasets through the popup only, in two profiles of one person: one creates a dataset and adds a
// record, the other lists it, opens it and sees the record; the first deletes it (confirmed, naming the
// dataset and its record count), and the second drops it at its next sync, says so and opens the default.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../stack/index';
import type { PageDriver } from './support/driver';
import { shownError, signInFromPopup, syncNow } from './support/popup-actions';
import { BROWSERS, configure, openProfile } from './support/profiles';

async function expectRow(popup: PageDriver, key: string, pattern: RegExp): Promise<void> {
  await expect.poll(() => popup.rowText(key), { timeout: 15_000 }).toMatch(pattern);
}

describe.each(BROWSERS)('several datasets in %s, across two profiles', (browser) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ port: 0, memory: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('creates, switches to and deletes a dataset, and the other profile follows', async () => {
    const [first, second] = await Promise.all([openProfile(browser, 'first'), openProfile(browser, 'second')]);
    try {
      await configure(first, stack);
      const a = await signInFromPopup(first, 'alice');
      await a.waitForText(/Dataset:\s*MainDataset/);
      await a.click('Datasets');
      await a.fill('New dataset name', 'Travel');
      // By keyboard: Create, unavailable while the dataset is created, keeps the focus.
      await a.pressButton('Create');
      await a.waitForText(/Dataset:\s*Travel/);
      await a.waitForText('No records yet.');
      await expect.poll(() => a.focused()).toBe('Create');
      await a.fill('New key', 'city');
      await a.fill('New value', 'Lisbon');
      await a.click('Add');
      await syncNow(a);
      await expectRow(a, 'city', /^city Lisbon Synced/);

      // The other profile lists the dataset with its record, and opens it.
      await configure(second, stack);
      const b = await signInFromPopup(second, 'alice');
      await b.waitForText(/Dataset:\s*MainDataset/);
      await b.click('Datasets');
      await b.waitForText(/Travel\s*Records: 1/);
      await b.pressButton('Open dataset Travel');
      await b.waitForText(/Dataset:\s*Travel/);
      await expectRow(b, 'city', /^city Lisbon Synced/);
      // Its Open gives way to the “open” badge: the focus goes to the name of the dataset now open.
      await expect.poll(() => b.focused()).toBe('Travel');

      // Switching back and forth: each dataset shows its own records.
      await b.click('Open dataset MainDataset');
      await b.waitForText(/Dataset:\s*MainDataset/);
      await b.waitForText('No records yet.');
      await b.click('Open dataset Travel');
      await expectRow(b, 'city', /^city Lisbon Synced/);

      // The first profile deletes it, after a confirmation that names it and its records.
      await a.click('Delete dataset Travel');
      await a.waitForText('Delete “Travel” and its 1 records, in every browser where you sign in?');
      // The question takes the focus, on its safe answer; Cancel gives it back to the Delete that asked.
      await expect.poll(() => a.focused()).toBe('Cancel');
      await a.click('Cancel');
      await expect.poll(() => a.focused()).toBe('Delete dataset Travel');
      await a.click('Delete dataset Travel');
      await a.click('Delete dataset');
      await a.waitForText(/Dataset:\s*MainDataset/);
      await a.waitForButton('Open dataset Travel', false);
      expect(await shownError(a)).toBeNull();

      // The second learns of it at its next sync: the dataset is dropped, the default opens, and it says why.
      await b.click('Sync now');
      await b.waitForText('Deleted in another browser, and removed here: Travel.');
      await b.waitForText(/Dataset:\s*MainDataset/);
      await b.waitForButton('Open dataset Travel', false);
      await b.click('Dismiss');
      await b.waitForButton('Dismiss', false);
      // Closing the list gives the focus back to the button that opened it.
      await b.click('Close datasets');
      await expect.poll(() => b.focused()).toBe('Datasets');
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  }, 240_000);
});
