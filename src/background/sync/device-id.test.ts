import { describe, expect, it } from 'vitest';
import { parseDeviceId } from '../../shared/dataset';
import { StorageItem, createMemoryArea } from '../../shared/storage-item';
import { deviceIdOf } from './device-id';
import { inProcessLocks } from '../platform/locks';

describe('deviceIdOf', () => {
  it('creates one random id per profile and keeps it', async () => {
    const item = new StorageItem<string>(createMemoryArea(), 'deviceId', parseDeviceId);
    const locks = inProcessLocks();
    const [first, second] = await Promise.all([deviceIdOf(item, locks), deviceIdOf(item, locks)]);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
    expect(await deviceIdOf(item, locks)).toBe(first);
  });

  it('gives another profile another id', async () => {
    const make = () => deviceIdOf(new StorageItem<string>(createMemoryArea(), 'deviceId', parseDeviceId), inProcessLocks());
    expect(await make()).not.toBe(await make());
  });
});
