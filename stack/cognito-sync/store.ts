// Cognito Sync's data: per identity, up to 20 datasets of records with sync counts, kept in memory and
// (with --data) in cognito-sync.json, written after every change.
// Semantics: https://docs.aws.amazon.com/cognitosync/latest/APIReference/Welcome.html
import { AwsError, isObject } from '../http';
import { jsonFile } from '../json-file';

export const LIMITS = {
  datasetsPerIdentity: 20,
  recordsPerDataset: 1024,
  /** Keys and values, in UTF-8 bytes. */
  bytesPerDataset: 1024 * 1024,
  keyLength: 1024,
} as const;

export interface SyncRecord {
  key: string;
  /** null: removed. The record stays, so devices that synced before learn of the removal. */
  value: string | null;
  /** The dataset's sync count of the UpdateRecords that wrote this version. */
  syncCount: number;
  /** Epoch milliseconds, server time. */
  lastModifiedDate: number;
  lastModifiedBy: string;
  /** Epoch milliseconds, as the writing device sent it. */
  deviceLastModifiedDate: number;
}

export interface SyncDataset {
  identityId: string;
  name: string;
  creationDate: number;
  lastModifiedDate: number;
  lastModifiedBy: string;
  /** Raised by one on every UpdateRecords that changes something. */
  syncCount: number;
  records: SyncRecord[];
  /**
   * The identity this dataset came from when two identities were merged (named `<dataset>.<that identity>`):
   * ListRecords of `<dataset>` lists it in MergedDatasetNames until it is deleted.
   */
  mergedFrom?: string;
}

/** A deleted dataset, remembered so that devices that synced before hear of it (DatasetDeletedAfterRequestedSyncCount). */
export interface Deletion {
  identityId: string;
  name: string;
  /**
   * The dataset's sync count once deleted: the deletion is a change of its own, one above the last
   * commit. A dataset created again counts on from there.
   */
  syncCount: number;
}

interface Saved {
  datasets: SyncDataset[];
  deletions: Deletion[];
}

export interface Patch {
  op: 'replace' | 'remove';
  key: string;
  value: string | undefined;
  syncCount: number;
  deviceLastModifiedDate: number;
}

export interface SyncStore {
  find(identityId: string, name: string): SyncDataset | undefined;
  list(identityId: string): SyncDataset[];
  deletion(identityId: string, name: string): Deletion | undefined;
  /** Applies every patch or none: ResourceConflictException, LimitExceededException. Answers the records written. */
  update(identityId: string, name: string, patches: Patch[], now: number): Promise<SyncRecord[]>;
  remove(identityId: string, name: string): Promise<SyncDataset | undefined>;
  /**
   * What Cognito Sync does when Cognito Identity merges identity `from` into `into` (two sign-ins linked):
   * each of `from`'s datasets moves to `into` as `<dataset>.<from>`, records and counts as they were, and
   * `from` keeps none. Answers the new names.
   */
  mergeIdentities(from: string, into: string, now: number): Promise<string[]>;
}

function isRecord(value: unknown): value is SyncRecord {
  return (
    isObject(value) &&
    typeof value['key'] === 'string' &&
    (typeof value['value'] === 'string' || value['value'] === null) &&
    typeof value['syncCount'] === 'number' &&
    typeof value['lastModifiedDate'] === 'number' &&
    typeof value['lastModifiedBy'] === 'string' &&
    typeof value['deviceLastModifiedDate'] === 'number'
  );
}

function isDataset(value: unknown): value is SyncDataset {
  return (
    isObject(value) &&
    typeof value['identityId'] === 'string' &&
    typeof value['name'] === 'string' &&
    typeof value['creationDate'] === 'number' &&
    typeof value['lastModifiedDate'] === 'number' &&
    typeof value['lastModifiedBy'] === 'string' &&
    typeof value['syncCount'] === 'number' &&
    Array.isArray(value['records']) &&
    value['records'].every(isRecord) &&
    (value['mergedFrom'] === undefined || typeof value['mergedFrom'] === 'string')
  );
}

function isDeletion(value: unknown): value is Deletion {
  return isObject(value) && typeof value['identityId'] === 'string' && typeof value['name'] === 'string' && typeof value['syncCount'] === 'number';
}

function isSaved(value: unknown): value is Saved {
  return (
    isObject(value) &&
    Array.isArray(value['datasets']) &&
    value['datasets'].every(isDataset) &&
    Array.isArray(value['deletions']) &&
    value['deletions'].every(isDeletion)
  );
}

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

