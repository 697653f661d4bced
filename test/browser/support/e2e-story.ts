// The end-to-end story, through the interface only, written once for both browsers: a new user sets the
// extension up, signs in, adds a record; a second profile of the same user sees it after "Sync now" and
// edits it; the first sees the edit; a second user sees none of it; signing out clears the profile.
import { expect } from 'vitest';
import type { Stack } from '../../../stack/index';
import type { ExtensionGlobal } from './extension-global';
import { configure, type Profile } from './profiles';
import type { PageDriver } from './driver';
import { shownError, signInFromPopup, syncNow as syncPopup } from './popup-actions';

async function syncNow(popup: PageDriver): Promise<void> {
  await syncPopup(popup);
  await popup.waitForText(/Synced \d/);
}

async function expectRow(popup: PageDriver, key: string, pattern: RegExp): Promise<void> {
  await expect.poll(() => popup.rowText(key), { timeout: 15_000 }).toMatch(pattern);
}

/** Secrets in storage.session, read from an extension page: empty once signed out. */
function sessionSecrets(page: PageDriver): Promise<string[]> {
  return page.evaluate(async () => {
    const session = await (globalThis as ExtensionGlobal).chrome.storage.session.get(null);
    return Object.keys(session).filter((key) => key === 'authTokens' || key === 'awsCredentials');
  });
}

export async function runStory(stack: Stack, open: (name: string) => Promise<Profile>): Promise<void> {
  // Three browsers start side by side: the story then drives them one after another.
  const [first, second, third] = await Promise.all([open('first'), open('second'), open('third')]);
  try {
    // A new user: nothing configured yet.
    const fresh = await first.openPage('popup/index.html');
    await fresh.waitForText('Connect the extension to your identity provider');
    await fresh.waitForButton('Open settings');
    await fresh.close();

    await configure(first, stack);
    const alice1 = await signInFromPopup(first, 'alice');
    await alice1.waitForText('Alice Liddell');
    await alice1.waitForText('alice@example.com');
    await alice1.waitForText('No records yet.');

    await alice1.fill('New key', 'colour');
    await alice1.fill('New value', 'blue');
    await alice1.click('Add');
    await expectRow(alice1, 'colour', /^colour blue (Pending|Synced)/);
    await syncNow(alice1);
    await expectRow(alice1, 'colour', /^colour blue Synced/);

    // The same person in another profile sees the record after Sync now, and edits it.
    await configure(second, stack);
    const alice2 = await signInFromPopup(second, 'alice');
    await syncNow(alice2);
    await expectRow(alice2, 'colour', /^colour blue Synced/);
    await alice2.click('Edit colour');
    await alice2.fill('New value for colour', 'green');
    await alice2.click('Save colour');
    await expectRow(alice2, 'colour', /^colour green/);
    await syncNow(alice2);

    await syncNow(alice1);
    await expectRow(alice1, 'colour', /^colour green Synced/);

    // Another person on a third profile sees none of it.
    await configure(third, stack);
    const bob = await signInFromPopup(third, 'bob');
    await syncNow(bob);
    await bob.waitForText('No records yet.');
    expect(await bob.rowText('colour')).toBeUndefined();

    // Signing out ends the session here: the sign-in button is back and no token or credential is left.
    expect(await sessionSecrets(alice1)).toEqual(['authTokens', 'awsCredentials'].sort());
    await alice1.click('Sign out');
    await alice1.waitForButton('Sign in');
    expect(await sessionSecrets(alice1)).toEqual([]);
    // Signing out went without a hitch: no error is shown.
    expect(await shownError(alice1)).toBeNull();
  } finally {
    await Promise.all([first.close(), second.close(), third.close()]);
  }
}
