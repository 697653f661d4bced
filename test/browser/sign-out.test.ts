// On a shared computer: a sign-out whose provider logout fails tells the person that the provider's
// session remains, and the next person to press Sign in is asked for their own password rather than signed
// in as whoever left. With a working logout the provider's session ends and nothing more is said. What the
// person left unsent stays theirs: nothing of it shows while the next person signs in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import type { PageDriver } from './support/driver';
import type { ExtensionGlobal } from './support/extension-global';
import { signInFromPopup } from './support/popup-actions';
import { BROWSERS, configure, openProfile, type Profile } from './support/profiles';

function pageText(popup: PageDriver): Promise<string> {
  return popup.evaluate(() => document.body.textContent ?? '');
}

function badgeText(popup: PageDriver): Promise<string> {
  return popup.evaluate(() => (globalThis as ExtensionGlobal).chrome.action.getBadgeText({}));
}

describe.each(BROWSERS)('signing out in %s', (browser) => {
  let stack: Stack;
  let profile: Profile;

  beforeAll(async () => {
    [stack, profile] = await Promise.all([startStack({ port: 0 }), openProfile(browser, 'sign-out')]);
  });
  afterAll(async () => {
    await profile?.close();
    await stack?.close();
  });

  const logins = (): number => stack.counters()['oidc.login']?.requests ?? 0;

  it('says where the person is still signed in when the provider’s logout fails, and says nothing once it works', async () => {
    await configure(profile, stack);
    const popup = await signInFromPopup(profile, 'alice');
    stack.addFault({ service: 'oidc', operation: 'logout', kind: 'status', status: 500 });

    await popup.click('Sign out');

    const notice = `You are still signed in at ${new URL(stack.url).host}; sign out there too.`;
    await popup.waitForText(notice);
    await popup.waitForButton('Sign in');

    // The provider's session is still alice's, yet the next person to press Sign in is asked for a password,
    // and is signed in as themselves.
    stack.resetCounters();
    await profile.signInThroughWindow(() => popup.click('Sign in'), 'bob');
    await popup.waitForButton('Sign out');
    await popup.waitForText('bob@example.com');
    expect(logins()).toBeGreaterThan(0);
    expect(await pageText(popup)).not.toContain(notice);
    expect(await pageText(popup)).not.toContain('alice@example.com');

    // With a working logout nothing more is said, and the provider's session is gone: the next sign-in
    // goes through the login form again.
    await popup.click('Sign out');
    await popup.waitForButton('Sign in');
    // Signed out, the focus is on the one thing to do next, as when the popup opens signed out.
    await expect.poll(() => popup.focused()).toBe('Sign in');
    expect(await pageText(popup)).not.toContain('still signed in');
    await popup.close();
    // The next popup, nobody signed in, forgets which identity the last first frame showed (its page storage).
    const next = await profile.openPage('popup/index.html');
    await next.waitForButton('Sign in');
    await expect.poll(() => next.evaluate(() => localStorage.getItem('firstFrameHint'))).toBeNull();
    await next.close();
    stack.resetCounters();
    await (await signInFromPopup(profile, 'alice')).close();
    expect(logins()).toBeGreaterThan(0);
  });

  it('keeps what the person left unsent to themselves while the next person signs in', async () => {
    // Alice (signed in by the test before) adds a record while the data store fails: it waits, unsent.
    const popup = await profile.openPage('popup/index.html');
    await popup.waitForButton('Sign out');
    stack.addFault({ service: 'dynamodb', kind: 'status', status: 500, count: 1_000 });
    await popup.fill('New key', 'diary');
    await popup.fill('New value', 'not for bob');
    await popup.click('Add');
    await expect.poll(() => popup.rowText('diary')).toMatch(/^diary not for bob/);
    await popup.click('Sign out');
    await popup.waitForButton('Sign in');
    await expect.poll(() => badgeText(popup)).toBe('off');
    // The popup says the record is still here, and offers no way to remove what exists nowhere else.
    await popup.waitForText('1 edit(s) of them have not reached the server yet. To remove them from here, sign in and sync first.');
    await popup.waitForButton('Remove from this browser', false);
    stack.clearFaults();

    // While bob's login window is open, the badge does not count alice's unsent edit.
    const login = await profile.openLoginWindow(() => popup.click('Sign in'));
    await popup.waitForText('Signing in… finish in the window that opened.');
    await expect.poll(() => badgeText(popup)).toBe('');
    await login.close();
    await popup.waitForButton('Sign in');

    // Alice's own sign-in brings her record back, and sends it.
    await profile.signInThroughWindow(() => popup.click('Sign in'), 'alice');
    await expect.poll(() => popup.rowText('diary'), { timeout: 15_000 }).toMatch(/^diary not for bob Synced/);
    await popup.close();
  });

  it('lets the person who signed out remove their records from this browser, and brings them back at their next sign-in', async () => {
    const popup = await profile.openPage('popup/index.html');
    await popup.waitForButton('Sign out');
    await expect.poll(() => popup.rowText('diary')).toMatch(/^diary not for bob Synced/);
    const aliceId = await popup.evaluate(async () => {
      const { authState } = await (globalThis as ExtensionGlobal).chrome.storage.session.get('authState');
      return (authState as { identityId: string }).identityId;
    });
    await popup.click('Sign out');
    await popup.waitForText('The records of the last person to sign out here (1) stay in this browser for their next sign-in.');

    const localKeys = (): Promise<string[]> =>
      popup.evaluate(async () => Object.keys(await (globalThis as ExtensionGlobal).chrome.storage.local.get(null)));
    const othersBefore = (await localKeys()).filter((key) => !key.includes(aliceId));
    await popup.click('Remove from this browser');
    await popup.waitForText('Removed from this browser. Signing in again brings the records back from the server.');
    const keys = await localKeys();
    // Hers are gone; what else the browser holds (bob's, who signed out before her, the settings) is not hers.
    expect(keys.filter((key) => key.includes(aliceId))).toEqual([]);
    expect(keys.filter((key) => !key.includes(aliceId)).sort()).toEqual(othersBefore.sort());
    await popup.close();
    // Whoever opens the popup next is told nothing more.
    const next = await profile.openPage('popup/index.html');
    await next.waitForButton('Sign in');
    expect(await pageText(next)).not.toContain('last person to sign out');

    await profile.signInThroughWindow(() => next.click('Sign in'), 'alice');
    await expect.poll(() => next.rowText('diary'), { timeout: 15_000 }).toMatch(/^diary not for bob Synced/);
    await next.close();
  });
});
