// The built extension signs in through identity.launchWebAuthFlow against the local stack, in Chromium
// and in Firefox; survives its background being stopped; keeps every secret out of storage.local and .sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthState } from '../../src/shared/auth-state';
import { type Stack, startStack } from '../../stack/index';
import type { PageDriver } from './support/driver';
import { BROWSERS, chromiumProfile, configure, openProfile, type Profile, sendMessage, replyValue } from './support/profiles';
import { expectSecretsOnlyInSession, readStorage } from './support/storage-audit';

// Firefox has no command that stops an event page: it suspends this one after a second idle.
const BACKGROUND_IDLE_MS = 1_000;

describe.each(BROWSERS)('signing in in %s', (browser) => {
  let stack: Stack;
  let profile: Profile;

  beforeAll(async () => {
    [stack, profile] = await Promise.all([startStack({ port: 0 }), openProfile(browser, 'auth', { backgroundIdleMs: BACKGROUND_IDLE_MS })]);
  });
  afterAll(async () => {
    await profile?.close();
    await stack?.close();
  });

  const authState = async (page: PageDriver) => replyValue<AuthState>(await sendMessage(page, 'getAuthState'));
  /** When the running background started (a restarted one started later). */
  const startedAt = async (page: PageDriver) => replyValue<{ startedAt: number }>(await sendMessage(page, 'ping')).startedAt;
  const requests = (key: string): number => stack.counters()[key]?.requests ?? 0;

  it('signs in through the login window, holds credentials only in storage.session, and is still signed in after the background is stopped', async () => {
    await configure(profile, stack);
    const page = await profile.openPage('options/index.html');
    expect(await authState(page)).toMatchObject({ status: 'signedOut' });
    stack.resetCounters();

    // The background opens the window; the reply comes once the person has signed in.
    let reply: Promise<unknown> = Promise.resolve();
    const login = await profile.openLoginWindow(async () => {
      reply = sendMessage(page, 'signIn');
    });
    expect(await authState(page)).toMatchObject({ status: 'signingIn' });
    await login.submit('alice');
    await login.closed;

    expect(await reply).toMatchObject({ ok: true, value: { status: 'signedIn', profile: { sub: 'auth0|alice', name: 'Alice Liddell' } } });
    const state = await authState(page);
    expect(state.identityId).toMatch(/^us-east-1:/);
    expect(state.credentialsExpireAt).toBeGreaterThan(Date.now());
    // Firefox loads the authorization URL once in the background before it opens the window (docs/testing.md);
    // the token and Cognito calls are made once all the same.
    expect(requests('oidc.token')).toBe(1);
    expect(requests('cognito-identity.GetId')).toBe(1);
    expect(requests('cognito-identity.GetCredentialsForIdentity')).toBe(1);

    // Storage audit: the secrets are in storage.session and nowhere else.
    expectSecretsOnlyInSession(await page.evaluate(readStorage));

    // Stop the background as the browser does when idle; a message wakes a new one that resumes from storage.
    stack.resetCounters();
    const startedBefore = await startedAt(page);
    await profile.restartBackground();
    const fresh = await profile.openPage('popup/index.html');
    const after = await authState(fresh);
    // Another background answered: the state came from storage, not from the old one's memory.
    expect(await startedAt(fresh)).toBeGreaterThan(startedBefore);
    expect(after).toEqual(state);
    expect(requests('oidc.token')).toBe(0);
    expect(requests('cognito-identity.GetId')).toBe(0);
    expect(requests('cognito-identity.GetCredentialsForIdentity')).toBe(0);

    // Signing out revokes the refresh token at the provider.
    await expect(sendMessage(fresh, 'signOut')).resolves.toMatchObject({ ok: true });
    expect(requests('oidc.revoke')).toBe(1);
    // The provider's session ended too, through a silent flow.
    expect(requests('oidc.logout')).toBe(1);
    // Signed out, the pages are given nobody's identity: the next person's sign-in shows nothing of this one's.
    expect(await authState(fresh)).toEqual({ status: 'signedOut' });
    // (No stillSignedInAt: the provider's logout reached the redirect URL through the hidden flow.)
    await fresh.close();
    await page.close();
  });

  it('sends the person to the settings, not round to Sign in again, when the identity pool refuses the sign-in', async () => {
    const missing = 'us-east-1:00000000-0000-4000-8000-000000000000';
    await configure(profile, stack, { extra: [['Identity pool ID', missing]] });
    const popup = await profile.openPage('popup/index.html');
    await profile.signInThroughWindow(() => popup.click('Sign in'), 'alice');
    await popup.waitForText(`The identity pool ${missing} was not found`);
    await popup.waitForButton('Open settings');
    // The login window's focus closes a real popup: opened again, it has the way out focused.
    await popup.close();
    const reopened = await profile.openPage('popup/index.html');
    await reopened.waitForText(`The identity pool ${missing} was not found`);
    await expect.poll(() => reopened.focused()).toBe('Open settings');
    const pages = await profile.pageCount();
    await reopened.click('Open settings');
    await expect.poll(() => profile.pageCount()).toBe(pages + 1);
    // Signing in stays at hand, for once the settings are changed.
    await reopened.waitForButton('Sign in');
    await reopened.close();
  });
});

// Chrome's sign-in window fails on the provider's error page without showing it (Firefox's shows the page, and
// the person reads it there): only Chrome's failure needs the extension to say what the page would have said.
describe('an error page instead of the provider’s login page, in Chromium', () => {
  let stack: Stack;
  let profile: Profile;

  beforeAll(async () => {
    [stack, profile] = await Promise.all([startStack({ port: 0 }), chromiumProfile('auth-error-page')]);
  });
  afterAll(async () => {
    await profile?.close();
    await stack?.close();
  });

  it('names the redirect URL and client ID to check', async () => {
    await configure(profile, stack);
    stack.addFault({ service: 'oidc', operation: 'authorize', kind: 'status', status: 400, message: 'Callback URL mismatch', count: 5 });
    const popup = await profile.openPage('popup/index.html');
    await popup.click('Sign in');
    await popup.waitForText('answered the sign-in with an error page instead of its login page');
    expect(await popup.evaluate(() => document.body.textContent)).toContain(`application with client ID ${stack.config.clientId}`);
    await popup.waitForButton('Open settings');
    stack.clearFaults();
    await popup.close();
  });
});
