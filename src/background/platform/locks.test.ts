import { describe, expect, it } from 'vitest';
import { inProcessLocks, LOCKS } from './locks';

const locks = inProcessLocks();
const withLock = <T>(name: string, task: () => Promise<T>): Promise<T> => locks.request(name, task);

describe('in-process locks', () => {
  it('runs holders of one lock one at a time, in order', async () => {
    const events: string[] = [];
    const hold = (name: string, ms: number) =>
      withLock('test-lock', async () => {
        events.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        events.push(`end ${name}`);
        return name;
      });
    await expect(Promise.all([hold('a', 20), hold('b', 1), hold('c', 1)])).resolves.toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('releases the lock when a holder fails', async () => {
    await expect(withLock('test-lock-2', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(withLock('test-lock-2', async () => 'next')).resolves.toBe('next');
  });

  it('lets different locks run side by side', async () => {
    let inside = 0;
    let most = 0;
    const hold = (name: string) =>
      withLock(name, async () => {
        inside += 1;
        most = Math.max(most, inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside -= 1;
      });
    await Promise.all([hold('x'), hold('y')]);
    expect(most).toBe(2);
  });
});

describe('one lock manager for the worker', () => {
  it('a holder waits for the other holder of the same lock', async () => {
    const events: string[] = [];
    let release = (): void => undefined;
    const first = withLock('shared-lock', () => new Promise<void>((resolve) => (release = resolve)).then(() => void events.push('auth done')));
    // Let the first holder start before the second asks.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await locks.isHeld('shared-lock')).toBe(true);
    const second = locks.request('shared-lock', async () => void events.push('sync ran'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(events).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['auth done', 'sync ran']);
    expect(await locks.isHeld('shared-lock')).toBe(false);
  });

  it('tells which locks are held', async () => {
    let inside = false;
    await locks.request(LOCKS.sync('us-east-1:x', 'MainDataset'), async () => {
      inside = await locks.isHeld(LOCKS.sync('us-east-1:x', 'MainDataset'));
    });
    expect(inside).toBe(true);
    expect(await locks.isHeld(LOCKS.sync('us-east-1:x', 'MainDataset'))).toBe(false);
  });

  it('names every lock in one place, without two names colliding', () => {
    const names = [LOCKS.authState, LOCKS.tokens, LOCKS.credentials, LOCKS.deviceId, LOCKS.store('dataset/id/Main'), LOCKS.sync('id', 'Main')];
    expect(new Set(names).size).toBe(names.length);
    expect(LOCKS.store('datasetNames/id')).toBe('store:datasetNames/id');
    expect(LOCKS.sync('us-east-1:x', 'Main')).toBe('sync:us-east-1:x:Main');
  });
});
