// A person's Cognito identity merged into another (they linked a second sign-in elsewhere, the mobile app for
// one): Cognito refuses the old identity id from then on and answers the surviving one for the same login. What
// this browser held for the old identity (synced, and edits not yet sent) goes on being theirs. The worker's own
// sign-in, credentials and dataset modules in Node, against a stack of its own per test (a merge is for good).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { awsIdentity, rememberedIdentityId } from '../../src/background/credentials';
import { createDatasetService } from '../../src/background/sync/dataset-service';
import { workerDatasetDeps } from '../../src/background/sync/handlers';
import { createWorker } from '../../src/background/worker';
import type { SyncBackend } from '../../src/shared/settings';
import { quietEvents } from '../support/quiet-events';
import { authContext, fakeIdentity, newProfile, requests, signInAs, stackSettings } from '../support/auth-context';
import { signInAtStack } from '../support/stack-identity';
import { createDevice } from '../support/sync-device';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** Bob's browser: signed in, one record synced, one edit made offline; then Cognito merges his identity into Alice's. */
async function mergedAway(backend: SyncBackend) {
  const running = await startStack({ port: 0, memory: true });
  stack = running;
  const profile = newProfile();
  const ctx = authContext(profile, { identity: fakeIdentity(profile.jar, signInAs('bob')) });
  await ctx.items.settings.set({ ...stackSettings(running), datasetName: 'Moved', syncBackend: backend });
  const { handlers } = createWorker(ctx, quietEvents);
  await handlers.signIn();
  await vi.waitFor(async () => expect((await handlers.openDataset()).lastSyncedAt).toBeDefined(), { timeout: 5_000, interval: 50 });
  await handlers.putRecord('synced', 'before the merge');
  await handlers.syncNow();
  await handlers.putRecord('offline', 'typed before the merge, not sent');
  const bobId = (await rememberedIdentityId(ctx)) ?? '';

  const alice = await signInAtStack(running, 'alice');
  const aliceDevice = await createDevice(running, { identity: alice, dataset: 'Moved', backend });
  await aliceDevice.service.put('alice', 'hers');
  await aliceDevice.service.sync();
  await running.mergeIdentities(bobId, alice.identityId);
  // Elsewhere, after the merge: a later version of what this browser synced before it.
  await aliceDevice.service.put('synced', 'newer, on the phone');
  await aliceDevice.service.sync();
  // Credentials last an hour: the next ones are asked for with the identity id this browser holds.
  await ctx.items.awsCredentials.remove();
  running.resetCounters();
  return { stack: running, ctx, handlers, local: profile.local, bobId, alice, aliceDevice };
}

describe.each<SyncBackend>(['dynamodb', 'cognitoSync'])('an identity merged into another, with %s', (backend) => {
  it('Sync now takes what this browser held for it into the surviving identity: nothing is lost, nothing of the old is left', async () => {
    const { stack, ctx, handlers, local, bobId, alice, aliceDevice } = await mergedAway(backend);

    const report = await handlers.syncNow();

    // Refused once, then GetId for the same login: the surviving identity.
    expect(requests(stack)('cognito-identity.GetId')).toBe(1);
    expect(await rememberedIdentityId(ctx)).toBe(alice.identityId);
    // The edit not sent comes in; this browser's older copy of what the phone changed since does not.
    expect(report.linkedMerged).toBe(1);
    const expected = { alice: 'hers', synced: 'newer, on the phone', offline: 'typed before the merge, not sent' };
    expect(Object.fromEntries((await handlers.listRecords()).map((record) => [record.key, record.value]))).toEqual(expected);
    expect((await handlers.openDataset()).pendingCount).toBe(0);
    // On the server for every browser of the person.
    await aliceDevice.service.sync();
    expect(await aliceDevice.values()).toEqual(expected);
    // Nothing of the old identity stays here: its datasets, their first screens, its list of names, the move.
    expect(Object.keys(await local.get(null)).filter((key) => key.includes(bobId))).toEqual([]);
    expect(await ctx.items.identityMoves.get()).toBeUndefined();
  });

  it('a GetId that fails right after the refusal loses nothing: the next sync takes it all in', async () => {
    const { stack, handlers, local, bobId } = await mergedAway(backend);
    stack.addFault({
      service: 'cognito-identity',
      operation: 'GetId',
      kind: 'error',
      errorType: 'TooManyRequestsException',
      message: 'Rate exceeded',
      count: 3,
    });
    await expect(handlers.syncNow()).rejects.toMatchObject({ code: 'THROTTLED' });
    stack.clearFaults();

    await handlers.syncNow();

    expect(Object.fromEntries((await handlers.listRecords()).map((record) => [record.key, record.value]))).toMatchObject({
      offline: 'typed before the merge, not sent',
    });
    expect(Object.keys(await local.get(null)).filter((key) => key.includes(bobId))).toEqual([]);
  });

  it('a renewal that meets the merge first leaves it to the next background sync, which takes every dataset in', async () => {
    const { ctx, handlers, local, bobId, alice } = await mergedAway(backend);
    // Another dataset of the old identity, with an edit only here.
    await ctx.items.dataset(bobId, 'Notes').set({
      version: 1,
      syncCount: 0,
      records: [{ key: 'note', value: 'only here', syncCount: 0, modifiedAt: 1, pending: true }],
    });

    // The credentials renewal (an alarm) asks first: the popup opened now shows the surviving identity's dataset.
    expect((await awsIdentity(ctx)).identityId).toBe(alice.identityId);
    // The periodic sync visits the datasets with edits to send, the old identity's included.
    await createDatasetService(ctx, workerDatasetDeps(ctx)).syncAll({ onlyPending: true });

    expect(Object.fromEntries((await handlers.listRecords()).map((record) => [record.key, record.value]))).toMatchObject({
      alice: 'hers',
      offline: 'typed before the merge, not sent',
    });
    expect(Object.fromEntries((await handlers.listRecords('Notes')).map((record) => [record.key, record.value]))).toEqual({ note: 'only here' });
    expect((await handlers.openDataset('Notes')).pendingCount).toBe(0);
    expect(Object.keys(await local.get(null)).filter((key) => key.includes(bobId))).toEqual([]);
  });
});
