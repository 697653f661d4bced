// The worker's handling of several datasets (dataset-service.ts, handlers.ts) over memory storage and
// memory servers, one per dataset name: what is opened, created, switched to and deleted, and what a
// browser does when it learns that another deleted a dataset.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { storageItems } from '../../shared/storage';
import { createMemoryArea } from '../../shared/storage-item';
import type { AwsIdentity } from '../credentials';
import { createContext } from '../platform/context';
import { inProcessLocks } from '../platform/locks';
import { createDatasetService } from './dataset-service';
import { datasetHandlers } from './handlers';
import { createDynamoClient } from './dynamodb-remote';
import { createMemoryServer, memoryRemote, type MemoryServer } from './memory-remote';
import type { RemoteDataset, RemoteDirectory } from './remote';

const ID = 'eu-west-1:0a11ce00-b0b0-4c0d-8e00-5ac0ffee0002';
const SETTINGS: Settings = {
  ...DEFAULT_SETTINGS,
  domain: 'tenant.auth0.com',
  clientId: 'AbC123',
  identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef',
  datasetName: 'Home',
};
const identity: AwsIdentity = {
  identityId: ID,
  region: 'eu-west-1',
  credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' }),
  storedKeyId: async () => 'AKIDEXAMPLE',
  replaceExpired: async () => undefined,
};

/** The server side: a memory server per dataset name, deletions told as the real backends tell them. */
function memoryCloud() {
  const datasets = new Map<string, { server: MemoryServer; deletedAt: number; live: boolean }>();
  const entry = (name: string) => {
    const found = datasets.get(name) ?? { server: createMemoryServer(), deletedAt: 0, live: true };
    datasets.set(name, found);
    return found;
  };
  const remote = (name: string): RemoteDataset => {
    const inner = memoryRemote(entry(name).server);
    return {
      maxPatchesPerPush: inner.maxPatchesPerPush,
      async pull(since) {
        const { deletedAt, live } = entry(name);
        if (since > 0 && since < deletedAt)
          return { records: [], syncCount: entry(name).server.syncCount, ...(live ? { deleted: true } : { gone: true }) };
        const pulled = await inner.pull(Math.max(since, deletedAt));
        return pulled;
      },
      async push(request) {
        const result = await inner.push(request);
        if (result.status === 'committed') entry(name).live = true;
        return result;
      },
    };
  };
  const directory: RemoteDirectory = {
    async list() {
      return [...datasets.entries()]
        .filter(([, d]) => d.live && d.server.syncCount > 0)
        .map(([name, d]) => ({ name, records: [...d.server.records.values()].filter((r) => r.value !== null).length, modifiedAt: 5 }));
    },
    async delete(name) {
      const d = entry(name);
      d.server.records.clear();
      d.server.syncCount += 1;
      d.deletedAt = d.server.syncCount;
      d.live = false;
    },
  };
  return { remote, directory, datasets };
}

type Cloud = ReturnType<typeof memoryCloud>;

