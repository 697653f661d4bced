import { describe, expect, it } from 'vitest';
import { lazyModule } from './lazy';

describe('a chunk of views loaded after the first paint', () => {
  it('is fetched once, however many views ask for it', async () => {
    let loads = 0;
    const chunk = lazyModule(async () => {
      loads += 1;
      return { view: 'loaded' };
    });
    const [first, second] = await Promise.all([chunk.preload(), chunk.preload()]);
    expect(await chunk.preload()).toBe(first);
    expect(second).toEqual({ view: 'loaded' });
    expect(loads).toBe(1);
  });

  it('is asked for again after a load that failed, so the views come once it loads', async () => {
    let loads = 0;
    const chunk = lazyModule(async () => {
      loads += 1;
      if (loads === 1) throw new Error('chunk missing');
      return { view: 'loaded' };
    });
    await expect(chunk.preload()).rejects.toThrow('chunk missing');
    await expect(chunk.preload()).resolves.toEqual({ view: 'loaded' });
    expect(loads).toBe(2);
  });
});
