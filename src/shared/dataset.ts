// What the pages and the worker share about datasets: the view the popup renders, the sync report,
// and the stored format of a local dataset (data, not secrets: storage.local).
import type { SerializedError } from './errors';
import { isSerializedError } from './errors';
import { FIRST_SCREEN_RECORDS, parseReport, type DatasetFirstScreen } from './first-screen';
import { normalizeEndpoint, type ConflictStrategy } from './settings-values';

export type RecordState = 'synced' | 'pending' | 'resolved';

export interface RecordView {
  key: string;
  value: string;
  /** 'resolved': the last sync settled a conflict on this record (see SyncReport.conflicts). */
  state: RecordState;
  /** When the version shown was modified, on whichever device modified it (ms since the epoch). */
  modifiedAt: number;
}

export interface SyncConflict {
  key: string;
  winner: 'local' | 'remote';
  strategy: ConflictStrategy;
}

export interface SyncReport {
  /** Records taken from the server (including the losing sides of conflicts resolved for the server). */
  pulled: number;
  /** Records this sync committed to the server. */
  pushed: number;
  conflicts: SyncConflict[];
  /** The dataset's sync count on the server once this sync ended. */
  syncCount: number;
  at: number;
}

export interface DatasetView {
  name: string;
  identityId: string;
  records: RecordView[];
  /** Set while `records` holds only the first rows (the popup's first frame): how many there are in all. */
  recordCount?: number;
  pendingCount: number;
  lastSyncedAt?: number;
  syncing: boolean;
  lastError?: SerializedError;
  lastReport?: SyncReport;
}

/** One record as this device keeps it. */
export interface StoredRecord {
  key: string;
  /** null: removed (a tombstone, kept so the removal reaches the server and other devices). */
  value: string | null;
  /** The record's sync count on the server when this device last agreed with it; 0 = never synced. */
  syncCount: number;
  /**
   * When the version held here was modified, by the device that modified it. Local edits take
   * max(now, previous + 1), so an edit made after seeing another is always later (last writer wins
   * then follows causality), and (deviceId, key, modifiedAt) names one edit (acknowledgements).
   */
  modifiedAt: number;
  /** Edited here and not yet acknowledged by the server. */
  pending: boolean;
  /** The last sync resolved a conflict on this record; cleared by the next edit. */
  resolved?: true;
  /**
   * The `modifiedAt` of the version of this record this device last pushed. A backend that does not
   * say which device wrote a record (Cognito Sync) returns a push whose answer was lost like every other
   * version: this is how the device knows it as its own, even after editing the record again.
   */
  pushedModifiedAt?: number;
}

/**
 * Which server a local dataset syncs with: its table at its endpoint. The settings may change either
 * without changing the identity (so the local store stays); sync counts mean nothing across servers.
 */
export interface RemoteLocation {
  /** The DynamoDB endpoint, as settings resolve it (endpointsOf: the region's default when empty). */
  endpoint: string;
  tableName: string;
}

/**
 * Whether two locations name one server. Endpoints compare normalised on both sides: a settings edit
 * from '' to the region's endpoint, or an added '/', is no move (and datasets stored by earlier
 * versions hold the endpoint as it was typed).
 */
export function sameLocation(a: RemoteLocation, b: RemoteLocation): boolean {
  return normalizeEndpoint(a.endpoint) === normalizeEndpoint(b.endpoint) && a.tableName === b.tableName;
}

/** A local dataset per (identity, dataset name). Records are an array: a key may be "__proto__". */
export interface StoredDataset {
  version: 1;
  /** The dataset's sync count up to which this device has pulled every change, on `remote`. */
  syncCount: number;
  /** The server `syncCount` and the records' counts refer to; absent until the first sync. */
  remote?: RemoteLocation;
  records: StoredRecord[];
  lastSyncedAt?: number;
  lastError?: SerializedError;
  lastReport?: SyncReport;
}

