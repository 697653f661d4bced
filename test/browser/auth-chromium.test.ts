// The built extension in Chromium signs in through identity.launchWebAuthFlow against the local stack,
// survives its service worker being stopped, and keeps every secret out of storage.local and .sync.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import type { AuthState } from '../../src/shared/auth-state';
import type { MessageReply } from '../../src/shared/messages';
import type { ChromiumExtension } from './support/chromium';
import { chromiumProfile, configure } from './support/profiles';
import type { ExtensionGlobal } from './support/extension-global';
import { expectSecretsOnlyInSession, readStorage } from './support/storage-audit';

let stack: Stack;
let profile: Awaited<ReturnType<typeof chromiumProfile>>;
let chromium: ChromiumExtension;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
  profile = await chromiumProfile('auth');
  chromium = profile.extension;
});
afterAll(async () => {
  await chromium?.close();
  await stack?.close();
});

function send(page: Page, type: string): Promise<MessageReply> {
  return page.evaluate((t) => (globalThis as ExtensionGlobal).chrome.runtime.sendMessage({ type: t, args: [] }) as Promise<MessageReply>, type);
}

async function authState(page: Page): Promise<AuthState> {
  const reply = await send(page, 'getAuthState');
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as AuthState;
}

/** When the running worker started; evaluate on a stopped worker hangs, so it is bounded (docs/testing.md). */
async function workerStartTime(): Promise<number> {
  const worker = await chromium.worker();
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the worker did not answer')), 5_000));
  return Promise.race([worker.evaluate(() => performance.timeOrigin), timeout]);
}

function requests(key: string): number {
  return stack.counters()[key]?.requests ?? 0;
}

/** The stack's settings, saved through the options page as a person would; then a page to talk from. */
async function saveStackSettings(): Promise<Page> {
  await configure(profile, stack);
  return chromium.openPage('options/index.html');
}

describe('signing in in Chromium', () => {
  it('signs in through the login window, and is still signed in after the worker is stopped', async () => {
    const page = await saveStackSettings();
    expect(await authState(page)).toMatchObject({ status: 'signedOut' });
    stack.resetCounters();

    // The worker opens the window; the reply comes once the person has signed in.
    const opened = chromium.context.waitForEvent('page');
    const reply = send(page, 'signIn');
    const login = await opened;
    const closed = login.waitForEvent('close');
    expect(await authState(page)).toMatchObject({ status: 'signingIn' });
    await login.getByLabel('Username').fill('alice');
    await login.getByLabel('Password').fill('password');
    await login.getByRole('button', { name: 'Sign in' }).click();
    await closed;

    const signedIn = await reply;
    expect(signedIn).toMatchObject({ ok: true, value: { status: 'signedIn', profile: { sub: 'auth0|alice', name: 'Alice Liddell' } } });
    const state = await authState(page);
    expect(state.identityId).toMatch(/^us-east-1:/);
    expect(state.credentialsExpireAt).toBeGreaterThan(Date.now());
    expect(requests('oidc.token')).toBe(1);
    expect(requests('cognito-identity.GetId')).toBe(1);
    expect(requests('cognito-identity.GetCredentialsForIdentity')).toBe(1);

    // Storage audit: the secrets are in storage.session and nowhere else.
    expectSecretsOnlyInSession(await page.evaluate(readStorage));

    // Stop the worker as Chrome does after 30 s idle; a message wakes a new one that resumes from storage.
    stack.resetCounters();
    const startedBefore = await workerStartTime();
    await chromium.stopWorkers();
    const fresh = await chromium.openPage('popup/index.html');
    const after = await authState(fresh);
    // Another worker answered: the state came from storage, not from the old worker's memory.
    expect(await workerStartTime()).toBeGreaterThan(startedBefore);
    expect(after).toEqual(state);
    expect(requests('oidc.token')).toBe(0);
    expect(requests('cognito-identity.GetId')).toBe(0);
    expect(requests('cognito-identity.GetCredentialsForIdentity')).toBe(0);

    // Signing out revokes the refresh token at the provider.
    await expect(send(fresh, 'signOut')).resolves.toMatchObject({ ok: true });
    expect(requests('oidc.revoke')).toBe(1);
    // The provider's session ended too, through a silent flow.
    expect(requests('oidc.logout')).toBe(1);
    expect(await authState(fresh)).toMatchObject({ status: 'signedOut', identityId: state.identityId });
    await fresh.close();
    await page.close();
  });
});
