import { describe, expect, it } from 'vitest';
import { parseDatasetNames, parseDeviceId, parseStoredDataset, sameLocation, type StoredDataset } from './dataset';

const stored: StoredDataset = {
  version: 1,
  syncCount: 3,
  remote: { endpoint: 'https://dynamodb.eu-west-1.amazonaws.com', tableName: 'ExtensionDatasets' },
  records: [
    { key: '__proto__', value: 'v', syncCount: 3, modifiedAt: 10, pending: false },
    { key: 'gone', value: null, syncCount: 2, modifiedAt: 11, pending: true, resolved: true },
  ],
  lastSyncedAt: 12,
  lastError: { code: 'NETWORK', message: 'down' },
  lastReport: { pulled: 1, pushed: 2, conflicts: [{ key: 'gone', winner: 'local', strategy: 'lastWriterWins' }], syncCount: 3, at: 12 },
};

describe('parseStoredDataset', () => {
  it('reads back what was stored (through JSON, as Chrome stores it)', () => {
    expect(parseStoredDataset(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });

  it('drops a malformed record rather than the dataset', () => {
    const damaged = { ...stored, records: [...stored.records, { key: 'n', value: 5, syncCount: 1, modifiedAt: 1, pending: false }, null] };
    expect(parseStoredDataset(damaged)?.records).toHaveLength(2);
  });

  it('reads a dataset stored before it knew its server as never synced anywhere', () => {
    const { remote: _remote, ...older } = stored;
    expect(parseStoredDataset(older)).toEqual(older);
    expect(parseStoredDataset({ ...older, remote: { endpoint: 5 } })).toEqual(older);
  });

  it('reads something else as absent', () => {
    for (const value of [undefined, null, 'x', { version: 2, syncCount: 0, records: [] }, { version: 1, syncCount: -1, records: [] }]) {
      expect(parseStoredDataset(value)).toBeUndefined();
    }
  });
});

describe('sameLocation', () => {
  const table = { endpoint: 'https://dynamodb.eu-west-1.amazonaws.com', tableName: 'ExtensionDatasets' };

  it('compares endpoints normalised on both sides', () => {
    expect(sameLocation(table, { ...table, endpoint: 'https://dynamodb.eu-west-1.amazonaws.com/' })).toBe(true);
    expect(sameLocation({ ...table, endpoint: 'https://DYNAMODB.eu-west-1.amazonaws.com:443/' }, table)).toBe(true);
  });

  it('tells another endpoint or another table apart', () => {
    expect(sameLocation(table, { ...table, endpoint: 'https://dynamodb.us-east-1.amazonaws.com' })).toBe(false);
    expect(sameLocation(table, { ...table, tableName: 'OtherDatasets' })).toBe(false);
  });
});

describe('small items', () => {
  it('a device id is a UUID', () => {
    expect(parseDeviceId('0a11ce00-b0b0-4c0d-8e00-5ac0ffee0001')).toBe('0a11ce00-b0b0-4c0d-8e00-5ac0ffee0001');
    expect(parseDeviceId('not-an-id')).toBeUndefined();
  });

  it('dataset names are strings', () => {
    expect(parseDatasetNames(['a', 1, 'b'])).toEqual(['a', 'b']);
    expect(parseDatasetNames('a')).toBeUndefined();
  });
});

describe('a stored report of merges and restarts', () => {
  it('reads back what the last sync said, and drops what is malformed', () => {
    const stored = {
      version: 1,
      syncCount: 2,
      records: [],
      linkedDone: ['MainDataset.x', 7],
      lastReport: {
        pulled: 0,
        pushed: 1,
        conflicts: [],
        syncCount: 2,
        at: 5,
        linkedMerged: 4,
        linkedRefused: ['A.y'],
        restarted: { cause: 'deleted', kept: 1 },
      },
    };
    expect(parseStoredDataset(stored)).toMatchObject({
      linkedDone: ['MainDataset.x'],
      lastReport: { linkedMerged: 4, linkedRefused: ['A.y'], restarted: { cause: 'deleted', kept: 1 } },
    });
    const bad = { ...stored, lastReport: { ...stored.lastReport, restarted: { cause: 'gone', kept: 1 }, linkedMerged: -1 } };
    expect(parseStoredDataset(bad)?.lastReport).toEqual({ pulled: 0, pushed: 1, conflicts: [], syncCount: 2, at: 5, linkedRefused: ['A.y'] });
  });
});
