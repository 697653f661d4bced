// Two independent devices (separate storage.local, same user) syncing through the local stack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { createWorkerDatasets, datasetHandlers } from '../../src/background/sync/handlers';
import { MAX_RECORD_BYTES } from '../../src/background/sync/limits';
import { AppError } from '../../src/shared/errors';
import { createDevice, dynamoRequests, sharedClock, type Device, type DeviceOptions } from '../support/sync-device';
import { signInAtStack, type StackIdentity } from '../support/stack-identity';

let stack: Stack;
let alice: StackIdentity;
let bob: StackIdentity;
let datasets = 0;

beforeAll(async () => {
  stack = await startStack({ port: 0, memory: true });
  [alice, bob] = await Promise.all([signInAtStack(stack, 'alice'), signInAtStack(stack, 'bob')]);
});

afterAll(async () => {
  await stack?.close();
});

/** Two devices of alice on a dataset of their own, sharing a clock. */
async function pair(options: Partial<DeviceOptions> = {}): Promise<[Device, Device]> {
  const shared = { identity: alice, dataset: `Test.${++datasets}`, now: sharedClock(), ...options };
  return [await createDevice(stack, shared), await createDevice(stack, shared)];
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
}

describe('two devices of one user', () => {
  it('an edit on one appears on the other after sync', async () => {
    const [a, b] = await pair();
    await a.service.put('greeting', 'hello');
    expect(await a.service.sync()).toMatchObject({ pushed: 1, pulled: 0, conflicts: [] });
    expect(await b.service.sync()).toMatchObject({ pushed: 0, pulled: 1, conflicts: [] });
    expect(await b.values()).toEqual({ greeting: 'hello' });
    expect((await b.service.open()).records[0]).toMatchObject({ key: 'greeting', value: 'hello', state: 'synced' });
  });

  it('keeps concurrent edits to different keys from both', async () => {
    // Their pushes may overlap: the one cancelled as a conflict is retried after the extension's own backoff.
    const [a, b] = await pair({ sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });
    await a.service.put('from-a', '1');
    await b.service.put('from-b', '2');
    const reports = await Promise.all([a.service.sync(), b.service.sync()]);
    expect(reports.flatMap((report) => report.conflicts)).toEqual([]);
    await Promise.all([a.service.sync(), b.service.sync()]);
    expect(await a.values()).toEqual({ 'from-a': '1', 'from-b': '2' });
    expect(await b.values()).toEqual(await a.values());
  });

  it('resolves the same key edited on both by the later edit, and reports the resolution', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'base');
    await a.service.sync();
    await b.service.sync();
    await a.service.put('k', 'earlier on a');
    await b.service.put('k', 'later on b');
    await a.service.sync();
    const report = await b.service.sync();
    expect(report.conflicts).toEqual([{ key: 'k', winner: 'local', strategy: 'lastWriterWins' }]);
    await a.service.sync();
    expect(await a.values()).toEqual({ k: 'later on b' });
    expect(await b.values()).toEqual({ k: 'later on b' });
    const view = await b.service.open();
    expect(view.lastReport?.conflicts).toEqual(report.conflicts);
    expect(view.records[0]?.state).toBe('resolved');
  });

  it('resolves for the server when the strategy says so, whatever the times', async () => {
    const [a, b] = await pair({ strategy: 'serverWins' });
    await a.service.put('k', 'first on a');
    await a.service.sync();
    await b.service.put('k', 'later on b');
    const report = await b.service.sync();
    expect(report.conflicts).toEqual([{ key: 'k', winner: 'remote', strategy: 'serverWins' }]);
    expect(await b.values()).toEqual({ k: 'first on a' });
  });

  it('resolves for this device when the strategy says so, whatever the times', async () => {
    const [a, b] = await pair({ strategy: 'deviceWins' });
    await b.service.put('k', 'earlier on b');
    await a.service.put('k', 'later on a');
    await a.service.sync();
    const report = await b.service.sync();
    expect(report.conflicts).toEqual([{ key: 'k', winner: 'local', strategy: 'deviceWins' }]);
    await a.service.sync();
    expect(await a.values()).toEqual({ k: 'earlier on b' });
  });

  it('spreads a deletion', async () => {
    const [a, b] = await pair();
    await a.service.put('gone', 'soon');
    await a.service.put('kept', 'yes');
    await a.service.sync();
    await b.service.sync();
    await b.service.remove('gone');
    expect(await b.values()).toEqual({ kept: 'yes' });
    await b.service.sync();
    expect(await a.service.sync()).toMatchObject({ pulled: 1 });
    expect(await a.values()).toEqual({ kept: 'yes' });
    expect(await a.service.get('gone')).toBeUndefined();
  });

  it('syncs "" as a value, not as a removal', async () => {
    const [a, b] = await pair();
    await a.service.put('empty', 'x');
    await a.service.sync();
    await b.service.sync();
    await a.service.put('empty', '');
    await a.service.sync();
    await b.service.sync();
    expect(await b.values()).toEqual({ empty: '' });
  });

  it('syncs edits made offline once the service is reachable again', async () => {
    const [a, b] = await pair();
    const online = (await a.settings()).dynamodbEndpoint;
    await a.setSettings({ dynamodbEndpoint: 'http://127.0.0.1:9' }); // nothing listens on the discard port
    await a.service.put('offline-1', 'one');
    await a.service.put('offline-2', 'two');
    await a.service.remove('offline-1');
    expect(await a.values()).toEqual({ 'offline-2': 'two' });
    expect(await codeOf(a.service.sync())).toBe('NETWORK');
    const view = await a.service.open();
    expect(view.lastError?.code).toBe('NETWORK');
    expect(view.pendingCount).toBe(2);
    await a.setSettings({ dynamodbEndpoint: online });
    expect(await a.service.sync()).toMatchObject({ pushed: 2 });
    expect((await a.service.open()).lastError).toBeUndefined();
    await b.service.sync();
    expect(await b.values()).toEqual({ 'offline-2': 'two' });
  });

  it('keeps pending edits across a worker restart (a new service over the same storage)', async () => {
    const [a, b] = await pair();
    await a.service.put('k', 'before the restart');
    const restarted = await createDevice(stack, { identity: alice, area: a.area });
    expect((await restarted.service.open()).pendingCount).toBe(1);
    await restarted.service.sync();
    await b.service.sync();
    expect(await b.values()).toEqual({ k: 'before the restart' });
  });

  it('stores a key longer than a sort key may be (1,024 characters, 2 KB of UTF-8)', async () => {
    const [a, b] = await pair();
    const key = 'é'.repeat(1024);
    await a.service.put(key, 'long key');
    await a.service.sync();
    await b.service.sync();
    expect(await b.service.get(key)).toMatchObject({ value: 'long key' });
  });

  it('syncs the largest record it accepts in 3-byte characters, which DynamoDB counts in UTF-8 bytes', async () => {
    const [a, b] = await pair();
    // 1,024 characters of 3 bytes, and a value filling the record to its limit: 396 KB of UTF-8, a third of
    // that in characters. The stack counts an item's bytes as DynamoDB does, so this would fail here if a
    // record at the limit did not fit in an item with its other attributes.
    const key = '界'.repeat(1024);
    const fill = MAX_RECORD_BYTES - 3 * 1024;
    const value = '界'.repeat(Math.floor(fill / 3)) + 'x'.repeat(fill % 3);
    await a.service.put(key, value);
    await a.service.sync();
    await b.service.sync();
    expect((await b.service.get(key))?.value).toBe(value);
    expect(await codeOf(a.service.put(key, `${value}x`))).toBe('DATASET_LIMIT');
  });

  it('pulls a dataset of 3-byte characters near its limit in the two pages DynamoDB answers it in', async () => {
    const [a, b] = await pair();
    // 1,000 records of 990 bytes of UTF-8 (330 characters): under the dataset's 1 MB, over a Query page's
    // 1 MB once each item's other attributes count. In UTF-16 code units it is a third of that.
    const value = '界'.repeat(330);
    for (let i = 0; i < 1000; i += 1) await a.service.put(`k${String(i).padStart(3, '0')}`, value);
    await a.service.sync();
    stack.resetCounters();
    expect(await b.service.sync()).toMatchObject({ pulled: 1000 });
    expect(dynamoRequests(stack)).toMatchObject({ Query: 2 });
    const pulled = await b.values();
    expect(Object.keys(pulled)).toHaveLength(1000);
    expect(Object.values(pulled).every((text) => text === value)).toBe(true);
  });

  it('pushes more records than one transaction holds as several commits', async () => {
    const [a, b] = await pair();
    for (let i = 0; i < 150; i += 1) await a.service.put(`k${String(i).padStart(3, '0')}`, `v${i}`);
    stack.resetCounters();
    expect(await a.service.sync()).toMatchObject({ pushed: 150, syncCount: 2 });
    expect(dynamoRequests(stack)).toEqual({ GetItem: 1, TransactWriteItems: 2 });
    await b.service.sync();
    expect(Object.keys(await b.values())).toHaveLength(150);
  });
});

