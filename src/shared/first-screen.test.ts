import { describe, expect, it } from 'vitest';
import type { StoredDataset, StoredRecord } from './dataset';
import { FIRST_SCREEN_RECORDS, parseFirstScreen } from './first-screen';
import { storageItems } from './storage';
import { createMemoryArea } from './storage-item';

const ID = 'us-east-1:00000000-0000-4000-8000-000000000001';

function dataset(count: number): StoredDataset {
  const records: StoredRecord[] = [];
  for (let i = 0; i < count; i++) {
    // Every third record removed (a tombstone), every fifth edited here and not yet pushed.
    records.push({ key: `key-${i}`, value: i % 3 === 1 ? null : `value ${i}`, syncCount: 1, modifiedAt: i, pending: i % 5 === 0 });
  }
  return { version: 1, syncCount: 7, records, lastSyncedAt: 42 };
}

describe('the first screen written with each dataset', () => {
  it('holds the first live records in order, how many there are and how many are pending', async () => {
    const items = storageItems({ local: createMemoryArea(), session: createMemoryArea() });
    const stored = dataset(1024);
    await items.dataset(ID, 'Notes').set(stored);

    const first = await items.firstScreen(ID, 'Notes').get();

    const live = stored.records.filter((record) => record.value !== null);
    expect(first?.records.map((record) => record.key)).toEqual(live.slice(0, FIRST_SCREEN_RECORDS).map((record) => record.key));
    expect(first?.recordCount).toBe(live.length);
    expect(first?.pendingCount).toBe(stored.records.filter((record) => record.pending).length);
    expect(first?.lastSyncedAt).toBe(42);
  });

  it('changes with every write of the dataset, and goes with it', async () => {
    const items = storageItems({ local: createMemoryArea(), session: createMemoryArea() });
    await items.dataset(ID, 'Notes').set(dataset(30));
    await items
      .dataset(ID, 'Notes')
      .set({ version: 1, syncCount: 8, records: [{ key: 'only', value: 'one', syncCount: 8, modifiedAt: 1, pending: false }] });
    expect((await items.firstScreen(ID, 'Notes').get())?.records).toEqual([{ key: 'only', value: 'one', state: 'synced', modifiedAt: 1 }]);

    await items.dataset(ID, 'Notes').remove();
    expect(await items.firstScreen(ID, 'Notes').get()).toBeUndefined();
  });

  it('reads as absent when malformed, so the popup reads the dataset instead', () => {
    const valid = { version: 1, records: [{ key: 'a', value: 'b', state: 'synced', modifiedAt: 1 }], recordCount: 1, pendingCount: 0 };
    expect(parseFirstScreen(valid)).toEqual(valid);
    expect(parseFirstScreen({ ...valid, records: [{ key: 'a', value: null, state: 'synced', modifiedAt: 1 }] })).toBeUndefined();
    expect(parseFirstScreen({ ...valid, records: [{ key: 'a', value: 'b', state: 'lost', modifiedAt: 1 }] })).toBeUndefined();
    expect(parseFirstScreen({ ...valid, recordCount: -1 })).toBeUndefined();
    expect(parseFirstScreen({ ...valid, version: 2 })).toBeUndefined();
  });
});
