import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { assertDatasetName, assertFits, assertKey, assertValue, MAX_DATASET_BYTES, MAX_RECORD_BYTES, usageOf, utf8Length } from './limits';

function codeOf(run: () => void): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return undefined;
}

describe('dataset names', () => {
  it('accepts Cognito Sync names up to 128 characters', () => {
    expect(codeOf(() => assertDatasetName('MainDataset'))).toBeUndefined();
    expect(codeOf(() => assertDatasetName('a_b.c:d-e'))).toBeUndefined();
    expect(codeOf(() => assertDatasetName('x'.repeat(128)))).toBeUndefined();
  });

  it('refuses other names with DATASET_LIMIT and non-strings with INVALID_INPUT', () => {
    expect(codeOf(() => assertDatasetName(''))).toBe('DATASET_LIMIT');
    expect(codeOf(() => assertDatasetName('x'.repeat(129)))).toBe('DATASET_LIMIT');
    expect(codeOf(() => assertDatasetName('a/b'))).toBe('DATASET_LIMIT');
    expect(codeOf(() => assertDatasetName('café'))).toBe('DATASET_LIMIT');
    expect(codeOf(() => assertDatasetName(42))).toBe('INVALID_INPUT');
  });
});

describe('keys', () => {
  it('counts length in UTF-16 code units, 1 to 1,024', () => {
    expect(codeOf(() => assertKey('k'))).toBeUndefined();
    expect(codeOf(() => assertKey('k'.repeat(1024)))).toBeUndefined();
    expect(codeOf(() => assertKey('😀'.repeat(512)))).toBeUndefined(); // 1,024 code units
    expect(codeOf(() => assertKey('😀'.repeat(513)))).toBe('DATASET_LIMIT');
    expect(codeOf(() => assertKey(''))).toBe('DATASET_LIMIT');
    expect(codeOf(() => assertKey('k'.repeat(1025)))).toBe('DATASET_LIMIT');
  });

  it('refuses non-strings and unpaired surrogates with INVALID_INPUT', () => {
    expect(codeOf(() => assertKey(1))).toBe('INVALID_INPUT');
    expect(codeOf(() => assertKey(null))).toBe('INVALID_INPUT');
    expect(codeOf(() => assertKey('a\uD800b'))).toBe('INVALID_INPUT');
  });
});

describe('values', () => {
  it('accepts any string, the empty string included', () => {
    expect(codeOf(() => assertValue(''))).toBeUndefined();
    expect(codeOf(() => assertValue('0'))).toBeUndefined();
  });

  it('refuses numbers, null, objects and unpaired surrogates with INVALID_INPUT', () => {
    for (const value of [0, null, undefined, {}, ['a'], true, '\uDC00']) {
      expect(codeOf(() => assertValue(value))).toBe('INVALID_INPUT');
    }
  });
});

describe('dataset size', () => {
  it('counts keys and values in UTF-8 bytes, tombstones excluded', () => {
    expect(utf8Length('é')).toBe(2);
    for (const text of ['', 'a', 'é', '€', '😀', 'a😀é€z', '\uD800', 'x\uDC00y']) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
    expect(
      usageOf([
        { key: 'ab', value: 'é' },
        { key: 'gone', value: null },
      ]),
    ).toEqual({ records: 1, bytes: 4 });
  });

  it('refuses the 1,025th record', () => {
    expect(codeOf(() => assertFits({ records: 1024, bytes: 10 }, 'new', undefined, 'v'))).toBe('DATASET_LIMIT');
    expect(codeOf(() => assertFits({ records: 1023, bytes: 10 }, 'new', undefined, 'v'))).toBeUndefined();
    // replacing a record or re-creating a removed one does not add one beyond the existing count
    expect(codeOf(() => assertFits({ records: 1024, bytes: 10 }, 'old', 'x', 'y'))).toBeUndefined();
    expect(codeOf(() => assertFits({ records: 1024, bytes: 10 }, 'old', null, 'y'))).toBe('DATASET_LIMIT');
  });

  it('refuses a write that takes the dataset past 1 MB, counting the replaced value out', () => {
    const big = 'v'.repeat(300 * 1024);
    expect(codeOf(() => assertFits({ records: 3, bytes: 3 * (300 * 1024 + 1) }, 'd', undefined, big))).toBe('DATASET_LIMIT');
    expect(codeOf(() => assertFits({ records: 3, bytes: 3 * (300 * 1024 + 1) }, 'a', big, big))).toBeUndefined();
    expect(codeOf(() => assertFits({ records: 0, bytes: MAX_DATASET_BYTES - 2 }, 'k', undefined, 'v'))).toBeUndefined();
    expect(codeOf(() => assertFits({ records: 0, bytes: MAX_DATASET_BYTES - 1 }, 'k', undefined, 'v'))).toBe('DATASET_LIMIT');
  });

  it('refuses one record larger than a DynamoDB item can hold', () => {
    expect(codeOf(() => assertFits({ records: 0, bytes: 0 }, 'k', undefined, 'v'.repeat(MAX_RECORD_BYTES)))).toBe('DATASET_LIMIT');
    expect(codeOf(() => assertFits({ records: 0, bytes: 0 }, 'k', undefined, 'v'.repeat(MAX_RECORD_BYTES - 1)))).toBeUndefined();
  });

  it('names the field a refusal is about, and none for the limits of the whole dataset', () => {
    const fieldOf = (run: () => void): string | undefined => {
      try {
        run();
      } catch (error) {
        return error instanceof AppError ? (error.field ?? 'none') : 'not an AppError';
      }
      return 'not refused';
    };
    expect(fieldOf(() => assertKey('k'.repeat(1025)))).toBe('key');
    expect(fieldOf(() => assertKey('a\uD800b'))).toBe('key');
    expect(fieldOf(() => assertValue('\uDC00'))).toBe('value');
    expect(fieldOf(() => assertFits({ records: 0, bytes: 0 }, 'k', undefined, 'v'.repeat(MAX_RECORD_BYTES)))).toBe('value');
    expect(fieldOf(() => assertFits({ records: 1024, bytes: 10 }, 'new', undefined, 'v'))).toBe('none');
    expect(fieldOf(() => assertFits({ records: 0, bytes: MAX_DATASET_BYTES - 1 }, 'k', undefined, 'v'))).toBe('none');
  });

  it('says what to do in the message', () => {
    expect(() => assertFits({ records: 1024, bytes: 10 }, 'new', undefined, 'v')).toThrow(/at most 1024 records.*Delete/);
  });
});
