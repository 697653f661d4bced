// A random id per browser profile, written with every record this device pushes: a record that comes
// back with it is this device's own edit (an acknowledgement), never a conflict.
import type { StorageItem } from '../../shared/storage-item';
import { LOCKS, type LockManagerLike } from '../platform/locks';

export async function deviceIdOf(item: StorageItem<string>, locks: LockManagerLike): Promise<string> {
  const known = await item.get();
  if (known) return known;
  // Under a lock: two first syncs at once must not each invent an id.
  return locks.request(LOCKS.deviceId, async () => {
    const again = await item.get();
    if (again) return again;
    const id = crypto.randomUUID();
    await item.set(id);
    return id;
  });
}
