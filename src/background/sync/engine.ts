// The sync engine: pull what changed since the last sync, merge it (resolving conflicts), push what
// is pending, and on a concurrent commit pull and try again. It knows a LocalStore and a
// RemoteDataset, nothing of DynamoDB or of the browser. Every step is safe to repeat: a sync stopped
// anywhere leaves the local store consistent, and the next sync finishes the job (merge.ts).
import { sameLocation, type RemoteLocation, type StoredDataset, type StoredRecord, type SyncConflict, type SyncReport } from '../../shared/dataset';
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import type { ConflictStrategy } from '../../shared/settings';
import type { LocalStore } from './local-store';
import { MAX_RECORDS } from './limits';
import {
  clearResolved,
  commitPush,
  markPushed,
  mergeAfterDeletion,
  mergeCarried,
  mergeLinked,
  mergeOnNewServer,
  mergePulled,
  nextPatches,
} from './merge';
import type { RecordPatch, RemoteDataset } from './remote';

export interface SyncOptions {
  store: LocalStore;
  remote: RemoteDataset;
  /**
   * Which server `remote` is. A dataset last synced with another one (the table or the endpoint
   * changed in the settings) pulls everything from 0 and is merged onto it (mergeOnNewServer): its
   * counts mean nothing there. So does a dataset whose server was emptied (its head's count is below
   * this device's).
   */
  location: RemoteLocation;
  deviceId: string;
  strategy: ConflictStrategy;
  now(): number;
  /** How many pushes may lose to other devices' commits before the sync gives up (SYNC_CONFLICT). */
  maxConflicts?: number;
  /**
   * What an earlier run of this same sync did before it failed (syncProgress()): a sync run again at once, with
   * new credentials, goes on from it, and its report tells what both runs did.
   */
  progress?: SyncProgress;
  /** What this browser held in this dataset for an identity Cognito replaced with this one (moved-identity.ts). */
  carried?: CarriedCopy;
}

export interface CarriedCopy {
  records: readonly StoredRecord[];
  /** Once they are in this dataset: the old copy goes. */
  taken(): Promise<void>;
}

/** What a sync has done so far: what its report tells. */
export interface SyncProgress {
  conflicts: Map<string, SyncConflict>;
  pulled: number;
  pushed: number;
  /** Datasets the server says were merged into this one (Cognito Sync), and what came of them. */
  linked: Set<string>;
  linkedMerged: number;
  linkedRefused: string[];
  /** The records this browser held for an identity Cognito replaced with this one were not taken in (moved-identity.ts). */
  carriedRefused?: boolean;
  restarted?: SyncReport['restarted'];
  /** The first merge has cleared the last sync's marks of settled conflicts: a run again keeps this one's. */
  cleared: boolean;
}

export function syncProgress(): SyncProgress {
  return { conflicts: new Map(), pulled: 0, pushed: 0, linked: new Set(), linkedMerged: 0, linkedRefused: [], cleared: false };
}

const DEFAULT_MAX_CONFLICTS = 5;

