// The local dataset of one (identity, dataset) in storage.local: read at once, changed one
// read-modify-write at a time, so an edit made during a sync is never overwritten by it.
import { EMPTY_DATASET, type StoredDataset } from '../../shared/dataset';
import type { StorageItem } from '../../shared/storage-item';
import { LOCKS, type LockManagerLike } from '../platform/locks';

export interface LocalStore {
  read(): Promise<StoredDataset>;
  /**
   * Applies `change` to the dataset as stored now. `change` returns the new dataset, or undefined to
   * leave it as it is (no write). Resolves with the dataset as stored afterwards.
   */
  update(change: (current: StoredDataset) => StoredDataset | undefined): Promise<StoredDataset>;
}

/** `item` is `items.dataset(identityId, datasetName)` (src/shared/storage.ts). */
export function createLocalStore(item: StorageItem<StoredDataset>, locks: LockManagerLike): LocalStore {
  const read = async (): Promise<StoredDataset> => (await item.get()) ?? EMPTY_DATASET;
  return {
    read,
    update: (change) =>
      locks.request(LOCKS.store(item.key), async () => {
        const current = await read();
        const next = change(current);
        if (next === undefined || next === current) return current;
        await item.set(next);
        return next;
      }),
  };
}
