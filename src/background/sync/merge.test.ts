import { describe, expect, it } from 'vitest';
import { EMPTY_DATASET, type StoredDataset, type StoredRecord } from '../../shared/dataset';
import { AppError } from '../../shared/errors';
import { CONFLICT_STRATEGIES } from '../../shared/settings';
import { MAX_RECORDS } from './limits';
import { applyEdit, clearResolved, commitPush, mergeLinked, mergeOnNewServer, mergePulled, nextPatches, recordMap } from './merge';
import type { RemoteRecord } from './remote';

const ME = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

function dataset(records: StoredRecord[], syncCount = 0): StoredDataset {
  return { version: 1, syncCount, records };
}
const synced = (key: string, value: string | null, syncCount: number, modifiedAt = 100): StoredRecord => ({
  key,
  value,
  syncCount,
  modifiedAt,
  pending: false,
});
const pending = (key: string, value: string | null, syncCount: number, modifiedAt: number): StoredRecord => ({
  key,
  value,
  syncCount,
  modifiedAt,
  pending: true,
});
const remote = (key: string, value: string | null, syncCount: number, deviceModified: number, deviceId = OTHER): RemoteRecord => ({
  key,
  value,
  syncCount,
  deviceModified,
  deviceId,
});
const lww = { deviceId: ME, strategy: 'lastWriterWins' } as const;

function get(d: StoredDataset, key: string): StoredRecord | undefined {
  return recordMap(d).get(key);
}

describe('applyEdit', () => {
  it('a put makes the record pending at the current time', () => {
    const next = applyEdit(EMPTY_DATASET, 'k', 'v', 500);
    expect(next && get(next, 'k')).toEqual(pending('k', 'v', 0, 500));
  });

  it('keeps "" as a value, not a removal', () => {
    const next = applyEdit(dataset([synced('k', 'v', 3)]), 'k', '', 500);
    expect(next && get(next, 'k')?.value).toBe('');
  });

  it('a remove leaves a pending tombstone based on the synced version', () => {
    const next = applyEdit(dataset([synced('k', 'v', 3)], 3), 'k', null, 500);
    expect(next && get(next, 'k')).toEqual(pending('k', null, 3, 500));
  });

  it('changes nothing for the same value again or for removing what is absent', () => {
    expect(applyEdit(dataset([synced('k', 'v', 3)]), 'k', 'v', 500)).toBeUndefined();
    expect(applyEdit(EMPTY_DATASET, 'k', null, 500)).toBeUndefined();
    expect(applyEdit(dataset([synced('k', null, 3)]), 'k', null, 500)).toBeUndefined();
  });

  it('an edit is never earlier than the version it replaces (clock behind another device)', () => {
    const next = applyEdit(dataset([synced('k', 'v', 3, 9000)]), 'k', 'w', 500);
    expect(next && get(next, 'k')?.modifiedAt).toBe(9001);
  });

  it('clears the resolved mark', () => {
    const next = applyEdit(dataset([{ ...synced('k', 'v', 3), resolved: true }]), 'k', 'w', 500);
    expect(next && get(next, 'k')?.resolved).toBeUndefined();
  });

  it('keeps a key named __proto__ as a record', () => {
    const next = applyEdit(EMPTY_DATASET, '__proto__', 'v', 1);
    expect(next?.records).toEqual([pending('__proto__', 'v', 0, 1)]);
    expect(Object.getPrototypeOf(next)).toBe(Object.prototype);
  });

  it('refuses the 1,025th record with DATASET_LIMIT', () => {
    const full = dataset(Array.from({ length: 1024 }, (_, i) => synced(`k${String(i).padStart(4, '0')}`, 'v', 1)));
    expect(() => applyEdit(full, 'one-more', 'v', 1)).toThrowError(AppError);
    expect(() => applyEdit(full, 'one-more', 'v', 1)).toThrow(expect.objectContaining({ code: 'DATASET_LIMIT' }));
    expect(applyEdit(full, 'k0000', 'changed', 1)).toBeDefined();
  });
});

