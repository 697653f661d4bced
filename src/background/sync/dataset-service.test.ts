import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { storageItems } from '../../shared/storage';
import { createMemoryArea } from '../../shared/storage-item';
import { createContext, type Context } from '../platform/context';
import type { AwsIdentity } from '../credentials';
import { inProcessLocks } from '../platform/locks';
import { createDatasetService } from './dataset-service';
import { createDynamoClient } from './dynamodb-remote';
import { createMemoryServer, memoryRemote } from './memory-remote';

const ID = 'eu-west-1:0a11ce00-b0b0-4c0d-8e00-5ac0ffee0001';
const SETTINGS: Settings = {
  ...DEFAULT_SETTINGS,
  domain: 'tenant.auth0.com',
  clientId: 'AbC123',
  identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef',
};
const identity: AwsIdentity = {
  identityId: ID,
  region: 'eu-west-1',
  credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' }),
  storedKeyId: async () => 'AKIDEXAMPLE',
  replaceExpired: async () => undefined,
};

interface Options {
  /** The identity id remembered from an earlier sign-in; undefined on a first sign-in. */
  remembered?: string | undefined;
  getIdentity?: () => Promise<AwsIdentity>;
  settings?: Partial<Settings>;
}

/** The service over memory storage, syncing with a memory server; `clients` records every DynamoDB client built. */
async function setup(options: Options = {}) {
  const items = storageItems({ local: createMemoryArea(), session: createMemoryArea() });
  await items.settings.set({ ...SETTINGS, ...options.settings });
  const clients: Array<{ region: string; endpoint: string }> = [];
  const ctx: Context = createContext({
    items,
    alarms: { create: () => undefined, clear: async () => true },
    cognitoIdentity: () => {
      throw new Error('no Cognito in these tests');
    },
    dynamodb: (config) => {
      clients.push({ region: config.region, endpoint: config.endpoint });
      return createDynamoClient(config);
    },
    cognitoSync: () => {
      throw new Error('no Cognito Sync in these tests');
    },
    identity: { getRedirectURL: () => '', launchWebAuthFlow: async () => undefined },
    fetch: () => Promise.reject(new Error('no network in these tests')),
    now: (() => {
      let now = 1_000;
      return () => (now += 10);
    })(),
    devDefaults: undefined,
    version: 'test',
    locks: inProcessLocks(),
  });
  const server = createMemoryServer();
  let identityCalls = 0;
  const service = createDatasetService(ctx, {
    getIdentity: () => {
      identityCalls += 1;
      return (options.getIdentity ?? (async () => identity))();
    },
    identityIdForLocalStore: async () => options.remembered,
    locks: inProcessLocks(),
    sleep: async () => undefined,
    // The requests go to memory; the client is still built as in the worker.
    wrapRemote: () => memoryRemote(server),
  });
  return { ctx, items, service, server, clients, identityCalls: () => identityCalls };
}

const signedOut = async (): Promise<AwsIdentity> => {
  throw new AppError('AUTH_REQUIRED', 'Sign in again.');
};

