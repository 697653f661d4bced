import { describe, expect, it } from 'vitest';
import { createMemoryArea, StorageItem } from './storage-item';

const asNumber = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

describe('StorageItem', () => {
  it('reads back what it wrote and reads a removed item as absent', async () => {
    const item = new StorageItem(createMemoryArea(), 'count', asNumber);
    await item.set(3);
    expect(await item.get()).toBe(3);
    await item.remove();
    expect(await item.get()).toBeUndefined();
  });

  it('reads a value of the wrong shape as absent', async () => {
    const area = createMemoryArea();
    await area.set({ count: 'three' });
    expect(await new StorageItem(area, 'count', asNumber).get()).toBeUndefined();
  });

  it('reports changes until its signal aborts', async () => {
    const item = new StorageItem(createMemoryArea(), 'count', asNumber);
    const seen: Array<number | undefined> = [];
    const controller = new AbortController();
    item.onChanged((value) => seen.push(value), controller.signal);
    await item.set(1);
    await item.remove();
    controller.abort();
    await item.set(2);
    expect(seen).toEqual([1, undefined]);
  });

  it('reports the value each change replaced, read as get reads it', async () => {
    const area = createMemoryArea();
    const item = new StorageItem(area, 'count', asNumber);
    const seen: Array<[number | undefined, number | undefined]> = [];
    item.onChanged((newValue, oldValue) => seen.push([newValue, oldValue]));
    await item.set(1);
    await item.set(2);
    await area.set({ count: 'three' });
    await item.remove();
    expect(seen).toEqual([
      [1, undefined],
      [2, 1],
      [undefined, 2],
      [undefined, undefined],
    ]);
  });
});
