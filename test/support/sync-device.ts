// A "device" for sync tests and the bench: its own storage.local (so its own local store and device
// id), the dataset service over it, settings pointing at the local stack, and credentials straight
// from the stack (stack-identity.ts), so no sign-in code of the extension is involved.
import { createCognitoSyncClient } from '../../src/background/sync/cognito-sync-remote';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { expect } from 'vitest';
import type { Stack } from '../../stack/index';
import { createContext, type Context } from '../../src/background/platform/context';
import { createDatasetService, type DatasetService } from '../../src/background/sync/dataset-service';
import { createDynamoClient } from '../../src/background/sync/dynamodb-remote';
import { inProcessLocks, type LockManagerLike } from '../../src/background/platform/locks';
import type { RemoteDataset } from '../../src/background/sync/remote';
import type { StoredDataset } from '../../src/shared/dataset';
import type { ConflictStrategy, Settings, SyncBackend } from '../../src/shared/settings';
import { storageItems } from '../../src/shared/storage';
import { createMemoryArea, type StorageAreaLike } from '../../src/shared/storage-item';
import type { StackIdentity } from './stack-identity';

export function stackSettings(
  stack: Stack,
  strategy: ConflictStrategy = 'lastWriterWins',
  datasetName = 'MainDataset',
  syncBackend: SyncBackend = 'dynamodb',
): Settings {
  return {
    domain: stack.config.issuer,
    clientId: stack.config.clientId,
    audience: '',
    identityPoolId: stack.config.identityPoolId,
    tableName: stack.config.tableName,
    datasetName,
    syncIntervalMinutes: 15,
    conflictStrategy: strategy,
    cognitoIdentityEndpoint: stack.config.endpoints.cognitoIdentity,
    dynamodbEndpoint: stack.config.endpoints.dynamodb,
    roleArn: '',
    accountId: '',
    stsEndpoint: stack.config.endpoints.sts,
    customEndpoints: true,
    syncBackend,
    cognitoSyncEndpoint: stack.config.endpoints.cognitoSync,
  };
}

/** A clock several devices share, so "later" means later across them; every reading is distinct. */
export function sharedClock(start = Date.UTC(2026, 0, 1)): () => number {
  let now = start;
  return () => (now += 7);
}

export interface DeviceOptions {
  identity: StackIdentity;
  strategy?: ConflictStrategy;
  /** settings.datasetName: tests share one identity and table, so each takes its own dataset. */
  dataset?: string;
  now?: () => number;
  /** The same storage.local as another device: another worker lifetime of the same browser. */
  area?: StorageAreaLike;
  /** The dataset service (default DynamoDB). */
  backend?: SyncBackend;
  /** Whose local store to open (default: the identity's); another user on the same browser differs. */
  localIdentityId?: () => Promise<string | undefined>;
  /** The wait before a retry (default: none, so that backoff does not slow the suite down). */
  sleep?: (ms: number) => Promise<void>;
}

export interface Device {
  area: StorageAreaLike;
  ctx: Context;
  service: DatasetService;
  locks: LockManagerLike;
  settings(): Promise<Settings>;
  setSettings(change: Partial<Settings>): Promise<void>;
  /** The live records, key → value. */
  values(name?: string): Promise<Record<string, string>>;
  stored(name?: string): Promise<StoredDataset | undefined>;
  /** The next push that commits is followed by a stop, as of a worker stopped by the browser (false: cancel). */
  stopAfterNextPush(on?: boolean): void;
  /** Waits for the work the service started after answering (the syncs that follow a switch). */
  settled(): Promise<void>;
}

export class WorkerStopped extends Error {
  override readonly name = 'WorkerStopped';
}

