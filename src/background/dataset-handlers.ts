// Messages about datasets, for the popup and the options page: open, read, edit, sync now.
// Arguments come from pages as JSON: the service checks each one (INVALID_INPUT, DATASET_LIMIT).
import type { DatasetView, RecordView, SyncReport } from '../shared/dataset';
import type { Context } from './context';
import { awsIdentity, rememberedIdentityId } from './credentials';
import { createDatasetService, type DatasetDeps } from './sync/dataset-service';
import { createEditDebouncer } from './sync/scheduler';

/** The worker's real dependencies: the sign-in's identity and the remembered identity id. */
export function workerDatasetDeps(ctx: Context): DatasetDeps {
  return {
    getIdentity: () => awsIdentity(ctx),
    identityIdForLocalStore: () => rememberedIdentityId(ctx),
  };
}

export function datasetHandlers(ctx: Context, deps: DatasetDeps) {
  const onEdit = deps.onEdit ?? createEditDebouncer(ctx.alarms, ctx.now, () => service.syncAll({ onlyPending: true }));
  const service = createDatasetService(ctx, { ...deps, onEdit });
  return {
    /** The dataset as stored here (no request); default name: settings.datasetName. */
    async openDataset(name?: string): Promise<DatasetView> {
      return service.open(name);
    },
    async getRecord(key: string, name?: string): Promise<RecordView | undefined> {
      return service.get(key, name);
    },
    async listRecords(name?: string): Promise<RecordView[]> {
      return service.list(name);
    },
    async putRecord(key: string, value: string, name?: string): Promise<DatasetView> {
      return service.put(key, value, name);
    },
    async removeRecord(key: string, name?: string): Promise<DatasetView> {
      return service.remove(key, name);
    },
    async syncNow(name?: string): Promise<SyncReport> {
      return service.sync(name);
    },
  };
}