describe('the DynamoDB client of a sync', () => {
  it("is built by the context's factory, at the region's endpoint when the settings name none", async () => {
    const { service, clients } = await setup({ remembered: ID });
    await service.sync();
    expect(clients).toEqual([{ region: 'eu-west-1', endpoint: 'https://dynamodb.eu-west-1.amazonaws.com' }]);
  });

  it('goes to the endpoint the settings name', async () => {
    const { service, clients } = await setup({ remembered: ID, settings: { dynamodbEndpoint: 'http://127.0.0.1:4599/dynamodb' } });
    await service.sync();
    expect(clients).toEqual([{ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4599/dynamodb' }]);
  });

  it('is built once per region and endpoint for the worker, and again once the identity may have changed', async () => {
    const { ctx, service, clients } = await setup({ remembered: ID });
    await service.sync();
    await service.sync();
    expect(clients).toHaveLength(1);
    ctx.aws.forget(); // what a sign-in or sign-out does (auth/machine.ts)
    await service.sync();
    expect(clients).toHaveLength(2);
  });
});

describe('a settings edit that names the same server another way', () => {
  it("does not start the dataset again: '' to the region's endpoint, then with a trailing '/'", async () => {
    const { service, server, items } = await setup({ remembered: ID, settings: { conflictStrategy: 'serverWins' } });
    await service.put('k', 'v');
    await service.sync();
    for (const dynamodbEndpoint of ['https://dynamodb.eu-west-1.amazonaws.com', 'https://dynamodb.eu-west-1.amazonaws.com/']) {
      // Another browser's version, then an edit here based on it: started again from 0, the edit
      // would meet that version as a conflict, and lose (serverWins).
      server.syncCount += 1;
      server.records.set('k', { key: 'k', value: 'from elsewhere', syncCount: server.syncCount, deviceModified: 5, deviceId: '' });
      await service.sync();
      await service.put('k', `mine, then ${dynamodbEndpoint}`);
      await items.settings.set({ ...SETTINGS, conflictStrategy: 'serverWins', dynamodbEndpoint });
      expect(await service.sync()).toMatchObject({ pulled: 0, pushed: 1, conflicts: [] });
      expect(server.records.get('k')?.value).toBe(`mine, then ${dynamodbEndpoint}`);
    }
  });
});

describe('a first sign-in on this browser (no identity id remembered yet)', () => {
  it('the background sync asks for the signed-in identity and syncs its datasets', async () => {
    const { service, server, items } = await setup({ remembered: undefined });
    server.syncCount = 1;
    server.records.set('from-elsewhere', { key: 'from-elsewhere', value: 'hello', syncCount: 1, deviceModified: 5, deviceId: '' });
    await service.syncAll({ onlyPending: false });
    expect((await items.dataset(ID, SETTINGS.datasetName).get())?.records).toMatchObject([{ key: 'from-elsewhere', value: 'hello' }]);
  });

  it('Sync now syncs the signed-in identity’s dataset', async () => {
    const { service } = await setup({ remembered: undefined });
    expect(await service.sync()).toMatchObject({ pulled: 0, pushed: 0, syncCount: 0 });
  });
});

describe('a background sync while signed out', () => {
  it('records no error and makes no request', async () => {
    const { service, items, clients } = await setup({ remembered: ID, getIdentity: signedOut });
    await service.put('k', 'v');
    await service.syncAll({ onlyPending: false });
    await service.syncAll({ onlyPending: true });
    const stored = await items.dataset(ID, SETTINGS.datasetName).get();
    expect(stored?.lastError).toBeUndefined();
    expect(stored?.records[0]?.pending).toBe(true);
    expect(clients).toEqual([]);
  });

  it('is a no-op without any identity, remembered or signed in', async () => {
    const { service, identityCalls } = await setup({ remembered: undefined, getIdentity: signedOut });
    await expect(service.syncAll({ onlyPending: false })).resolves.toBeUndefined();
    expect(identityCalls()).toBe(1);
  });

  it('records nothing when another person is signed in now', async () => {
    const someoneElse = async (): Promise<AwsIdentity> => ({ ...identity, identityId: 'eu-west-1:00000000-0000-4000-8000-0000000000b0' });
    const { service, items } = await setup({ remembered: ID, getIdentity: someoneElse });
    await service.put('k', 'v');
    await service.syncAll({ onlyPending: false });
    expect((await items.dataset(ID, SETTINGS.datasetName).get())?.lastError).toBeUndefined();
    await expect(service.sync()).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('Sync now still tells the person to sign in', async () => {
    const { service, items } = await setup({ remembered: ID, getIdentity: signedOut });
    await expect(service.sync()).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    expect((await items.dataset(ID, SETTINGS.datasetName).get())?.lastError?.code).toBe('AUTH_REQUIRED');
  });
});

describe('a background sync that fails otherwise', () => {
  it('records the failure on each dataset it meant to sync, asking for the identity once', async () => {
    const offline = async (): Promise<AwsIdentity> => {
      throw new AppError('NETWORK', 'offline');
    };
    const { service, items, identityCalls } = await setup({ remembered: ID, getIdentity: offline });
    await service.put('k', 'v');
    await service.put('k', 'v', 'Other');
    await service.syncAll({ onlyPending: true });
    expect((await items.dataset(ID, SETTINGS.datasetName).get())?.lastError?.code).toBe('NETWORK');
    expect((await items.dataset(ID, 'Other').get())?.lastError?.code).toBe('NETWORK');
    expect(identityCalls()).toBe(1);
  });
});

describe('an import', () => {
  it('writes the new and changed records as pending edits in one write, leaves equal ones, and they sync', async () => {
    const { service, server } = await setup({ remembered: ID });
    await service.put('same', 'v');
    await service.put('edited', 'old');
    await service.sync();
    const result = await service.importRecords([
      { key: 'same', value: 'v' },
      { key: 'edited', value: 'new' },
      { key: 'empty', value: '' },
      { key: 'café', value: '☕' },
    ]);
    expect(result).toEqual({ added: 2, changed: 1, unchanged: 1 });
    const view = await service.open();
    expect(view.pendingCount).toBe(3);
    expect(view.records.find((r) => r.key === 'same')?.state).toBe('synced');
    expect(await service.sync()).toMatchObject({ pushed: 3 });
    expect(server.records.get('empty')?.value).toBe('');
    expect(server.records.get('café')?.value).toBe('☕');
  });

  it('refuses the whole import, changing nothing, when an entry would be refused as an edit', async () => {
    const { service } = await setup({ remembered: ID });
    const error = await service
      .importRecords([
        { key: 'fine', value: '1' },
        { key: 'k'.repeat(1025), value: '' },
      ])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: 'The import was refused: 1 record(s) are not valid. Nothing was changed.' });
    expect((await service.open()).records).toEqual([]);
  });

  it('refuses the whole import, changing nothing, when the dataset would pass its limits', async () => {
    const { service } = await setup({ remembered: ID });
    const big = 'x'.repeat(300 * 1024);
    for (const key of ['a', 'b', 'c']) await service.put(key, big);
    const error = await service
      .importRecords([
        { key: 'new', value: '1' },
        { key: 'd', value: big },
      ])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATASET_LIMIT' });
    expect((await service.open()).records.map((r) => r.key)).toEqual(['a', 'b', 'c']);
  });
});

describe('a new record from the Add form', () => {
  it('is added, pending, when the key is new', async () => {
    const { service } = await setup({ remembered: ID });
    const view = await service.add('city', 'Oxford');
    expect(view.records.map((r) => [r.key, r.value, r.state])).toEqual([['city', 'Oxford', 'pending']]);
  });

  it('is refused when the dataset holds the key already, even past the rows the popup has shown, and the value stays', async () => {
    const { service } = await setup({ remembered: ID });
    for (let i = 0; i < 30; i++) await service.put(`key-${i}`, `value ${i}`);
    await service.sync();
    const error = await service.add('key-29', 'typed over').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: 'That key already exists: edit it in the table.' });
    const kept = (await service.open()).records.find((r) => r.key === 'key-29');
    expect([kept?.value, kept?.state]).toEqual(['value 29', 'synced']);
  });

  it('may take the key of a deleted record', async () => {
    const { service } = await setup({ remembered: ID });
    await service.put('city', 'Oxford');
    await service.remove('city');
    expect((await service.add('city', 'Leeds')).records.map((r) => [r.key, r.value])).toEqual([['city', 'Leeds']]);
  });
});
