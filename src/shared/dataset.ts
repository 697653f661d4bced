// What the pages and the worker share about datasets: the view the popup renders, the sync report,
// and the stored format of a local dataset (data, not secrets: storage.local).
import { parseSerializedError, type ErrorCode, type SerializedError } from './errors';
import { FIRST_SCREEN_RECORDS, parseReport, type DatasetFirstScreen } from './first-screen';
import { entries, fields, ifValid, isBoolean, isString, names } from './guards';
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
  /** Records merged in, as edits here, from the datasets of a sign-in linked to this one (Cognito Sync's merged datasets). */
  linkedMerged?: number;
  /** Merged datasets left on the server: merging them would pass the dataset's limits. */
  linkedRefused?: string[];
  /**
   * The records this browser held in this dataset for an identity Cognito replaced with this one (merged into it, or
   * deleted) were not taken in: they would pass the dataset's limits. They stay in this browser for the next sync.
   */
  carriedRefused?: true;
  /**
   * The server's copy was deleted (Cognito Sync) or emptied (DynamoDB) since this device last synced, so this sync
   * started again from what the server holds; `kept`: this device's pending edits, kept and uploaded.
   */
  restarted?: { cause: 'deleted' | 'emptied'; kept: number };
  /** The dataset was deleted on the server (in another browser): this device dropped it. */
  datasetDeleted?: true;
}

/** Whether the view holds every record (the popup's first frame holds only the first screen of them). */
export function holdsEveryRecord(view: DatasetView): boolean {
  return view.recordCount === undefined || view.records.length >= view.recordCount;
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
  /** Datasets deleted in another browser and dropped here since the person last looked (DatasetChoice.dropped). */
  dropped?: string[];
  /** Set when the extension tries `lastError`'s sync again by itself (`autoRetry`): `at`, the time of the try it has set. */
  autoRetry?: { at?: number };
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
  /**
   * Merged datasets (SyncReport.linkedMerged) whose records are merged here already: deleted on the server once they
   * are pushed, and never merged twice (an edit made here since would otherwise meet them again).
   */
  linkedDone?: string[];
}

export const EMPTY_DATASET: StoredDataset = Object.freeze({ version: 1, syncCount: 0, records: [] }) as StoredDataset;

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const parseRecord = (value: unknown): StoredRecord | undefined =>
  fields(value, {
    key: isString,
    value: (text: unknown): text is string | null => text === null || isString(text),
    syncCount: isCount,
    modifiedAt: isCount,
    pending: isBoolean,
    resolved: ifValid<true>((resolved: unknown): resolved is true => resolved === true),
    pushedModifiedAt: ifValid(isCount),
  });

/**
 * Reads a stored dataset back. A malformed record is dropped rather than failing the whole dataset, and so
 * is a malformed optional part; a dataset that is not one at all reads as absent.
 */
export function parseStoredDataset(value: unknown): StoredDataset | undefined {
  return fields(value, {
    version: (version: unknown): version is 1 => version === 1,
    syncCount: isCount,
    records: entries(parseRecord),
    remote: ifValid((remote: unknown) => fields(remote, { endpoint: isString, tableName: isString })),
    lastSyncedAt: ifValid(isCount),
    lastError: ifValid(parseSerializedError),
    lastReport: ifValid(parseReport),
    linkedDone: ifValid(names),
  });
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

/** How many records a stored dataset holds (removed ones not counted), and how many of its edits wait to sync. */
export function recordCounts(dataset: StoredDataset): { records: number; pendingCount: number } {
  return {
    records: dataset.records.filter((record) => record.value !== null).length,
    pendingCount: dataset.records.filter((record) => record.pending).length,
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

/** The most datasets one identity may have, as Cognito Sync allows. */
export const MAX_DATASETS = 20;

/**
 * Which dataset this browser shows, per identity (storage.local: a choice of this profile, not synced).
 * The settings' dataset name is the default: a choice made under another default is stale.
 */
export interface DatasetChoice {
  name: string;
  /** settings.datasetName when the choice was made. */
  defaultName: string;
  /** Datasets deleted in another browser and dropped here, until the person dismisses the notice. */
  dropped?: string[];
}

export function parseDatasetChoice(value: unknown): DatasetChoice | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Partial<Record<keyof DatasetChoice, unknown>>;
  if (typeof c.name !== 'string' || typeof c.defaultName !== 'string') return undefined;
  const choice: DatasetChoice = { name: c.name, defaultName: c.defaultName };
  const dropped = parseDatasetNames(c.dropped);
  if (dropped && dropped.length > 0) choice.dropped = dropped;
  return choice;
}

/** The dataset to open: the choice made under the present default, or else the default itself. */
export function openDatasetName(choice: DatasetChoice | undefined, defaultName: string): string {
  return choice && choice.defaultName === defaultName ? choice.name : defaultName;
}

/** One dataset in the popup's list: on the server, here, or both. */
export interface DatasetSummaryEntry {
  name: string;
  /** Live records: the server's count, or this browser's for a dataset the server does not list. */
  records: number;
  /** Its last change on the server, or its last sync here (ms); absent for a dataset never synced. */
  modifiedAt?: number;
  onServer: boolean;
  /** Edits here not yet synced. */
  pendingCount: number;
}

/** What a person who signed out left on this browser (background/sync/left-behind.ts). */
export interface LeftBehind {
  datasets: number;
  records: number;
  /** Edits not yet synced: while one waits, nothing is removed. */
  pending: number;
}

export interface DatasetListing {
  datasets: DatasetSummaryEntry[];
  open: string;
  defaultName: string;
  /** The server could not be asked (signed out, offline): the list holds this browser's datasets only. */
  serverError?: SerializedError;
}

/** The try set after the last failed sync (background/sync/retry-later.ts): its wait, and when it is due. */
export interface SyncRetryState {
  minutes: number;
  at: number;
  /** The tries by alarm are over (the next wait would reach the periodic sync's interval): the periodic sync is next. */
  over?: true;
}

export function parseSyncRetryState(value: unknown): SyncRetryState | undefined {
  return fields(value, {
    minutes: (minutes: unknown): minutes is number => typeof minutes === 'number' && Number.isSafeInteger(minutes) && minutes >= 1,
    at: isCount,
    over: ifValid<true>((over: unknown): over is true => over === true),
  });
}

/**
 * The failures a later try may not meet: no connection, a busy or failing service, other browsers writing at
 * the same moment. After them the worker tries again by alarm (background/sync/retry-later.ts); the others
 * need a person (a sign-in, a setting, a smaller record).
 */
export const PASSING_SYNC_FAILURES: ReadonlySet<ErrorCode> = new Set(['NETWORK', 'THROTTLED', 'SERVICE_DOWN', 'AUTH_PROVIDER_DOWN', 'SYNC_CONFLICT']);

/**
 * Whether the sync that failed with `error` is tried again by itself (a failure that passes), and when: the
 * time of the try the worker has set (past, when that try is late), or none when the periodic sync is the next.
 * For a signed-in person only: the caller checks that.
 */
export function autoRetry(error: SerializedError | undefined, retry: SyncRetryState | undefined): { at?: number } | undefined {
  if (!error || !PASSING_SYNC_FAILURES.has(error.code)) return undefined;
  return retry && !retry.over ? { at: retry.at } : {};
}
