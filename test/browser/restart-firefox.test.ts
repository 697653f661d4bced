// Firefox suspends an idle event page as Chrome stops an idle service worker. The extension, signed in
// with a record pending, must answer from storage afterwards: same person, same identity, same data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import type { AuthState } from '../../src/shared/auth-state';
import type { DatasetView } from '../../src/shared/dataset';
import type { MessageReply } from '../../src/shared/messages';
import type { PageDriver } from './support/driver';
import type { ExtensionGlobal } from './support/extension-global';
import { configure, firefoxProfile } from './support/profiles';

const IDLE_MS = 1_000;

let stack: Stack;
let profile: Awaited<ReturnType<typeof firefoxProfile>>;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
  // Suspend the event page after one idle second instead of thirty.
  profile = await firefoxProfile('restart', { 'extensions.background.idle.timeout': IDLE_MS });
});
afterAll(async () => {
  await profile?.close();
  await stack?.close();
});

function valueOf<T>(reply: MessageReply): T {
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as T;
}

// One function per message: what runs in the page is serialised, so it takes no outside values.
const ping = async (page: PageDriver) =>
  valueOf<{ startedAt: number }>(
    await page.evaluate(() => (globalThis as ExtensionGlobal).browser.runtime.sendMessage({ type: 'ping', args: [] }) as Promise<MessageReply>),
  );
const authState = async (page: PageDriver) =>
  valueOf<AuthState>(
    await page.evaluate(
      () => (globalThis as ExtensionGlobal).browser.runtime.sendMessage({ type: 'getAuthState', args: [] }) as Promise<MessageReply>,
    ),
  );
const openDataset = async (page: PageDriver) =>
  valueOf<DatasetView>(
    await page.evaluate(
      () => (globalThis as ExtensionGlobal).browser.runtime.sendMessage({ type: 'openDataset', args: [] }) as Promise<MessageReply>,
    ),
  );

describe('Firefox suspending the event page', () => {
  it('resumes the sign-in and the pending data from storage, without signing in again', async () => {
    await configure(profile, stack);
    const popup = await profile.openPage('popup/index.html');
    await profile.signInThroughWindow(() => popup.click('Sign in'), 'alice');
    await popup.waitForButton('Sign out');
    await popup.fill('New key', 'kept');
    await popup.fill('New value', 'across a restart');
    await popup.click('Add');
    await expect.poll(() => popup.rowText('kept')).toMatch(/^kept across a restart/);

    const before = await ping(popup);
    const state = await authState(popup);
    const dataset = await openDataset(popup);
    stack.resetCounters();

    // Leave the extension alone until Firefox has suspended the event page.
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 4));
    const after = await ping(popup);
    expect(after.startedAt).toBeGreaterThan(before.startedAt);

    expect(await authState(popup)).toEqual(state);
    expect((await openDataset(popup)).records).toEqual(dataset.records);
    expect(stack.counters()['oidc.token']?.requests ?? 0).toBe(0);
    expect(stack.counters()['cognito-identity.GetId']?.requests ?? 0).toBe(0);
  });
});
