// The syncs nobody asks for, around a real sign-in: the worker's own sign-in, credentials and trigger
// modules in Node against the local stack, beside a second browser of the same person.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { rememberedIdentityId } from '../../src/background/credentials';
import { createDatasetService } from '../../src/background/sync/dataset-service';
import { workerDatasetDeps } from '../../src/background/sync/handlers';
import { ALARMS } from '../../src/background/platform/alarms';
import { DEBOUNCE_MS } from '../../src/background/sync/scheduler';
import { createWorker, type BackgroundWorker } from '../../src/background/worker';
import { quietEvents } from '../support/quiet-events';
import { authContext, newProfile, requests, stackSettings, type TestContext } from '../support/auth-context';
import { createDevice, dynamoRequests } from '../support/sync-device';
import { signInAtStack, type StackIdentity } from '../support/stack-identity';

let stack: Stack;
let alice: StackIdentity;

beforeAll(async () => {
  stack = await startStack({ port: 0, memory: true });
  alice = await signInAtStack(stack, 'alice');
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => stack.resetCounters());

/** A second browser of alice: configured, its worker put together as index.ts does, never signed in. */
async function freshBrowser(dataset: string): Promise<{ ctx: TestContext; worker: BackgroundWorker }> {
  const ctx = authContext(newProfile());
  await ctx.items.settings.set({ ...stackSettings(stack), datasetName: dataset });
  return { ctx, worker: createWorker(ctx, quietEvents) };
}

async function valuesOf(ctx: TestContext): Promise<Record<string, string>> {
  const records = await createDatasetService(ctx, workerDatasetDeps(ctx)).list();
  return Object.fromEntries(records.map((record) => [record.key, record.value]));
}

describe('signing in on another browser', () => {
  it('the first sign-in pulls what the other browser synced, without Sync now', async () => {
    const other = await createDevice(stack, { identity: alice, dataset: 'FirstSignIn' });
    await other.service.put('from-the-other-browser', 'hello');
    await other.service.sync();

    const { ctx, worker } = await freshBrowser('FirstSignIn');
    expect(await rememberedIdentityId(ctx)).toBeUndefined();
    stack.resetCounters();
    await worker.handlers.signIn();

    await vi.waitFor(async () => expect(await valuesOf(ctx)).toEqual({ 'from-the-other-browser': 'hello' }), { timeout: 5_000, interval: 50 });
    // The sync waited for the sign-in's GetId rather than asking again.
    expect(requests(stack)('cognito-identity.GetId')).toBe(1);
    expect((await createDatasetService(ctx, workerDatasetDeps(ctx)).open()).lastError).toBeUndefined();
  });
});

describe('a sync nobody asked for (alarm, browser start), while signed out', () => {
  it('is skipped: no request, no error shown, the edits stay pending for their person', async () => {
    const { ctx, worker } = await freshBrowser('SignedOut');
    const handlers = worker.handlers;
    await handlers.signIn();
    // The sign-in's own sync first (it shows as synced once done).
    await vi.waitFor(async () => expect((await handlers.openDataset()).lastSyncedAt).toBeDefined(), { timeout: 5_000, interval: 50 });
    // An edit the sign-out finds unsent (no alarm fires here to send it).
    await handlers.putRecord('edited', 'before signing out');
    await handlers.signOut();
    stack.resetCounters();

    await createDatasetService(ctx, workerDatasetDeps(ctx)).syncAll({ onlyPending: false });

    expect(dynamoRequests(stack)).toEqual({});
    // Signed out, the dataset is nobody's to open here; it waits in storage.local for its person.
    await expect(handlers.openDataset()).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    await handlers.signIn();
    const view = await handlers.openDataset();
    expect(view.lastError).toBeUndefined();
    expect(view.records.find((record) => record.key === 'edited')).toMatchObject({ value: 'before signing out' });
  });
});

describe('a sync the service failed', () => {
  it('is tried again by alarm a minute later, and that try sends the edit without Sync now or another edit', async () => {
    const { ctx, worker } = await freshBrowser('TriedAgain');
    const handlers = worker.handlers;
    await handlers.signIn();
    await vi.waitFor(async () => expect((await handlers.openDataset()).lastSyncedAt).toBeDefined(), { timeout: 5_000, interval: 50 });
    await handlers.putRecord('typed', 'while the service failed');
    stack.addFault({ service: 'dynamodb', operation: 'GetItem', kind: 'status', status: 500, count: 100 });

    const failedAt = Date.now();
    await expect(handlers.syncNow()).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringContaining('the extension will try again') });
    const when = ctx.alarms.scheduled.get(ALARMS.syncRetry) ?? 0;
    expect(when - failedAt).toBeGreaterThanOrEqual(60_000);
    expect(when - Date.now()).toBeLessThanOrEqual(60_000);
    // The popup is told when (its sync line says so).
    expect((await handlers.openDataset()).autoRetry).toEqual({ at: when });

    stack.clearFaults();
    stack.resetCounters();
    await worker.onAlarm(ALARMS.syncRetry);
    const view = await handlers.openDataset();
    expect(view.lastError).toBeUndefined();
    expect(view.pendingCount).toBe(0);
    expect(dynamoRequests(stack).TransactWriteItems).toBe(1);
    // Counting starts again: the next failure is tried again a minute later, not two.
    expect(await ctx.items.syncRetry.get()).toBeUndefined();
  });
});

