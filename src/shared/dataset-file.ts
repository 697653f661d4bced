// The dataset file: what the popup exports and imports (docs/dataset-model.md, "Export and import"). Keys and
// values only, as strings exactly as held ("" included): no tombstones, sync counts, device ids or secrets.
// The popup reads a file and shows what it would do; the worker checks the entries again before it writes.
import { assertFits, assertKey, assertValue, MAX_DATASET_BYTES, MAX_RECORDS, usageOf } from '../background/sync/limits';
import { AppError } from './errors';
import { t } from './i18n';
import { checkFileSize, isPlainObject, readVersionedFile, type VersionedFileProblem } from './versioned-file';

export const DATASET_FILE_FORMAT = 'cognito-sync-dataset';
export const DATASET_FILE_VERSION = 1;
/**
 * A dataset holds at most 1 MB of keys and values; JSON escapes (`\u0000`) make a file at most six times
 * that. Anything larger is refused before it is read.
 */
export const DATASET_FILE_MAX_BYTES = 6 * MAX_DATASET_BYTES + 64 * 1024;

export interface DatasetEntry {
  key: string;
  value: string;
}

export interface DatasetFile {
  format: typeof DATASET_FILE_FORMAT;
  version: typeof DATASET_FILE_VERSION;
  /** The dataset it was exported from: informative, an import goes into the dataset open in the popup. */
  dataset: string;
  /** ISO 8601. */
  exportedAt: string;
  /** Sorted by key (UTF-16 code units); an array, since a key may be "__proto__". */
  records: DatasetEntry[];
}

/** Why a whole file was refused; callers switch on `code`. */
export type DatasetFileProblem = VersionedFileProblem | { code: 'TOO_MANY_RECORDS'; count: number } | { code: 'OVER_LIMITS'; reason: string };

/** An entry of the file that cannot be imported, and why (a sentence); the rest can. */
export interface RefusedEntry {
  /** 1-based position in the file's records. */
  position: number;
  key?: string;
  reason: string;
}

export interface ParsedDatasetFile {
  dataset: string;
  entries: DatasetEntry[];
  refused: RefusedEntry[];
}

export type DatasetFileResult = { ok: true; file: ParsedDatasetFile } | { ok: false; problem: DatasetFileProblem };

/** A file name for the dataset, safe on every system (`:` is not, on Windows). */
export function datasetFileName(datasetName: string): string {
  return `${datasetName.replace(/[^A-Za-z0-9_.-]/g, '_')}.dataset.json`;
}

