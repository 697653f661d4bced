// The sync engine: pull what changed since the last sync, merge it (resolving conflicts), push what
// is pending, and on a concurrent commit pull and try again. It knows a LocalStore and a
// RemoteDataset, nothing of DynamoDB or of the browser. Every step is safe to repeat: a sync stopped
// anywhere leaves the local store consistent, and the next sync finishes the job (merge.ts).
import { sameLocation, type RemoteLocation, type StoredDataset, type SyncConflict, type SyncReport } from '../../shared/dataset';
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import type { ConflictStrategy } from '../../shared/settings';
import type { LocalStore } from './local-store';
import { MAX_RECORDS } from './limits';
import { clearResolved, commitPush, markPushed, mergeAfterDeletion, mergeOnNewServer, mergePulled, nextPatches } from './merge';
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
}

const DEFAULT_MAX_CONFLICTS = 5;

export async function synchronize(options: SyncOptions): Promise<SyncReport> {
  const { store, remote } = options;
  const maxConflicts = options.maxConflicts ?? DEFAULT_MAX_CONFLICTS;
  const conflicts = new Map<string, SyncConflict>();
  let pulled = 0;
  let pushed = 0;

  /** Whether the dataset was deleted on the server (and not written again): nothing is merged then. */
  const pullAndMerge = async (first: boolean): Promise<boolean> => {
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
    if (pull.gone && !before.records.some((record) => record.pending)) return true;
    if (emptied || deleted || pull.gone) pull = await remote.pull(0);
    const anew = moved || emptied || deleted;
    await store.update((current) => {
      let dataset = first ? clearResolved(current) : current;
      // The merge onto the new (or emptied) server, its counts and its location land in one write: a
      // sync stopped after it doesn't place the records again (their counts are the server's by then).
      if (!dataset.remote || !sameLocation(dataset.remote, options.location)) dataset = { ...dataset, remote: options.location };
      if (!anew && pull.records.length === 0 && pull.syncCount === dataset.syncCount) return dataset;
      const merge = deleted ? mergeAfterDeletion : anew ? mergeOnNewServer : mergePulled;
      const merged = merge(dataset, pull.records, pull.syncCount, options);
      pulled += merged.pulled;
      pushed += merged.landed;
      for (const conflict of merged.conflicts) conflicts.set(conflict.key, conflict);
      return merged.dataset;
    });
    return false;
  };

  // The service drops a deleted dataset (dataset-service.ts): this sync leaves it as it is.
  const gone = (): SyncReport => ({ pulled, pushed, conflicts: [...conflicts.values()], syncCount: 0, at: options.now(), datasetDeleted: true });
  if (await pullAndMerge(true)) return gone();

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
      pushed += patches.length;
      // Other devices committed other records between `base` and this commit: pull them now.
      if (result.syncCount > base + 1 && (await pullAndMerge(false))) return gone();
      continue;
    }
    lostRaces += 1;
    if (lostRaces > maxConflicts) throw new AppError('SYNC_CONFLICT', t('errorSyncConflict', String(lostRaces)));
    if (await pullAndMerge(false)) return gone();
  }

  const at = options.now();
  const final = await store.update((current) => {
    const report: SyncReport = { pulled, pushed, conflicts: [...conflicts.values()], syncCount: current.syncCount, at };
    const { lastError: _cleared, ...rest } = current;
    return { ...rest, lastSyncedAt: at, lastReport: report };
  });
  return final.lastReport ?? { pulled, pushed, conflicts: [...conflicts.values()], syncCount: final.syncCount, at };
}

/** The live records once `patches` land, as this device holds the dataset (its other pending edits included). */
function liveAfter(dataset: StoredDataset, patches: readonly RecordPatch[]): number {
  const patched = new Map(patches.map((patch) => [patch.key, patch.value]));
  return dataset.records.filter((record) => (patched.has(record.key) ? patched.get(record.key) : record.value) !== null).length;
}
