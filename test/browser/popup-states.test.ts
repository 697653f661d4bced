// Each of the popup's states, reached in each browser and checked for what the person sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../stack/index';
import type { PageDriver } from './support/driver';
import type { ExtensionGlobal } from './support/extension-global';
import { signInFromPopup, syncNow } from './support/popup-actions';
import { BROWSERS, configure, openProfile, type Profile, replyValue, sendMessage } from './support/profiles';

/** An hour later: the tokens and credentials expired, and a refresh token the provider refuses. */
async function expireSignIn(popup: PageDriver): Promise<void> {
  await popup.evaluate(async () => {
    const { storage } = (globalThis as ExtensionGlobal).chrome;
    const { authTokens, awsCredentials } = await storage.session.get(['authTokens', 'awsCredentials']);
    await storage.session.set({
      authTokens: { ...(authTokens as object), refreshToken: 'revoked', idTokenExpiresAt: Date.now() - 1000 },
      awsCredentials: { ...(awsCredentials as object), expiresAt: Date.now() - 1000 },
    });
  });
}

function badgeText(popup: PageDriver): Promise<string> {
  return popup.evaluate(() => (globalThis as ExtensionGlobal).chrome.action.getBadgeText({}));
}

describe.each(BROWSERS)('the popup in %s', (browser) => {
  let stack: Stack;
  let first: Profile;
  let second: Profile;

  beforeAll(async () => {
    [stack, first, second] = await Promise.all([startStack({ port: 0 }), openProfile(browser, 'first'), openProfile(browser, 'second')]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await stack?.close();
  });

  it('asks a new user to open the settings', async () => {
    const popup = await first.openPage('popup/index.html');
    await popup.waitForText('Connect the extension to your identity provider and identity pool to start.');
    await popup.waitForButton('Open settings');
    // Its one action has the focus: Enter opens the settings.
    await expect.poll(() => popup.focused()).toBe('Open settings');
    await popup.close();
  });

  it('says “signing in” while the login window is open, points to the open window on Start again, and says sign-in was cancelled when it is closed', async () => {
    await configure(first, stack);
    const popup = await first.openPage('popup/index.html');
    await popup.waitForText('Sign in to sync your data across browsers.');
    await expect.poll(() => badgeText(popup)).toBe('off');

    const login = await first.openLoginWindow(() => popup.click('Sign in'));
    await popup.waitForText('Signing in… finish in the window that opened.');
    // Chrome allows one login window at a time: Start again says so, and the open window still counts.
    // Firefox opens a second window instead, so there the message has nothing to report.
    if (browser === 'chromium') {
      await popup.click('Start again');
      await popup.waitForText('A sign-in window is already open.');
      await popup.waitForText('Signing in… finish in the window that opened.');
    }
    await login.close();
    await popup.waitForText('Sign-in was cancelled. Sign in again when you are ready.');
    await popup.waitForButton('Sign in');
    await popup.close();
  });

  it('shows who is signed in, with a copyable identity id', async () => {
    const popup = await signInFromPopup(first, 'alice');
    await popup.waitForText('Alice Liddell');
    await popup.waitForText('alice@example.com');
    await popup.waitForText(/us-east-1:[0-9a-f-]{36}/);
    await popup.waitForButton('Copy identity ID');
    await popup.waitForText('No records yet. Add one below.');
    await expect.poll(() => badgeText(popup)).toBe('');
    await popup.close();
  });

  it('keeps every record typed one after another, without waiting for each to be saved', async () => {
    const popup = await first.openPage('popup/index.html');
    for (const key of ['one', 'two', 'three']) {
      await popup.fill('New key', key);
      await popup.fill('New value', `value ${key}`);
      await popup.click('Add');
    }
    for (const key of ['one', 'two', 'three']) await expect.poll(() => popup.rowText(key)).toMatch(new RegExp(`^${key} value ${key}`));
    // Editing in place by keyboard: focus goes into the field, and back to the row's Edit button after Escape.
    await popup.click('Edit two');
    await expect.poll(() => popup.focused()).toBe('New value for two');
    await popup.press('Escape');
    await expect.poll(() => popup.focused()).toBe('Edit two');
    for (const key of ['one', 'two', 'three']) {
      await popup.click(`Delete ${key}`);
      await expect.poll(() => popup.rowText(key)).toBeUndefined();
    }
    await syncNow(popup);
    await popup.close();
  });

  it('counts pending edits, and shows a failed sync with its message and a way to retry', async () => {
    const popup = await first.openPage('popup/index.html');
    // More failures than the sync's own retries: the person sees the error.
    stack.addFault({ service: 'dynamodb', kind: 'status', status: 500, count: 50 });
    await popup.fill('New key', 'city');
    await popup.fill('New value', 'Oxford');
    await popup.click('Add');
    await expect.poll(() => popup.rowText('city')).toMatch(/^city Oxford Pending/);
    await popup.waitForText('1 pending');
    // By keyboard: the focus stays on Sync now while it is unavailable during the sync, and after it.
    await popup.pressButton('Sync now');
    await popup.waitForText('The dataset service had a problem');
    await popup.waitForButton('Try again');
    await expect.poll(() => badgeText(popup)).toBe('!');
    expect(await popup.focused()).toBe('Sync now');

    // Trying again keeps the failure where it is until a sync succeeds: nothing under it moves when a sync
    // starts (a press meant for Add would land elsewhere), and a screen reader hears it once, not at each try.
    const formTop = () => popup.evaluate(() => document.querySelector('form.add-record')?.getBoundingClientRect().top);
    const before = await formTop();
    expect(before).toEqual(expect.any(Number));
    stack.clearFaults();
    // Long enough for the checks below on a busy machine; the wait for "All changes synced" ends it.
    stack.addFault({ service: 'dynamodb', kind: 'delay', delayMs: 4_000 });
    await popup.pressButton('Try again');
    await popup.waitForText('Syncing…');
    await popup.waitForText('The dataset service had a problem');
    expect(await popup.isDisabled('Try again')).toBe(true);
    expect(await popup.focused()).toBe('Try again');
    expect(await formTop()).toBe(before);
    await popup.waitForText('All changes synced');
    await popup.waitForButton('Try again', false);
    // Try again went with the failure it cured: its focus goes to Sync now, beside it.
    await expect.poll(() => popup.focused()).toBe('Sync now');
    await expect.poll(() => popup.rowText('city')).toMatch(/^city Oxford Synced/);
    await expect.poll(() => badgeText(popup)).toBe('');

    // A sync the popup did not ask for (the edit timer, the periodic one) makes Sync now unavailable too: the focus
    // resting on it stays. The popup hears of such a sync at the next storage write, made here while it runs.
    stack.addFault({ service: 'dynamodb', kind: 'delay', delayMs: 4_000 });
    const synced = sendMessage(popup, 'syncNow');
    const write = () => popup.evaluate(() => (globalThis as ExtensionGlobal).chrome.storage.session.set({ testWrite: Date.now() }));
    await expect
      .poll(async () => {
        await write();
        return popup.isDisabled('Sync now');
      })
      .toBe(true);
    expect(await popup.focused()).toBe('Sync now');
    replyValue(await synced);
    await expect.poll(() => popup.isDisabled('Sync now')).toBe(false);
    expect(await popup.focused()).toBe('Sync now');
    await popup.evaluate(() => (globalThis as ExtensionGlobal).chrome.storage.session.remove('testWrite'));
    await popup.close();
  });

  it('marks a record whose conflicting edits were resolved, and says which', async () => {
    await configure(second, stack);
    const here = await first.openPage('popup/index.html');
    const there = await signInFromPopup(second, 'alice');
    await syncNow(there);
    await expect.poll(() => there.rowText('city')).toMatch(/^city Oxford Synced/);

    // Both browsers change the same record before either syncs; the later edit wins by default.
    await here.click('Edit city');
    await here.fill('New value for city', 'Cambridge');
    await here.click('Save city');
    await there.click('Edit city');
    await there.fill('New value for city', 'Bristol');
    await there.click('Save city');
    await syncNow(here);
    await syncNow(there);

    await expect.poll(() => there.rowText('city')).toMatch(/^city Bristol Conflict resolved/);
    await there.waitForText('Resolved 1 conflict(s): city');
    await syncNow(here);
    await expect.poll(() => here.rowText('city')).toMatch(/^city Bristol Synced/);
    await Promise.all([here.close(), there.close()]);
  });

  it('asks the person to sign in again when renewal fails, without opening a window', async () => {
    const popup = await first.openPage('popup/index.html');
    // An hour later with the provider session gone: expired tokens and credentials, a refused refresh token.
    await expireSignIn(popup);
    await first.clearCookies();
    const pagesBefore = await first.pageCount();

    await popup.click('Sync now');
    await popup.waitForText('Your sign-in has ended. Sign in again to keep syncing.');
    await popup.waitForButton('Sign in');
    await expect.poll(() => badgeText(popup)).toBe('!');
    expect(await first.pageCount()).toBe(pagesBefore);
    // The person's data is still shown while they are asked to sign in again.
    await expect.poll(() => popup.rowText('city')).toMatch(/^city Bristol/);
    await popup.close();
  });

  it('lets the person whose sign-in ended sign out, which takes their data off the popup', async () => {
    const popup = await first.openPage('popup/index.html');
    await popup.waitForText('Your sign-in has ended. Sign in again to keep syncing.');
    await expect.poll(() => popup.rowText('city')).toMatch(/^city Bristol/);

    await popup.click('Sign out');
    await popup.waitForText('Sign in to sync your data across browsers.');
    // The one thing to do now has the focus, as when the popup opens signed out.
    await expect.poll(() => popup.focused()).toBe('Sign in');
    expect(await popup.rowText('city')).toBeUndefined();
    await expect.poll(() => badgeText(popup)).toBe('off');
    await popup.close();
  });

  it('asks the person to sign in again when the provider answers the silent sign-in with a page, not a redirect', async () => {
    // Signed in again, from the state the test before left.
    const popup = await first.openPage('popup/index.html');
    await popup.waitForButton('Sign in');
    const signInAt = Date.now();
    await first.signInThroughWindow(() => popup.click('Sign in'), 'alice');
    await popup.waitForButton('Sign out');
    // The sync that follows a sign-in has ended: its dataset says so. An enabled Sync now alone is no proof on
    // a busy machine (it is enabled before that sync starts), and that sync could then store fresh credentials
    // over the expired ones below, or keep Sync now disabled when it is pressed.
    const lastSynced = (): Promise<number> =>
      popup.evaluate(async () => {
        const all = await (globalThis as ExtensionGlobal).chrome.storage.local.get(null);
        const times = Object.entries(all)
          .filter(([key]) => key.startsWith('dataset/'))
          .map(([, value]) => (value as { lastSyncedAt?: number }).lastSyncedAt ?? 0);
        return Math.max(0, ...times);
      });
    await expect.poll(lastSynced, { timeout: 15_000 }).toBeGreaterThanOrEqual(signInAt);
    await expect.poll(() => popup.isDisabled('Sync now'), { timeout: 15_000 }).toBe(false);
    await expireSignIn(popup);
    // A provider that shows a page for prompt=none (a consent or logout page) instead of redirecting back.
    stack.addFault({ service: 'oidc', operation: 'authorize', kind: 'status', status: 200, message: 'A page, no redirect', count: 5 });
    const pagesBefore = await first.pageCount();
    stack.resetCounters();

    await popup.click('Sync now');
    await popup.waitForText('Your sign-in has ended. Sign in again to keep syncing.', 45_000);
    await popup.waitForButton('Sign in');
    expect(await first.pageCount()).toBe(pagesBefore);
    // The silent sign-in went to the provider and met the page.
    expect(stack.counters()['oidc.authorize']?.requests).toBeGreaterThanOrEqual(1);
    stack.clearFaults();
    await popup.close();
  });
});