describe('the worker side', () => {
  it('a background sync visits each dataset with pending edits, and only those', async () => {
    const [a, b] = await pair();
    const other = `${(await a.settings()).datasetName}.other`;
    await a.service.put('k', 'default dataset');
    await a.service.put('k', 'other dataset', other);
    stack.resetCounters();
    await a.service.syncAll({ onlyPending: true });
    expect(dynamoRequests(stack)).toEqual({ GetItem: 2, TransactWriteItems: 2 });
    stack.resetCounters();
    await a.service.syncAll({ onlyPending: true });
    expect(dynamoRequests(stack)).toEqual({});
    await a.service.syncAll({ onlyPending: false });
    expect(dynamoRequests(stack)).toEqual({ GetItem: 2 });
    await b.service.sync();
    await b.service.sync(other);
    expect(await b.values()).toEqual({ k: 'default dataset' });
    expect(await b.values(other)).toEqual({ k: 'other dataset' });
  });

  it('the message handlers open, edit, list and sync the dataset', async () => {
    const [a, b] = await pair();
    const edited: string[] = [];
    const handlers = datasetHandlers(
      createWorkerDatasets(a.ctx, {
        getIdentity: async () => alice,
        identityIdForLocalStore: async () => alice.identityId,
        locks: a.locks,
        onEdit: (name) => void edited.push(name),
      }),
    );
    const name = (await a.settings()).datasetName;
    expect(await handlers.openDataset()).toMatchObject({ name, identityId: alice.identityId, records: [], pendingCount: 0, syncing: false });
    const view = await handlers.putRecord('k', 'v');
    expect(view).toMatchObject({ pendingCount: 1, records: [{ key: 'k', value: 'v', state: 'pending' }] });
    await handlers.putRecord('gone', 'x');
    await handlers.removeRecord('gone');
    expect(edited).toEqual([name, name, name]);
    expect(await handlers.listRecords()).toMatchObject([{ key: 'k', value: 'v' }]);
    expect(await handlers.getRecord('k')).toMatchObject({ value: 'v', state: 'pending' });
    expect(await handlers.syncNow()).toMatchObject({ pushed: 2, conflicts: [] });
    expect(await handlers.getRecord('k')).toMatchObject({ state: 'synced' });
    expect((await handlers.openDataset()).lastSyncedAt).toBeGreaterThan(0);
    await b.service.sync();
    expect(await b.values()).toEqual({ k: 'v' });
  });

  it('shows a sync in progress as syncing', async () => {
    const [a] = await pair();
    await a.service.put('k', 'v');
    stack.addFault({ service: 'dynamodb', operation: 'GetItem', kind: 'delay', delayMs: 300 });
    const syncing = a.service.sync();
    let seen = false;
    for (let i = 0; i < 50 && !seen; i += 1) {
      seen = (await a.service.open()).syncing;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await syncing;
    expect(seen).toBe(true);
    expect((await a.service.open()).syncing).toBe(false);
  });

  it('runs one sync at a time per dataset: a second waits for the first', async () => {
    const [a] = await pair();
    await a.service.put('k', 'v');
    stack.resetCounters();
    const [first, second] = await Promise.all([a.service.sync(), a.service.sync()]);
    expect(first).toMatchObject({ pushed: 1 });
    expect(second).toMatchObject({ pushed: 0, syncCount: 1 });
    expect(dynamoRequests(stack)).toEqual({ GetItem: 2, TransactWriteItems: 1 });
  });
});

describe('what a sync costs', () => {
  it('nothing changed: one request', async () => {
    const [a] = await pair();
    await a.service.put('k', 'v');
    await a.service.sync();
    stack.resetCounters();
    await a.service.sync();
    expect(dynamoRequests(stack)).toEqual({ GetItem: 1 });
  });

  it('one local edit: two requests', async () => {
    const [a] = await pair();
    await a.service.put('k', 'v');
    await a.service.sync();
    await a.service.put('k', 'w');
    stack.resetCounters();
    await a.service.sync();
    expect(dynamoRequests(stack)).toEqual({ GetItem: 1, TransactWriteItems: 1 });
  });

  it('one remote edit: a pull that carries that record only', async () => {
    const [a, b] = await pair();
    for (let i = 0; i < 50; i += 1) await a.service.put(`k${i}`, 'x'.repeat(100));
    await a.service.sync();
    await b.service.sync();
    await a.service.put('k7', 'changed');
    await a.service.sync();
    stack.resetCounters();
    expect(await b.service.sync()).toMatchObject({ pulled: 1 });
    expect(dynamoRequests(stack)).toEqual({ GetItem: 1, Query: 1 });
    expect(stack.counters()['dynamodb.Query']?.bytesOut ?? 0).toBeLessThan(1000);
  });
});

describe("Cognito Sync's limits, before any request", () => {
  it('refuses the 1,025th record with DATASET_LIMIT', async () => {
    const [a] = await pair();
    for (let i = 0; i < 1024; i += 1) await a.service.put(`k${i}`, '');
    stack.resetCounters();
    expect(await codeOf(a.service.put('one-too-many', 'v'))).toBe('DATASET_LIMIT');
    expect(await codeOf(a.service.put('k0', 'replacing is fine'))).toBeUndefined();
    expect(dynamoRequests(stack)).toEqual({});
  });

  it('refuses an oversized value and a dataset over 1 MB with DATASET_LIMIT', async () => {
    const [a] = await pair();
    stack.resetCounters();
    expect(await codeOf(a.service.put('big', 'x'.repeat(MAX_RECORD_BYTES)))).toBe('DATASET_LIMIT');
    for (let i = 0; i < 3; i += 1) await a.service.put(`third-${i}`, 'x'.repeat(300 * 1024));
    expect(await codeOf(a.service.put('fourth', 'x'.repeat(300 * 1024)))).toBe('DATASET_LIMIT');
    expect(dynamoRequests(stack)).toEqual({});
    expect(Object.keys(await a.values())).toHaveLength(3);
  });

  it('refuses bad names, keys and values with DATASET_LIMIT or INVALID_INPUT', async () => {
    const [a] = await pair();
    stack.resetCounters();
    // What a page could send through the message boundary, past TypeScript's types.
    const put = a.service.put as (key: unknown, value: unknown, name?: unknown) => Promise<unknown>;
    expect(await codeOf(put('k', 42))).toBe('INVALID_INPUT');
    expect(await codeOf(put('k', null))).toBe('INVALID_INPUT');
    expect(await codeOf(put(7, 'v'))).toBe('INVALID_INPUT');
    expect(await codeOf(put('', 'v'))).toBe('DATASET_LIMIT');
    expect(await codeOf(put('k'.repeat(1025), 'v'))).toBe('DATASET_LIMIT');
    expect(await codeOf(put('k', 'v', 'no/slashes'))).toBe('DATASET_LIMIT');
    expect(await codeOf(put('k', 'v', 'x'.repeat(129)))).toBe('DATASET_LIMIT');
    expect(await codeOf(a.service.sync('bad name'))).toBe('DATASET_LIMIT');
    expect(dynamoRequests(stack)).toEqual({});
  });
});

describe('people', () => {
  it('another user on the same browser sees only their own data', async () => {
    const [a] = await pair();
    let who: StackIdentity = alice;
    const browser = await createDevice(stack, { identity: alice, area: a.area, localIdentityId: async () => who.identityId });
    await browser.service.put('alice-only', 'secret');
    who = bob;
    const asBob = await createDevice(stack, { identity: bob, area: a.area, localIdentityId: async () => who.identityId });
    expect((await asBob.service.open()).records).toEqual([]);
    expect((await asBob.service.open()).identityId).toBe(bob.identityId);
    who = alice;
    expect(await browser.values()).toEqual({ 'alice-only': 'secret' });
  });

  it("one user's sync never reaches another's data", async () => {
    const [a] = await pair();
    await a.service.put('k', 'alice');
    await a.service.sync();
    const asBob = await createDevice(stack, { identity: bob, dataset: (await a.settings()).datasetName });
    expect(await asBob.service.sync()).toMatchObject({ pulled: 0, syncCount: 0 });
    expect(await asBob.values()).toEqual({});
  });

  it('asks for sign-in when no identity is known', async () => {
    const nobody = await createDevice(stack, { identity: alice, localIdentityId: async () => undefined });
    expect(await codeOf(nobody.service.open())).toBe('AUTH_REQUIRED');
  });
});

describe('a computer whose clock is 20 minutes behind AWS', () => {
  it('syncs: the first signature is refused for its time, the SDK takes the offset from the answer, and the retry goes through', async () => {
    const ahead = await startStack({ port: 0, memory: true, clock: () => Date.now() + 20 * 60_000 });
    try {
      const shared = { identity: await signInAtStack(ahead, 'alice'), dataset: 'Skewed', now: sharedClock() };
      const [a, b] = [await createDevice(ahead, shared), await createDevice(ahead, shared)];
      ahead.resetCounters();
      await a.service.put('k', 'written 20 minutes in the past');
      await a.service.sync();
      // The first request was refused for the clock (past DynamoDB's 15 minutes): the client now signs with
      // the offset the answer's Date gave it, and the sync went through.
      const client = a.ctx.aws.dynamodb({
        region: ahead.config.region,
        endpoint: ahead.config.endpoints.dynamodb,
        credentials: () => Promise.reject(new Error('the client made by the sync is the one asked for')),
        identityId: shared.identity.identityId,
      });
      expect(client.config.systemClockOffset).toBeGreaterThan(19 * 60_000);
      await b.service.sync();
      expect(await b.values()).toEqual({ k: 'written 20 minutes in the past' });
    } finally {
      await ahead.close();
    }
  });
});