/** What counts against the limits: live records (a removed record holds no value). */
export function usage(records: Iterable<SyncRecord>): { records: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const record of records) {
    if (record.value === null) continue;
    count += 1;
    bytes += utf8(record.key) + utf8(record.value);
  }
  return { records: count, bytes };
}

const id = (identityId: string, name: string): string => `${identityId}/${name}`;

export async function openSyncStore(dataDir: string | undefined): Promise<SyncStore> {
  const file = jsonFile(dataDir, 'cognito-sync.json', isSaved);
  const saved = (await file.load()) ?? { datasets: [], deletions: [] };
  const datasets = new Map(saved.datasets.map((dataset) => [id(dataset.identityId, dataset.name), dataset]));
  const deletions = new Map(saved.deletions.map((deletion) => [id(deletion.identityId, deletion.name), deletion]));
  const save = () => file.save({ datasets: [...datasets.values()], deletions: [...deletions.values()] });

  return {
    find: (identityId, name) => datasets.get(id(identityId, name)),
    list: (identityId) => [...datasets.values()].filter((dataset) => dataset.identityId === identityId),
    deletion: (identityId, name) => deletions.get(id(identityId, name)),

    async update(identityId, name, patches, now) {
      const existing = datasets.get(id(identityId, name));
      if (!existing && [...datasets.values()].filter((d) => d.identityId === identityId).length >= LIMITS.datasetsPerIdentity) {
        throw new AwsError('LimitExceededException', `Too many datasets for identity ${identityId}: at most ${LIMITS.datasetsPerIdentity}`);
      }
      const records = new Map((existing?.records ?? []).map((record) => [record.key, record]));
      for (const patch of patches) {
        const current = records.get(patch.key)?.syncCount ?? 0;
        if (patch.syncCount !== current) {
          throw new AwsError('ResourceConflictException', `Current SyncCount for: ${patch.key} is: ${current} not: ${patch.syncCount}`, 409);
        }
      }
      if (patches.length === 0) return [];
      const syncCount = (existing?.syncCount ?? deletions.get(id(identityId, name))?.syncCount ?? 0) + 1;
      const written: SyncRecord[] = [];
      for (const patch of patches) {
        const record: SyncRecord = {
          key: patch.key,
          value: patch.op === 'replace' ? (patch.value ?? '') : null,
          syncCount,
          lastModifiedDate: now,
          lastModifiedBy: identityId,
          deviceLastModifiedDate: patch.deviceLastModifiedDate,
        };
        records.set(patch.key, record);
        written.push(record);
      }
      const after = usage(records.values());
      if (after.records > LIMITS.recordsPerDataset) {
        throw new AwsError('LimitExceededException', `Too many records in dataset ${name}: at most ${LIMITS.recordsPerDataset}`);
      }
      if (after.bytes > LIMITS.bytesPerDataset) {
        throw new AwsError('LimitExceededException', `Dataset ${name} is too large: at most ${LIMITS.bytesPerDataset} bytes`);
      }
      datasets.set(id(identityId, name), {
        identityId,
        name,
        creationDate: existing?.creationDate ?? now,
        lastModifiedDate: now,
        lastModifiedBy: identityId,
        syncCount,
        records: [...records.values()],
      });
      await save();
      return written;
    },

    async remove(identityId, name) {
      const dataset = datasets.get(id(identityId, name));
      if (!dataset) return undefined;
      datasets.delete(id(identityId, name));
      deletions.set(id(identityId, name), { identityId, name, syncCount: dataset.syncCount + 1 });
      await save();
      return dataset;
    },

    async mergeIdentities(from, into, now) {
      if (from === into) throw new AwsError('InvalidParameterException', 'An identity cannot be merged into itself');
      const moving = [...datasets.values()].filter((d) => d.identityId === from).map((dataset) => ({ dataset, name: `${dataset.name}.${from}` }));
      // Every name checked before a dataset moves: a refusal leaves both identities' datasets as they were.
      const tooLong = moving.find(({ name }) => name.length > 128);
      if (tooLong) throw new AwsError('InvalidParameterException', `Merged dataset name too long: ${tooLong.name}`);
      for (const { dataset, name } of moving) {
        datasets.delete(id(from, dataset.name));
        datasets.set(id(into, name), { ...dataset, identityId: into, name, lastModifiedDate: now, mergedFrom: from });
      }
      await save();
      return moving.map(({ name }) => name);
    },
  };
}