export async function synchronize(options: SyncOptions): Promise<SyncReport> {
  const { store, remote } = options;
  const maxConflicts = options.maxConflicts ?? DEFAULT_MAX_CONFLICTS;
  const progress = options.progress ?? syncProgress();
  const { conflicts, linked, linkedRefused } = progress;

  /** Whether the dataset was deleted on the server (and not written again): nothing is merged then. */
  const pullAndMerge = async (): Promise<boolean> => {
    // Only this sync changes `remote` and `syncCount` (one sync at a time per dataset); edits don't.
    const before = await store.read();
    const moved = before.remote !== undefined && !sameLocation(before.remote, options.location);
    const since = moved ? 0 : before.syncCount;
    let pull = await remote.pull(since);
    // The head is below this device's count: the table was emptied or recreated, and other browsers
    // may have filled it again since. Its counts are unrelated to this device's, as another server's.
    const emptied = pull.syncCount < since;
    // Deleted on the server since this device's count: everything there now is pulled, from 0.
    const deleted = pull.deleted === true || pull.gone === true;
    // Deleted and not written again: dropped, unless edits made here are still to land (they write it again).
    const carriedEdits = options.carried?.records.some((record) => record.pending) === true;
    if (pull.gone && !before.records.some((record) => record.pending) && !carriedEdits) return true;
    if (emptied || deleted || pull.gone) pull = await remote.pull(0);
    for (const name of pull.mergedDatasets ?? []) linked.add(name);
    const anew = moved || emptied || deleted;
    await store.update((current) => {
      let dataset = progress.cleared ? current : clearResolved(current);
      progress.cleared = true;
      // The merge onto the new (or emptied) server, its counts and its location land in one write: a
      // sync stopped after it doesn't place the records again (their counts are the server's by then).
      if (!dataset.remote || !sameLocation(dataset.remote, options.location)) dataset = { ...dataset, remote: options.location };
      if (!anew && pull.records.length === 0 && pull.syncCount === dataset.syncCount) return dataset;
      // Told in the report (the popup says what happened and what this device did); a server move is the person's own doing.
      if ((deleted || emptied) && !moved)
        progress.restarted = { cause: deleted ? 'deleted' : 'emptied', kept: dataset.records.filter((r) => r.pending).length };
      const merge = deleted ? mergeAfterDeletion : anew ? mergeOnNewServer : mergePulled;
      const merged = merge(dataset, pull.records, pull.syncCount, options);
      progress.pulled += merged.pulled;
      progress.pushed += merged.landed;
      for (const conflict of merged.conflicts) conflicts.set(conflict.key, conflict);
      return merged.dataset;
    });
    return false;
  };

  // The service drops a deleted dataset (dataset-service.ts): this sync leaves it as it is.
  const counts = (): Pick<SyncReport, 'pulled' | 'pushed' | 'conflicts'> => ({
    pulled: progress.pulled,
    pushed: progress.pushed,
    conflicts: [...conflicts.values()],
  });
  const gone = (): SyncReport => ({ ...counts(), syncCount: 0, at: options.now(), datasetDeleted: true });
  if (await pullAndMerge()) return gone();
  await mergeLinkedDatasets();
  await takeCarried();

  // Bounded even if edits keep arriving during the sync: what is left waits for the next one.
  const maxRounds = Math.ceil((2 * MAX_RECORDS) / remote.maxPatchesPerPush) + maxConflicts + 1;
  let lostRaces = 0;
  for (let round = 0; round < maxRounds; round += 1) {
    const dataset = await store.read();
    const patches = nextPatches(dataset, remote.maxPatchesPerPush);
    if (patches.length === 0) break;
    const base = dataset.syncCount;
    await store.update((current) => markPushed(current, patches));
    const liveRecords = liveAfter(dataset, patches);
    const result = await remote.push({ baseSyncCount: base, deviceId: options.deviceId, patches, liveRecords });
    if (result.status === 'committed') {
      await store.update((current) => commitPush(current, patches, base, result.syncCount));
      progress.pushed += patches.length;
      // Other devices committed other records between `base` and this commit: pull them now.
      if (result.syncCount > base + 1 && (await pullAndMerge())) return gone();
      continue;
    }
    lostRaces += 1;
    if (lostRaces > maxConflicts) throw new AppError('SYNC_CONFLICT', t('errorSyncConflict', String(lostRaces)));
    if (await pullAndMerge()) return gone();
  }

  // Merged datasets are deleted once their records are on the server here, never before: a sync stopped in
  // between merges nothing twice (linkedDone) and deletes them next time.
  const done = (await store.read()).linkedDone ?? [];
  if (done.length > 0 && remote.merged && !(await store.read()).records.some((record) => record.pending)) {
    for (const name of done) {
      await remote.merged.remove(name);
      await store.update((current) => withoutLinked(current, name));
      // Gone from the server: a run again after a failure does not read or remove it a second time.
      linked.delete(name);
    }
  }

  const at = options.now();
  const final = await store.update((current) => {
    const report: SyncReport = { ...counts(), syncCount: current.syncCount, at };
    if (progress.linkedMerged > 0) report.linkedMerged = progress.linkedMerged;
    if (linkedRefused.length > 0) report.linkedRefused = linkedRefused;
    if (progress.carriedRefused) report.carriedRefused = true;
    if (progress.restarted) report.restarted = progress.restarted;
    const { lastError: _cleared, ...rest } = current;
    return { ...rest, lastSyncedAt: at, lastReport: report };
  });
  return final.lastReport ?? { ...counts(), syncCount: final.syncCount, at };

  /** What this browser held for the identity this one replaced, met with what was just pulled (merge.ts mergeCarried). */
  async function takeCarried(): Promise<void> {
    const { carried } = options;
    if (!carried) return;
    let refused = false;
    await store.update((current) => {
      const result = mergeCarried(current, carried.records, options.strategy, options.now());
      if (!result) {
        refused = true;
        return undefined;
      }
      progress.linkedMerged += result.merged;
      return result.dataset;
    });
    progress.carriedRefused = refused;
    if (!refused) await carried.taken();
  }

  /** The records of each newly merged dataset become edits here, pushed below (merge.ts mergeLinked). */
  async function mergeLinkedDatasets(): Promise<void> {
    if (!remote.merged) return;
    for (const name of linked) {
      if ((await store.read()).linkedDone?.includes(name)) continue;
      const records = await remote.merged.read(name);
      await store.update((current) => {
        const result = mergeLinked(current, records, options.strategy, options.now());
        if (!result) {
          if (!linkedRefused.includes(name)) linkedRefused.push(name);
          return current;
        }
        progress.linkedMerged += result.merged;
        // Refused by a first run, merged by a run again: told as merged only.
        if (linkedRefused.includes(name)) linkedRefused.splice(linkedRefused.indexOf(name), 1);
        return { ...result.dataset, linkedDone: [...(current.linkedDone ?? []), name] };
      });
    }
  }
}

function withoutLinked(dataset: StoredDataset, name: string): StoredDataset {
  const { linkedDone = [], ...rest } = dataset;
  const left = linkedDone.filter((other) => other !== name);
  return left.length > 0 ? { ...rest, linkedDone: left } : rest;
}

/** The live records once `patches` land, as this device holds the dataset (its other pending edits included). */
function liveAfter(dataset: StoredDataset, patches: readonly RecordPatch[]): number {
  const patched = new Map(patches.map((patch) => [patch.key, patch.value]));
  return dataset.records.filter((record) => (patched.has(record.key) ? patched.get(record.key) : record.value) !== null).length;
}