describe('mergePulled', () => {
  it('takes the server version of a record not pending here, and moves the sync count', () => {
    const result = mergePulled(dataset([synced('a', '1', 1)], 1), [remote('a', '2', 2, 200)], 2, lww);
    expect(get(result.dataset, 'a')).toEqual(synced('a', '2', 2, 200));
    expect(result.dataset.syncCount).toBe(2);
    expect(result.pulled).toBe(1);
    expect(result.conflicts).toEqual([]);
  });

  it('learns of a removal made elsewhere', () => {
    const result = mergePulled(dataset([synced('a', '1', 1)], 1), [remote('a', null, 2, 200)], 2, lww);
    expect(get(result.dataset, 'a')?.value).toBeNull();
  });

  it('keeps the tombstone of a record it never had, not counted as pulled, and a later edit here is based on it', () => {
    const result = mergePulled(EMPTY_DATASET, [remote('a', null, 2, 200)], 2, lww);
    expect(result.dataset.records).toEqual([synced('a', null, 2, 200)]);
    expect(result.pulled).toBe(0);
    // Cognito Sync takes a record's push only with the record's current SyncCount (2 here), never pulled again.
    const edited = applyEdit(result.dataset, 'a', 'new', 500);
    expect(edited && nextPatches(edited, 10)).toEqual([{ key: 'a', value: 'new', deviceModified: 500, syncCount: 2 }]);
  });

  it('keeps an edit pending here when the server changed another key', () => {
    const result = mergePulled(dataset([pending('a', 'mine', 1, 300)], 1), [remote('b', 'theirs', 2, 200)], 2, lww);
    expect(get(result.dataset, 'a')).toEqual(pending('a', 'mine', 1, 300));
    expect(get(result.dataset, 'b')?.value).toBe('theirs');
  });

  it('last writer wins: a later local edit stays pending on top of the server version, reported', () => {
    const result = mergePulled(dataset([pending('a', 'mine', 1, 300)], 1), [remote('a', 'theirs', 2, 200)], 2, lww);
    expect(get(result.dataset, 'a')).toEqual({ ...pending('a', 'mine', 2, 300), resolved: true });
    expect(result.conflicts).toEqual([{ key: 'a', winner: 'local', strategy: 'lastWriterWins' }]);
  });

  it('last writer wins: a later server edit replaces the pending local one, reported', () => {
    const result = mergePulled(dataset([pending('a', 'mine', 1, 100)], 1), [remote('a', 'theirs', 2, 200)], 2, lww);
    expect(get(result.dataset, 'a')).toEqual({ ...synced('a', 'theirs', 2, 200), resolved: true });
    expect(result.conflicts).toEqual([{ key: 'a', winner: 'remote', strategy: 'lastWriterWins' }]);
  });

  it('this device wins keeps the local edit even if older', () => {
    const result = mergePulled(dataset([pending('a', 'mine', 1, 100)], 1), [remote('a', 'theirs', 2, 200)], 2, {
      deviceId: ME,
      strategy: 'deviceWins',
    });
    expect(get(result.dataset, 'a')?.value).toBe('mine');
    expect(get(result.dataset, 'a')?.pending).toBe(true);
  });

  it('server wins takes the server version even if older', () => {
    const result = mergePulled(dataset([pending('a', 'mine', 1, 300)], 1), [remote('a', 'theirs', 2, 200)], 2, {
      deviceId: ME,
      strategy: 'serverWins',
    });
    expect(get(result.dataset, 'a')?.value).toBe('theirs');
    expect(get(result.dataset, 'a')?.pending).toBe(false);
  });

  it('a local removal against a remote edit is a conflict like any other', () => {
    const result = mergePulled(dataset([pending('a', null, 1, 300)], 1), [remote('a', 'theirs', 2, 200)], 2, lww);
    expect(result.conflicts).toHaveLength(1);
    expect(get(result.dataset, 'a')).toMatchObject({ value: null, pending: true, syncCount: 2 });
  });

  it('the same value on both sides is no conflict', () => {
    const result = mergePulled(dataset([pending('a', 'same', 1, 100)], 1), [remote('a', 'same', 2, 200)], 2, lww);
    expect(result.conflicts).toEqual([]);
    expect(get(result.dataset, 'a')).toEqual(synced('a', 'same', 2, 200));
  });

  it('the same value on both sides, edited later here, is no conflict and still goes up with its later time', () => {
    // Else an edit made elsewhere between the two (older than this one) and pushed afterwards would win under "the later edit wins".
    const result = mergePulled(dataset([pending('a', null, 1, 300)], 1), [remote('a', null, 2, 200)], 2, lww);
    expect(result.conflicts).toEqual([]);
    expect(get(result.dataset, 'a')).toEqual(pending('a', null, 2, 300));
  });

  it("acknowledges this device's own push that landed before the worker stopped", () => {
    const result = mergePulled(dataset([pending('a', 'mine', 1, 300)], 1), [remote('a', 'mine', 2, 300, ME)], 2, {
      deviceId: ME,
      strategy: 'serverWins',
    });
    expect(result.conflicts).toEqual([]);
    expect(get(result.dataset, 'a')).toEqual(synced('a', 'mine', 2, 300));
  });

  it("keeps a later local edit pending on top of this device's own earlier push, even when the server wins", () => {
    const result = mergePulled(dataset([pending('a', 'later', 1, 400)], 1), [remote('a', 'earlier', 2, 300, ME)], 2, {
      deviceId: ME,
      strategy: 'serverWins',
    });
    expect(result.conflicts).toEqual([]);
    expect(get(result.dataset, 'a')).toEqual(pending('a', 'later', 2, 400));
  });

  it('skips a version it already has', () => {
    const result = mergePulled(dataset([pending('a', 'mine', 5, 300)], 5), [remote('a', 'old', 4, 200)], 5, lww);
    expect(get(result.dataset, 'a')).toEqual(pending('a', 'mine', 5, 300));
  });

  it('uses the latest version when a backend sends one key twice', () => {
    const result = mergePulled(EMPTY_DATASET, [remote('a', 'new', 3, 300), remote('a', 'old', 2, 200)], 3, lww);
    expect(get(result.dataset, 'a')?.value).toBe('new');
  });
});

