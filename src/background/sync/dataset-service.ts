// The worker's dataset API: open, read and edit the signed-in (or last signed-in) person's local
// dataset, at once and offline, and synchronise it with the server, one sync at a time per dataset.
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { DatasetView, RecordView, StoredDataset, StoredRecord, SyncReport } from '../../shared/dataset';
import { AppError, serializeError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import type { Settings } from '../../shared/settings';
import type { Context } from '../context';
import { deviceIdOf } from './device-id';
import { createDynamoClient, createDynamoRemote } from './dynamodb-remote';
import { synchronize } from './engine';
import { assertDatasetName, assertKey, assertValue } from './limits';
import { createLocalStore, type LocalStore } from './local-store';
import { defaultLocks, type LockManagerLike } from './locks';
import { applyEdit } from './merge';
import type { RemoteDataset } from './remote';
import { DEFAULT_RETRY } from './retry';

export interface AwsIdentity {
  identityId: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
}

export interface DatasetDeps {
  /** The signed-in identity with a credential provider; throws AUTH_REQUIRED when signed out. */
  getIdentity(): Promise<AwsIdentity>;
  /** Whose local dataset to show: the signed-in identity, or the one remembered from the last sign-in. */
  identityIdForLocalStore(): Promise<string | undefined>;
  /** After a local edit: ask for a sync soon (scheduler.ts). */
  onEdit?(datasetName: string): void;
  locks?: LockManagerLike;
  /** Backoff waits; tests pass one that does not wait. */
  sleep?(ms: number): Promise<void>;
  /** Test seam: wraps the backend, e.g. to stop the "worker" right after a push (fault tests). */
  wrapRemote?(remote: RemoteDataset): RemoteDataset;
}

export type DatasetService = ReturnType<typeof createDatasetService>;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function syncLockName(identityId: string, datasetName: string): string {
  return `sync:${identityId}:${datasetName}`;
}

function toView(record: StoredRecord): RecordView {
  return {
    key: record.key,
    value: record.value ?? '',
    state: record.resolved ? 'resolved' : record.pending ? 'pending' : 'synced',
    modifiedAt: record.modifiedAt,
  };
}

function liveRecords(dataset: StoredDataset): RecordView[] {
  return dataset.records.filter((record) => record.value !== null).map(toView);
}

export function createDatasetService(ctx: Context, deps: DatasetDeps) {
  const locks = deps.locks ?? defaultLocks();
  const sleep = deps.sleep ?? realSleep;

  async function requireSettings(): Promise<Settings> {
    const settings = await ctx.items.settings.get();
    if (!settings) throw new AppError('NOT_CONFIGURED', t('errorNotConfigured'));
    return settings;
  }

  interface Target {
    settings: Settings;
    identityId: string;
    datasetName: string;
    store: LocalStore;
  }

  /** Which local dataset a call means; checks the name before anything else happens. */
  async function target(name: unknown): Promise<Target> {
    if (name !== undefined) assertDatasetName(name);
    const settings = await requireSettings();
    const datasetName = typeof name === 'string' ? name : settings.datasetName;
    const identityId = await deps.identityIdForLocalStore();
    if (identityId === undefined) throw new AppError('AUTH_REQUIRED', t('errorDatasetSignedOut'));
    return { settings, identityId, datasetName, store: createLocalStore(ctx.items.dataset(identityId, datasetName), locks) };
  }

  /** Remembers the dataset's name so the periodic sync visits it. */
  async function remember(identityId: string, datasetName: string): Promise<void> {
    const item = ctx.items.datasetNames(identityId);
    await locks.request(`store:${item.key}`, async () => {
      const names = (await item.get()) ?? [];
      if (!names.includes(datasetName)) await item.set([...names, datasetName]);
    });
  }

  async function view({ identityId, datasetName, store }: Target): Promise<DatasetView> {
    const [dataset, syncing] = await Promise.all([store.read(), locks.isHeld(syncLockName(identityId, datasetName))]);
    const result: DatasetView = {
      name: datasetName,
      identityId,
      records: liveRecords(dataset),
      pendingCount: dataset.records.filter((record) => record.pending).length,
      syncing,
    };
    if (dataset.lastSyncedAt !== undefined) result.lastSyncedAt = dataset.lastSyncedAt;
    if (dataset.lastError) result.lastError = dataset.lastError;
    if (dataset.lastReport) result.lastReport = dataset.lastReport;
    return result;
  }

  async function edit(key: unknown, value: string | null, name: unknown): Promise<DatasetView> {
    assertKey(key);
    const where = await target(name);
    let changed = false;
    await where.store.update((current) => {
      const next = applyEdit(current, key, value, ctx.now());
      changed = next !== undefined;
      return next;
    });
    if (changed) {
      await remember(where.identityId, where.datasetName);
      deps.onEdit?.(where.datasetName);
    }
    return view(where);
  }

  async function sync(where: Target): Promise<SyncReport> {
    const { settings, identityId, datasetName, store } = where;
    return locks.request(syncLockName(identityId, datasetName), async () => {
      try {
        const identity = await deps.getIdentity();
        if (identity.identityId !== identityId) throw new AppError('AUTH_REQUIRED', t('errorDatasetOtherIdentity'));
        const deviceId = await deviceIdOf(ctx.items.deviceId, locks);
        const client = createDynamoClient({
          region: identity.region,
          endpoint: settings.dynamodbEndpoint || `https://dynamodb.${identity.region}.amazonaws.com`,
          credentials: identity.credentials,
        });
        try {
          const dynamo = createDynamoRemote({
            client,
            tableName: settings.tableName,
            identityId,
            datasetName,
            retry: { ...DEFAULT_RETRY, sleep },
            now: ctx.now,
          });
          const remote = deps.wrapRemote?.(dynamo) ?? dynamo;
          const report = await synchronize({ store, remote, deviceId, strategy: settings.conflictStrategy, now: ctx.now });
          if (report.pulled > 0 || report.pushed > 0) await remember(identityId, datasetName);
          return report;
        } finally {
          client.destroy();
        }
      } catch (error) {
        // Kept for the popup; the edits stay pending for the next sync.
        await store.update((current) => ({ ...current, lastError: serializeError(error) }));
        throw error;
      }
    });
  }

  return {
    /** The dataset as this device holds it now: no request. */
    async open(name?: unknown): Promise<DatasetView> {
      return view(await target(name));
    },

    async get(key: unknown, name?: unknown): Promise<RecordView | undefined> {
      assertKey(key);
      const dataset = await (await target(name)).store.read();
      const record = dataset.records.find((r) => r.key === key);
      return record && record.value !== null ? toView(record) : undefined;
    },

    async list(name?: unknown): Promise<RecordView[]> {
      return liveRecords(await (await target(name)).store.read());
    },

    /** Writes here at once (offline too) and marks the record pending. "" is a value. */
    async put(key: unknown, value: unknown, name?: unknown): Promise<DatasetView> {
      assertValue(value);
      return edit(key, value, name);
    },

    /** Removes here at once; the removal reaches the server and other devices as a tombstone. */
    async remove(key: unknown, name?: unknown): Promise<DatasetView> {
      return edit(key, null, name);
    },

    async sync(name?: unknown): Promise<SyncReport> {
      return sync(await target(name));
    },

    /**
     * Syncs each dataset this identity has here (and the configured one). Failures are recorded on the
     * dataset (lastError) and do not stop the others: this runs from alarms and events, not a person.
     */
    async syncAll(options: { onlyPending: boolean }): Promise<void> {
      const settings = await ctx.items.settings.get();
      const identityId = settings && (await deps.identityIdForLocalStore());
      if (!settings || identityId === undefined) return;
      const names = new Set([settings.datasetName, ...((await ctx.items.datasetNames(identityId).get()) ?? [])]);
      for (const datasetName of names) {
        const where = await target(datasetName).catch(() => undefined);
        if (!where) continue;
        if (options.onlyPending && !(await where.store.read()).records.some((record) => record.pending)) continue;
        await sync(where).catch(() => undefined);
      }
    },
  };
}
