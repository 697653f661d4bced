// Pure transitions of a local dataset: a local edit, a pull merged in, a first merge with another or
// an emptied server, a push committed. The engine strings them together; each is tested on its own.
import type { StoredDataset, StoredRecord, SyncConflict } from '../../shared/dataset';
import type { ConflictStrategy } from '../../shared/settings';
import { AppError } from '../../shared/errors';
import { assertFits, assertKey, assertValue, usageOf, utf8Length } from './limits';
import type { RecordPatch, RemoteRecord } from './remote';
import { resolveConflict } from './resolve';

export function recordMap(dataset: StoredDataset): Map<string, StoredRecord> {
  return new Map(dataset.records.map((record) => [record.key, record]));
}

/** Back to the stored array, sorted by key so the same content always stores the same way. */
function withRecords(dataset: StoredDataset, records: Map<string, StoredRecord>): StoredDataset {
  const sorted = [...records.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { ...dataset, records: sorted };
}

/**
 * A put (value) or a remove (null) made on this device. Returns undefined when nothing changes
 * (the same value again, or removing what is absent), so no write and no push follow.
 * Throws DATASET_LIMIT when the edit would break Cognito Sync's limits.
 */
export function applyEdit(dataset: StoredDataset, key: string, value: string | null, now: number): StoredDataset | undefined {
  const records = recordMap(dataset);
  const previous = records.get(key);
  if ((previous?.value ?? null) === value) return undefined;
  if (value !== null) assertFits(usageOf(records.values()), key, previous?.value, value);
  records.set(key, editedRecord(previous, key, value, now));
  return withRecords(dataset, records);
}

/**
 * Several puts made on this device at once (an import): each as applyEdit, in one pass. Returns undefined
 * when nothing changes. Throws DATASET_LIMIT, changing nothing, when the result would break the limits.
 */
export function applyEdits(dataset: StoredDataset, edits: readonly { key: string; value: string }[], now: number): StoredDataset | undefined {
  const records = recordMap(dataset);
  let usage = usageOf(records.values());
  let changed = false;
  for (const { key, value } of edits) {
    const previous = records.get(key);
    if ((previous?.value ?? null) === value) continue;
    assertFits(usage, key, previous?.value, value);
    const before = previous?.value ?? null;
    usage = {
      records: usage.records + (before === null ? 1 : 0),
      bytes: usage.bytes + utf8Length(key) + utf8Length(value) - (before === null ? 0 : utf8Length(key) + utf8Length(before)),
    };
    records.set(key, editedRecord(previous, key, value, now));
    changed = true;
  }
  return changed ? withRecords(dataset, records) : undefined;
}

function editedRecord(previous: StoredRecord | undefined, key: string, value: string | null, now: number): StoredRecord {
  return {
    key,
    value,
    syncCount: previous?.syncCount ?? 0,
    // Never earlier than the version it replaces: an edit made after seeing another is later.
    modifiedAt: Math.max(now, (previous?.modifiedAt ?? 0) + 1),
    pending: true,
    // A push of the previous version may have landed without this device hearing of it.
    ...(previous?.pushedModifiedAt === undefined ? {} : { pushedModifiedAt: previous.pushedModifiedAt }),
  };
}

export interface MergeOptions {
  deviceId: string;
  strategy: ConflictStrategy;
}

export interface MergeResult {
  dataset: StoredDataset;
  /** Records whose server version was taken here. */
  pulled: number;
  /**
   * This device's own edits found on the server while still pending here: pushes that landed though
   * their answer was lost (the worker stopped, the connection dropped). The report counts them pushed.
   */
  landed: number;
  conflicts: SyncConflict[];
}

/**
 * Merges records pulled from the server into the dataset as it is now (edits made during the pull
 * included) and moves the dataset's sync count to the pull's.
 *
 * - Not pending here: the server's version is taken (a tombstone too, even of a record never held here:
 *   its sync count is what an edit of that key here is based on).
 * - Pending here, and the server's version is this device's own (same device id): it is an earlier
 *   push that landed while the worker stopped before recording it. Same edit → acknowledged; a later
 *   edit here → it now sits on top of that version. Never a conflict (dataset-model.md "Idempotence").
 * - Pending here, and both sides hold the same value: agreed, no conflict (a later edit here is still
 *   pushed, so that its time, not the server's older one, is what later edits elsewhere are compared with).
 * - Otherwise a conflict, resolved by the strategy. Local wins: the edit stays pending, now based on
 *   the server's version, so the next push overwrites it. Remote wins: the server's version is taken.
 */
export function mergePulled(dataset: StoredDataset, pulled: readonly RemoteRecord[], syncCount: number, options: MergeOptions): MergeResult {
  const records = recordMap(dataset);
  const conflicts: SyncConflict[] = [];
  let taken = 0;
  let landed = 0;
  for (const remote of latestPerKey(pulled)) {
    const local = records.get(remote.key);
    const fromServer: StoredRecord = {
      key: remote.key,
      value: remote.value,
      syncCount: remote.syncCount,
      modifiedAt: remote.deviceModified,
      pending: false,
    };
    if (local && remote.syncCount <= local.syncCount) continue; // already known here
    if (!local?.pending) {
      records.set(remote.key, fromServer);
      // A removal of something this device never had changes nothing here, yet its tombstone is kept:
      // an edit made here later is based on it, and Cognito Sync refuses a record's push (409) unless it
      // carries the record's current SyncCount, which no later pull brings again.
      if (local || remote.value !== null) taken += 1;
      continue;
    }
    const sameEdit = remote.deviceModified === local.modifiedAt && remote.value === local.value;
    const ownPush = remote.deviceId === '' && (sameEdit || local.pushedModifiedAt === remote.deviceModified);
    if (remote.deviceId === options.deviceId || ownPush) {
      const { pushedModifiedAt: _known, ...rest } = local;
      records.set(remote.key, sameEdit ? { ...rest, syncCount: remote.syncCount, pending: false } : { ...local, syncCount: remote.syncCount });
      if (sameEdit) landed += 1;
      continue;
    }
    if (remote.value === local.value) {
      // Agreed. A later edit here still goes up with its time: otherwise an older edit pushed elsewhere
      // afterwards would look later than this one, and "the later edit wins" would let it replace it.
      records.set(remote.key, local.modifiedAt > remote.deviceModified ? { ...local, syncCount: remote.syncCount } : fromServer);
      continue;
    }
    const winner = resolveConflict(options.strategy, local, { value: remote.value, modifiedAt: remote.deviceModified });
    conflicts.push({ key: remote.key, winner, strategy: options.strategy });
    if (winner === 'local') {
      records.set(remote.key, { ...local, syncCount: remote.syncCount, resolved: true });
    } else {
      records.set(remote.key, { ...fromServer, resolved: true });
      taken += 1;
    }
  }
  return { dataset: { ...withRecords(dataset, records), syncCount }, pulled: taken, landed, conflicts };
}

/**
 * The first merge with another server (the settings now name another table or endpoint), or with an
 * emptied one (its head's count is below this device's: the table was recreated, and other browsers
 * may have filled it again since), from a pull of everything that server holds. The counts this
 * device holds mean nothing there, so each record is placed again by what it holds, and the result
 * is based on the server's counts:
 *
 * - Pending here (edits and removals alike): still this device's edits. They stay pending, based on
 *   nothing yet, so a version on the new server is a conflict that the strategy resolves (mergePulled;
 *   this device's own pushes there are still acknowledgements). A removal so reaches the new server.
 * - Synced here, not on the new server: uploaded (a removal has nothing to remove there: dropped).
 * - Synced here and on the new server: not edited here, so the strategy, which arbitrates this
 *   device's edits, does not apply. Yet the old server (or this one before it was emptied)
 *   acknowledged that version: it may be the latest edit of the person's other browsers, and the new
 *   server's copy may be staler (a table used before, or a browser that uploaded an old copy again). So the later device modification time wins, as versions of one key are ordered
 *   everywhere else; a tie goes to the server. An older copy here never overwrites the server, and a
 *   newer one is uploaded on top of the server's version without being reported as a conflict.
 */
export function mergeOnNewServer(dataset: StoredDataset, pulled: readonly RemoteRecord[], syncCount: number, options: MergeOptions): MergeResult {
  const server = new Map(latestPerKey(pulled).map((record) => [record.key, record]));
  const rebased = new Map<string, StoredRecord>();
  for (const local of dataset.records) {
    const theirs = server.get(local.key);
    if (local.pending) {
      rebased.set(local.key, { ...local, syncCount: 0 });
    } else if (!theirs) {
      if (local.value !== null) rebased.set(local.key, { ...local, syncCount: 0, pending: true });
    } else if (local.value === theirs.value) {
      rebased.set(local.key, { ...local, syncCount: theirs.syncCount, modifiedAt: theirs.deviceModified });
    } else if (local.modifiedAt > theirs.deviceModified) {
      rebased.set(local.key, { ...local, syncCount: theirs.syncCount, pending: true });
    }
    // Otherwise the server's later version is taken below, as a record this device does not hold.
  }
  return mergePulled({ ...withRecords(dataset, rebased), syncCount: 0 }, pulled, syncCount, options);
}

/**
 * The dataset was deleted on the server since this device last synced (Cognito Sync's DeleteDataset,
 * e.g. from the person's app), from a pull of everything the server holds now (a dataset created
 * again since, or nothing). The deletion reaches this device as a removal of every record it had
 * synced; its pending edits and removals are newer than the deletion, so they stay pending and meet
 * the server's new versions as on another server (mergeOnNewServer).
 */
export function mergeAfterDeletion(dataset: StoredDataset, pulled: readonly RemoteRecord[], syncCount: number, options: MergeOptions): MergeResult {
  const kept = dataset.records.filter((record) => record.pending);
  const dropped = dataset.records.filter((record) => !record.pending && record.value !== null).length;
  const merged = mergeOnNewServer({ ...dataset, records: kept }, pulled, syncCount, options);
  return { ...merged, pulled: merged.pulled + dropped };
}

export interface LinkedMerge {
  dataset: StoredDataset;
  /** Records added or changed here. */
  merged: number;
}

/**
 * The records of a dataset merged into this one when two sign-ins were linked (Cognito Sync's merged
 * datasets), taken in as edits made here now, which the next push uploads: a key this dataset lacks is added;
 * a key it holds with another value is settled by the strategy, this dataset being 'local' and the merged
 * one 'remote' (lastWriterWins: the later device modification). A removal there removes nothing here.
 * Undefined when the result would pass the dataset's limits (or hold a key it may not): nothing is merged
 * then, and the merged dataset stays on the server until there is room.
 */
export function mergeLinked(
  dataset: StoredDataset,
  linked: readonly RemoteRecord[],
  strategy: ConflictStrategy,
  now: number,
): LinkedMerge | undefined {
  return takeEdits(dataset, latestPerKey(linked), now, (mine, theirs) => {
    if (theirs.value === null) return false;
    if (!mine || mine.value === null) return true;
    if (mine.value === theirs.value) return false;
    const local = { value: mine.value, modifiedAt: mine.modifiedAt };
    return resolveConflict(strategy, local, { value: theirs.value, modifiedAt: theirs.deviceModified }) === 'remote';
  });
}

/**
 * The records this browser held for an identity Cognito replaced with this one (moved-identity.ts), taken into
 * this dataset just after a pull, so that they meet what the server holds now. An edit not yet sent there
 * (pending, a removal included) is an edit made here: against the server's version the strategy settles it,
 * against an edit made here since, the later one wins. A record that was synced there may be known nowhere the
 * new identity can read (DynamoDB keeps it under the old identity), so it comes back unless this dataset holds a
 * version of that key as late or later, or an edit made here. Undefined when the result would pass the
 * dataset's limits: nothing is taken then.
 */
export function mergeCarried(
  dataset: StoredDataset,
  carried: readonly StoredRecord[],
  strategy: ConflictStrategy,
  now: number,
): LinkedMerge | undefined {
  return takeEdits(dataset, carried, now, (mine, theirs) => {
    if (!mine) return theirs.value !== null;
    if (mine.value === theirs.value) return false;
    if (mine.pending) return theirs.pending && theirs.modifiedAt > mine.modifiedAt;
    if (!theirs.pending) return theirs.modifiedAt > mine.modifiedAt;
    const local = { value: theirs.value, modifiedAt: theirs.modifiedAt };
    return resolveConflict(strategy, local, { value: mine.value, modifiedAt: mine.modifiedAt }) === 'local';
  });
}

/**
 * Each record `wins` takes over what this dataset holds of its key (`mine`, as earlier ones left it), as an edit made
 * here now. Undefined when one would pass the dataset's limits, or bring a key or value it refuses: nothing is taken.
 */
function takeEdits<R extends { key: string; value: string | null }>(
  dataset: StoredDataset,
  records: readonly R[],
  now: number,
  wins: (mine: StoredRecord | undefined, theirs: R) => boolean,
): LinkedMerge | undefined {
  let next = dataset;
  let merged = 0;
  for (const theirs of records) {
    if (
      !wins(
        next.records.find((record) => record.key === theirs.key),
        theirs,
      )
    )
      continue;
    try {
      assertKey(theirs.key);
      if (theirs.value !== null) assertValue(theirs.value);
      const edited = applyEdit(next, theirs.key, theirs.value, now);
      if (edited) {
        next = edited;
        merged += 1;
      }
    } catch (error) {
      if (error instanceof AppError && (error.code === 'DATASET_LIMIT' || error.code === 'INVALID_INPUT')) return undefined;
      throw error;
    }
  }
  return { dataset: next, merged };
}

/** A backend should send one version per key; if it sends several, the latest counts. */
function latestPerKey(pulled: readonly RemoteRecord[]): RemoteRecord[] {
  const latest = new Map<string, RemoteRecord>();
  for (const record of pulled) {
    const seen = latest.get(record.key);
    if (!seen || record.syncCount > seen.syncCount) latest.set(record.key, record);
  }
  return [...latest.values()];
}

/** The pending records to push next, at most `limit`, in key order (deterministic batches). */
export function nextPatches(dataset: StoredDataset, limit: number): RecordPatch[] {
  const patches: RecordPatch[] = [];
  for (const record of dataset.records) {
    if (!record.pending) continue;
    patches.push({ key: record.key, value: record.value, deviceModified: record.modifiedAt, syncCount: record.syncCount });
    if (patches.length === limit) break;
  }
  return patches;
}

/**
 * Records a committed push. A record edited again while the push was in flight stays pending, now
 * based on the version just committed; the dataset's sync count moves only if nothing else moved it,
 * here or on the server (a commit above base + 1 has other devices' commits below it, not yet pulled).
 */
export function commitPush(dataset: StoredDataset, patches: readonly RecordPatch[], baseSyncCount: number, syncCount: number): StoredDataset {
  const records = recordMap(dataset);
  for (const patch of patches) {
    const record = records.get(patch.key);
    if (!record) continue;
    const acknowledged = record.pending && record.modifiedAt === patch.deviceModified && record.value === patch.value;
    const { pushedModifiedAt: _known, ...rest } = record;
    records.set(patch.key, acknowledged ? { ...rest, syncCount, pending: false } : { ...record, syncCount: Math.max(record.syncCount, syncCount) });
  }
  const next = withRecords(dataset, records);
  return dataset.syncCount === baseSyncCount && syncCount === baseSyncCount + 1 ? { ...next, syncCount } : next;
}

/** Before a push: remembers what is sent, so that its version is known as this device's own if the answer is lost. */
export function markPushed(dataset: StoredDataset, patches: readonly RecordPatch[]): StoredDataset {
  const sent = new Map(patches.map((patch) => [patch.key, patch.deviceModified]));
  return {
    ...dataset,
    records: dataset.records.map((record) => (sent.has(record.key) ? { ...record, pushedModifiedAt: sent.get(record.key) ?? 0 } : record)),
  };
}

/** A new sync starts: the conflicts the previous one resolved are no longer news. */
export function clearResolved(dataset: StoredDataset): StoredDataset {
  if (!dataset.records.some((record) => record.resolved)) return dataset;
  return {
    ...dataset,
    records: dataset.records.map(({ resolved: _resolved, ...record }) => record),
  };
}