describe('host access turned off in the browser, then given back', () => {
  it('fails as that, and the renewal and the sync go again the moment access is granted', async () => {
    const { ctx, worker } = await freshBrowser('AccessBack');
    const handlers = worker.handlers;
    await handlers.signIn();
    await vi.waitFor(async () => expect((await handlers.openDataset()).lastSyncedAt).toBeDefined(), { timeout: 5_000, interval: 50 });
    await handlers.putRecord('typed', 'while access was off');
    let granted = false;
    ctx.permissions = { remove: async () => true, contains: async () => granted };
    // The browser refuses each request as it does without a connection.
    await ctx.items.awsCredentials.remove();
    stack.addFault({ service: 'cognito-identity', kind: 'drop', count: 100 });
    await expect(handlers.syncNow()).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect((await handlers.getAuthState()).error).toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await ctx.items.syncRetry.get()).toBeUndefined();

    stack.clearFaults();
    granted = true;
    await worker.accessGranted();
    expect((await handlers.getAuthState()).error).toBeUndefined();
    const view = await handlers.openDataset();
    expect(view).toMatchObject({ pendingCount: 0 });
    expect(view.lastError).toBeUndefined();
  });

  it('takes back what a sign-in it ended said, once access is granted, so Sign in is the way on', async () => {
    const { ctx, worker } = await freshBrowser('AccessBackSignedOut');
    let granted = false;
    ctx.permissions = { remove: async () => true, contains: async () => granted };
    stack.addFault({ service: 'oidc', operation: 'token', kind: 'drop', count: 5 });
    await expect(worker.handlers.signIn()).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await worker.handlers.getAuthState()).toMatchObject({ status: 'signedOut', error: { code: 'PERMISSION_DENIED' } });
    stack.clearFaults();
    granted = true;
    await worker.accessGranted();
    const state = await worker.handlers.getAuthState();
    expect(state.status).toBe('signedOut');
    expect(state.error).toBeUndefined();
  });
});

describe('a sync that failed for a setting', () => {
  it('goes again once the settings are saved, without Sync now, when the fix moves no data', async () => {
    const { ctx, worker } = await freshBrowser('SettingFixed');
    const handlers = worker.handlers;
    await handlers.signIn();
    await vi.waitFor(async () => expect((await handlers.openDataset()).lastSyncedAt).toBeDefined(), { timeout: 5_000, interval: 50 });
    const right = await ctx.items.settings.get();
    if (!right) throw new Error('no settings');
    // A Role ARN asks for the basic flow, which this pool does not allow.
    await ctx.items.settings.set({ ...right, roleArn: 'arn:aws:iam::000000000000:role/Cognito_Basic' });
    await ctx.items.awsCredentials.remove();
    await handlers.putRecord('typed', 'before the fix');
    await expect(handlers.syncNow()).rejects.toMatchObject({ code: 'CREDENTIALS_BASIC_FLOW_OFF' });
    // The edit's own sync, due DEBOUNCE_MS after it, fails the same way: past it, nothing else would sync.
    await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_MS + 500));

    stack.resetCounters();
    await ctx.items.settings.set(right);
    // Read from storage as it is: opening the dataset through a service could start a sync of its own.
    const identityId = (await handlers.getAuthState()).identityId ?? '';
    const stored = ctx.items.dataset(identityId, 'SettingFixed');
    await vi.waitFor(
      async () => {
        const dataset = await stored.get();
        expect(dataset?.lastError).toBeUndefined();
        expect(dataset?.records.some((record) => record.pending)).toBe(false);
      },
      { timeout: 5_000, interval: 50 },
    );
    expect((await handlers.getAuthState()).error).toBeUndefined();
    expect(dynamoRequests(stack).TransactWriteItems).toBe(1);
  });
});
