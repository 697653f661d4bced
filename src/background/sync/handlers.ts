// Messages about datasets, for the popup and the options page: open, read, edit, sync now. Arguments come
// from pages as JSON: the guards check their types (INVALID_INPUT), the service their rules (DATASET_LIMIT).
import type { DatasetListing, DatasetView, RecordView, SyncReport } from '../../shared/dataset';
import { awsIdentity, rememberedIdentityId } from '../credentials';
import type { Context } from '../platform/context';
import type { Settings } from '../../shared/settings';
import type { DatasetEntry } from '../../shared/dataset-file';
import { handler, isRecord, isString, noArgs } from '../platform/protocol';
import { createDatasetService, type DatasetDeps, type DatasetService, type ImportResult } from './dataset-service';
import { afterSync as afterSyncRetry } from './retry-later';
import { createEditDebouncer } from './scheduler';

/** The worker's real dependencies: the sign-in's identity and the remembered identity id. */
export function workerDatasetDeps(ctx: Context): DatasetDeps {
  return {
    getIdentity: () => awsIdentity(ctx),
    identityIdForLocalStore: () => rememberedIdentityId(ctx),
  };
}

/**
 * The worker's dataset service: an edit asks for a sync of the pending edits soon (scheduler.ts), and a sync that
 * failed for a reason that passes sets another try (retry-later.ts).
 */
export function createWorkerDatasets(ctx: Context, deps: DatasetDeps = workerDatasetDeps(ctx)): DatasetService {
  const onEdit = deps.onEdit ?? createEditDebouncer(ctx.alarms, ctx.now, () => service.syncAll({ onlyPending: true }));
  const afterSync = deps.afterSync ?? ((settings: Settings, failure: unknown) => afterSyncRetry(ctx, settings, failure));
  const service: DatasetService = createDatasetService(ctx, { ...deps, onEdit, afterSync });
  return service;
}

/** The shape of an import's entries; their rules (key length, limits) are the service's to check. */
function isEntries(value: unknown): value is DatasetEntry[] {
  return Array.isArray(value) && value.every((entry) => isRecord(entry) && typeof entry['key'] === 'string' && typeof entry['value'] === 'string');
}

export function datasetHandlers(service: DatasetService) {
  return {
    /** The dataset as stored here (no request); default name: settings.datasetName. */
    openDataset: handler(
      (args) => [args.optional(isString)],
      async (name?: string): Promise<DatasetView> => service.open(name),
    ),
    getRecord: handler(
      (args) => [args.take(isString), args.optional(isString)],
      async (key: string, name?: string): Promise<RecordView | undefined> => service.get(key, name),
    ),
    listRecords: handler(
      (args) => [args.optional(isString)],
      async (name?: string): Promise<RecordView[]> => service.list(name),
    ),
    putRecord: handler(
      (args) => [args.take(isString), args.take(isString), args.optional(isString)],
      async (key: string, value: string, name?: string): Promise<DatasetView> => service.put(key, value, name),
    ),
    /** Like putRecord, for a key the dataset must not hold yet. */
    addRecord: handler(
      (args) => [args.take(isString), args.take(isString), args.optional(isString)],
      async (key: string, value: string, name?: string): Promise<DatasetView> => service.add(key, value, name),
    ),
    removeRecord: handler(
      (args) => [args.take(isString), args.optional(isString)],
      async (key: string, name?: string): Promise<DatasetView> => service.remove(key, name),
    ),
    /** Entries of a dataset file, as edits here (the popup shows the summary first). */
    importRecords: handler(
      (args) => [args.take(isEntries), args.optional(isString)],
      async (entries: DatasetEntry[], name?: string): Promise<ImportResult> => service.importRecords(entries, name),
    ),
    /** The server's datasets and this browser's (name, record count, last change), and which is open. */
    listDatasets: handler(noArgs, async (): Promise<DatasetListing> => service.listDatasets()),
    createDataset: handler(
      (args) => [args.take(isString)],
      async (name: string): Promise<DatasetView> => service.createDataset(name),
    ),
    switchDataset: handler(
      (args) => [args.take(isString)],
      async (name: string): Promise<DatasetView> => service.switchDataset(name),
    ),
    deleteDataset: handler(
      (args) => [args.take(isString)],
      async (name: string): Promise<DatasetView> => service.deleteDataset(name),
    ),
    dismissDroppedDatasets: handler(noArgs, async (): Promise<void> => service.dismissDroppedDatasets()),
    syncNow: handler(
      (args) => [args.optional(isString)],
      async (name?: string): Promise<SyncReport> => service.sync(name),
    ),
  };
}
