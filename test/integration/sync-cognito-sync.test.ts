// The extension's Cognito Sync backend against the stack: the dataset service over
// @aws-sdk/client-cognito-sync, with the faults of sync-faults.test.ts (409 races, throttling, a 500, a
// dropped connection, a worker stopped between UpdateRecords and the local commit), and amazon-cognito-js
// (the seed's app) reading and writing the same dataset, record for record.
import { DeleteDatasetCommand, ListRecordsCommand } from '@aws-sdk/client-cognito-sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Fault, type Stack } from '../../stack/index';
import { createCognitoSyncClient } from '../../src/background/sync/cognito-sync-remote';
import type { AppError } from '../../src/shared/errors';
import { openCognitoSyncApp } from '../support/cognito-sync-app';
import { createDevice, serviceRequests, sharedClock, expectConverged as convergedAt, type Device, type DeviceOptions } from '../support/sync-device';
import { signInAtStack, type StackIdentity } from '../support/stack-identity';

let stack: Stack;
let alice: StackIdentity;
let datasets = 0;

beforeAll(async () => {
  stack = await startStack({ port: 0, memory: true });
  alice = await signInAtStack(stack, 'alice');
});

afterEach(() => {
  stack.clearFaults();
});

afterAll(async () => {
  await stack?.close();
});