describe('pushing', () => {
  it('takes pending records in key order, at most the limit', () => {
    const d = dataset([pending('c', '3', 0, 1), synced('b', '2', 1), pending('a', null, 1, 1), pending('d', '4', 0, 1)]);
    const sorted = applyEdit(d, 'e', '5', 2);
    expect(sorted && nextPatches(sorted, 2).map((p) => p.key)).toEqual(['a', 'c']);
    expect(nextPatches(d, 10)).toContainEqual({ key: 'a', value: null, deviceModified: 1, syncCount: 1 });
  });

  it('a committed push marks the pushed edits synced and moves the sync count', () => {
    const d = dataset([pending('a', '1', 0, 10)], 4);
    const next = commitPush(d, nextPatches(d, 99), 4, 5);
    expect(next).toEqual(dataset([synced('a', '1', 5, 10)], 5));
  });

  it('an edit made while the push was in flight stays pending, based on what was pushed', () => {
    const d = dataset([pending('a', '1', 0, 10)], 4);
    const patches = nextPatches(d, 99);
    const edited = applyEdit(d, 'a', '2', 20);
    expect(edited && get(commitPush(edited, patches, 4, 5), 'a')).toEqual(pending('a', '2', 5, 20));
  });

  it('the sync count stays where it is if something else moved it', () => {
    const d = dataset([pending('a', '1', 0, 10)], 6);
    expect(commitPush(d, nextPatches(d, 99), 4, 5).syncCount).toBe(6);
  });
});

describe('an emptied server (mergeOnNewServer from a pull from 0)', () => {
  it('makes every existing record pending from 0, forgets synced tombstones, and keeps a pending removal', () => {
    const d = dataset([synced('a', '1', 7, 5), synced('b', null, 8), pending('c', '3', 8, 9), pending('d', null, 9, 10)], 9);
    const result = mergeOnNewServer(d, [], 0, lww);
    expect(result.dataset).toEqual(dataset([pending('a', '1', 0, 5), pending('c', '3', 0, 9), pending('d', null, 0, 10)], 0));
    expect(nextPatches(result.dataset, 99).map((p) => [p.key, p.value])).toEqual([
      ['a', '1'],
      ['c', '3'],
      ['d', null],
    ]);
  });

  it('keeps a later value another browser uploaded again over the stale copy synced here, even under deviceWins', () => {
    const d = dataset([synced('k', 'stale', 7, 100)], 9);
    const result = mergeOnNewServer(d, [remote('k', 'newer', 1, 200)], 1, { deviceId: ME, strategy: 'deviceWins' });
    expect(result.dataset).toEqual(dataset([synced('k', 'newer', 1, 200)], 1));
    expect(result).toMatchObject({ pulled: 1, conflicts: [] });
  });

  it('a removal not yet synced stays pending against the copy another browser uploaded again', () => {
    const d = dataset([pending('k', null, 7, 300)], 9);
    const result = mergeOnNewServer(d, [remote('k', 'v', 1, 100)], 1, { deviceId: ME, strategy: 'deviceWins' });
    expect(get(result.dataset, 'k')).toEqual({ ...pending('k', null, 1, 300), resolved: true });
    expect(nextPatches(result.dataset, 99)).toEqual([{ key: 'k', value: null, deviceModified: 300, syncCount: 1 }]);
  });
});

