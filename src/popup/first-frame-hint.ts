// Which identity and dataset the popup showed last, so that its next first frame can ask for everything in
// one round of storage reads instead of three (stored-state.ts). Kept in the page's own `localStorage`, which
// is read without waiting: the only store whose answer is there before the first read goes out. A hint and
// nothing more: the identity id and the dataset's name (both already in storage.local's keys), never a
// record, a token or a credential; every read it guides is checked against the stored sign-in state, so a
// wrong or stale hint costs the two rounds it would have saved, and shows nothing it should not.
import { fields, isString } from '../shared/guards';

export interface FirstFrameHint {
  identityId: string;
  datasetName: string;
}

/** The part of the Web Storage API used here; absent where the page has no localStorage. */
export interface HintStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const HINT_KEY = 'firstFrameHint';

export function readFirstFrameHint(store: HintStore | undefined): FirstFrameHint | undefined {
  try {
    const text = store?.getItem(HINT_KEY);
    return text ? fields(JSON.parse(text), { identityId: isString, datasetName: isString }) : undefined;
  } catch {
    // Storage turned off, or not JSON: no hint, the reads take their three rounds.
    return undefined;
  }
}

/** Remembers what the first frame showed; a store that refuses (full, turned off) changes nothing else. */
export function writeFirstFrameHint(store: HintStore | undefined, hint: FirstFrameHint, before: FirstFrameHint | undefined): void {
  if (before?.identityId === hint.identityId && before.datasetName === hint.datasetName) return;
  try {
    store?.setItem(HINT_KEY, JSON.stringify({ identityId: hint.identityId, datasetName: hint.datasetName }));
  } catch {
    // The next first frame reads in three rounds, as without a hint.
  }
}

/** Forgets the hint: after a person's records were removed from this browser, it names nobody's. */
export function forgetFirstFrameHint(store: HintStore | undefined): void {
  try {
    store?.removeItem(HINT_KEY);
  } catch {
    // Storage turned off: there is no hint to forget.
  }
}

/** The page's localStorage, or undefined where touching it throws (Firefox with site data turned off). */
export function pageLocalStorage(): HintStore | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