async function addFault(fault: Fault): Promise<void> {
  const response = await fetch(`${stack.url}/_stack/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(response.status).toBe(201);
}

const requests = () => serviceRequests(stack, 'cognito-sync');

async function pair(options: Partial<DeviceOptions> = {}): Promise<[Device, Device]> {
  const shared = { identity: alice, dataset: `CognitoSync.${++datasets}`, now: sharedClock(), backend: 'cognitoSync' as const, ...options };
  return [await createDevice(stack, shared), await createDevice(stack, shared)];
}

async function failure(promise: Promise<unknown>): Promise<AppError | Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected a failure');
}

/** Alice's dataset deleted at Cognito Sync, as another app of hers may. */
async function deleteOnServer(datasetName: string): Promise<void> {
  const client = createCognitoSyncClient({ region: alice.region, endpoint: stack.config.endpoints.cognitoSync, credentials: alice.credentials });
  try {
    await client.send(
      new DeleteDatasetCommand({ IdentityPoolId: stack.config.identityPoolId, IdentityId: alice.identityId, DatasetName: datasetName }),
    );
  } finally {
    client.destroy();
  }
}

/** The dataset as Cognito Sync holds it: key → value, null for a removed record. */
async function server(datasetName: string): Promise<{ records: Record<string, string | null>; syncCount: number }> {
  const client = createCognitoSyncClient({ region: alice.region, endpoint: stack.config.endpoints.cognitoSync, credentials: alice.credentials });
  try {
    const answer = await client.send(
      new ListRecordsCommand({
        IdentityPoolId: stack.config.identityPoolId,
        IdentityId: alice.identityId,
        DatasetName: datasetName,
        LastSyncCount: 0,
      }),
    );
    return {
      records: Object.fromEntries((answer.Records ?? []).map((record) => [record.Key ?? '', record.Value ?? null])),
      syncCount: answer.DatasetSyncCount ?? -1,
    };
  } finally {
    client.destroy();
  }
}

/** Both devices synced to the end, then equal to each other and to what a third, fresh device pulls. */
const expectConverged = (a: Device, b: Device, expected: Record<string, string>, syncCount: number): Promise<void> =>
  convergedAt(stack, alice, [a, b], expected, syncCount, 'cognitoSync');

describe('the Cognito Sync backend', () => {
  it('syncs two browsers; "" is a value and a removal reaches the other browser', async () => {
    const [a, b] = await pair();
    await a.service.put('value', 'hello');
    await a.service.put('empty', '');
    expect(await a.service.sync()).toMatchObject({ pushed: 2, syncCount: 1 });
    expect(await b.service.sync()).toMatchObject({ pulled: 2, syncCount: 1 });
    expect(await b.values()).toEqual({ value: 'hello', empty: '' });
    await b.service.remove('value');
    await b.service.sync();
    await a.service.sync();
    expect(await a.values()).toEqual({ empty: '' });
    expect((await server((await a.settings()).datasetName)).records).toEqual({ value: null, empty: '' });
  });

  it('a sync with nothing changed is one request, a ListRecords', async () => {
    const [a] = await pair();
    await a.service.put('k', 'v');
    await a.service.sync();
    stack.resetCounters();
    await a.service.sync();
    expect(requests()).toEqual({ ListRecords: 1 });
  });

  it('a conflicting edit: 409 ResourceConflictException, pulled, resolved by the strategy, pushed again', async () => {
    const [a, b] = await pair({ strategy: 'lastWriterWins' });
    await a.service.put('k', 'base');
    await a.service.sync();
    await b.service.sync();
    await a.service.put('k', 'older');
    await b.service.put('k', 'newer');
    await a.service.sync();
    const report = await b.service.sync();
    expect(report.conflicts).toEqual([{ key: 'k', winner: 'local', strategy: 'lastWriterWins' }]);
    await expectConverged(a, b, { k: 'newer' }, 3);
  });

  it('two writers racing on the same record both end equal, no edit lost', async () => {
    const [a, b] = await pair();
    await a.service.put('x', 'from a');
    await b.service.put('y', 'from b');
    await a.service.put('shared', 'a');
    await b.service.put('shared', 'b');
    stack.resetCounters();
    await Promise.all([a.service.sync(), b.service.sync()]);
    // One commit each: the loser of the race pulls, resolves and pushes again.
    await expectConverged(a, b, { x: 'from a', y: 'from b', shared: 'b' }, 2);
  });

  it('a push that lands after another browser committed other records pulls them in the same sync', async () => {
    const [a, b] = await pair();
    await a.service.put('mine', '1');
    await a.service.sync();
    await b.service.sync();
    await b.service.put('theirs', '2');
    await b.service.sync();
    // a's count is 1; its push of another record commits at 3 (no record conflict): 2 must not be skipped.
    await a.service.put('mine', 'edited');
    const report = await a.service.sync();
    expect(report).toMatchObject({ pushed: 1, pulled: 1, syncCount: 3 });
    expect(await a.values()).toEqual({ mine: 'edited', theirs: '2' });
  });

  it('a record removed before this browser first synced, created here again, is pushed at once', async () => {
    const [a, b] = await pair({ strategy: 'serverWins' });
    await a.service.put('k', 'gone');
    await a.service.sync();
    await a.service.remove('k');
    await a.service.sync();
    // b's first pull brings k's tombstone (SyncCount 2): nothing to show, but b's own k is based on it.
    expect(await b.service.sync()).toMatchObject({ pulled: 0, syncCount: 2 });
    await b.service.put('k', 'back');
    stack.resetCounters();
    expect(await b.service.sync()).toMatchObject({ pushed: 1, conflicts: [], syncCount: 3 });
    expect(requests()).toEqual({ ListRecords: 1, UpdateRecords: 1 });
    await expectConverged(a, b, { k: 'back' }, 3);
  });
});

describe('transient faults are retried within one sync', () => {
  it('throttled UpdateRecords (TooManyRequestsException, 429)', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    await addFault({
      service: 'cognito-sync',
      operation: 'UpdateRecords',
      kind: 'error',
      status: 429,
      errorType: 'TooManyRequestsException',
      count: 2,
    });
    stack.resetCounters();
    expect(await a.service.sync()).toMatchObject({ pushed: 1, syncCount: 1 });
    expect(requests()).toEqual({ ListRecords: 1, UpdateRecords: 3 });
    await expectConverged(a, b, { k: 'v' }, 1);
  });

  it('a 500 from ListRecords', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    await a.service.sync();
    await addFault({ service: 'cognito-sync', operation: 'ListRecords', kind: 'status', status: 500 });
    stack.resetCounters();
    expect(await b.service.sync()).toMatchObject({ pulled: 1 });
    expect(requests()).toEqual({ ListRecords: 2 });
    await expectConverged(a, b, { k: 'v' }, 1);
  });

  it('a session token refused by UpdateRecords: pulled again for a new one, pushed once more', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    await addFault({
      service: 'cognito-sync',
      operation: 'UpdateRecords',
      kind: 'error',
      status: 400,
      errorType: 'InvalidParameterException',
      message: 'SyncSessionToken not valid for these inputs',
    });
    stack.resetCounters();
    expect(await a.service.sync()).toMatchObject({ pushed: 1, syncCount: 1 });
    expect(requests()).toEqual({ ListRecords: 2, UpdateRecords: 2 });
    await expectConverged(a, b, { k: 'v' }, 1);
    // Alice holds 20 datasets in this file without it, Cognito Sync's limit per identity.
    await deleteOnServer((await a.settings()).datasetName);
  });

  it('a dropped connection during UpdateRecords', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    await addFault({ service: 'cognito-sync', operation: 'UpdateRecords', kind: 'drop' });
    stack.resetCounters();
    expect(await a.service.sync()).toMatchObject({ pushed: 1, syncCount: 1 });
    expect(requests()).toEqual({ ListRecords: 1, UpdateRecords: 2 });
    await expectConverged(a, b, { k: 'v' }, 1);
  });
});

describe('faults that outlast the retries fail the sync and lose nothing', () => {
  it('throttling that does not stop: THROTTLED, then a later sync succeeds', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    await addFault({
      service: 'cognito-sync',
      operation: 'UpdateRecords',
      kind: 'error',
      status: 429,
      errorType: 'TooManyRequestsException',
      count: 50,
    });
    stack.resetCounters();
    expect(await failure(a.service.sync())).toMatchObject({ code: 'THROTTLED' });
    expect(requests()).toEqual({ ListRecords: 1, UpdateRecords: 4 });
    expect(await a.service.open()).toMatchObject({ pendingCount: 1, lastError: { code: 'THROTTLED' } });
    stack.clearFaults();
    await expectConverged(a, b, { k: 'v' }, 1);
  });

  it('a service that keeps answering 503: NETWORK, then a later sync succeeds', async () => {
    const [a, b] = await pair();
    await a.service.put('x', '1');
    await b.service.put('y', '2');
    await addFault({ service: 'cognito-sync', kind: 'status', status: 503, count: 50 });
    expect(await failure(a.service.sync())).toMatchObject({ code: 'NETWORK' });
    stack.clearFaults();
    await expectConverged(a, b, { x: '1', y: '2' }, 2);
  });

  it('a role that may not call Cognito Sync: CREDENTIALS_DENIED, saying what to check', async () => {
    const [a] = await pair();
    await a.service.put('k', 'v');
    await addFault({ service: 'cognito-sync', kind: 'error', status: 403, errorType: 'AccessDeniedException', message: 'not authorized' });
    const error = await failure(a.service.sync());
    expect(error).toMatchObject({ code: 'CREDENTIALS_DENIED' });
    expect(error.message).toContain('cognito-sync');
    expect((await a.service.open()).pendingCount).toBe(1);
  });

  it('the 21st dataset of a person: DATASET_LIMIT, the edits stay pending', async () => {
    const fresh = await startStack({ port: 0, memory: true });
    try {
      const bob = await signInAtStack(fresh, 'bob');
      for (let i = 1; i <= 20; i += 1) {
        const device = await createDevice(fresh, { identity: bob, dataset: `D${i}`, backend: 'cognitoSync' });
        await device.service.put('k', 'v');
        await device.service.sync();
      }
      const device = await createDevice(fresh, { identity: bob, dataset: 'D21', backend: 'cognitoSync' });
      await device.service.put('k', 'v');
      expect(await failure(device.service.sync())).toMatchObject({ code: 'DATASET_LIMIT' });
      expect((await device.service.open()).pendingCount).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});

describe('a worker stopped between UpdateRecords and the local commit', () => {
  it('repeats the sync without a conflict and without applying the push twice', async () => {
    const [a, b] = await pair({ strategy: 'serverWins' });
    await a.service.put('k', 'v');
    await a.service.put('other', 'w');
    a.stopAfterNextPush();
    await expect(a.service.sync()).rejects.toThrow('the worker stopped');
    expect((await a.service.open()).pendingCount).toBe(2);
    stack.resetCounters();
    // The push landed though its answer was lost: this sync finds it on the server and counts it as pushed.
    expect(await a.service.sync()).toMatchObject({ pushed: 2, conflicts: [], syncCount: 1 });
    expect(requests()).toEqual({ ListRecords: 1 });
    await expectConverged(a, b, { k: 'v', other: 'w' }, 1);
  });

  it('keeps an edit made before the repeat, even when the server wins conflicts', async () => {
    const [a, b] = await pair({ strategy: 'serverWins' });
    await a.service.put('k', 'pushed');
    a.stopAfterNextPush();
    await expect(a.service.sync()).rejects.toThrow('the worker stopped');
    await a.service.put('k', 'edited after');
    expect(await a.service.sync()).toMatchObject({ pushed: 1, conflicts: [], syncCount: 2 });
    await expectConverged(a, b, { k: 'edited after' }, 2);
  });
});

describe('settings stored before the options page refused Cognito Sync where AWS offers none', () => {
  it('a sync and the datasets list say which region lacks it, send nothing, and keep the edit', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'v');
    const settings = await a.settings();
    // eu-north-1 has Cognito Identity but no Cognito Sync: AWS's host for it does not exist.
    await a.setSettings({ identityPoolId: settings.identityPoolId.replace(/^[^:]+/, 'eu-north-1'), cognitoSyncEndpoint: '' });
    stack.resetCounters();
    const error = await failure(a.service.sync());
    expect(error).toMatchObject({ code: 'INVALID_SETTINGS', message: expect.stringContaining('not offered in eu-north-1') });
    expect(await a.service.open()).toMatchObject({ pendingCount: 1, lastError: { code: 'INVALID_SETTINGS' } });
    expect((await a.service.listDatasets()).serverError).toMatchObject({ code: 'INVALID_SETTINGS' });
    expect(requests()).toEqual({});
    await a.setSettings(settings);
    await expectConverged(a, b, { k: 'v' }, 1);
  });
});

describe('a dataset deleted on the server', () => {
  it('drops what this browser had synced from it, keeps and uploads its pending edits', async () => {
    const [a] = await pair();
    const name = (await a.settings()).datasetName;
    await a.service.put('old', '1');
    await a.service.put('older', '2');
    await a.service.sync();
    await deleteOnServer(name);
    await a.service.put('new', '3');
    const report = await a.service.sync();
    expect(report).toMatchObject({ pushed: 1, pulled: 2 });
    // Told as what it is, with what this browser did: its one edit not yet synced was kept.
    expect(report.restarted).toEqual({ cause: 'deleted', kept: 1 });
    expect(await a.values()).toEqual({ new: '3' });
    expect((await server(name)).records).toEqual({ new: '3' });
    stack.resetCounters();
    await a.service.sync();
    expect(requests()).toEqual({ ListRecords: 1 });
  });
});

describe('datasets of a linked sign-in (two identities merged)', () => {
  let bob: StackIdentity;
  beforeAll(async () => {
    bob = await signInAtStack(stack, 'bob');
  });

  /**
   * `bob`'s device writes `records` into `dataset`, then Cognito merges bob's identity into alice's. From the
   * second test on, bob's identity is merged already: Cognito refuses it new credentials, but the device writes
   * with those it got before the first merge, valid until they expire as on AWS, and merging it again into alice's
   * moves only this dataset (Cognito Identity's side is done already).
   */
  async function linkBob(dataset: string, records: Record<string, string>): Promise<string> {
    const bobs = await createDevice(stack, { identity: bob, dataset, now: sharedClock(Date.UTC(2025, 0, 1)), backend: 'cognitoSync' });
    for (const [key, value] of Object.entries(records)) await bobs.service.put(key, value);
    await bobs.service.sync();
    const merged = await stack.mergeIdentities(bob.identityId, alice.identityId);
    expect(merged).toEqual([`${dataset}.${bob.identityId}`]);
    return merged[0] ?? '';
  }

  it('merges their records as edits, pushes them, deletes the merged dataset, and says how many', async () => {
    const [a, b] = await pair();
    const name = (await a.settings()).datasetName;
    await a.service.put('mine', 'here');
    await a.service.put('shared', 'same');
    await a.service.sync();
    const merged = await linkBob(name, { 'from bob': 'café ☕', empty: '', shared: 'same' });

    stack.resetCounters();
    const report = await a.service.sync();
    expect(report).toMatchObject({ linkedMerged: 2, pushed: 2 });
    expect(requests()).toEqual({ ListRecords: 2, UpdateRecords: 1, DeleteDataset: 1 });
    expect((await server(name)).records).toEqual({ mine: 'here', shared: 'same', 'from bob': 'café ☕', empty: '' });
    expect((await server(merged)).records).toEqual({});
    await b.service.sync();
    expect(await b.values()).toEqual({ mine: 'here', shared: 'same', 'from bob': 'café ☕', empty: '' });
    // Merged once: the next sync is the one request of a sync with nothing changed.
    stack.resetCounters();
    expect((await a.service.sync()).linkedMerged).toBeUndefined();
    expect(requests()).toEqual({ ListRecords: 1 });
  });

  it('a key held on both sides with other values goes by the strategy (this browser wins here)', async () => {
    const [a] = await pair({ strategy: 'deviceWins' });
    const name = (await a.settings()).datasetName;
    await a.service.put('k', 'alice');
    await a.service.sync();
    await linkBob(name, { k: 'bob', other: '1' });
    expect(await a.service.sync()).toMatchObject({ linkedMerged: 1 });
    expect((await server(name)).records).toEqual({ k: 'alice', other: '1' });
  });

  it('past 1 MB: nothing merged, the merged dataset kept on the server and the refusal reported', async () => {
    const [a] = await pair();
    const name = (await a.settings()).datasetName;
    const big = 'x'.repeat(300 * 1024);
    for (const key of ['a', 'b', 'c']) await a.service.put(key, big);
    await a.service.sync();
    const merged = await linkBob(name, { d: big });

    const report = await a.service.sync();
    expect(report.linkedRefused).toEqual([merged]);
    expect(report.linkedMerged).toBeUndefined();
    expect(Object.keys((await server(name)).records).sort()).toEqual(['a', 'b', 'c']);
    expect(Object.keys((await server(merged)).records)).toEqual(['d']);
    expect((await a.stored())?.records.some((record) => record.pending)).toBe(false);

    // Room made here: the next sync merges it.
    await a.service.remove('a');
    expect(await a.service.sync()).toMatchObject({ linkedMerged: 1 });
    expect(Object.keys((await server(name)).records).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect((await server(name)).records['a']).toBeNull();
  });
});

describe('the same dataset as the app (amazon-cognito-js)', () => {
  it('reads what the app wrote, and the app reads what the extension wrote, record for record', async () => {
    const dataset = `CognitoSync.${++datasets}`;
    const app = await openCognitoSyncApp(stack, 'alice', dataset);
    await app.put('value', 'from the app');
    await app.put('note', 'keep');
    await app.synchronize();

    const [browser] = await pair({ dataset });
    expect(await browser.service.sync()).toMatchObject({ pulled: 2 });
    expect(await browser.values()).toEqual({ value: 'from the app', note: 'keep' });
    await browser.service.put('value', 'from the extension');
    await browser.service.put('empty', '');
    await browser.service.sync();

    await app.synchronize();
    expect(await app.get('value')).toBe('from the extension');
    expect(await app.get('note')).toBe('keep');
    expect((await server(dataset)).records).toEqual({ value: 'from the extension', note: 'keep', empty: '' });
  });

  it('a conflicting edit on both sides resolves by the extension strategy, and the app converges', async () => {
    const dataset = `CognitoSync.${++datasets}`;
    const app = await openCognitoSyncApp(stack, 'alice', dataset);
    await app.put('value', 'base');
    await app.synchronize();
    const [browser] = await pair({ dataset, strategy: 'deviceWins' });
    await browser.service.sync();

    await app.put('value', 'app edit');
    await browser.service.put('value', 'extension edit');
    await app.synchronize();
    const report = await browser.service.sync();
    expect(report.conflicts).toEqual([{ key: 'value', winner: 'local', strategy: 'deviceWins' }]);
    await app.synchronize();
    expect(await app.get('value')).toBe('extension edit');
    expect(await browser.values()).toEqual({ value: 'extension edit' });
  });
});

describe('a computer whose clock is 10 minutes behind AWS', () => {
  it('syncs: Cognito Sync refuses the first signature (its window is 5 minutes), the SDK takes the offset, the retry goes through', async () => {
    const ahead = await startStack({ port: 0, memory: true, clock: () => Date.now() + 10 * 60_000 });
    try {
      const shared = { identity: await signInAtStack(ahead, 'alice'), dataset: 'Skewed', now: sharedClock(), backend: 'cognitoSync' as const };
      const [a, b] = [await createDevice(ahead, shared), await createDevice(ahead, shared)];
      await a.service.put('k', 'written 10 minutes in the past');
      ahead.resetCounters();
      await a.service.sync();
      // Refused once for its time, then signed with the offset the answer's Date gave: a pull and a push.
      expect(serviceRequests(ahead, 'cognito-sync')).toEqual({ ListRecords: 2, UpdateRecords: 1 });
      await b.service.sync();
      expect(await b.values()).toEqual({ k: 'written 10 minutes in the past' });
    } finally {
      await ahead.close();
    }
  });
});
