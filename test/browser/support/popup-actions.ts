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
  await popup.waitForText('All changes synced');
  expect(await shownError(popup)).toBeNull();
}
