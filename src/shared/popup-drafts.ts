// What the person was typing in the popup and has not saved yet. A popup closes as soon as it loses the focus
// (a click in the page behind it, to copy a value from there): it opens again with what was typed. Kept in
// storage.session, for one identity and dataset; the worker removes it when the person signs out
// (src/background/auth/records.ts), so the next person on a shared computer does not find it.
import { fields, ifValid, isObject, isString } from './guards';
import { StorageItem, type StorageAreaLike } from './storage-item';

export const POPUP_DRAFTS_KEY = 'popupDrafts';

/** A record's key and the value typed for it. */
export interface RecordDraft {
  key: string;
  value: string;
}

/** The detail view's draft: also the record's value it was typed over, to tell when a sync changed it since. */
export interface DetailDraft extends RecordDraft {
  base: string;
}

export interface DraftParts {
  /** The Add form's two fields. */
  add?: RecordDraft;
  /** The values typed in rows being edited, by key. */
  rows?: Record<string, string>;
  /** The record open in the detail view, with the value typed there. */
  detail?: DetailDraft;
}

export interface PopupDrafts extends DraftParts {
  identityId: string;
  datasetName: string;
}

const recordDraft = (value: unknown): RecordDraft | undefined => fields(value, { key: isString, value: isString });
const detailDraft = (value: unknown): DetailDraft | undefined => fields(value, { key: isString, value: isString, base: isString });

const rowDrafts = (value: unknown): Record<string, string> | undefined => {
  if (!isObject(value)) return undefined;
  const rows = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  return rows.length > 0 ? Object.fromEntries(rows) : undefined;
};

export function parsePopupDrafts(value: unknown): PopupDrafts | undefined {
  return fields(value, {
    identityId: isString,
    datasetName: isString,
    add: ifValid(recordDraft),
    rows: ifValid(rowDrafts),
    detail: ifValid(detailDraft),
  });
}

export const popupDraftsItem = (session: StorageAreaLike) => new StorageItem<PopupDrafts>(session, POPUP_DRAFTS_KEY, parsePopupDrafts);

/** `parts` with `name` set to `part`, or without it when `part` is undefined. */
export function withPart<K extends keyof DraftParts>(parts: DraftParts, name: K, part: DraftParts[K] | undefined): DraftParts {
  const { [name]: _old, ...rest } = parts;
  return part === undefined ? rest : { ...rest, [name]: part };
}