describe('mergeOnNewServer (the settings name another table or endpoint)', () => {
  // This device's counts (7, 8, 9) are the old server's; the new server's (1, 2, 3) are unrelated.
  it("takes the new server's later version of a record synced here, under every strategy, as no conflict", () => {
    for (const strategy of CONFLICT_STRATEGIES) {
      const result = mergeOnNewServer(dataset([synced('a', 'stale', 8, 100)], 9), [remote('a', 'newer', 2, 200)], 3, { deviceId: ME, strategy });
      expect(result.dataset).toEqual(dataset([synced('a', 'newer', 2, 200)], 3));
      expect(result).toMatchObject({ pulled: 1, conflicts: [] });
    }
  });

  it("takes the new server's later removal of a record synced here", () => {
    const result = mergeOnNewServer(dataset([synced('a', 'stale', 8, 100)], 9), [remote('a', null, 2, 200)], 3, {
      deviceId: ME,
      strategy: 'deviceWins',
    });
    expect(result.dataset).toEqual(dataset([synced('a', null, 2, 200)], 3));
  });

  it("uploads a later version synced here on top of the new server's, under every strategy, as no conflict", () => {
    for (const strategy of CONFLICT_STRATEGIES) {
      const result = mergeOnNewServer(dataset([synced('a', 'newer', 8, 300)], 9), [remote('a', 'older', 2, 200)], 3, { deviceId: ME, strategy });
      expect(result.dataset).toEqual(dataset([pending('a', 'newer', 2, 300)], 3));
      expect(result).toMatchObject({ pulled: 0, conflicts: [] });
    }
  });

  it("uploads a later removal synced here over the new server's older value", () => {
    const result = mergeOnNewServer(dataset([synced('a', null, 8, 300)], 9), [remote('a', 'older', 2, 200)], 3, lww);
    expect(result.dataset).toEqual(dataset([pending('a', null, 2, 300)], 3));
  });

  it('a tie in time goes to the server', () => {
    const result = mergeOnNewServer(dataset([synced('a', 'mine', 8, 200)], 9), [remote('a', 'theirs', 2, 200)], 3, lww);
    expect(get(result.dataset, 'a')).toEqual(synced('a', 'theirs', 2, 200));
  });

  it("the same value on both sides is synced at the new server's count: no push, nothing taken", () => {
    const result = mergeOnNewServer(dataset([synced('a', 'same', 8, 100)], 9), [remote('a', 'same', 2, 200)], 3, lww);
    expect(result.dataset).toEqual(dataset([synced('a', 'same', 2, 200)], 3));
    expect(result.pulled).toBe(0);
  });

  it('uploads what only this device holds, and drops a synced removal the new server never had', () => {
    const result = mergeOnNewServer(dataset([synced('a', '1', 7, 5), synced('b', null, 8, 6)], 9), [remote('c', '3', 1, 7)], 1, lww);
    expect(result.dataset).toEqual(dataset([pending('a', '1', 0, 5), synced('c', '3', 1, 7)], 1));
  });

  it('keeps a pending removal pending, so it reaches the new server, whether or not the server has the key', () => {
    const d = dataset([pending('a', null, 8, 300), pending('b', null, 7, 310)], 9);
    const result = mergeOnNewServer(d, [remote('a', 'older', 2, 200)], 3, lww);
    expect(result.dataset).toEqual(dataset([{ ...pending('a', null, 2, 300), resolved: true }, pending('b', null, 0, 310)], 3));
    expect(result.conflicts).toEqual([{ key: 'a', winner: 'local', strategy: 'lastWriterWins' }]);
    expect(nextPatches(result.dataset, 99).map((p) => [p.key, p.value])).toEqual([
      ['a', null],
      ['b', null],
    ]);
  });

  it("a pending edit against the new server's version is a conflict the strategy resolves", () => {
    const d = dataset([pending('a', 'mine', 8, 300)], 9);
    const theirs = [remote('a', 'theirs', 2, 200)];
    const winners = CONFLICT_STRATEGIES.map((strategy) => mergeOnNewServer(d, theirs, 3, { deviceId: ME, strategy }).conflicts[0]?.winner);
    expect(Object.fromEntries(CONFLICT_STRATEGIES.map((s, i) => [s, winners[i]]))).toEqual({
      lastWriterWins: 'local',
      deviceWins: 'local',
      serverWins: 'remote',
    });
    expect(get(mergeOnNewServer(d, theirs, 3, lww).dataset, 'a')).toEqual({ ...pending('a', 'mine', 2, 300), resolved: true });
    expect(get(mergeOnNewServer(d, theirs, 3, { deviceId: ME, strategy: 'serverWins' }).dataset, 'a')).toEqual({
      ...synced('a', 'theirs', 2, 200),
      resolved: true,
    });
  });

  it("a pending edit on top of this device's own earlier push to the new server is no conflict", () => {
    const result = mergeOnNewServer(dataset([pending('a', 'later', 8, 400)], 9), [remote('a', 'earlier', 2, 300, ME)], 3, {
      deviceId: ME,
      strategy: 'serverWins',
    });
    expect(result.dataset).toEqual(dataset([pending('a', 'later', 2, 400)], 3));
    expect(result.conflicts).toEqual([]);
  });

  it('takes what only the new server holds', () => {
    const result = mergeOnNewServer(dataset([], 9), [remote('a', '1', 1, 100), remote('b', null, 2, 100)], 2, lww);
    expect(result.dataset).toEqual(dataset([synced('a', '1', 1, 100), synced('b', null, 2, 100)], 2));
    expect(result.pulled).toBe(1);
  });
});

