import { describe, expect, it } from 'vitest';
import type { RemoteLocation, StoredDataset, StoredRecord } from '../../shared/dataset';
import { parseStoredDataset } from '../../shared/dataset';
import { CONFLICT_STRATEGIES, type ConflictStrategy } from '../../shared/settings';
import { StorageItem, createMemoryArea } from '../../shared/storage-item';
import { synchronize, syncProgress } from './engine';
import { AppError } from '../../shared/errors';
import { createLocalStore, type LocalStore } from './local-store';
import { inProcessLocks } from '../platform/locks';
import { applyEdit } from './merge';
import { createMemoryServer, memoryRemote, type MemoryServer } from './memory-remote';
import type { RemoteDataset, RemoteRecord } from './remote';

interface Device {
  id: string;
  store: LocalStore;
  edit(key: string, value: string | null): Promise<void>;
  values(): Promise<Record<string, string>>;
  sync(remote?: RemoteDataset, strategy?: ConflictStrategy, location?: RemoteLocation): ReturnType<typeof synchronize>;
}

const TABLE: RemoteLocation = { endpoint: 'https://dynamodb.us-east-1.amazonaws.com', tableName: 'ExtensionDatasets' };

function device(server: MemoryServer, n: number, clock: { now: number }): Device {
  const store = createLocalStore(
    new StorageItem<StoredDataset>(createMemoryArea(), 'dataset/test/MainDataset', parseStoredDataset),
    inProcessLocks(),
  );
  const id = `0000000${n}-0000-4000-8000-000000000000`;
  return {
    id,
    store,
    edit: async (key, value) => {
      clock.now += 10;
      await store.update((d) => applyEdit(d, key, value, clock.now));
    },
    async values() {
      const d = await store.read();
      return Object.fromEntries(d.records.flatMap((r) => (r.value === null ? [] : [[r.key, r.value] as const])));
    },
    sync: (remote = memoryRemote(server), strategy = 'lastWriterWins', location = TABLE) =>
      synchronize({ store, remote, location, deviceId: id, strategy, now: () => clock.now }),
  };
}

/** The table was recreated: nothing in it, its head back at 0. */
function emptyServer(server: MemoryServer): void {
  server.records.clear();
  server.syncCount = 0;
}

function setup() {
  const server = createMemoryServer();
  const clock = { now: 1_000 };
  return { server, clock, a: device(server, 1, clock), b: device(server, 2, clock) };
}

