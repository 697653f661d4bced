// Several datasets per identity, on both backends against the stack: two browsers of one person (two
// devices with their own storage) create, list, switch and delete datasets, and each learns of the other's
// deletions at its next sync (docs/dataset-model.md, "Several datasets").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { AppError } from '../../src/shared/errors';
import type { SyncBackend } from '../../src/shared/settings';
import { createDevice, serviceRequests, sharedClock, type Device } from '../support/sync-device';
import { signInAtStack, type StackIdentity } from '../support/stack-identity';

let stack: Stack;
let alice: StackIdentity;
let bob: StackIdentity;

beforeAll(async () => {
  stack = await startStack({ port: 0, memory: true });
  alice = await signInAtStack(stack, 'alice');
  bob = await signInAtStack(stack, 'bob');
});

afterAll(async () => {
  await stack?.close();
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const BACKENDS: Array<[string, SyncBackend, 'dynamodb' | 'cognito-sync']> = [
  ['DynamoDB', 'dynamodb', 'dynamodb'],
  ['Cognito Sync', 'cognitoSync', 'cognito-sync'],
];

describe.each(BACKENDS)('several datasets on %s', (label, backend, service) => {
  // Each backend's tests keep to their own default dataset name; the identity is shared within the stack.
  const home = `Home.${backend}`;
  const named = (name: string): string => `${name}.${backend}`;

  async function pair(): Promise<[Device, Device]> {
    const options = { identity: alice, dataset: home, backend, now: sharedClock() };
    return [await createDevice(stack, options), await createDevice(stack, options)];
  }

  it('a dataset created in one browser, once it holds a record, is listed and opened in the other', async () => {
    const [a, b] = await pair();
    const name = named('Recipes');
    const created = await a.service.createDataset(name);
    expect(created.name).toBe(name);
    expect(created.records).toEqual([]);
    // Edits without a name go to the open dataset: the one just created.
    await a.service.put('soup', 'leek');
    await a.service.put('bread', 'rye');
    await a.service.sync();
    expect(await a.values(home)).toEqual({});

    const listed = await b.service.listDatasets();
    expect(listed.serverError).toBeUndefined();
    expect(listed.open).toBe(home);
    expect(listed.datasets.find((entry) => entry.name === name)).toMatchObject({ name, records: 2, onServer: true, pendingCount: 0 });
    expect(listed.datasets.find((entry) => entry.name === name)?.modifiedAt).toBeGreaterThan(0);

    const first = await b.service.switchDataset(name);
    // The first answer is what this browser holds: nothing yet. The sync after the switch brings the records.
    expect(first.name).toBe(name);
    expect(first.records).toEqual([]);
    await b.settled();
    expect((await b.service.open()).name).toBe(name);
    expect(await b.values()).toEqual({ soup: 'leek', bread: 'rye' });
  });

  it('the list is read without reading the records', async () => {
    const [a] = await pair();
    await a.service.createDataset(named('Big'));
    for (let i = 0; i < 30; i += 1) await a.service.put(`k${i}`, 'v');
    await a.service.sync();
    stack.resetCounters();
    const listed = await a.service.listDatasets();
    expect(listed.datasets.find((entry) => entry.name === named('Big'))?.records).toBe(30);
    expect(serviceRequests(stack, service)).toEqual(backend === 'dynamodb' ? { Query: 1 } : { ListDatasets: 1 });
  });

  it('switching away syncs the edits left behind, then opens the other dataset from this browser’s data', async () => {
    const [a, b] = await pair();
    const name = named('Travel');
    await a.service.createDataset(name);
    await a.service.put('city', 'Lisbon');
    await a.service.switchDataset(home);
    await a.settled();
    expect((await a.stored(name))?.records.map((record) => [record.key, record.pending])).toEqual([['city', false]]);
    expect((await a.service.open()).name).toBe(home);
    await b.service.switchDataset(name);
    await b.settled();
    expect(await b.values(name)).toEqual({ city: 'Lisbon' });
  });

  it('a dataset deleted in one browser is dropped by the other at its next sync, which then opens the default', async () => {
    const [a, b] = await pair();
    const name = named('Old');
    await a.service.createDataset(name);
    await a.service.put('x', '1');
    await a.service.sync();
    await b.service.switchDataset(name);
    await b.settled();
    expect(await b.values(name)).toEqual({ x: '1' });
    const after = await a.service.deleteDataset(name);
    expect(after.name).toBe(home);
    expect(await a.stored(name)).toBeUndefined();
    expect((await a.service.listDatasets()).datasets.map((entry) => entry.name)).not.toContain(name);

    const report = await b.service.sync(name);
    expect(report.datasetDeleted).toBe(true);
    expect(await b.stored(name)).toBeUndefined();
    const opened = await b.service.open();
    expect(opened.name).toBe(home);
    expect(opened.dropped).toEqual([name]);
    expect((await b.service.listDatasets()).datasets.map((entry) => entry.name)).not.toContain(name);
    await b.service.dismissDroppedDatasets();
    expect((await b.service.open()).dropped).toBeUndefined();
  });

  it('a browser with edits not yet synced keeps them: they write the deleted dataset again', async () => {
    const [a, b] = await pair();
    const name = named('Kept');
    await a.service.createDataset(name);
    await a.service.put('x', '1');
    await a.service.sync();
    await b.service.switchDataset(name);
    await b.settled();
    await b.service.put('y', '2');
    await a.service.deleteDataset(name);

    const report = await b.service.sync(name);
    expect(report.datasetDeleted).toBeUndefined();
    // What B had synced went with the deletion; its own edit did not.
    expect(await b.values(name)).toEqual({ y: '2' });
    expect((await b.service.open()).dropped).toBeUndefined();
    await a.service.switchDataset(name);
    await a.settled();
    expect(await a.values(name)).toEqual({ y: '2' });
  });

  it('a dataset deleted and created again under its name holds only what was written since', async () => {
    const [a, b] = await pair();
    const name = named('Again');
    await a.service.createDataset(name);
    await a.service.put('old', 'first life');
    await a.service.sync();
    await b.service.switchDataset(name);
    await b.settled();
    expect(await b.values(name)).toEqual({ old: 'first life' });

    await a.service.deleteDataset(name);
    await a.service.createDataset(name);
    await a.service.put('new', 'second life');
    await a.service.sync();

    await b.service.sync(name);
    expect(await b.values(name)).toEqual({ new: 'second life' });
    // A browser that never held it sees the same.
    const [fresh] = await pair();
    await fresh.service.switchDataset(name);
    await fresh.settled();
    expect(await fresh.values(name)).toEqual({ new: 'second life' });
  });

  it('refuses a name that is taken, or not a valid name', async () => {
    const [a] = await pair();
    await a.service.createDataset(named('Taken'));
    expect((await failure(a.service.createDataset(named('Taken')))).code).toBe('INVALID_INPUT');
    expect((await failure(a.service.createDataset('no spaces'))).code).toBe('DATASET_LIMIT');
    expect((await failure(a.service.createDataset(''))).code).toBe('DATASET_LIMIT');
  });

  it(`refuses a 21st dataset of one person, counting those another browser created (${label})`, async () => {
    // Bob's own identity, so that the count is this test's only; each backend has its own store of datasets.
    const options = { identity: bob, dataset: `Bob.${backend}.0`, backend, now: sharedClock() };
    const a = await createDevice(stack, options);
    for (let i = 1; i < 20; i += 1) {
      await a.service.createDataset(`Bob.${backend}.${i}`);
      await a.service.put('k', String(i));
      await a.service.sync();
    }
    await a.service.switchDataset(`Bob.${backend}.0`);
    await a.service.put('k', '0');
    await a.service.sync();

    const b = await createDevice(stack, options);
    expect((await b.service.listDatasets()).datasets).toHaveLength(20);
    const refused = await failure(b.service.createDataset(`Bob.${backend}.20`));
    expect(refused.code).toBe('DATASET_LIMIT');
    expect(refused.message).toContain('20');
    // One deleted, one may be created.
    await b.service.deleteDataset(`Bob.${backend}.7`);
    expect((await b.service.createDataset(`Bob.${backend}.20`)).name).toBe(`Bob.${backend}.20`);
  });
});
