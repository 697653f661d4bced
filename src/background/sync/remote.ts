// What a sync backend offers the engine. Shaped after Cognito Sync (ListRecords with lastSyncCount,
// UpdateRecords with per-record SyncCount), so a Cognito Sync backend can implement it beside DynamoDB.

/** A record as the server holds it. */
export interface RemoteRecord {
  key: string;
  /** null: a tombstone (removed). */
  value: string | null;
  /** The dataset sync count at which this version was committed. */
  syncCount: number;
  /** When the writing device modified it (Cognito Sync: DeviceLastModifiedDate). */
  deviceModified: number;
  /** The writing device; '' when the backend does not know (then acknowledgements rely on time and value). */
  deviceId: string;
}

/** One change to push (Cognito Sync: a RecordPatch, Op replace or remove). */
export interface RecordPatch {
  key: string;
  /** null: remove. "" is a value. */
  value: string | null;
  deviceModified: number;
  /** The record's sync count this device last saw (Cognito Sync's per-record SyncCount). */
  syncCount: number;
}

export interface PullResult {
  /** Every record committed after the requested sync count, up to `syncCount`. */
  records: RemoteRecord[];
  /** The dataset's sync count the records bring this device up to. */
  syncCount: number;
  /**
   * The dataset was deleted on the server after the requested count (Cognito Sync's
   * DatasetDeletedAfterRequestedSyncCount): what this device synced from it is gone; its pending edits are not.
   */
  deleted?: boolean;
  /**
   * Datasets merged into this one when two identities were linked (Cognito Sync's MergedDatasetNames, named
   * `<dataset>.<other identity id>`): their records are to be merged here, then they are deleted (`merged`).
   */
  mergedDatasets?: string[];
  /**
   * The dataset was deleted after the requested count and is not there now (nobody wrote it again): a
   * device that holds it drops it (docs/dataset-model.md, "Several datasets").
   */
  gone?: boolean;
}

export interface PushRequest {
  /** The dataset sync count this device has pulled up to; the push fails if the server moved on. */
  baseSyncCount: number;
  deviceId: string;
  patches: RecordPatch[];
  /** How many live records the dataset holds once this push lands, as this device holds it (the listing's count). */
  liveRecords?: number;
}

/**
 * A push lands whole (`committed`) or not at all (`conflict`: another device committed first, or, where
 * conflicts are checked per record as in Cognito Sync, changed one of these records). `syncCount` is the
 * count the commit landed at: above `baseSyncCount + 1` when other devices committed other records in
 * between (per-record backends), which the engine then pulls before it moves this device's count.
 */
export type PushResult = { status: 'committed'; syncCount: number } | { status: 'conflict' };

/** The datasets a pull names in `mergedDatasets`, by name (Cognito Sync only). */
export interface MergedDatasets {
  /** Every record the merged dataset holds now, tombstones included. */
  read(name: string): Promise<RemoteRecord[]>;
  /** Deletes it once its records are merged and pushed here; the server then stops naming it. Gone already is no error. */
  remove(name: string): Promise<void>;
}

export interface RemoteDataset {
  /** How many patches one atomic push may carry. */
  readonly maxPatchesPerPush: number;
  pull(sinceSyncCount: number): Promise<PullResult>;
  push(request: PushRequest): Promise<PushResult>;
  /** Present where the backend can report merged datasets (Cognito Sync). */
  readonly merged?: MergedDatasets;
}

/** One dataset as the server lists it. */
export interface RemoteDatasetSummary {
  name: string;
  /** Live records (not tombstones). */
  records: number;
  /** The time of its last commit, in ms. */
  modifiedAt: number;
}

/** An identity's datasets on the server: listed without reading their records, and deleted. */
export interface RemoteDirectory {
  list(): Promise<RemoteDatasetSummary[]>;
  /** Deletes the dataset for every device; deleting one that is not there is no error. */
  delete(datasetName: string): Promise<void>;
}