describe('clearResolved', () => {
  it('removes resolved marks and returns the same dataset when there are none', () => {
    const plain = dataset([synced('a', '1', 1)]);
    expect(clearResolved(plain)).toBe(plain);
    expect(clearResolved(dataset([{ ...synced('a', '1', 1), resolved: true }]))).toEqual(plain);
  });
});

describe('mergeLinked (a dataset of a linked sign-in merged into this one)', () => {
  const linked = (key: string, value: string | null, deviceModified = 500): RemoteRecord => remote(key, value, 3, deviceModified, '');

  it('adds the keys this dataset lacks as pending edits made now, "" and unicode as they were', () => {
    const result = mergeLinked(dataset([synced('mine', 'kept', 2)], 2), [linked('theirs', 'café ☕'), linked('empty', '')], 'lastWriterWins', 1_000);
    expect(result?.merged).toBe(2);
    const merged = result?.dataset ?? EMPTY_DATASET;
    expect(get(merged, 'theirs')).toMatchObject({ value: 'café ☕', pending: true, syncCount: 0, modifiedAt: 1_000 });
    expect(get(merged, 'empty')).toMatchObject({ value: '', pending: true });
    expect(get(merged, 'mine')).toMatchObject({ value: 'kept', pending: false });
  });

  it('counts nothing for a key holding the same value here, and a removal there removes nothing here', () => {
    const result = mergeLinked(
      dataset([synced('same', 'v', 1), synced('k', 'here', 1)], 1),
      [linked('same', 'v'), linked('k', null)],
      'serverWins',
      1_000,
    );
    expect(result?.merged).toBe(0);
    expect(get(result?.dataset ?? EMPTY_DATASET, 'k')).toMatchObject({ value: 'here', pending: false });
  });

  it('takes a removed key here back from the linked dataset, based on its tombstone', () => {
    const result = mergeLinked(dataset([synced('k', null, 4)], 4), [linked('k', 'back')], 'lastWriterWins', 1_000);
    expect(get(result?.dataset ?? EMPTY_DATASET, 'k')).toMatchObject({ value: 'back', pending: true, syncCount: 4 });
  });

  it.each([
    ['lastWriterWins', 100, 'theirs'],
    ['lastWriterWins', 900, 'mine'],
    ['deviceWins', 100, 'mine'],
    ['serverWins', 900, 'theirs'],
  ] as const)('a key both hold with other values goes by %s (this edit at %i, theirs at 500)', (strategy, modifiedAt, winner) => {
    const result = mergeLinked(dataset([synced('k', 'mine', 1, modifiedAt)], 1), [linked('k', 'theirs', 500)], strategy, 1_000);
    expect(get(result?.dataset ?? EMPTY_DATASET, 'k')?.value).toBe(winner);
    expect(result?.merged).toBe(winner === 'theirs' ? 1 : 0);
  });

  it('merges nothing when the result would pass 1,024 records', () => {
    const full = dataset(
      Array.from({ length: MAX_RECORDS - 1 }, (_, i) => synced(`k${i}`, 'v', 1)),
      1,
    );
    expect(mergeLinked(full, [linked('a', '1'), linked('b', '2')], 'lastWriterWins', 1_000)).toBeUndefined();
    expect(mergeLinked(full, [linked('a', '1')], 'lastWriterWins', 1_000)?.merged).toBe(1);
  });

  it('merges nothing when the result would pass 1 MB', () => {
    const big = 'x'.repeat(300 * 1024);
    const here = dataset([synced('a', big, 1), synced('b', big, 1), synced('c', big, 1)], 1);
    expect(mergeLinked(here, [linked('small', 'ok'), linked('d', big)], 'lastWriterWins', 1_000)).toBeUndefined();
  });
});