async function browserOf(cloud: Cloud, options: { signedIn?: boolean } = {}) {
  const items = storageItems({ local: createMemoryArea(), session: createMemoryArea() });
  await items.settings.set(SETTINGS);
  let clock = 1_000;
  const ctx = createContext({
    items,
    alarms: { create: () => undefined, clear: async () => true },
    cognitoIdentity: () => {
      throw new Error('no Cognito in these tests');
    },
    // Built as in the worker; the memory servers answer instead (wrapRemote, directory).
    dynamodb: (config) => createDynamoClient(config),
    cognitoSync: () => {
      throw new Error('no Cognito Sync in these tests');
    },
    identity: { getRedirectURL: () => '', launchWebAuthFlow: async () => undefined },
    fetch: () => Promise.reject(new Error('no network in these tests')),
    now: () => (clock += 10),
    devDefaults: undefined,
    version: 'test',
    locks: inProcessLocks(),
  });
  const started: Array<Promise<unknown>> = [];
  const service = createDatasetService(ctx, {
    getIdentity: async () => {
      if (options.signedIn === false) throw new AppError('AUTH_REQUIRED', 'Sign in again.');
      return identity;
    },
    identityIdForLocalStore: async () => ID,
    locks: inProcessLocks(),
    sleep: async () => undefined,
    wrapRemote: (_, name) => cloud.remote(name),
    directory: () => cloud.directory,
    // A sync after a switch fails like any background sync (recorded on the dataset): the tests look at the outcome.
    background: (task) => void started.push(task.catch(() => undefined)),
  });
  const settled = async (): Promise<void> => {
    while (started.length > 0) await started.shift();
  };
  return { items, service, settled, handlers: datasetHandlers(service) };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('the open dataset', () => {
  it("is the settings' dataset until the person opens another, and stays open across calls", async () => {
    const { service } = await browserOf(memoryCloud());
    expect((await service.open()).name).toBe('Home');
    await service.switchDataset('Work');
    expect((await service.open()).name).toBe('Work');
    await service.put('k', 'v');
    expect(await service.list('Work')).toHaveLength(1);
    expect(await service.list('Home')).toHaveLength(0);
  });

  it('yields to a new dataset name in the settings: the person chose again', async () => {
    const { service, items } = await browserOf(memoryCloud());
    await service.switchDataset('Work');
    await items.settings.set({ ...SETTINGS, datasetName: 'Notes' });
    expect((await service.open()).name).toBe('Notes');
  });
});

describe('switching datasets', () => {
  it('answers with what this browser holds, then syncs the dataset left (edits pending) and the one opened', async () => {
    const cloud = memoryCloud();
    const other = await browserOf(cloud);
    await other.service.createDataset('Work');
    await other.service.put('task', 'write');
    await other.service.sync();

    const { service, settled } = await browserOf(cloud);
    await service.put('left', 'pending');
    const first = await service.switchDataset('Work');
    expect(first.records).toEqual([]);
    await settled();
    expect((await service.open()).records.map((r) => [r.key, r.value, r.state])).toEqual([['task', 'write', 'synced']]);
    expect((await service.open('Home')).pendingCount).toBe(0);
    expect(cloud.datasets.get('Home')?.server.records.get('left')?.value).toBe('pending');
  });

  it('refuses a name that is no dataset name, before anything is stored', async () => {
    const { service, handlers } = await browserOf(memoryCloud());
    expect((await failure(service.switchDataset('a/b'))).code).toBe('DATASET_LIMIT');
    expect((await failure(handlers.switchDataset.fromWire([42]))).code).toBe('INVALID_INPUT');
    expect((await service.open()).name).toBe('Home');
  });
});

describe('creating a dataset', () => {
  it('opens it, empty, and lists it as this browser’s until its first record is synced', async () => {
    const { service } = await browserOf(memoryCloud());
    const created = await service.createDataset('Travel');
    expect(created).toMatchObject({ name: 'Travel', records: [] });
    const listing = await service.listDatasets();
    expect(listing.open).toBe('Travel');
    expect(listing.datasets.map((d) => [d.name, d.onServer])).toEqual([
      ['Home', false],
      ['Travel', false],
    ]);
    await service.put('city', 'Lisbon');
    await service.sync();
    expect((await service.listDatasets()).datasets.find((d) => d.name === 'Travel')).toMatchObject({ onServer: true, records: 1 });
  });

  it('refuses the 21st dataset, counting the server’s and this browser’s, with the limit in the message', async () => {
    const cloud = memoryCloud();
    const other = await browserOf(cloud);
    for (let i = 0; i < 15; i += 1) {
      await other.service.createDataset(`S${i}`);
      await other.service.put('k', 'v');
      await other.service.sync();
    }
    const { service } = await browserOf(cloud);
    for (let i = 0; i < 4; i += 1) await service.createDataset(`L${i}`);
    // 15 on the server, 4 created here, and the default: 20.
    const refused = await failure(service.createDataset('One.too.many'));
    expect(refused.code).toBe('DATASET_LIMIT');
    expect(refused.message).toContain('20');
    expect((await service.listDatasets()).datasets).toHaveLength(20);
  });

  it('refuses a name already taken, here or on the server', async () => {
    const cloud = memoryCloud();
    const other = await browserOf(cloud);
    await other.service.createDataset('Shared');
    await other.service.put('k', 'v');
    await other.service.sync();
    const { service } = await browserOf(cloud);
    expect((await failure(service.createDataset('Shared'))).code).toBe('INVALID_INPUT');
    expect((await failure(service.createDataset('Home'))).code).toBe('INVALID_INPUT');
  });

  it('signed out, lists this browser’s datasets and says why the server’s are missing', async () => {
    const { service } = await browserOf(memoryCloud(), { signedIn: false });
    const listing = await service.listDatasets();
    expect(listing.datasets.map((d) => d.name)).toEqual(['Home']);
    expect(listing.serverError?.code).toBe('AUTH_REQUIRED');
  });
});

describe('deleting a dataset', () => {
  it('deletes it on the server and here, and opens the default again', async () => {
    const cloud = memoryCloud();
    const { service, items } = await browserOf(cloud);
    await service.createDataset('Old');
    await service.put('k', 'v');
    await service.sync();
    const after = await service.deleteDataset('Old');
    expect(after.name).toBe('Home');
    expect(after.dropped).toBeUndefined();
    expect(await items.dataset(ID, 'Old').get()).toBeUndefined();
    expect(await items.datasetNames(ID).get()).not.toContain('Old');
    expect(cloud.datasets.get('Old')?.live).toBe(false);
  });

  it('needs a sign-in: a deletion made only here would come back', async () => {
    const { service, items } = await browserOf(memoryCloud(), { signedIn: false });
    await service.switchDataset('Kept');
    await service.put('k', 'v');
    expect((await failure(service.deleteDataset('Kept'))).code).toBe('AUTH_REQUIRED');
    expect((await items.dataset(ID, 'Kept').get())?.records).toHaveLength(1);
  });

  it('is learnt by another browser at its next sync: dropped, the default opened, and the notice kept until dismissed', async () => {
    const cloud = memoryCloud();
    const a = await browserOf(cloud);
    const b = await browserOf(cloud);
    await a.service.createDataset('Old');
    await a.service.put('k', 'v');
    await a.service.sync();
    await b.service.switchDataset('Old');
    await b.settled();
    await a.service.deleteDataset('Old');

    await b.service.syncAll({ onlyPending: false });
    expect(await b.items.dataset(ID, 'Old').get()).toBeUndefined();
    const opened = await b.service.open();
    expect(opened.name).toBe('Home');
    expect(opened.dropped).toEqual(['Old']);
    await b.service.dismissDroppedDatasets();
    expect((await b.service.open()).dropped).toBeUndefined();
  });

  it('keeps, in another browser, the edits it had not synced yet: they write the dataset again', async () => {
    const cloud = memoryCloud();
    const a = await browserOf(cloud);
    const b = await browserOf(cloud);
    await a.service.createDataset('Old');
    await a.service.put('k', 'v');
    await a.service.sync();
    await b.service.switchDataset('Old');
    await b.settled();
    await b.service.put('mine', 'unsynced');
    await a.service.deleteDataset('Old');

    const report = await b.service.sync();
    expect(report.datasetDeleted).toBeUndefined();
    expect((await b.service.open()).records.map((r) => [r.key, r.state])).toEqual([['mine', 'synced']]);
    expect((await a.service.listDatasets()).datasets.find((d) => d.name === 'Old')).toMatchObject({ records: 1, onServer: true });
  });
});