export const EMPTY_DATASET: StoredDataset = Object.freeze({ version: 1, syncCount: 0, records: [] }) as StoredDataset;

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function parseRecord(value: unknown): StoredRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Partial<Record<keyof StoredRecord, unknown>>;
  if (typeof r.key !== 'string' || !(typeof r.value === 'string' || r.value === null)) return undefined;
  if (!isCount(r.syncCount) || !isCount(r.modifiedAt) || typeof r.pending !== 'boolean') return undefined;
  const record: StoredRecord = { key: r.key, value: r.value, syncCount: r.syncCount, modifiedAt: r.modifiedAt, pending: r.pending };
  if (r.resolved === true) record.resolved = true;
  if (isCount(r.pushedModifiedAt)) record.pushedModifiedAt = r.pushedModifiedAt;
  return record;
}

function parseLocation(value: unknown): RemoteLocation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { endpoint, tableName } = value as Partial<Record<keyof RemoteLocation, unknown>>;
  return typeof endpoint === 'string' && typeof tableName === 'string' ? { endpoint, tableName } : undefined;
}

/**
 * Reads a stored dataset back. A malformed record is dropped rather than failing the whole dataset;
 * a dataset that is not one at all reads as absent.
 */
export function parseStoredDataset(value: unknown): StoredDataset | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const d = value as Partial<Record<keyof StoredDataset, unknown>>;
  if (d.version !== 1 || !isCount(d.syncCount) || !Array.isArray(d.records)) return undefined;
  const records: StoredRecord[] = [];
  for (const item of d.records as unknown[]) {
    const record = parseRecord(item);
    if (record) records.push(record);
  }
  const dataset: StoredDataset = { version: 1, syncCount: d.syncCount, records };
  const remote = parseLocation(d.remote);
  if (remote) dataset.remote = remote;
  if (isCount(d.lastSyncedAt)) dataset.lastSyncedAt = d.lastSyncedAt;
  if (isSerializedError(d.lastError)) dataset.lastError = { code: d.lastError.code, message: d.lastError.message };
  const report = parseReport(d.lastReport);
  if (report) dataset.lastReport = report;
  return dataset;
}

/** How the pages see one stored record (a tombstone has no view). */
export function recordView(record: StoredRecord): RecordView {
  return {
    key: record.key,
    value: record.value ?? '',
    state: record.resolved ? 'resolved' : record.pending ? 'pending' : 'synced',
    modifiedAt: record.modifiedAt,
  };
}

export function liveRecords(dataset: StoredDataset): RecordView[] {
  return dataset.records.filter((record) => record.value !== null).map(recordView);
}

/**
 * The view of a stored dataset. The worker builds it for `openDataset`; the popup builds the same from
 * storage.local for its first paint, before the worker (which alone knows `syncing`) has answered.
 */
export function datasetView(dataset: StoredDataset, where: { name: string; identityId: string; syncing: boolean }): DatasetView {
  const view: DatasetView = {
    name: where.name,
    identityId: where.identityId,
    records: liveRecords(dataset),
    pendingCount: dataset.records.filter((record) => record.pending).length,
    syncing: where.syncing,
  };
  if (dataset.lastSyncedAt !== undefined) view.lastSyncedAt = dataset.lastSyncedAt;
  if (dataset.lastError) view.lastError = dataset.lastError;
  if (dataset.lastReport) view.lastReport = dataset.lastReport;
  return view;
}

/** The first screen of a stored dataset (first-screen.ts): storage.ts writes it with the dataset. */
export function firstScreenOf(dataset: StoredDataset): DatasetFirstScreen {
  const live = liveRecords(dataset);
  const first: DatasetFirstScreen = {
    version: 1,
    records: live.slice(0, FIRST_SCREEN_RECORDS),
    recordCount: live.length,
    pendingCount: dataset.records.filter((record) => record.pending).length,
  };
  if (dataset.lastSyncedAt !== undefined) first.lastSyncedAt = dataset.lastSyncedAt;
  if (dataset.lastError) first.lastError = dataset.lastError;
  if (dataset.lastReport) first.lastReport = dataset.lastReport;
  return first;
}

/** The random id of this browser profile, written with each record it pushes (acknowledgements). */
export function parseDeviceId(value: unknown): string | undefined {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value) ? value : undefined;
}

/** The names of an identity's local datasets, so the periodic sync can visit each. */
export function parseDatasetNames(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : undefined;
}
