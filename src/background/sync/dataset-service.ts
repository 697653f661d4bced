// The worker's dataset API: open, read and edit the signed-in (or last signed-in) person's local
// dataset, at once and offline, and synchronise it with the server, one sync at a time per dataset.
import { datasetView, liveRecords, recordView, type DatasetView, type RecordView, type SyncReport } from '../../shared/dataset';
import { checkEntries, describeDatasetFileProblem, planImport } from '../../shared/dataset-file';
import { AppError, serializeError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import type { Settings } from '../../shared/settings';
import type { Context } from '../platform/context';
import type { AwsIdentity } from '../credentials';
import { LOCKS, type LockManagerLike } from '../platform/locks';
import { deviceIdOf } from './device-id';
import { synchronize } from './engine';
import { assertDatasetName, assertKey, assertValue } from './limits';
import { createLocalStore, type LocalStore } from './local-store';
import { applyEdit, applyEdits } from './merge';
import type { RemoteDataset } from './remote';
import { createRemote } from './remotes';
import { DEFAULT_RETRY } from './retry';

export interface DatasetDeps {
  /** The signed-in identity with a credential provider; throws AUTH_REQUIRED when signed out. */
  getIdentity(): Promise<AwsIdentity>;
  /** Whose local dataset to show: the signed-in identity, or the one remembered from the last sign-in. */
  identityIdForLocalStore(): Promise<string | undefined>;
  /** After a local edit: ask for a sync soon (scheduler.ts). */
  onEdit?(datasetName: string): void;
  /** Default: the worker's (ctx.locks). */
  locks?: LockManagerLike;
  /** Backoff waits; tests pass one that does not wait. */
  sleep?(ms: number): Promise<void>;
  /** Test seam: wraps the backend, e.g. to stop the "worker" right after a push (fault tests). */
  wrapRemote?(remote: RemoteDataset): RemoteDataset;
}

export type DatasetService = ReturnType<typeof createDatasetService>;

/** What an import did: records added and changed here (pending, to sync), and those already equal. */
export interface ImportResult {
  added: number;
  changed: number;
  unchanged: number;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Signed out, or nothing configured: a sync nobody asked for has nothing to do, and nothing failed. */
function isSignedOut(error: unknown): boolean {
  return error instanceof AppError && (error.code === 'AUTH_REQUIRED' || error.code === 'NOT_CONFIGURED');
}

export function createDatasetService(ctx: Context, deps: DatasetDeps) {
  const locks = deps.locks ?? ctx.locks;
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

  /**
   * Which local dataset a call means; checks the name before anything else happens. `identityId`:
   * whose, when the caller knows already (default: the remembered identity).
   */
  async function target(name: unknown, knownIdentityId?: string): Promise<Target> {
    if (name !== undefined) assertDatasetName(name);
    const settings = await requireSettings();
    const datasetName = typeof name === 'string' ? name : settings.datasetName;
    const identityId = knownIdentityId ?? (await deps.identityIdForLocalStore());
    if (identityId === undefined) throw new AppError('AUTH_REQUIRED', t('errorDatasetSignedOut'));
    return { settings, identityId, datasetName, store: createLocalStore(ctx.items.dataset(identityId, datasetName), locks) };
  }

  /**
   * Whose datasets a request to the server is for: the remembered identity, or else the signed-in one.
   * Right after a first sign-in on this browser the id is remembered only once GetId has answered,
   * which `getIdentity` awaits (or asks for). Throws AUTH_REQUIRED / NOT_CONFIGURED as it does.
   */
  async function remoteIdentityId(identity: () => Promise<AwsIdentity>): Promise<string> {
    return (await deps.identityIdForLocalStore()) ?? (await identity()).identityId;
  }

  /** Remembers the dataset's name so the periodic sync visits it. */
  async function remember(identityId: string, datasetName: string): Promise<void> {
    const item = ctx.items.datasetNames(identityId);
    await locks.request(LOCKS.store(item.key), async () => {
      const names = (await item.get()) ?? [];
      if (!names.includes(datasetName)) await item.set([...names, datasetName]);
    });
  }

  async function view({ identityId, datasetName, store }: Target): Promise<DatasetView> {
    const [dataset, syncing] = await Promise.all([store.read(), locks.isHeld(LOCKS.sync(identityId, datasetName))]);
    return datasetView(dataset, { name: datasetName, identityId, syncing });
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

  /**
   * `identity`: the signed-in identity, asked for once by a caller that syncs several datasets.
   * `background`: nobody asked; a sign-out (or another person's sign-in) meanwhile is then no failure.
   */
  async function sync(where: Target, identity: () => Promise<AwsIdentity>, background: boolean): Promise<SyncReport> {
    const { settings, identityId, datasetName, store } = where;
    return locks.request(LOCKS.sync(identityId, datasetName), async () => {
      try {
        const signedIn = await identity();
        if (signedIn.identityId !== identityId) throw new AppError('AUTH_REQUIRED', t('errorDatasetOtherIdentity'));
        const deviceId = await deviceIdOf(ctx.items.deviceId, locks);
        const backend = createRemote(ctx, settings, signedIn, { identityId, datasetName, retry: { ...DEFAULT_RETRY, sleep } });
        const remote = deps.wrapRemote?.(backend.remote) ?? backend.remote;
        const { location } = backend;
        const report = await synchronize({ store, remote, location, deviceId, strategy: settings.conflictStrategy, now: ctx.now });
        if (report.pulled > 0 || report.pushed > 0) await remember(identityId, datasetName);
        return report;
      } catch (error) {
        // Kept for the popup; the edits stay pending for the next sync.
        const signedOut = error instanceof AppError && error.code === 'AUTH_REQUIRED';
        if (!(background && signedOut)) await store.update((current) => ({ ...current, lastError: serializeError(error) }));
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
      return record && record.value !== null ? recordView(record) : undefined;
    },

    async list(name?: unknown): Promise<RecordView[]> {
      return liveRecords(await (await target(name)).store.read());
    },

    /** Writes here at once (offline too) and marks the record pending. "" is a value. */
    async put(key: unknown, value: unknown, name?: unknown): Promise<DatasetView> {
      assertValue(value);
      return edit(key, value, name);
    },

    /**
     * Takes in the entries of a dataset file (docs/dataset-model.md, "Export and import"): they become edits here,
     * all in one write or none. Entries are checked again (the page's check is not trusted): one the extension would
     * refuse as an edit refuses all of them (INVALID_INPUT / DATASET_LIMIT), and so does a result past the limits.
     */
    async importRecords(entries: readonly unknown[], name?: unknown): Promise<ImportResult> {
      const checked = checkEntries(entries);
      if (checked.refused.length > 0) throw new AppError('INVALID_INPUT', t('errorImportEntries', String(checked.refused.length)));
      const where = await target(name);
      let result: ImportResult = { added: 0, changed: 0, unchanged: 0 };
      await where.store.update((current) => {
        const plan = planImport(liveRecords(current), checked);
        if (plan.problem) throw new AppError('DATASET_LIMIT', describeDatasetFileProblem(plan.problem));
        result = { added: plan.added.length, changed: plan.changed.length, unchanged: plan.unchanged };
        return applyEdits(current, [...plan.added, ...plan.changed], ctx.now());
      });
      if (result.added + result.changed > 0) {
        await remember(where.identityId, where.datasetName);
        deps.onEdit?.(where.datasetName);
      }
      return result;
    },

    /** Removes here at once; the removal reaches the server and other devices as a tombstone. */
    async remove(key: unknown, name?: unknown): Promise<DatasetView> {
      return edit(key, null, name);
    },

    async sync(name?: unknown): Promise<SyncReport> {
      // A bad name or no settings is said before the identity is asked for (no request).
      if (name !== undefined) assertDatasetName(name);
      await requireSettings();
      return sync(await target(name, await remoteIdentityId(deps.getIdentity)), deps.getIdentity, false);
    },

    /**
     * Syncs each dataset this identity has here (and the configured one). Failures are recorded on the
     * dataset (lastError) and do not stop the others: this runs from alarms and events, not a person.
     * Signed out or not configured is not a failure: there is nothing to sync, and nothing is recorded.
     */
    async syncAll(options: { onlyPending: boolean }): Promise<void> {
      const settings = await ctx.items.settings.get();
      if (!settings) return;
      // One identity for every dataset of this run, asked for only when there is something to sync.
      let signedIn: Promise<AwsIdentity> | undefined;
      const identity = (): Promise<AwsIdentity> => (signedIn ??= deps.getIdentity());
      let identityId: string;
      try {
        identityId = await remoteIdentityId(identity);
      } catch {
        return; // signed out, or GetId failed on a first sign-in: no local dataset to record it on
      }
      const names = new Set([settings.datasetName, ...((await ctx.items.datasetNames(identityId).get()) ?? [])]);
      const due: Target[] = [];
      for (const datasetName of names) {
        const where = await target(datasetName, identityId).catch(() => undefined);
        if (!where) continue;
        if (options.onlyPending && !(await where.store.read()).records.some((record) => record.pending)) continue;
        due.push(where);
      }
      if (due.length === 0) return;
      try {
        await identity();
      } catch (error) {
        if (isSignedOut(error)) return;
        // Anything else (offline...) is recorded on each dataset by sync(), which sees the same failure.
      }
      for (const where of due) await sync(where, identity, true).catch(() => undefined);
    },
  };
}