export async function createDevice(stack: Stack, options: DeviceOptions): Promise<Device> {
  const area = options.area ?? createMemoryArea();
  const items = storageItems({ local: area, session: createMemoryArea() });
  const locks = inProcessLocks();
  const ctx: Context = createContext({
    items,
    alarms: { create: () => undefined, clear: async () => true },
    cognitoIdentity: (config) => new CognitoIdentityClient(config),
    dynamodb: (config) => createDynamoClient(config),
    cognitoSync: (config) => createCognitoSyncClient(config),
    identity: {
      getRedirectURL: () => stack.config.redirectUris[0] ?? '',
      launchWebAuthFlow: () => Promise.reject(new Error('no sign-in in sync tests')),
    },
    fetch: (input, init) => fetch(input, init),
    now: options.now ?? (() => Date.now()),
    devDefaults: undefined,
    version: 'test',
    locks,
  });
  if (!options.area) await items.settings.set(stackSettings(stack, options.strategy, options.dataset, options.backend));
  let stopAfterPush = false;
  const started: Array<Promise<unknown>> = [];
  const service = createDatasetService(ctx, {
    getIdentity: async () => options.identity,
    identityIdForLocalStore: options.localIdentityId ?? (async () => options.identity.identityId),
    locks,
    // Backoff is tested with its delays in unit tests; here it must not slow the suite down.
    sleep: options.sleep ?? (async () => undefined),
    background: (task) => void started.push(task.catch(() => undefined)),
    wrapRemote: (remote): RemoteDataset => ({
      ...remote,
      async push(request) {
        const result = await remote.push(request);
        if (stopAfterPush && result.status === 'committed') {
          stopAfterPush = false;
          throw new WorkerStopped('the worker stopped between the push and the local commit');
        }
        return result;
      },
    }),
  });
  const settings = async (): Promise<Settings> => {
    const value = await items.settings.get();
    if (!value) throw new Error('device has no settings');
    return value;
  };
  const stored = async (name?: string) => {
    const datasetName = name ?? (await settings()).datasetName;
    const identityId = (await (options.localIdentityId ?? (async () => options.identity.identityId))()) ?? '';
    return items.dataset(identityId, datasetName).get();
  };
  return {
    area,
    ctx,
    service,
    locks,
    settings,
    async setSettings(change) {
      await items.settings.set({ ...(await settings()), ...change });
    },
    async values(name) {
      return Object.fromEntries((await service.list(name)).map((record) => [record.key, record.value]));
    },
    stored,
    stopAfterNextPush(on = true) {
      stopAfterPush = on;
    },
    async settled() {
      while (started.length > 0) await started.shift();
    },
  };
}

/** Requests the stack served for DynamoDB since the last reset, by operation. */
export function dynamoRequests(stack: Stack): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [name, counter] of Object.entries(stack.counters())) {
    if (name.startsWith('dynamodb.') && counter.requests > 0) counts[name.slice('dynamodb.'.length)] = counter.requests;
  }
  return counts;
}

/** Requests the stack served for `service` ('dynamodb', 'cognito-sync') since the last reset, by operation. */
export function serviceRequests(stack: Stack, service: 'dynamodb' | 'cognito-sync'): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [name, counter] of Object.entries(stack.counters())) {
    if (name.startsWith(`${service}.`) && counter.requests > 0) counts[name.slice(service.length + 1)] = counter.requests;
  }
  return counts;
}

/**
 * Syncs both devices to the end, then checks them equal to each other, to `expected`, and to what a third,
 * fresh device pulls (at dataset sync count `syncCount`), with nothing left pending.
 */
export async function expectConverged(
  stack: Stack,
  identity: StackIdentity,
  [a, b]: [Device, Device],
  expected: Record<string, string>,
  syncCount: number,
  backend?: SyncBackend,
): Promise<void> {
  await a.service.sync();
  await b.service.sync();
  await a.service.sync();
  const dataset = (await a.settings()).datasetName;
  const fresh = await createDevice(stack, backend ? { identity, dataset, backend } : { identity, dataset });
  const report = await fresh.service.sync();
  expect(await a.values()).toEqual(expected);
  expect(await b.values()).toEqual(expected);
  expect(await fresh.values()).toEqual(expected);
  expect(report.syncCount).toBe(syncCount);
  expect((await a.service.open()).pendingCount).toBe(0);
  expect((await b.service.open()).pendingCount).toBe(0);
}