describe('synchronize', () => {
  it('takes a replaced identity’s copy in after the pull, once, even when the worker stops before the old copy goes', async () => {
    const { server, clock, a, b } = setup();
    await b.edit('synced', 'later, elsewhere');
    await b.sync();
    const carried: StoredRecord[] = [
      { key: 'synced', value: 'older copy', syncCount: 1, modifiedAt: 1, pending: false },
      { key: 'offline', value: 'not sent', syncCount: 0, modifiedAt: 2, pending: true },
    ];
    let stops = 1;
    let taken = 0;
    const run = () =>
      synchronize({
        store: a.store,
        remote: memoryRemote(server),
        location: TABLE,
        deviceId: a.id,
        strategy: 'lastWriterWins',
        now: () => (clock.now += 1),
        carried: {
          records: carried,
          async taken() {
            if (stops-- > 0) throw new Error('the worker stopped before the old copy went');
            taken += 1;
          },
        },
      });
    await expect(run()).rejects.toThrow('the worker stopped');
    const report = await run();
    // Taken in once: the second run finds the edit here already, later than the copy's.
    expect(report.linkedMerged).toBeUndefined();
    expect(report.pushed).toBe(1);
    expect(taken).toBe(1);
    expect(await a.values()).toEqual({ synced: 'later, elsewhere', offline: 'not sent' });
    await b.sync();
    expect(await b.values()).toEqual({ synced: 'later, elsewhere', offline: 'not sent' });
  });

  it('takes nothing of the copy that would pass the dataset’s limits, keeps it, and says so', async () => {
    const { server, clock, a } = setup();
    const full = Array.from({ length: 1024 }, (_, i) => ({ key: `k${i}`, value: 'v', syncCount: 0, modifiedAt: 1, pending: true }));
    await a.store.update((current) => ({ ...current, records: full }));
    let taken = false;
    const report = await synchronize({
      store: a.store,
      remote: memoryRemote(server),
      location: TABLE,
      deviceId: a.id,
      strategy: 'lastWriterWins',
      now: () => clock.now,
      carried: {
        records: [{ key: 'one-more', value: 'v', syncCount: 0, modifiedAt: 2, pending: true }],
        taken: async () => {
          taken = true;
        },
      },
    });
    expect(report.carriedRefused).toBe(true);
    expect(taken).toBe(false);
    expect((await a.store.read()).lastReport?.carriedRefused).toBe(true);
  });

  it('with nothing changed costs one pull and no push', async () => {
    const { server, a } = setup();
    await a.edit('k', 'v');
    await a.sync();
    server.log.length = 0;
    const report = await a.sync();
    expect(server.log).toEqual(['pull']);
    expect(report).toMatchObject({ pulled: 0, pushed: 0, conflicts: [], syncCount: 1 });
  });

  it('with one local edit costs one pull and one push', async () => {
    const { server, a } = setup();
    await a.sync();
    await a.edit('k', 'v');
    server.log.length = 0;
    expect(await a.sync()).toMatchObject({ pushed: 1, syncCount: 1 });
    expect(server.log).toEqual(['pull', 'push']);
    expect((await a.store.read()).records).toEqual([{ key: 'k', value: 'v', syncCount: 1, modifiedAt: 1010, pending: false }]);
  });

  it('counts as pushed an edit whose push landed though its answer was lost, and pushes it no more', async () => {
    const { server, a } = setup();
    await a.edit('k', 'v');
    await a.edit('j', 'w');
    const answerLost: RemoteDataset = {
      ...memoryRemote(server),
      push: async (request) => {
        await memoryRemote(server).push(request);
        throw new Error('connection reset');
      },
    };
    await expect(a.sync(answerLost)).rejects.toThrow('connection reset');
    expect(server.syncCount).toBe(1);
    server.log.length = 0;
    expect(await a.sync()).toMatchObject({ pulled: 0, pushed: 2, conflicts: [], syncCount: 1 });
    expect(server.log).toEqual(['pull']);
    expect((await a.store.read()).records.every((record) => !record.pending)).toBe(true);
  });

  it('brings an edit made on one device to the other', async () => {
    const { a, b } = setup();
    await a.edit('k', 'v');
    await a.sync();
    expect(await b.sync()).toMatchObject({ pulled: 1, pushed: 0 });
    expect(await b.values()).toEqual({ k: 'v' });
  });

  it('keeps concurrent edits to different keys from both devices', async () => {
    const { a, b } = setup();
    await a.edit('x', 'from a');
    await b.edit('y', 'from b');
    await a.sync();
    const report = await b.sync();
    expect(report.conflicts).toEqual([]);
    await a.sync();
    expect(await a.values()).toEqual({ x: 'from a', y: 'from b' });
    expect(await b.values()).toEqual({ x: 'from a', y: 'from b' });
  });

  it('retries a push that lost the race to another device, after pulling its commit', async () => {
    const { server, a, b } = setup();
    await a.sync();
    await b.sync();
    const racing = memoryRemote(server);
    const remote: RemoteDataset = {
      maxPatchesPerPush: 99,
      pull: (since) => racing.pull(since),
      async push(request) {
        if (server.syncCount === 0) {
          await b.edit('other', 'b');
          await b.sync(); // b commits between a's pull and a's push
        }
        return racing.push(request);
      },
    };
    await a.edit('mine', 'a');
    const report = await a.sync(remote);
    expect(report).toMatchObject({ pulled: 1, pushed: 1, syncCount: 2 });
    expect(await a.values()).toEqual({ mine: 'a', other: 'b' });
  });

  it('resolves the same key edited on both devices by the later edit, and reports it', async () => {
    const { a, b } = setup();
    await a.edit('k', 'older from a');
    await b.edit('k', 'newer from b');
    await a.sync();
    const report = await b.sync();
    expect(report.conflicts).toEqual([{ key: 'k', winner: 'local', strategy: 'lastWriterWins' }]);
    await a.sync();
    expect(await a.values()).toEqual({ k: 'newer from b' });
    expect(await b.values()).toEqual({ k: 'newer from b' });
    expect((await b.store.read()).records[0]?.resolved).toBe(true);
  });

  it('run again after a failure, goes on from the first run: the conflict it settled is still told and marked', async () => {
    const { server, clock, a, b } = setup();
    await b.edit('k', 'older from b');
    await a.edit('k', 'newer from a');
    await b.edit('j', 'only b');
    await a.sync();
    // b's first run settles k for a's edit, then its push is refused (credentials AWS calls expired).
    const honest = memoryRemote(server);
    const refusing: RemoteDataset = {
      ...honest,
      push: async () => {
        throw new AppError('CREDENTIALS_EXPIRED', 'expired');
      },
    };
    const progress = syncProgress();
    const run = (remote: RemoteDataset) =>
      synchronize({ store: b.store, remote, location: TABLE, deviceId: b.id, strategy: 'lastWriterWins', now: () => clock.now, progress });
    await expect(run(refusing)).rejects.toMatchObject({ code: 'CREDENTIALS_EXPIRED' });

    const report = await run(honest);

    expect(report).toMatchObject({ pulled: 1, pushed: 1, conflicts: [{ key: 'k', winner: 'remote', strategy: 'lastWriterWins' }] });
    expect((await b.store.read()).records.find((record) => record.key === 'k')?.resolved).toBe(true);
    expect(await b.values()).toEqual({ k: 'newer from a', j: 'only b' });
  });

  it('server wins keeps what the server had', async () => {
    const { a, b } = setup();
    await b.edit('k', 'newer from b?');
    await a.edit('k', 'from a');
    await a.sync();
    const report = await b.sync(undefined, 'serverWins');
    expect(report.conflicts).toEqual([{ key: 'k', winner: 'remote', strategy: 'serverWins' }]);
    expect(await b.values()).toEqual({ k: 'from a' });
  });

  it('spreads a removal to the other device', async () => {
    const { a, b } = setup();
    await a.edit('k', 'v');
    await a.sync();
    await b.sync();
    await b.edit('k', null);
    await b.sync();
    await a.sync();
    expect(await a.values()).toEqual({});
  });

  it('pushes more records than one push carries in several commits', async () => {
    const { server, a, b } = setup();
    for (let i = 0; i < 25; i += 1) await a.edit(`k${i}`, String(i));
    expect(await a.sync(memoryRemote(server, 10))).toMatchObject({ pushed: 25, syncCount: 3 });
    expect(server.log.filter((entry) => entry === 'push')).toHaveLength(3);
    await b.sync();
    expect(Object.keys(await b.values())).toHaveLength(25);
  });

  it('is safe to repeat after stopping between a committed push and the local commit', async () => {
    const { server, a, b } = setup();
    await a.edit('k', 'v');
    const inner = memoryRemote(server);
    const stopping: RemoteDataset = {
      ...inner,
      pull: inner.pull,
      async push(request) {
        await inner.push(request);
        throw new Error('worker stopped');
      },
    };
    await expect(a.sync(stopping)).rejects.toThrow('worker stopped');
    expect((await a.store.read()).records[0]?.pending).toBe(true);
    await a.edit('k', 'v'); // the same value again changes nothing
    const report = await a.sync(undefined, 'serverWins');
    // The push landed before the stop: the report counts it pushed (found on the server), and it is not sent again.
    expect(report).toMatchObject({ pushed: 1, conflicts: [], syncCount: 1 });
    expect(server.syncCount).toBe(1); // applied once
    expect((await a.store.read()).records[0]).toMatchObject({ pending: false, syncCount: 1 });
    await b.sync();
    expect(await b.values()).toEqual({ k: 'v' });
  });

  it('keeps an edit made while its push was in flight', async () => {
    const { server, a, b } = setup();
    await a.edit('k', 'first');
    const inner = memoryRemote(server);
    const editing: RemoteDataset = {
      ...inner,
      async push(request) {
        const result = await inner.push(request);
        await a.edit('k', 'second');
        return result;
      },
    };
    // The same sync pushes it after the first push: it loops while edits are pending.
    expect(await a.sync(editing)).toMatchObject({ pushed: 2, syncCount: 2 });
    expect((await a.store.read()).records[0]).toMatchObject({ value: 'second', pending: false, syncCount: 2 });
    await b.sync();
    expect(await b.values()).toEqual({ k: 'second' });
  });

  it('gives up with SYNC_CONFLICT after too many lost races, keeping the edits', async () => {
    const { server, a } = setup();
    await a.edit('k', 'v');
    const inner = memoryRemote(server);
    const alwaysLate: RemoteDataset = { ...inner, push: async () => ({ status: 'conflict' }) };
    await expect(a.sync(alwaysLate)).rejects.toMatchObject({ code: 'SYNC_CONFLICT' });
    expect((await a.store.read()).records[0]?.pending).toBe(true);
  });

  it('uploads again what it holds when the server was emptied', async () => {
    const { server, a } = setup();
    await a.edit('k', 'v');
    await a.sync();
    server.records.clear();
    server.syncCount = 0;
    expect(await a.sync()).toMatchObject({ pushed: 1, syncCount: 1 });
    expect(server.records.get('k')?.value).toBe('v');
  });

  it.each(['lastWriterWins', 'deviceWins'] as const)(
    'keeps the newer value another device uploaded to the emptied server over a stale copy synced here (%s)',
    async (strategy) => {
      const { server, a, b } = setup();
      await a.edit('k', 'stale here');
      await a.edit('other', '1');
      await a.sync();
      await a.edit('other', '2');
      await a.sync();
      emptyServer(server);
      // A browser that never synced this dataset fills the recreated table first: count 1, below a's 2.
      await b.edit('k', 'newer from b');
      await b.sync(undefined, strategy);

      expect(await a.sync(undefined, strategy)).toMatchObject({ pulled: 1, pushed: 1, conflicts: [] });
      expect(await a.values()).toEqual({ k: 'newer from b', other: '2' });
      expect(server.records.get('k')?.value).toBe('newer from b');
      expect(server.records.get('other')?.value).toBe('2');
    },
  );

  it.each(['lastWriterWins', 'deviceWins'] as const)('a removal not yet synced reaches the emptied server (%s)', async (strategy) => {
    const { server, a, b } = setup();
    await a.edit('k', 'v');
    await a.edit('other', '1');
    await a.sync();
    await b.sync();
    await a.edit('other', '2');
    await a.sync();
    emptyServer(server);
    // b (count 1) finds the table emptied first and uploads its copies again, k among them.
    await b.sync(undefined, strategy);
    expect(server.records.get('k')?.value).toBe('v');
    await a.edit('k', null);

    expect(await a.sync(undefined, strategy)).toMatchObject({ pushed: 2, conflicts: [{ key: 'k', winner: 'local', strategy }] });
    expect(await a.values()).toEqual({ other: '2' });
    expect(server.records.get('k')?.value).toBeNull();
    await b.sync(undefined, strategy);
    expect(await b.values()).toEqual({ other: '2' });
  });

  it('records the merge with the emptied server in one write: a sync stopped after it does not place the records again', async () => {
    const { server, a, b } = setup();
    await a.edit('k', 'v');
    await a.sync();
    await a.edit('k', 'w');
    await a.sync();
    emptyServer(server);
    await b.edit('b', '1');
    await b.sync();
    const inner = memoryRemote(server);
    const down: RemoteDataset = { ...inner, push: () => Promise.reject(new Error('offline')) };
    await expect(a.sync(down)).rejects.toThrow('offline');
    expect(await a.store.read()).toMatchObject({
      syncCount: 1,
      records: [
        { key: 'b', pending: false },
        { key: 'k', value: 'w', pending: true },
      ],
    });

    server.log.length = 0;
    expect(await a.sync()).toMatchObject({ pulled: 0, pushed: 1, conflicts: [], syncCount: 2 });
    expect(server.log).toEqual(['pull', 'push']);
  });

  it('starts again on another table: uploads what it holds and takes what that table has', async () => {
    const { server, a, b } = setup();
    const other = createMemoryServer();
    const otherTable: RemoteLocation = { ...TABLE, tableName: 'OtherDatasets' };
    await a.edit('from-a', '1');
    await a.sync();
    // The other table has moved on as far as this one, with another device's record.
    await b.edit('from-b', '2');
    await b.sync(memoryRemote(other), 'lastWriterWins', otherTable);
    expect(other.syncCount).toBe(server.syncCount);

    expect(await a.sync(memoryRemote(other), 'lastWriterWins', otherTable)).toMatchObject({ pulled: 1, pushed: 1 });
    expect(await a.values()).toEqual({ 'from-a': '1', 'from-b': '2' });
    expect([...other.records.keys()].sort()).toEqual(['from-a', 'from-b']);
    expect((await a.store.read()).remote).toEqual(otherTable);
    await b.sync(memoryRemote(other), 'lastWriterWins', otherTable);
    expect(await b.values()).toEqual({ 'from-a': '1', 'from-b': '2' });
  });

  it('starts again when back on a server it synced with before, which has moved on meanwhile', async () => {
    const { server, a, b } = setup();
    const elsewhere = createMemoryServer();
    const otherEndpoint: RemoteLocation = { ...TABLE, endpoint: 'http://127.0.0.1:8000' };
    await a.edit('k', 'v');
    await a.sync();
    await a.sync(memoryRemote(elsewhere), 'lastWriterWins', otherEndpoint);
    await a.edit('k2', 'made elsewhere');
    await a.sync(memoryRemote(elsewhere), 'lastWriterWins', otherEndpoint);
    await b.sync();
    await b.edit('from-b', 'b');
    await b.sync();
    // Both servers at count 2: only the location tells this device its count means nothing here.
    expect([server.syncCount, elsewhere.syncCount]).toEqual([2, 2]);

    expect(await a.sync()).toMatchObject({ pulled: 1, pushed: 1, conflicts: [] });
    expect(await a.values()).toEqual({ k: 'v', k2: 'made elsewhere', 'from-b': 'b' });
    expect(server.records.get('k2')?.value).toBe('made elsewhere');
    // Its own earlier push of k came back as an acknowledgement, not as an edit to push again.
    expect(server.records.get('k')?.syncCount).toBe(1);
  });

  it('adopts the current table for a dataset stored before it recorded one, without starting again', async () => {
    const { server, a } = setup();
    await a.edit('k', 'v');
    await a.sync();
    await a.store.update(({ remote: _remote, ...older }) => older);
    server.log.length = 0;
    expect(await a.sync()).toMatchObject({ pulled: 0, pushed: 0 });
    expect(server.log).toEqual(['pull']);
    expect((await a.store.read()).remote).toEqual(TABLE);
  });

  it('does not start again when the endpoint is only written another way', async () => {
    const { server, a, b } = setup();
    for (const endpoint of ['https://dynamodb.us-east-1.amazonaws.com/', 'HTTPS://DynamoDB.us-east-1.amazonaws.com:443']) {
      await b.edit('k', `from b, before ${endpoint}`);
      await b.sync();
      await a.sync();
      // An edit based on the server's latest version: no conflict, unless the sync started again from 0.
      await a.edit('k', `edited, then ${endpoint}`);
      expect(await a.sync(memoryRemote(server), 'serverWins', { ...TABLE, endpoint })).toMatchObject({ pulled: 0, pushed: 1, conflicts: [] });
      expect(server.records.get('k')?.value).toBe(`edited, then ${endpoint}`);
    }
  });

  it('records the report and the time, and clears the previous error', async () => {
    const { a, clock } = setup();
    await a.store.update((d) => ({ ...d, lastError: { code: 'NETWORK', message: 'down' } }));
    await a.edit('k', 'v');
    const report = await a.sync();
    const stored = await a.store.read();
    expect(stored.lastReport).toEqual(report);
    expect(stored.lastSyncedAt).toBe(clock.now);
    expect(stored.lastError).toBeUndefined();
  });
});

