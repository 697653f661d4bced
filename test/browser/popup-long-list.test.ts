// The popup with a long dataset: only the rows in view are in the page, yet every record can be reached
// by scrolling and by keyboard, screen readers are told the whole count, and an edit survives scrolling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { createDevice } from '../support/sync-device';
import { signInAtStack } from '../support/stack-identity';
import type { PageDriver } from './support/driver';
import { buttonPlace, signInFromPopup, syncNow } from './support/popup-actions';
import { BROWSERS, configure, openProfile, type Profile } from './support/profiles';

const RECORDS = 200;
const keyOf = (i: number): string => `key-${String(i).padStart(4, '0')}`;

/** Scrolls the records' viewport to its end (or back to the top) and waits two frames for the rows to follow. */
function scrollRecords(page: PageDriver, where: 'end' | 'top'): Promise<void> {
  const scroll = where === 'end' ? scrollToEnd : scrollToTop;
  return page.evaluate(scroll);
}
function scrollToEnd(): Promise<void> {
  const viewport = document.querySelector('.windowed');
  if (viewport) viewport.scrollTop = viewport.scrollHeight;
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}
function scrollToTop(): Promise<void> {
  const viewport = document.querySelector('.windowed');
  if (viewport) viewport.scrollTop = 0;
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

/** The focused control's name, and whether it is what the page shows at its centre (not under the sticky header row). */
function focusedInSight(): { name: string | null; inSight: boolean } {
  const focused = document.activeElement;
  if (!focused) return { name: null, inSight: false };
  const box = focused.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return { name: focused.getAttribute('aria-label'), inSight: hit !== null && focused.contains(hit) };
}

describe.each(BROWSERS)('the popup with a long dataset in %s', (browser) => {
  let stack: Stack;
  let profile: Profile;
  let popup: PageDriver;

  beforeAll(async () => {
    stack = await startStack({ port: 0, memory: true });
    profile = await openProfile(browser, 'long-list');
    await configure(profile, stack);
    // Another device of the same person puts the records on the server; the popup's sync brings them.
    const other = await createDevice(stack, { identity: await signInAtStack(stack, 'alice'), dataset: DEFAULT_SETTINGS.datasetName });
    await other.service.importRecords(Array.from({ length: RECORDS }, (_, i) => ({ key: keyOf(i), value: `value ${i}` })));
    await other.service.sync();
    popup = await signInFromPopup(profile, 'alice');
    await syncNow(popup);
    await popup.waitForText('Synced');
  });
  afterAll(async () => {
    await profile?.close();
    await stack?.close();
  });

  it('puts only the rows in view in the page, and tells screen readers how many there are', async () => {
    await expect.poll(() => popup.rowText(keyOf(0))).toMatch(/^key-0000 value 0 Synced/);
    const counts = await popup.evaluate(() => ({
      rendered: document.querySelectorAll('tbody tr[aria-rowindex]').length,
      announced: document.querySelector('table')?.getAttribute('aria-rowcount'),
    }));
    expect(counts.rendered).toBeLessThan(20);
    expect(counts.announced).toBe(String(RECORDS + 1));
    expect(await popup.rowText(keyOf(RECORDS - 1))).toBeUndefined();
  });

  it('shows the last record once scrolled to the end, at its place in the count', async () => {
    await scrollRecords(popup, 'end');
    await expect.poll(() => popup.rowText(keyOf(RECORDS - 1))).toMatch(/^key-0199 value 199 Synced/);
    const index = await popup.evaluate(() =>
      [...document.querySelectorAll('tbody th[scope=row]')]
        .find((th) => th.textContent === 'key-0199')
        ?.closest('tr')
        ?.getAttribute('aria-rowindex'),
    );
    expect(index).toBe(String(RECORDS + 1));
    await scrollRecords(popup, 'top');
  });

  it('reaches the records below the first screen with Tab', async () => {
    await popup.click(`Edit ${keyOf(0)}`);
    await popup.press('Escape');
    await expect.poll(() => popup.focused()).toBe(`Edit ${keyOf(0)}`);
    // Two buttons a row: thirty presses later the focus is fifteen rows down, well past the first screen.
    for (let i = 0; i < 30; i++) await popup.press('Tab');
    expect(await popup.focused()).toBe(`Edit ${keyOf(15)}`);
  });

  it('keeps the row the focus goes back up to in sight, below the header row that stays on top (Shift+Tab)', async () => {
    await scrollRecords(popup, 'top');
    await popup.click(`Edit ${keyOf(0)}`);
    await popup.press('Escape');
    await expect.poll(() => popup.focused()).toBe(`Edit ${keyOf(0)}`);
    for (let i = 0; i < 40; i++) await popup.press('Tab');
    expect(await popup.focused()).toBe(`Edit ${keyOf(20)}`);
    const hidden: Array<string | null> = [];
    for (let i = 0; i < 40; i++) {
      await popup.press('Shift+Tab');
      const focused = await popup.evaluate(focusedInSight);
      if (!focused.inSight) hidden.push(focused.name);
    }
    expect(await popup.focused()).toBe(`Edit ${keyOf(0)}`);
    expect(hidden).toEqual([]);
  });

  it('shows the whole of an edited row’s buttons, Cancel included, and room to type the value', async () => {
    await scrollRecords(popup, 'top');
    await popup.click(`Edit ${keyOf(3)}`);
    await popup.waitForButton(`Cancel editing ${keyOf(3)}`);
    const place = await buttonPlace(popup, `Cancel editing ${keyOf(3)}`);
    expect(place).toMatchObject({ within: true, uncovered: true });
    // Six rem: about ten characters of the value in sight as it is typed.
    expect(place?.fieldWidth).toBeGreaterThanOrEqual(84);
    await popup.click(`Cancel editing ${keyOf(3)}`);
    await expect.poll(() => popup.focused()).toBe(`Edit ${keyOf(3)}`);
  });

  it('keeps a value being typed while its row is scrolled out of view and back', async () => {
    await scrollRecords(popup, 'top');
    await popup.click(`Edit ${keyOf(1)}`);
    await popup.fill(`New value for ${keyOf(1)}`, 'typed, not saved');
    await popup.click(`Edit ${keyOf(2)}`);
    await scrollRecords(popup, 'end');
    await scrollRecords(popup, 'top');
    expect(await popup.fieldValue(`New value for ${keyOf(1)}`)).toBe('typed, not saved');
  });
});
