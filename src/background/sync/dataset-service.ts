// The worker's dataset API: open, read and edit the signed-in (or last signed-in) person's local
// dataset, at once and offline, and synchronise it with the server, one sync at a time per dataset.
import {
  datasetView,
  EMPTY_DATASET,
  liveRecords,
  MAX_DATASETS,
  autoRetry,
  openDatasetName,
  recordCounts,
  recordView,
  type DatasetChoice,
  type DatasetSummaryEntry,
  type DatasetListing,
  type DatasetView,
  type RecordView,
  type SyncReport,
} from '../../shared/dataset';
import { AppError, serializeError, type SerializedError } from '../../shared/errors';
import { checkEntries, describeDatasetFileProblem, planImport } from '../../shared/dataset-file';
import { t } from '../../shared/i18n';
import type { Settings } from '../../shared/settings';
import type { Context } from '../platform/context';
import type { AwsIdentity } from '../credentials';
import { LOCKS, type LockManagerLike } from '../platform/locks';
import { deviceIdOf } from './device-id';
import { synchronize, syncProgress } from './engine';
import { assertDatasetName, assertKey, assertValue } from './limits';
import { createLocalStore, type LocalStore } from './local-store';
import { applyEdit, applyEdits } from './merge';
import { carriedCopy, movedInto, storedDatasetNames } from './moved-identity';
import { withHostAccess } from '../platform/host-access';
import type { RemoteDataset, RemoteDatasetSummary, RemoteDirectory } from './remote';
import { createDirectory, createRemote } from './remotes';
import { DEFAULT_RETRY } from './retry';