describe('synchronize with another server (the settings name another table)', () => {
  const NEW_TABLE: RemoteLocation = { ...TABLE, tableName: 'NewDatasets' };

  /** `a` synced with the first table; `b` already syncs with the new one. */
  function moving(strategy: ConflictStrategy = 'lastWriterWins') {
    const { server, clock, a, b } = setup();
    const next = createMemoryServer();
    const atNew = {
      a: () => a.sync(memoryRemote(next), strategy, NEW_TABLE),
      b: () => b.sync(memoryRemote(next), strategy, NEW_TABLE),
    };
    return { server, next, clock, a, b, atNew };
  }

  it.each(CONFLICT_STRATEGIES)("keeps the new server's later value of a key only synced here (%s)", async (strategy) => {
    const { next, a, b, atNew } = moving(strategy);
    await a.edit('k', 'stale here');
    await a.sync();
    await b.edit('k', 'newer on the new server');
    await atNew.b();

    expect(await atNew.a()).toMatchObject({ pulled: 1, pushed: 0, conflicts: [] });
    expect(await a.values()).toEqual({ k: 'newer on the new server' });
    expect(next.records.get('k')).toMatchObject({ value: 'newer on the new server', syncCount: 1 });
  });

  it.each(CONFLICT_STRATEGIES)("uploads a later value synced here over the new server's older one (%s)", async (strategy) => {
    const { next, a, b, atNew } = moving(strategy);
    await b.edit('k', 'older on the new server');
    await atNew.b();
    await a.edit('k', 'acknowledged by the old server');
    await a.sync();

    expect(await atNew.a()).toMatchObject({ pulled: 0, pushed: 1, conflicts: [] });
    expect(next.records.get('k')?.value).toBe('acknowledged by the old server');
    await atNew.b();
    expect(await b.values()).toEqual({ k: 'acknowledged by the old server' });
  });

  it('a removal made here and not yet synced reaches the new server', async () => {
    const { next, a, b, atNew } = moving();
    await b.edit('k', 'v');
    await atNew.b();
    await a.edit('k', 'v');
    await a.sync();
    await a.edit('k', null);

    await atNew.a();
    expect(next.records.get('k')).toMatchObject({ value: null });
    expect(await a.values()).toEqual({});
    await atNew.b();
    expect(await b.values()).toEqual({});
  });

  it('a removal synced here stays removed, and a removal on the new server is not undone', async () => {
    const { next, a, b, atNew } = moving('deviceWins');
    await b.edit('removed on the new server', 'x');
    await atNew.b();
    await a.edit('removed on the new server', 'x');
    await a.edit('removed here', 'y');
    await a.sync();
    await b.edit('removed here', 'y');
    await b.edit('removed on the new server', null);
    await atNew.b();
    await a.edit('removed here', null);
    await a.sync();

    await atNew.a();
    expect(await a.values()).toEqual({});
    expect([...next.records.values()].filter((r) => r.value !== null)).toEqual([]);
  });

  it('uploads a key only this device holds, and takes a key only the new server holds', async () => {
    const { next, a, b, atNew } = moving();
    await a.edit('only here', '1');
    await a.sync();
    await b.edit('only there', '2');
    await atNew.b();

    expect(await atNew.a()).toMatchObject({ pulled: 1, pushed: 1, conflicts: [] });
    expect(next.records.get('only here')?.value).toBe('1');
    expect(await a.values()).toEqual({ 'only here': '1', 'only there': '2' });
  });

  it.each([
    ['lastWriterWins', 'local', 'mine'],
    ['deviceWins', 'local', 'mine'],
    ['serverWins', 'remote', 'theirs'],
  ] as const)("a pending edit against the new server's version resolves by %s", async (strategy, winner, value) => {
    const { next, a, b, atNew } = moving(strategy);
    await a.edit('k', 'synced');
    await a.sync();
    await b.edit('k', 'theirs');
    await atNew.b();
    await a.edit('k', 'mine');

    expect((await atNew.a()).conflicts).toEqual([{ key: 'k', winner, strategy }]);
    expect(await a.values()).toEqual({ k: value });
    expect(next.records.get('k')?.value).toBe(value);
  });
});

