// Chrome stops an idle service worker; Firefox suspends an idle event page. The extension, signed in
// with a record pending, must answer from storage afterwards: same person, same identity, same data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthState } from '../../src/shared/auth-state';
import type { DatasetView } from '../../src/shared/dataset';
import { type Stack, startStack } from '../../stack/index';
import type { PageDriver } from './support/driver';
import { BROWSERS, configure, openProfile, type Profile, sendMessage, replyValue } from './support/profiles';

// Firefox: suspend the event page after one idle second instead of thirty.
const IDLE_MS = 1_000;

const ping = async (page: PageDriver) => replyValue<{ startedAt: number }>(await sendMessage(page, 'ping'));
const authState = async (page: PageDriver) => replyValue<AuthState>(await sendMessage(page, 'getAuthState'));
const openDataset = async (page: PageDriver) => replyValue<DatasetView>(await sendMessage(page, 'openDataset'));

describe.each(BROWSERS)('%s stopping the idle background', (browser) => {
  let stack: Stack;
  let profile: Profile;

  beforeAll(async () => {
    [stack, profile] = await Promise.all([startStack({ port: 0 }), openProfile(browser, 'restart', { backgroundIdleMs: IDLE_MS })]);
  });
  afterAll(async () => {
    await profile?.close();
    await stack?.close();
  });

  it('resumes the sign-in and the pending data from storage, without signing in again', async () => {
    await configure(profile, stack);
    const popup = await profile.openPage('popup/index.html');
    await profile.signInThroughWindow(() => popup.click('Sign in'), 'alice');
    await popup.waitForButton('Sign out');
    // The record must still be pending when the background stops: on a slow machine the after-edit sync
    // would otherwise have pushed it first. Every DynamoDB request fails until the end of the test.
    stack.addFault({ service: 'dynamodb', kind: 'status', status: 503, count: 10_000 });
    await popup.fill('New key', 'kept');
    await popup.fill('New value', 'across a restart');
    await popup.click('Add');
    await expect.poll(() => popup.rowText('kept')).toMatch(/^kept across a restart/);

    const before = await ping(popup);
    const state = await authState(popup);
    const dataset = await openDataset(popup);
    stack.resetCounters();

    await profile.restartBackground();
    const after = await ping(popup);
    expect(after.startedAt).toBeGreaterThan(before.startedAt);

    expect(await authState(popup)).toEqual(state);
    expect((await openDataset(popup)).records).toEqual(dataset.records);
    expect(stack.counters()['oidc.token']?.requests ?? 0).toBe(0);
    expect(stack.counters()['cognito-identity.GetId']?.requests ?? 0).toBe(0);
    expect(dataset.records.map((record) => record.state)).toEqual(['pending']);
    stack.clearFaults();
  });
});
