// The built extension in Firefox (puppeteer-core over WebDriver BiDi) signs in against the local stack
// through identity.launchWebAuthFlow, and keeps every secret out of storage.local and .sync.
import type { Page, Target } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import type { AuthState } from '../../src/shared/auth-state';
import type { MessageReply } from '../../src/shared/messages';
import type { ExtensionGlobal } from './support/extension-global';
import { expectSecretsOnlyInSession, readStorage } from './support/storage-audit';
import type { FirefoxExtension } from './support/firefox';
import { configure, firefoxProfile } from './support/profiles';

let stack: Stack;
let profile: Awaited<ReturnType<typeof firefoxProfile>>;
let firefox: FirefoxExtension;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
  profile = await firefoxProfile('auth');
  firefox = profile.extension;
});
afterAll(async () => {
  await firefox?.close();
  await stack?.close();
});

function send(page: Page, type: string): Promise<MessageReply> {
  return page.evaluate((t) => (globalThis as ExtensionGlobal).browser.runtime.sendMessage({ type: t, args: [] }) as Promise<MessageReply>, type);
}

async function authState(page: Page): Promise<AuthState> {
  const reply = await send(page, 'getAuthState');
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as AuthState;
}

function requests(key: string): number {
  return stack.counters()[key]?.requests ?? 0;
}

/** The stack's settings, saved through the options page as a person would; then a page to talk from. */
async function saveStackSettings(): Promise<Page> {
  await configure(profile, stack);
  return firefox.openPage('options/index.html');
}

/** The login window: its page, once it shows the stack's login form. */
async function loginWindow(): Promise<Page> {
  const isLogin = (target: Target) => target.url().includes('/interaction/');
  const target = await firefox.browser.waitForTarget(isLogin, { timeout: 30_000 });
  const page = await target.page();
  if (!page) throw new Error('the login window has no page');
  await page.waitForSelector('input#username');
  return page;
}

describe('signing in in Firefox', () => {
  it('signs in through the login window and holds credentials only in storage.session', async () => {
    const page = await saveStackSettings();
    expect(await authState(page)).toMatchObject({ status: 'signedOut' });
    stack.resetCounters();

    const opened = loginWindow();
    const reply = send(page, 'signIn');
    const login = await opened;
    await login.locator('#username').fill('alice');
    await login.locator('#password').fill('password');
    // The window closes itself after the final redirect: don't wait on its navigation.
    void login.locator('button[type=submit]').click().catch(() => undefined);

    expect(await reply).toMatchObject({ ok: true, value: { status: 'signedIn', profile: { sub: 'auth0|alice', name: 'Alice Liddell' } } });
    const state = await authState(page);
    expect(state.identityId).toMatch(/^us-east-1:/);
    expect(state.credentialsExpireAt).toBeGreaterThan(Date.now());
    // Firefox loads the authorization URL once in the background before it opens the window (facts.md);
    // the token and Cognito calls are made once all the same.
    expect(requests('oidc.token')).toBe(1);
    expect(requests('cognito-identity.GetId')).toBe(1);
    expect(requests('cognito-identity.GetCredentialsForIdentity')).toBe(1);

    expectSecretsOnlyInSession(await page.evaluate(readStorage));

    stack.resetCounters();
    await expect(send(page, 'signOut')).resolves.toMatchObject({ ok: true });
    expect(requests('oidc.revoke')).toBe(1);
    expect(await authState(page)).toMatchObject({ status: 'signedOut', identityId: state.identityId });
    // The provider's logout reached the redirect URL through Firefox's hidden flow: nothing remains to tell.
    expect((await authState(page)).stillSignedInAt).toBeUndefined();
    await page.close();
  });
});