describe('datasets of a linked sign-in (merged datasets)', () => {
  /** The memory server, reporting `linked` as merged into the dataset until it is removed. */
  function withLinked(server: MemoryServer, linked: Map<string, RemoteRecord[]>, failRemoves = { count: 0 }) {
    const base = memoryRemote(server);
    const removed: string[] = [];
    const remote: RemoteDataset = {
      ...base,
      async pull(since) {
        const pulled = await base.pull(since);
        return linked.size > 0 ? { ...pulled, mergedDatasets: [...linked.keys()] } : pulled;
      },
      merged: {
        read: async (name) => linked.get(name) ?? [],
        async remove(name) {
          if (failRemoves.count > 0) {
            failRemoves.count -= 1;
            throw new Error('connection lost');
          }
          linked.delete(name);
          removed.push(name);
        },
      },
    };
    return { remote, removed };
  }
  const theirs = (key: string, value: string, deviceModified = 10): RemoteRecord => ({ key, value, syncCount: 1, deviceModified, deviceId: '' });

  it('merges its records as edits here, pushes them, then deletes it, and reports how many', async () => {
    const { server, a, b } = setup();
    await a.edit('mine', 'here');
    await a.sync();
    const linked = new Map([['MainDataset.us-east-1:other', [theirs('theirs', 'there'), theirs('mine', 'here')]]]);
    const { remote, removed } = withLinked(server, linked);

    expect(await a.sync(remote)).toMatchObject({ linkedMerged: 1, pushed: 1 });
    expect(removed).toEqual(['MainDataset.us-east-1:other']);
    expect(server.records.get('theirs')?.value).toBe('there');
    await b.sync();
    expect(await b.values()).toEqual({ mine: 'here', theirs: 'there' });
    expect((await a.sync(remote)).linkedMerged).toBeUndefined();
  });

  it('stopped before the deletion, merges nothing twice: a later edit here stays, even when the server wins', async () => {
    const { server, a } = setup();
    const linked = new Map([['MainDataset.x', [theirs('k', 'linked')]]]);
    const failRemoves = { count: 1 };
    const { remote, removed } = withLinked(server, linked, failRemoves);
    await expect(a.sync(remote, 'serverWins')).rejects.toThrow('connection lost');
    expect(server.records.get('k')?.value).toBe('linked');
    await a.edit('k', 'edited since');

    expect(await a.sync(remote, 'serverWins')).toMatchObject({ pushed: 1 });
    expect(removed).toEqual(['MainDataset.x']);
    expect(await a.values()).toEqual({ k: 'edited since' });
    expect((await a.store.read()).linkedDone).toBeUndefined();
  });

  it('run again after a failure between two deletions, deletes each once and reports both merged', async () => {
    const { server, clock, a } = setup();
    const linked = new Map([
      ['MainDataset.x', [theirs('from-x', 'x')]],
      ['MainDataset.y', [theirs('from-y', 'y')]],
    ]);
    const { remote, removed } = withLinked(server, linked);
    const merged = remote.merged;
    if (!merged) throw new Error('no merged datasets');
    let refusals = 1;
    const refusingOnY: RemoteDataset = {
      ...remote,
      merged: {
        ...merged,
        remove: async (name) => {
          if (name === 'MainDataset.y' && refusals-- > 0) throw new AppError('CREDENTIALS_EXPIRED', 'expired');
          return merged.remove(name);
        },
      },
    };
    const progress = syncProgress();
    const run = () =>
      synchronize({
        store: a.store,
        remote: refusingOnY,
        location: TABLE,
        deviceId: a.id,
        strategy: 'lastWriterWins',
        now: () => clock.now,
        progress,
      });
    await expect(run()).rejects.toMatchObject({ code: 'CREDENTIALS_EXPIRED' });

    expect(await run()).toMatchObject({ linkedMerged: 2 });
    expect(removed).toEqual(['MainDataset.x', 'MainDataset.y']);
    expect(await a.values()).toEqual({ 'from-x': 'x', 'from-y': 'y' });
  });

  it('past the limits: merges nothing, keeps the merged dataset, and says so at every sync until there is room', async () => {
    const { server, a } = setup();
    // 1,024 records in one write (an edit each would take seconds).
    await a.store.update((d) => ({
      ...d,
      records: Array.from({ length: 1024 }, (_, i) => ({
        key: `k${String(i).padStart(4, '0')}`,
        value: 'v',
        syncCount: 0,
        modifiedAt: 1,
        pending: true,
      })),
    }));
    await a.sync(memoryRemote(server, 1024));
    const linked = new Map([['MainDataset.x', [theirs('one more', 'v')]]]);
    const { remote, removed } = withLinked(server, linked);

    expect(await a.sync(remote)).toMatchObject({ linkedRefused: ['MainDataset.x'], pushed: 0 });
    expect(await a.sync(remote)).toMatchObject({ linkedRefused: ['MainDataset.x'] });
    expect(removed).toEqual([]);
    await a.edit('k0000', null);
    expect(await a.sync(remote)).toMatchObject({ linkedMerged: 1 });
    expect(removed).toEqual(['MainDataset.x']);
    expect(server.records.get('one more')?.value).toBe('v');
  });
});

describe('a server that lost the dataset', () => {
  it('an emptied server is reported, with the pending edits kept', async () => {
    const { server, a } = setup();
    await a.edit('k', 'v');
    await a.sync();
    emptyServer(server);
    await a.edit('new', '1');
    expect((await a.sync()).restarted).toEqual({ cause: 'emptied', kept: 1 });
    expect((await a.sync()).restarted).toBeUndefined();
  });

  it('a dataset deleted on the server is reported, and so is a sync that had no edits to keep', async () => {
    const { server, a } = setup();
    await a.edit('k', 'v');
    await a.sync();
    const base = memoryRemote(server);
    const deletedOnce = { pending: true };
    const remote: RemoteDataset = {
      ...base,
      async pull(since) {
        const pulled = await base.pull(since);
        if (since > 0 && deletedOnce.pending) {
          deletedOnce.pending = false;
          server.records.clear();
          return { records: [], syncCount: server.syncCount, deleted: true };
        }
        return pulled;
      },
    };
    expect((await a.sync(remote)).restarted).toEqual({ cause: 'deleted', kept: 0 });
    expect(await a.values()).toEqual({});
  });
});
