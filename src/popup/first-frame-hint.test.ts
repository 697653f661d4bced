import { describe, expect, it } from 'vitest';
import { forgetFirstFrameHint, readFirstFrameHint, writeFirstFrameHint, type HintStore } from './first-frame-hint';

function memory(): HintStore & { writes: number } {
  const values = new Map<string, string>();
  return {
    writes: 0,
    getItem: (key) => values.get(key) ?? null,
    setItem(key, value) {
      this.writes++;
      values.set(key, value);
    },
    removeItem: (key) => values.delete(key),
  };
}

const HINT = { identityId: 'us-east-1:00000000-0000-4000-8000-000000000001', datasetName: 'Notes' };

describe('the hint of the popup’s last first frame', () => {
  it('reads back what was written', () => {
    const store = memory();
    writeFirstFrameHint(store, HINT, undefined);
    expect(readFirstFrameHint(store)).toEqual(HINT);
  });

  it('is not written again when the first frame showed the same dataset', () => {
    const store = memory();
    writeFirstFrameHint(store, HINT, undefined);
    writeFirstFrameHint(store, HINT, HINT);
    writeFirstFrameHint(store, { ...HINT, datasetName: 'Other' }, HINT);
    expect(store.writes).toBe(2);
    expect(readFirstFrameHint(store)?.datasetName).toBe('Other');
  });

  it('is forgotten on request', () => {
    const store = memory();
    writeFirstFrameHint(store, HINT, undefined);
    forgetFirstFrameHint(store);
    expect(readFirstFrameHint(store)).toBeUndefined();
  });

  it('reads as no hint when missing, not JSON, of the wrong shape, or when storage throws', () => {
    const store = memory();
    expect(readFirstFrameHint(store)).toBeUndefined();
    store.setItem('firstFrameHint', '{not json');
    expect(readFirstFrameHint(store)).toBeUndefined();
    store.setItem('firstFrameHint', JSON.stringify({ identityId: 7, datasetName: 'Notes' }));
    expect(readFirstFrameHint(store)).toBeUndefined();
    const broken: HintStore = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(readFirstFrameHint(broken)).toBeUndefined();
    expect(() => writeFirstFrameHint(broken, HINT, undefined)).not.toThrow();
    expect(() => forgetFirstFrameHint(broken)).not.toThrow();
    expect(readFirstFrameHint(undefined)).toBeUndefined();
  });
});
