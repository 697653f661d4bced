// What a person does in the popup, shared by the end-to-end story and the popup's state tests.
import { expect } from 'vitest';
import type { PageDriver } from './driver';
import type { Profile } from './profiles';

/** Opens the popup signed out, signs in through the login window, and returns the signed-in popup. */
export async function signInFromPopup(profile: Profile, username: string): Promise<PageDriver> {
  const popup = await profile.openPage('popup/index.html');
  await popup.waitForText('Sign in to sync your data across browsers.');
  await profile.signInThroughWindow(() => popup.click('Sign in'), username);
  await popup.waitForButton('Sign out');
  return popup;
}

/** The error banner's text, or null when none is shown. */
export function shownError(popup: PageDriver): Promise<string | null> {
  return popup.evaluate(() => document.querySelector('[role=alert]')?.textContent ?? null);
}

/** Presses Sync now and waits until everything is synced, with no error shown. */
export async function syncNow(popup: PageDriver): Promise<void> {
  await popup.click('Sync now');
  // The line shown, once the button is no longer busy: the status a screen reader hears keeps the words it said
  // at the end of the last Sync now, and would answer before this one has ended.
  // Polled by hand: set-up steps (beforeAll) sync too, where expect.poll may not run.
  const line = async (): Promise<string> =>
    (await popup.isDisabled('Sync now')) ? 'Syncing' : await popup.evaluate(() => document.querySelector('.sync-status')?.textContent ?? '');
  const until = Date.now() + 15_000;
  let shown = await line();
  while (!shown.includes('All changes synced')) {
    if (Date.now() > until) throw new Error(`Sync now did not end with everything synced; the line says: ${shown}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    shown = await line();
  }
  expect(await shownError(popup)).toBeNull();
}

/** Where a button of the records' list is drawn, against the part of the list's viewport a person sees. */
export interface ButtonPlace {
  /** The button lies inside the viewport's visible box (its scrollbar left out), in both directions. */
  within: boolean;
  /** What the page shows at the button's centre and just inside either edge is the button (nothing covers it). */
  uncovered: boolean;
  /** The button's and the viewport's inline extent, rounded, for the message when it fails. */
  button: [number, number];
  viewport: [number, number];
  /** How wide the value's field is, while the row is edited (0 when there is none). */
  fieldWidth: number;
}

/** Where the records' list draws the button whose accessible name is `name`. */
export function buttonPlace(popup: PageDriver, name: string): Promise<ButtonPlace | undefined> {
  return popup.evaluateWith((label: string) => {
    const button = [...document.querySelectorAll('.windowed button')].find((element) => element.getAttribute('aria-label') === label);
    const viewport = document.querySelector('.windowed');
    if (!button || !viewport) return undefined;
    const box = button.getBoundingClientRect();
    const outer = viewport.getBoundingClientRect();
    const start = outer.left + viewport.clientLeft;
    const end = start + viewport.clientWidth;
    const middle = box.top + box.height / 2;
    const hits = [box.left + 1, box.left + box.width / 2, box.right - 1].map((x) => document.elementFromPoint(x, middle));
    const field = button.closest('tr')?.querySelector('.inline-edit input');
    return {
      within: box.left >= start - 0.5 && box.right <= end + 0.5 && box.top >= outer.top && box.bottom <= outer.bottom,
      uncovered: hits.every((hit) => hit !== null && button.contains(hit)),
      button: [Math.round(box.left), Math.round(box.right)],
      viewport: [Math.round(start), Math.round(end)],
      fieldWidth: Math.round(field?.getBoundingClientRect().width ?? 0),
    };
  }, name);
}

/**
 * From now on, keeps every text the page puts in a live region (role status or alert), as a screen reader hears it:
 * one shown for a moment counts too. `announced` reads them.
 */
export async function recordAnnouncements(popup: PageDriver): Promise<void> {
  await popup.evaluate(() => {
    const heard: string[] = [];
    (window as unknown as { __announced: string[] }).__announced = heard;
    const live = '[role=status], [role=alert]';
    new MutationObserver((records) => {
      // Each region changed in this batch once, as it reads after it: a node replaced in it is one change, not two.
      // A region is heard when its own content changed, or when it came with a node added; not when something
      // beside it changed (a hint added to the element that holds it).
      const changed = new Set<Element>();
      const hear = (node: Node, added: boolean): void => {
        const element = node instanceof Element ? node : node.parentElement;
        const region = element?.closest(live);
        if (region) changed.add(region);
        else if (added) for (const inner of element?.querySelectorAll(live) ?? []) changed.add(inner);
      };
      for (const record of records) {
        hear(record.target, false);
        for (const node of record.addedNodes) hear(node, true);
      }
      for (const region of changed) heard.push(region.textContent ?? '');
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** The texts live regions said since recordAnnouncements. */
export function announced(popup: PageDriver): Promise<string[]> {
  return popup.evaluate(() => (window as unknown as { __announced: string[] }).__announced);
}