export function serializeDatasetFile(datasetName: string, records: readonly DatasetEntry[], at: number): string {
  const sorted = records.map(({ key, value }) => ({ key, value })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const file: DatasetFile = {
    format: DATASET_FILE_FORMAT,
    version: DATASET_FILE_VERSION,
    dataset: datasetName,
    exportedAt: new Date(at).toISOString(),
    records: sorted,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Refuses a file by its size alone, before reading it. */
export function checkDatasetFileSize(bytes: number): DatasetFileProblem | undefined {
  return checkFileSize(bytes, DATASET_FILE_MAX_BYTES);
}

/** Why one entry cannot be a record (the extension's own refusal of such an edit), or undefined. */
function entryProblem(entry: unknown): { key?: string; reason: string } | undefined {
  if (!isPlainObject(entry)) return { reason: t('datasetEntryNotRecord') };
  const { key, value } = entry;
  try {
    assertKey(key);
  } catch (error) {
    return { reason: reasonOf(error) };
  }
  try {
    assertValue(value);
    // One record alone must fit (a DynamoDB item's size): the dataset's totals are checked by planImport.
    assertFits({ records: 0, bytes: 0 }, key, undefined, value);
  } catch (error) {
    return { key, reason: reasonOf(error) };
  }
  return undefined;
}

function reasonOf(error: unknown): string {
  if (error instanceof AppError) return error.message;
  throw error;
}

/**
 * Checks entries as the worker receives them (the popup sends the ones a file's check accepted): every
 * entry a record the extension would accept as an edit, no key twice. Refused entries are listed.
 */
export function checkEntries(records: readonly unknown[]): { entries: DatasetEntry[]; refused: RefusedEntry[] } {
  const entries: DatasetEntry[] = [];
  const refused: RefusedEntry[] = [];
  const seen = new Set<string>();
  records.forEach((entry, index) => {
    const position = index + 1;
    const problem = entryProblem(entry);
    if (problem) {
      refused.push({ position, ...problem });
      return;
    }
    const { key, value } = entry as DatasetEntry;
    if (seen.has(key)) {
      refused.push({ position, key, reason: t('datasetEntryDuplicate') });
      return;
    }
    seen.add(key);
    entries.push({ key, value });
  });
  return { entries, refused };
}

/** Reads a dataset file's text: its format and version, then each entry. */
export function parseDatasetFile(text: string): DatasetFileResult {
  const refuse = (problem: DatasetFileProblem): DatasetFileResult => ({ ok: false, problem });
  const read = readVersionedFile(text, { format: DATASET_FILE_FORMAT, version: DATASET_FILE_VERSION, maxBytes: DATASET_FILE_MAX_BYTES });
  if (!read.ok) return refuse(read.problem);
  const { json } = read;
  const records = json['records'];
  if (!Array.isArray(records)) return refuse({ code: 'WRONG_FORMAT' });
  if (records.length > MAX_RECORDS) return refuse({ code: 'TOO_MANY_RECORDS', count: records.length });
  const dataset = typeof json['dataset'] === 'string' ? json['dataset'] : '';
  return { ok: true, file: { dataset, ...checkEntries(records) } };
}

export interface ImportPlan {
  added: DatasetEntry[];
  changed: DatasetEntry[];
  unchanged: number;
  refused: RefusedEntry[];
  /** The dataset would pass its limits with these records: nothing can be imported. */
  problem?: DatasetFileProblem;
}

/** What importing `file` into a dataset holding `current` (live records) would do. */
export function planImport(current: readonly DatasetEntry[], file: Pick<ParsedDatasetFile, 'entries' | 'refused'>): ImportPlan {
  const held = new Map(current.map((record) => [record.key, record.value]));
  const plan: ImportPlan = { added: [], changed: [], unchanged: 0, refused: file.refused };
  for (const entry of file.entries) {
    const value = held.get(entry.key);
    if (value === undefined) plan.added.push(entry);
    else if (value === entry.value) plan.unchanged += 1;
    else plan.changed.push(entry);
    held.set(entry.key, entry.value);
  }
  const after = usageOf([...held].map(([key, value]) => ({ key, value })));
  if (after.records > MAX_RECORDS) plan.problem = { code: 'OVER_LIMITS', reason: t('errorDatasetTooManyRecords', String(MAX_RECORDS)) };
  else if (after.bytes > MAX_DATASET_BYTES) {
    plan.problem = { code: 'OVER_LIMITS', reason: t('errorDatasetTooLarge', [kib(after.bytes), kib(MAX_DATASET_BYTES)]) };
  }
  return plan;
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

/** Why a file was refused, as a clause ("it is not JSON."). */
export function describeDatasetFileProblem(problem: DatasetFileProblem): string {
  switch (problem.code) {
    case 'TOO_LARGE':
      return t('datasetFileTooLarge', String(Math.round(DATASET_FILE_MAX_BYTES / (1024 * 1024))));
    case 'NOT_JSON':
      return t('datasetFileNotJson');
    case 'WRONG_FORMAT':
      return t('datasetFileWrongFormat');
    case 'UNSUPPORTED_VERSION':
      return t('datasetFileVersion', [String(problem.version), String(DATASET_FILE_VERSION)]);
    case 'TOO_MANY_RECORDS':
      return t('datasetFileTooMany', [String(problem.count), String(MAX_RECORDS)]);
    case 'OVER_LIMITS':
      return t('datasetFileOverLimits', problem.reason);
  }
}