export interface DatasetDeps {
  /** The signed-in identity with a credential provider; throws AUTH_REQUIRED when signed out. */
  getIdentity(): Promise<AwsIdentity>;
  /** Whose local dataset to show: the signed-in identity, or the one remembered from the last sign-in, unless that person signed out here. */
  identityIdForLocalStore(): Promise<string | undefined>;
  /** After a local edit: ask for a sync soon (scheduler.ts). */
  onEdit?(datasetName: string): void;
  /** After each sync, with its failure (undefined when it went through): another try later (retry-later.ts). */
  afterSync?(settings: Settings, failure: unknown): Promise<void>;
  /** Default: the worker's (ctx.locks). */
  locks?: LockManagerLike;
  /** Backoff waits; tests pass one that does not wait. */
  sleep?(ms: number): Promise<void>;
  /** Test seam: wraps the backend, e.g. to stop the "worker" right after a push (fault tests). */
  wrapRemote?(remote: RemoteDataset, datasetName: string): RemoteDataset;
  /** Test seam: the server's list of datasets (default: the settings' backend, remotes.ts). */
  directory?(settings: Settings, identity: AwsIdentity): RemoteDirectory;
  /** Work that follows an answer (the syncs after a switch); default: run and forget. Tests await it. */
  background?(task: Promise<unknown>): void;
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

/**
 * Runs `task`; when AWS calls the credentials expired, which they were not on this computer's clock, gets new
 * ones and runs it once more. Each task is safe to repeat: a sync stores what it did as it goes and goes on
 * from it (engine.ts, `progress`), and a list or a deletion asks again.
 */
async function withUnexpiredCredentials<T>(identity: AwsIdentity, task: () => Promise<T>): Promise<T> {
  // The ones stored now, which the task's requests are signed with (or older ones a client still holds).
  const held = await identity.storedKeyId();
  try {
    return await task();
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'CREDENTIALS_EXPIRED')) throw error;
    await identity.replaceExpired(held);
    return task();
  }
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
    const identityId = knownIdentityId ?? (await deps.identityIdForLocalStore());
    if (identityId === undefined) throw new AppError('AUTH_REQUIRED', t('errorDatasetSignedOut'));
    const datasetName = typeof name === 'string' ? name : await openName(settings, identityId);
    return { settings, identityId, datasetName, store: createLocalStore(ctx.items.dataset(identityId, datasetName), locks) };
  }

  /** The dataset this browser shows: the person's choice, or the settings' dataset name. */
  async function openName(settings: Settings, identityId: string): Promise<string> {
    return openDatasetName(await ctx.items.datasetChoice(identityId).get(), settings.datasetName);
  }

  /** Changes the stored choice under its lock (a drop from a sync and a switch may meet). */
  async function choose(identityId: string, change: (current: DatasetChoice | undefined) => DatasetChoice): Promise<void> {
    const item = ctx.items.datasetChoice(identityId);
    await locks.request(LOCKS.store(item.key), async () => item.set(change(await item.get())));
  }

  /**
   * Removes a local dataset: its records, its name, and the choice of it (the default opens instead).
   * `elsewhere`: deleted in another browser, which the popup then tells. Call with the dataset's sync lock.
   */
  async function drop(settings: Settings, identityId: string, datasetName: string, elsewhere: boolean): Promise<void> {
    const dataset = ctx.items.dataset(identityId, datasetName);
    await locks.request(LOCKS.store(dataset.key), () => dataset.remove());
    const names = ctx.items.datasetNames(identityId);
    await locks.request(LOCKS.store(names.key), async () => {
      const current = (await names.get()) ?? [];
      if (current.includes(datasetName)) await names.set(current.filter((name) => name !== datasetName));
    });
    await choose(identityId, (current) => {
      const open = openDatasetName(current, settings.datasetName);
      const dropped = [...(current?.dropped ?? []).filter((name) => name !== datasetName), ...(elsewhere ? [datasetName] : [])];
      const choice: DatasetChoice = { name: open === datasetName ? settings.datasetName : open, defaultName: settings.datasetName };
      if (dropped.length > 0) choice.dropped = dropped;
      return choice;
    });
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
    const [dataset, syncing, choice] = await Promise.all([
      store.read(),
      locks.isHeld(LOCKS.sync(identityId, datasetName)),
      ctx.items.datasetChoice(identityId).get(),
    ]);
    const shown = datasetView(dataset, { name: datasetName, identityId, syncing });
    if (choice?.dropped) shown.dropped = choice.dropped;
    // Only a failed sync has a next try to tell, and only for a sign-in: once the person must sign in again (no
    // tokens), it promises nothing.
    if (shown.lastError) {
      const [retry, tokens] = await Promise.all([ctx.items.syncRetry.get(), ctx.items.authTokens.get()]);
      const again = tokens ? autoRetry(shown.lastError, retry) : undefined;
      if (again) shown.autoRetry = again;
    }
    return shown;
  }

  /** `onlyNew`: refuse a key the dataset holds already (the Add form's case), checked in the same write. */
  async function edit(key: unknown, value: string | null, name: unknown, onlyNew = false): Promise<DatasetView> {
    assertKey(key);
    const where = await target(name);
    let changed = false;
    await where.store.update((current) => {
      if (onlyNew && current.records.some((record) => record.key === key && record.value !== null))
        throw new AppError('INVALID_INPUT', t('errorKeyExists'), { field: 'key' });
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
    const outcome = await locks.request(LOCKS.sync(identityId, datasetName), async (): Promise<SyncReport | { movedInto: string }> => {
      try {
        const signedIn = await identity();
        if (signedIn.identityId !== identityId) {
          // Cognito has just answered another identity for this login (moved-identity.ts): its dataset of this name is synced.
          if ((await movedInto(ctx, signedIn.identityId)).includes(identityId)) return { movedInto: signedIn.identityId };
          throw new AppError('AUTH_REQUIRED', t('errorDatasetOtherIdentity'));
        }
        const deviceId = await deviceIdOf(ctx.items.deviceId, locks);
        // Shared by both runs when the first meets expired credentials: the second goes on from the first.
        const progress = syncProgress();
        // What this browser held for an identity Cognito replaced with this one, taken in after the pull. Listed
        // first: should the worker stop once it is in, the periodic sync still visits it.
        const carried = await carriedCopy(ctx, locks, identityId, datasetName);
        if (carried) await remember(identityId, datasetName);
        const attempt = (): Promise<SyncReport> => {
          const backend = createRemote(ctx, settings, signedIn, { identityId, datasetName, retry: { ...DEFAULT_RETRY, sleep } });
          const remote = deps.wrapRemote?.(backend.remote, datasetName) ?? backend.remote;
          const { location } = backend;
          return synchronize({
            store,
            remote,
            location,
            deviceId,
            strategy: settings.conflictStrategy,
            now: ctx.now,
            progress,
            ...(carried ? { carried } : {}),
          });
        };
        const report = await withUnexpiredCredentials(signedIn, attempt);
        // Deleted in another browser: dropped here too (its edits not yet synced with it), and the popup says so.
        if (report.datasetDeleted) await drop(settings, identityId, datasetName, true);
        else if (report.pulled > 0 || report.pushed > 0) await remember(identityId, datasetName);
        await deps.afterSync?.(settings, undefined).catch(() => undefined);
        return report;
      } catch (caught) {
        const error = await withHostAccess(ctx, caught);
        // Kept for the popup; the edits stay pending for the next sync.
        const signedOut = error instanceof AppError && error.code === 'AUTH_REQUIRED';
        if (!(background && signedOut)) await store.update((current) => ({ ...current, lastError: serializeError(error) }));
        await deps.afterSync?.(settings, error).catch(() => undefined);
        throw error;
      }
    });
    if ('movedInto' in outcome) return sync(await target(datasetName, outcome.movedInto), identity, background);
    return outcome;
  }

  const directoryOf =
    deps.directory ?? ((settings: Settings, identity: AwsIdentity) => createDirectory(ctx, settings, identity, { ...DEFAULT_RETRY, sleep }));
  const background = deps.background ?? ((task: Promise<unknown>) => void task.catch(() => undefined));

  /** The server's datasets and this browser's, by name; the server's failure is told, not thrown. */
  async function listing(settings: Settings, identityId: string): Promise<DatasetListing> {
    const open = await openName(settings, identityId);
    let server: RemoteDatasetSummary[] = [];
    let serverError: SerializedError | undefined;
    try {
      const signedIn = await deps.getIdentity();
      if (signedIn.identityId !== identityId) throw new AppError('AUTH_REQUIRED', t('errorDatasetOtherIdentity'));
      server = await withUnexpiredCredentials(signedIn, () => directoryOf(settings, signedIn).list());
    } catch (error) {
      serverError = serializeError(await withHostAccess(ctx, error));
    }
    const local = new Set([settings.datasetName, open, ...((await ctx.items.datasetNames(identityId).get()) ?? [])]);
    const entries = new Map<string, DatasetSummaryEntry>();
    for (const summary of server) {
      const { pendingCount } = await localSummary(identityId, summary.name);
      entries.set(summary.name, { name: summary.name, records: summary.records, modifiedAt: summary.modifiedAt, onServer: true, pendingCount });
    }
    for (const name of local) {
      if (entries.has(name)) continue;
      const { records, pendingCount, lastSyncedAt } = await localSummary(identityId, name);
      entries.set(name, { name, records, onServer: false, pendingCount, ...(lastSyncedAt === undefined ? {} : { modifiedAt: lastSyncedAt }) });
    }
    const datasets = [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { datasets, open, defaultName: settings.datasetName, ...(serverError ? { serverError } : {}) };
  }

  async function localSummary(identityId: string, name: string): Promise<{ records: number; pendingCount: number; lastSyncedAt?: number }> {
    const dataset = (await ctx.items.dataset(identityId, name).get()) ?? EMPTY_DATASET;
    const summary = recordCounts(dataset);
    return dataset.lastSyncedAt === undefined ? summary : { ...summary, lastSyncedAt: dataset.lastSyncedAt };
  }

  /** The remembered identity (the one whose datasets this browser holds), or AUTH_REQUIRED. */
  async function localIdentityId(): Promise<string> {
    const identityId = await deps.identityIdForLocalStore();
    if (identityId === undefined) throw new AppError('AUTH_REQUIRED', t('errorDatasetSignedOut'));
    return identityId;
  }

  return {
    /** The server's datasets and this browser's: name, record count, last change. Signed out: this browser's only. */
    async listDatasets(): Promise<DatasetListing> {
      const settings = await requireSettings();
      return listing(settings, await remoteIdentityId(deps.getIdentity));
    },

    /**
     * A new, empty dataset, opened at once. It reaches the server with its first record (as in Cognito Sync).
     * Refused when the name is taken or the identity has MAX_DATASETS already (the server's list, and this browser's).
     */
    async createDataset(name: unknown): Promise<DatasetView> {
      assertDatasetName(name);
      const settings = await requireSettings();
      const identityId = await remoteIdentityId(deps.getIdentity);
      const { datasets } = await listing(settings, identityId);
      if (datasets.some((entry) => entry.name === name)) throw new AppError('INVALID_INPUT', t('errorDatasetExists', name));
      if (datasets.length >= MAX_DATASETS) throw new AppError('DATASET_LIMIT', t('errorDatasetCount', String(MAX_DATASETS)));
      await remember(identityId, name);
      await choose(identityId, (current) => ({ ...current, name, defaultName: settings.datasetName }));
      return view(await target(name, identityId));
    },

    /**
     * Opens another dataset: its local data at once (no request). Then, in the background, the one left is
     * synced if it has edits pending, and the one opened is synced.
     */
    async switchDataset(name: unknown): Promise<DatasetView> {
      assertDatasetName(name);
      const settings = await requireSettings();
      const identityId = await localIdentityId();
      const left = await target(await openName(settings, identityId), identityId);
      await remember(identityId, name);
      await choose(identityId, (current) => ({ ...current, name, defaultName: settings.datasetName }));
      const opened = await target(name, identityId);
      if (left.datasetName !== name) {
        background(
          (async () => {
            if ((await left.store.read()).records.some((record) => record.pending)) await sync(left, deps.getIdentity, true).catch(() => undefined);
            await sync(opened, deps.getIdentity, true);
          })(),
        );
      }
      return view(opened);
    },

    /**
     * Deletes a dataset on the server and here; every other browser drops it at its next sync. The open
     * dataset falls back to the settings' one. Needs a sign-in: a deletion only here would come back.
     */
    async deleteDataset(name: unknown): Promise<DatasetView> {
      assertDatasetName(name);
      const settings = await requireSettings();
      const identityId = await remoteIdentityId(deps.getIdentity);
      await locks.request(LOCKS.sync(identityId, name), async () => {
        const signedIn = await deps.getIdentity();
        if (signedIn.identityId !== identityId) throw new AppError('AUTH_REQUIRED', t('errorDatasetOtherIdentity'));
        await withUnexpiredCredentials(signedIn, () => directoryOf(settings, signedIn).delete(name)).catch(async (error: unknown) => {
          throw await withHostAccess(ctx, error);
        });
        await drop(settings, identityId, name, false);
      });
      return view(await target(undefined, identityId));
    },

    /** The person has read that datasets were deleted elsewhere. */
    async dismissDroppedDatasets(): Promise<void> {
      const settings = await requireSettings();
      const identityId = await localIdentityId();
      const item = ctx.items.datasetChoice(identityId);
      if (!(await item.get())?.dropped) return;
      await choose(identityId, (current) => ({ name: openDatasetName(current, settings.datasetName), defaultName: settings.datasetName }));
    },

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
     * A new record: refused (INVALID_INPUT) when the key is there already. The popup checks the keys it shows,
     * but it may show only the first screen of them yet, or be behind another page's edit: the worker, which
     * holds the whole dataset, is the one to ask, so an Add never overwrites a value the person did not see.
     */
    async add(key: unknown, value: unknown, name?: unknown): Promise<DatasetView> {
      assertValue(value);
      return edit(key, value, name, true);
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
      const names = new Set([
        settings.datasetName,
        await openName(settings, identityId),
        ...((await ctx.items.datasetNames(identityId).get()) ?? []),
      ]);
      // The datasets of an identity Cognito replaced with this one: each sync takes its own in (moved-identity.ts).
      const moved = new Set<string>();
      for (const from of await movedInto(ctx, identityId)) for (const name of await storedDatasetNames(ctx, from)) moved.add(name);
      for (const name of moved) names.add(name);
      const due: Target[] = [];
      for (const datasetName of names) {
        const where = await target(datasetName, identityId).catch(() => undefined);
        if (!where) continue;
        if (options.onlyPending && !moved.has(datasetName) && !(await where.store.read()).records.some((record) => record.pending)) continue;
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
