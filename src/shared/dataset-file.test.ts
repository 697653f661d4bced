import { describe, expect, it } from 'vitest';
import {
  DATASET_FILE_MAX_BYTES,
  checkDatasetFileSize,
  datasetFileName,
  describeDatasetFileProblem,
  parseDatasetFile,
  planImport,
  serializeDatasetFile,
  type DatasetEntry,
} from './dataset-file';

const RECORDS: DatasetEntry[] = [
  { key: 'value', value: 'hello' },
  { key: 'empty', value: '' },
  { key: 'café', value: 'naïve ☕ 𝄞 עברית' },
  { key: 'cafe\u0301', value: 'the other form' },
  { key: '__proto__', value: '{"not": "an object"}' },
  { key: ' padded ', value: '\u0000\n\t' },
];

const file = (records: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ format: 'cognito-sync-dataset', version: 1, dataset: 'MainDataset', records, ...extra });

describe('the dataset file', () => {
  it('round-trips every key and value exactly: "" values, both Unicode forms, control characters, __proto__', () => {
    const text = serializeDatasetFile('MainDataset', RECORDS, Date.UTC(2026, 11, 1));
    const parsed = parseDatasetFile(text);
    expect(parsed).toEqual({
      ok: true,
      file: { dataset: 'MainDataset', entries: [...RECORDS].sort((a, b) => (a.key < b.key ? -1 : 1)), refused: [] },
    });
    expect(JSON.parse(text)).toMatchObject({ format: 'cognito-sync-dataset', version: 1, exportedAt: '2026-12-01T00:00:00.000Z' });
  });

  it('holds keys and values only, whatever else the records carry', () => {
    const text = serializeDatasetFile('D', [{ key: 'k', value: 'v', syncCount: 3, pending: true } as DatasetEntry], 0);
    expect(JSON.parse(text).records).toEqual([{ key: 'k', value: 'v' }]);
  });

  it('names the file after the dataset, without characters a file system refuses', () => {
    expect(datasetFileName('MainDataset')).toBe('MainDataset.dataset.json');
    expect(datasetFileName('Game:Save.1')).toBe('Game_Save.1.dataset.json');
  });

  it.each([
    ['not JSON', 'key = value', 'it is not JSON.'],
    [
      'another format',
      JSON.stringify({ format: 'cognito-sync-settings', version: 1, settings: {} }),
      'it is not a dataset file exported from this extension',
    ],
    ['records not a list', file({ k: 'v' }), 'it is not a dataset file'],
    ['a version as text', file([], { version: '1' }), 'it is not a dataset file'],
    ['a later version', file([], { version: 2 }), 'it is in version 2 of the dataset file format; this extension reads version 1'],
    [
      'more than 1,024 records',
      file(Array.from({ length: 1025 }, (_, i) => ({ key: `k${i}`, value: '' }))),
      'it holds 1025 records; a dataset holds at most 1024',
    ],
    ['a huge file', `{"format":"cognito-sync-dataset","pad":"${'x'.repeat(DATASET_FILE_MAX_BYTES)}"}`, 'it is larger than 6 MB'],
  ])('refuses a whole file: %s', (_, text, reason) => {
    const parsed = parseDatasetFile(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(describeDatasetFileProblem(parsed.problem)).toContain(reason);
  });

  it('refuses a file by its size before reading it', () => {
    expect(checkDatasetFileSize(DATASET_FILE_MAX_BYTES)).toBeUndefined();
    expect(checkDatasetFileSize(DATASET_FILE_MAX_BYTES + 1)).toEqual({ code: 'TOO_LARGE', bytes: DATASET_FILE_MAX_BYTES + 1 });
  });

  it('lists each entry it cannot import, with its position and the reason, and keeps the others', () => {
    const parsed = parseDatasetFile(
      file([
        { key: 'ok', value: 'fine' },
        { key: 'n', value: 42 },
        { key: '', value: 'x' },
        'just text',
        { key: 'k'.repeat(1025), value: '' },
        { key: 'ok', value: 'again' },
        { key: 'nul', value: null },
        { key: 'lone', value: '\ud800' },
        { key: 'big', value: 'x'.repeat(400 * 1024) },
      ]),
    );
    if (!parsed.ok) throw new Error('refused');
    expect(parsed.file.entries).toEqual([{ key: 'ok', value: 'fine' }]);
    expect(parsed.file.refused.map(({ position, key }) => [position, key])).toEqual([
      [2, 'n'],
      [3, undefined],
      [4, undefined],
      [5, undefined],
      [6, 'ok'],
      [7, 'nul'],
      [8, 'lone'],
      [9, 'big'],
    ]);
    const reasons = parsed.file.refused.map((entry) => entry.reason);
    expect(reasons[0]).toMatch(/value/i);
    expect(reasons[2]).toBe('not a record with a key and a value.');
    expect(reasons[4]).toBe('the key appears earlier in the file.');
  });
});

describe('what an import would do', () => {
  const current: DatasetEntry[] = [
    { key: 'same', value: 'v' },
    { key: 'edited', value: 'old' },
  ];

  it('counts new, changed and unchanged records, and carries the refused entries', () => {
    const refused = [{ position: 4, key: 'x', reason: 'r' }];
    const plan = planImport(current, {
      entries: [
        { key: 'same', value: 'v' },
        { key: 'edited', value: 'new' },
        { key: 'added', value: '' },
      ],
      refused,
    });
    expect(plan).toEqual({ added: [{ key: 'added', value: '' }], changed: [{ key: 'edited', value: 'new' }], unchanged: 1, refused });
  });

  it('refuses the import when the dataset would pass 1,024 records or 1 MB with it', () => {
    const full = Array.from({ length: 1020 }, (_, i) => ({ key: `k${i}`, value: '' }));
    const more = Array.from({ length: 5 }, (_, i) => ({ key: `new${i}`, value: '' }));
    const plan = planImport(full, { entries: more, refused: [] });
    expect(plan.problem && describeDatasetFileProblem(plan.problem)).toContain('this dataset would pass its limits');
    expect(planImport(full, { entries: more.slice(0, 4), refused: [] }).problem).toBeUndefined();

    const big = 'x'.repeat(300 * 1024);
    const heavy = [1, 2, 3].map((i) => ({ key: `b${i}`, value: big }));
    expect(planImport(heavy, { entries: [{ key: 'b4', value: big }], refused: [] }).problem?.code).toBe('OVER_LIMITS');
    // Changing a record replaces its size: not over.
    expect(planImport(heavy, { entries: [{ key: 'b1', value: big.slice(1) }], refused: [] }).problem).toBeUndefined();
  });
});
