import { describe, expect, it } from 'vitest';
import type { StoredDataset } from '../shared/dataset';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { datasetStoreKey, storageItems } from '../shared/storage';
import { createMemoryArea, type StorageAreaLike } from '../shared/storage-item';
import { readStoredState } from './stored-state';

const ID = 'us-east-1:00000000-0000-4000-8000-000000000001';
const SETTINGS = {
  ...DEFAULT_SETTINGS,
  domain: 'example.eu.auth0.com',
  clientId: 'client',
  identityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000',
  tableName: 'CognitoSync',
};

function stored(): StoredDataset {
  return {
    version: 1,
    syncCount: 3,
    records: [
      { key: 'city', value: 'Oxford', syncCount: 2, modifiedAt: 10, pending: false },
      { key: 'gone', value: null, syncCount: 1, modifiedAt: 11, pending: true },
      { key: 'pet', value: 'cat', syncCount: 0, modifiedAt: 12, pending: true },
    ],
    lastSyncedAt: 99,
  };
}

function items() {
  return storageItems({ local: createMemoryArea(), session: createMemoryArea() });
}

describe('the popup’s first frame from storage', () => {
  it('says when a failed sync is tried again by itself: the try set, or the periodic sync once the tries are over', async () => {
    const store = items();
    await store.settings.set(SETTINGS);
    await store.authState.set({ status: 'signedIn', profile: { sub: 'alice' }, identityId: ID });
    const failed = (code: 'NETWORK' | 'DATASET_LIMIT') => ({ ...stored(), lastError: { code, message: 'failed' } });
    await store.syncRetry.set({ minutes: 2, at: 5_000 });

    const retryAt = async () => (await readStoredState(store))?.dataset?.autoRetry;
    await store.dataset(ID, SETTINGS.datasetName).set(failed('NETWORK'));
    expect(await retryAt()).toEqual({ at: 5_000 });
    // The tries by alarm are over: the periodic sync is the next.
    await store.syncRetry.set({ minutes: 8, at: 5_000, over: true });
    expect(await retryAt()).toEqual({});
    await store.syncRetry.remove();
    expect(await retryAt()).toEqual({});
    await store.syncRetry.set({ minutes: 2, at: 5_000 });
    // A dataset at its limit waits for the person, whatever try another dataset's failure set.
    await store.dataset(ID, SETTINGS.datasetName).set(failed('DATASET_LIMIT'));
    expect(await retryAt()).toBeUndefined();
    // No failure, no try.
    await store.dataset(ID, SETTINGS.datasetName).set(stored());
    expect(await retryAt()).toBeUndefined();
    // A person asked to sign in again: the try syncs for nobody, and none is promised.
    await store.dataset(ID, SETTINGS.datasetName).set(failed('NETWORK'));
    await store.authState.set({ status: 'needsSignIn', profile: { sub: 'alice' }, identityId: ID });
    expect(await retryAt()).toBeUndefined();
  });

  it('shows the signed-in person’s stored records at once, without the removed ones', async () => {
    const store = items();
    await store.settings.set({ ...SETTINGS, datasetName: 'Notes' });
    await store.authState.set({ status: 'signedIn', profile: { sub: 'alice' }, identityId: ID });
    await store.dataset(ID, 'Notes').set(stored());

    const state = await readStoredState(store);

    expect(state?.auth.status).toBe('signedIn');
    expect(state?.dataset?.name).toBe('Notes');
    expect(state?.dataset?.records.map((r) => [r.key, r.value, r.state])).toEqual([
      ['city', 'Oxford', 'synced'],
      ['pet', 'cat', 'pending'],
    ]);
    expect(state?.dataset?.pendingCount).toBe(2);
    expect(state?.dataset?.lastSyncedAt).toBe(99);
  });

  it('shows an empty dataset for a person who has no records here yet', async () => {
    const store = items();
    await store.settings.set(SETTINGS);
    await store.authState.set({ status: 'signedIn', profile: { sub: 'alice' }, identityId: ID });
    expect((await readStoredState(store))?.dataset?.records).toEqual([]);
  });

  it('shows no dataset when nobody has signed in here', async () => {
    const store = items();
    await store.settings.set(SETTINGS);
    await store.authState.set({ status: 'signedOut' });
    expect(await readStoredState(store)).toEqual({ auth: { status: 'signedOut' }, dataset: undefined });
  });

  it('leaves the first answer to the worker when it has stored no state yet', async () => {
    const store = items();
    await store.settings.set(SETTINGS);
    expect(await readStoredState(store)).toBeUndefined();
  });

  it('paints a 1,024-record dataset from its first screen, without reading the records', async () => {
    const local = createMemoryArea();
    const read: string[] = [];
    const watched: StorageAreaLike = {
      ...local,
      get(keys) {
        read.push(String(keys));
        return local.get(keys);
      },
    };
    const store = storageItems({ local: watched, session: createMemoryArea() });
    await store.settings.set(SETTINGS);
    await store.authState.set({ status: 'signedIn', profile: { sub: 'alice' }, identityId: ID });
    const records = Array.from({ length: 1024 }, (_, i) => ({ key: `key-${i}`, value: `value ${i}`, syncCount: 1, modifiedAt: i, pending: false }));
    await store.dataset(ID, SETTINGS.datasetName).set({ version: 1, syncCount: 1, records });

    const state = await readStoredState(store);

    expect(state?.dataset?.records.map((r) => r.key)).toEqual(records.slice(0, 20).map((r) => r.key));
    expect(state?.dataset?.recordCount).toBe(1024);
    expect(read).not.toContain(datasetStoreKey(ID, SETTINGS.datasetName));
  });

  it('reads the whole dataset when it was stored without a first screen (by an earlier version)', async () => {
    const local = createMemoryArea();
    const store = storageItems({ local, session: createMemoryArea() });
    await store.settings.set(SETTINGS);
    await store.authState.set({ status: 'signedIn', profile: { sub: 'alice' }, identityId: ID });
    await local.set({ [datasetStoreKey(ID, SETTINGS.datasetName)]: stored() });

    const state = await readStoredState(store);

    expect(state?.dataset?.records.map((r) => r.key)).toEqual(['city', 'pet']);
    expect(state?.dataset?.recordCount).toBeUndefined();
  });
});

