import { describe, expect, it } from 'vitest';
import { withLock } from './lock';

describe('withLock', () => {
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
