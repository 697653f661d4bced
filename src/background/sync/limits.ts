// Cognito Sync's limits, enforced here before any request so that a Cognito Sync backend could take
// over without surprises. https://docs.aws.amazon.com/cognito/latest/developerguide/limits.html
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import { DATASET_NAME } from '../../shared/settings';
import type { StoredRecord } from '../../shared/dataset';

export const MAX_RECORDS = 1024;
/** 1 MB per dataset: keys plus values, in UTF-8 bytes, of the records that exist (not tombstones). */
export const MAX_DATASET_BYTES = 1024 * 1024;
/** Key length in UTF-16 code units (JavaScript's `length`), as Cognito Sync counts "characters". */
export const MAX_KEY_LENGTH = 1024;
/**
 * One record is one DynamoDB item, and an item holds at most 400 KB including its attribute names and
 * the other attributes (≤ 4 KB here); Cognito Sync has no such per-record limit, DynamoDB does.
 */
export const MAX_RECORD_BYTES = 396 * 1024;

/** UTF-8 bytes without encoding (every edit counts the whole dataset). Lone surrogates count 3, as U+FFFD. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair: one code point above U+FFFF
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** A lone surrogate cannot be encoded as UTF-8: it would reach the server as U+FFFD, a different key. */
const LONE_SURROGATE = /\p{Cs}/u;

export function assertDatasetName(name: unknown): asserts name is string {
  if (typeof name !== 'string') throw new AppError('INVALID_INPUT', t('errorDatasetNameType'));
  if (!DATASET_NAME.test(name)) throw new AppError('DATASET_LIMIT', t('errorDatasetNameRule', name.slice(0, 140)));
}

// Each refusal names the field it is about, where it is one (the popup marks it); the dataset's limits are about neither.
const KEY = { field: 'key' } as const;
const VALUE = { field: 'value' } as const;

export function assertKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') throw new AppError('INVALID_INPUT', t('errorRecordKeyType'), KEY);
  if (LONE_SURROGATE.test(key)) throw new AppError('INVALID_INPUT', t('errorRecordTextInvalid'), KEY);
  if (key.length < 1 || key.length > MAX_KEY_LENGTH) {
    throw new AppError('DATASET_LIMIT', t('errorRecordKeyLength', [String(key.length), String(MAX_KEY_LENGTH)]), KEY);
  }
}

/** Values are strings; "" is a value like any other (never a removal). Numbers and null are refused. */
export function assertValue(value: unknown): asserts value is string {
  if (typeof value !== 'string') throw new AppError('INVALID_INPUT', t('errorRecordValueType'), VALUE);
  if (LONE_SURROGATE.test(value)) throw new AppError('INVALID_INPUT', t('errorRecordTextInvalid'), VALUE);
}

export interface DatasetUsage {
  records: number;
  bytes: number;
}

export function usageOf(records: Iterable<Pick<StoredRecord, 'key' | 'value'>>): DatasetUsage {
  let count = 0;
  let bytes = 0;
  for (const record of records) {
    if (record.value === null) continue;
    count += 1;
    bytes += utf8Length(record.key) + utf8Length(record.value);
  }
  return { records: count, bytes };
}

/**
 * Whether writing `value` at `key` keeps the dataset within its limits, given what it holds now
 * (`current` is the record's present value, null or undefined when absent).
 */
export function assertFits(usage: DatasetUsage, key: string, current: string | null | undefined, value: string): void {
  const recordBytes = utf8Length(key) + utf8Length(value);
  if (recordBytes > MAX_RECORD_BYTES) {
    // The key is at most a few KB (MAX_KEY_LENGTH): the value is what makes a record this large, and what to shorten.
    throw new AppError('DATASET_LIMIT', t('errorRecordTooLarge', [kib(recordBytes), kib(MAX_RECORD_BYTES)]), VALUE);
  }
  const exists = current !== null && current !== undefined;
  const records = usage.records + (exists ? 0 : 1);
  if (records > MAX_RECORDS) throw new AppError('DATASET_LIMIT', t('errorDatasetTooManyRecords', String(MAX_RECORDS)));
  const bytes = usage.bytes - (exists ? utf8Length(key) + utf8Length(current) : 0) + recordBytes;
  if (bytes > MAX_DATASET_BYTES) {
    throw new AppError('DATASET_LIMIT', t('errorDatasetTooLarge', [kib(bytes), kib(MAX_DATASET_BYTES)]));
  }
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}