describe('the popup’s first frame with the hint of the last one', () => {
  const OTHER = 'us-east-1:00000000-0000-4000-8000-000000000002';

  /** Areas whose reads wait until released, so a test can see which reads went out before any was answered. */
  function heldAreas() {
    const asked: string[] = [];
    const held: Array<() => void> = [];
    const hold = (area: StorageAreaLike): StorageAreaLike => ({
      ...area,
      get(keys) {
        asked.push(String(keys));
        return new Promise((resolve) => held.push(() => resolve(area.get(keys))));
      },
    });
    const local = createMemoryArea();
    const session = createMemoryArea();
    const store = storageItems({ local: hold(local), session: hold(session) });
    const setup = storageItems({ local, session });
    /** Answers what is waiting, then lets the reader go on to its next round. */
    const answerRound = async (): Promise<string[]> => {
      const round = asked.splice(0);
      for (const release of held.splice(0)) release();
      await new Promise((resolve) => setTimeout(resolve, 0));
      return round;
    };
    return { store, setup, answerRound };
  }

  async function twoPeople(setup: ReturnType<typeof items>): Promise<void> {
    await setup.settings.set(SETTINGS);
    await setup.dataset(ID, SETTINGS.datasetName).set(stored());
    await setup
      .dataset(ID, 'Notes')
      .set({ version: 1, syncCount: 1, records: [{ key: 'note', value: 'A', syncCount: 1, modifiedAt: 1, pending: false }] });
    await setup
      .dataset(OTHER, SETTINGS.datasetName)
      .set({ version: 1, syncCount: 1, records: [{ key: 'mine', value: 'B', syncCount: 1, modifiedAt: 1, pending: false }] });
  }

  async function readAll(read: Promise<unknown>, answerRound: () => Promise<string[]>): Promise<string[][]> {
    const rounds: string[][] = [];
    let done = false;
    void read.finally(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    while (!done && rounds.length < 10) rounds.push(await answerRound());
    return rounds;
  }

  it('asks for everything the first frame shows in one round when the hint is right', async () => {
    const { store, setup, answerRound } = heldAreas();
    await twoPeople(setup);
    await setup.authState.set({ status: 'signedIn', profile: { sub: 'alice' }, identityId: ID });

    const read = readStoredState(store, { identityId: ID, datasetName: SETTINGS.datasetName });
    const rounds = await readAll(read, answerRound);

    expect(rounds).toHaveLength(1);
    expect((await read)?.dataset?.records.map((r) => r.key)).toEqual(['city', 'pet']);
  });

  it('takes three rounds without a hint', async () => {
    const { store, setup, answerRound } = heldAreas();
    await twoPeople(setup);
    await setup.authState.set({ status: 'signedIn', profile: { sub: 'alice' }, identityId: ID });

    const read = readStoredState(store);
    expect(await readAll(read, answerRound)).toHaveLength(3);
    expect((await read)?.dataset?.records.map((r) => r.key)).toEqual(['city', 'pet']);
  });

  it('shows the person now signed in, not the one the hint names', async () => {
    const { store, setup, answerRound } = heldAreas();
    await twoPeople(setup);
    await setup.authState.set({ status: 'signedIn', profile: { sub: 'bob' }, identityId: OTHER });

    const read = readStoredState(store, { identityId: ID, datasetName: SETTINGS.datasetName });
    await readAll(read, answerRound);

    const state = await read;
    expect(state?.dataset?.identityId).toBe(OTHER);
    expect(state?.dataset?.records.map((r) => [r.key, r.value])).toEqual([['mine', 'B']]);
  });

  it('shows the dataset open now when the hint names another one of the same person', async () => {
    const { store, setup, answerRound } = heldAreas();
    await twoPeople(setup);
    await setup.authState.set({ status: 'signedIn', profile: { sub: 'alice' }, identityId: ID });
    await setup.datasetChoice(ID).set({ name: 'Notes', defaultName: SETTINGS.datasetName });

    const read = readStoredState(store, { identityId: ID, datasetName: SETTINGS.datasetName });
    const rounds = await readAll(read, answerRound);

    expect((await read)?.dataset?.records.map((r) => [r.key, r.value])).toEqual([['note', 'A']]);
    expect(rounds).toHaveLength(2);
  });

  it('shows nothing of the hinted person once they signed out and nobody is remembered', async () => {
    const { store, setup, answerRound } = heldAreas();
    await twoPeople(setup);
    await setup.authState.set({ status: 'signedOut' });

    const read = readStoredState(store, { identityId: ID, datasetName: SETTINGS.datasetName });
    await readAll(read, answerRound);
    expect(await read).toEqual({ auth: { status: 'signedOut' }, dataset: undefined });
  });
});
