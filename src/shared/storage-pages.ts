// The storage items the popup reads for its first frame, and the storage areas of the browser. Part of
// the one list of storage keys with storage.ts (which re-exports all of this); kept apart so that a page
// importing only these carries neither the settings' validator nor the parsers of the worker's records:
// esbuild shares code between the pages file by file, so this file holds nothing else.
import type Browser from 'webextension-polyfill';
import { parseAuthState, type AuthState } from './auth-state';
import { parseFirstScreen, type DatasetFirstScreen } from './first-screen';
import { parseDatasetChoice, parseSyncRetryState, type DatasetChoice, type SyncRetryState } from './dataset';
import { parseDefaultDataset, type DefaultDataset } from './settings-values';
import { type ChangeListener, StorageItem, type StorageAreaLike } from './storage-item';

export interface Areas {
  /** Survives restarts; never holds a token, a refresh token or a credential. */
  local: StorageAreaLike;
  /** Cleared when the browser closes; readable only by the extension's own pages and worker. */
  session: StorageAreaLike;
}

export const SETTINGS_KEY = 'settings';

// One factory per item, so that a page bundle carries only the parsers of the items it names. The popup
// reads of the settings only the default dataset's name (defaultDatasetItem), without the settings' validator.
export const defaultDatasetItem = (local: StorageAreaLike) => new StorageItem<DefaultDataset>(local, SETTINGS_KEY, parseDefaultDataset);
/** The dataset this browser shows, chosen in the popup (the settings' name is the default). */
export const datasetChoiceItem = (local: StorageAreaLike, identityId: string) =>
  new StorageItem<DatasetChoice>(local, `datasetChoice/${identityId}`, parseDatasetChoice);
export const authStateItem = (session: StorageAreaLike) => new StorageItem<AuthState>(session, 'authState', parseAuthState);
/** The try the worker set after a failed sync (background/sync/retry-later.ts): the popup says when it is due. */
export const syncRetryItem = (session: StorageAreaLike) => new StorageItem<SyncRetryState>(session, 'syncRetry', parseSyncRetryState);
export const firstScreenItem = (local: StorageAreaLike, identityId: string, datasetName: string) =>
  new StorageItem<DatasetFirstScreen>(local, firstScreenKey(identityId, datasetName), parseFirstScreen);

/**
 * One local dataset per (identity, dataset name), so another person signing in on this browser sees
 * only their own. '/' appears in neither an identity id nor a dataset name: the key is unambiguous.
 */
export function datasetStoreKey(identityId: string, datasetName: string): string {
  return `dataset/${identityId}/${datasetName}`;
}

/** Beside each dataset, its first screen (first-screen.ts). */
export function firstScreenKey(identityId: string, datasetName: string): string {
  return `firstScreen/${identityId}/${datasetName}`;
}

/** Adapts `browser.storage.<name>` to the StorageAreaLike the modules are written against. */
function areaOf(browser: Browser.Browser, name: 'local' | 'session'): StorageAreaLike {
  const area = browser.storage[name];
  const wrapped = new Map<ChangeListener, (changes: Record<string, Browser.Storage.StorageChange>, areaName: string) => void>();
  return {
    get: (keys) => area.get(keys),
    set: (items) => area.set(items),
    remove: (keys) => area.remove(keys),
    onChanged: {
      addListener(listener) {
        const filtered = (changes: Record<string, Browser.Storage.StorageChange>, areaName: string): void => {
          if (areaName === name) listener(changes);
        };
        wrapped.set(listener, filtered);
        browser.storage.onChanged.addListener(filtered);
      },
      removeListener(listener) {
        const filtered = wrapped.get(listener);
        if (filtered) browser.storage.onChanged.removeListener(filtered);
        wrapped.delete(listener);
      },
    },
  };
}

export function browserAreas(browser: Browser.Browser): Areas {
  return { local: areaOf(browser, 'local'), session: areaOf(browser, 'session') };
}
