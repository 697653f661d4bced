// The first screen of a local dataset: its first rows in display order, and what the popup shows about the
// rest (how many, how many pending, the last sync). storage.ts writes it with the dataset (firstScreenOf in
// dataset.ts), in the same storage.local write, so the popup's first frame reads a few hundred bytes instead
// of every record; the worker's answer brings the whole list a moment later. This file holds what the popup
// needs to read it, and nothing of the worker's: it is in the popup's first load.
import type { DatasetView, RecordState, RecordView, SyncConflict, SyncReport } from './dataset';
import { isSerializedError, type SerializedError } from './errors';
import { entries, fields, ifValid, isNumber, isObject, isString, isTrue, names } from './guards';
import { CONFLICT_STRATEGIES } from './settings-values';

/** More rows than the popup's first screen shows (its viewport and the rows rendered beyond it). */
export const FIRST_SCREEN_RECORDS = 20;

export interface DatasetFirstScreen {
  version: 1;
  /** The first live records, in the order the popup lists them. */
  records: RecordView[];
  /** Live records in all. */
  recordCount: number;
  pendingCount: number;
  lastSyncedAt?: number;
  lastError?: SerializedError;
  lastReport?: SyncReport;
}

/** The view the popup renders from a first screen: `records` holds the first `recordCount` rows. */
export function firstScreenView(first: DatasetFirstScreen, where: { name: string; identityId: string; syncing: boolean }): DatasetView {
  const view: DatasetView = { ...where, records: first.records, recordCount: first.recordCount, pendingCount: first.pendingCount };
  if (first.lastSyncedAt !== undefined) view.lastSyncedAt = first.lastSyncedAt;
  if (first.lastError) view.lastError = first.lastError;
  if (first.lastReport) view.lastReport = first.lastReport;
  return view;
}

const STATES: readonly RecordState[] = ['synced', 'pending', 'resolved'];
const isCount = (value: unknown): value is number => isNumber(value) && Number.isSafeInteger(value) && value >= 0;

function parseRecordView(value: unknown): RecordView | undefined {
  if (!isObject(value) || !isString(value.key) || !isString(value.value) || !isCount(value.modifiedAt)) return undefined;
  const state = STATES.find((s) => s === value.state);
  return state ? { key: value.key, value: value.value, state, modifiedAt: value.modifiedAt } : undefined;
}

/** Reads a first screen back; anything malformed reads as absent (the popup then reads the dataset itself). */
export function parseFirstScreen(value: unknown): DatasetFirstScreen | undefined {
  if (!isObject(value) || value.version !== 1 || !Array.isArray(value.records)) return undefined;
  if (!isCount(value.recordCount) || !isCount(value.pendingCount)) return undefined;
  const records: RecordView[] = [];
  for (const item of value.records as unknown[]) {
    const record = parseRecordView(item);
    if (!record) return undefined;
    records.push(record);
  }
  const first: DatasetFirstScreen = { version: 1, records, recordCount: value.recordCount, pendingCount: value.pendingCount };
  if (isCount(value.lastSyncedAt)) first.lastSyncedAt = value.lastSyncedAt;
  if (isSerializedError(value.lastError)) first.lastError = { code: value.lastError.code, message: value.lastError.message };
  const report = parseReport(value.lastReport);
  if (report) first.lastReport = report;
  return first;
}

const parseConflict = (value: unknown): SyncConflict | undefined =>
  fields(value, {
    key: isString,
    winner: (winner: unknown): winner is SyncConflict['winner'] => winner === 'local' || winner === 'remote',
    strategy: (strategy: unknown) => CONFLICT_STRATEGIES.find((known) => known === strategy),
  });

const parseRestart = (value: unknown): SyncReport['restarted'] =>
  fields(value, {
    cause: (cause: unknown): cause is 'deleted' | 'emptied' => cause === 'deleted' || cause === 'emptied',
    kept: isCount,
  });

/** Reads a sync report back (the last one is stored with the dataset and its first screen). */
export const parseReport = (value: unknown): SyncReport | undefined =>
  fields(value, {
    pulled: isCount,
    pushed: isCount,
    conflicts: entries(parseConflict),
    syncCount: isCount,
    at: isCount,
    linkedMerged: ifValid(isCount),
    linkedRefused: ifValid(names),
    carriedRefused: ifValid<true>(isTrue),
    restarted: ifValid(parseRestart),
    datasetDeleted: ifValid<true>(isTrue),
  });
