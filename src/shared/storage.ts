// Every storage key of the extension, in one place, as typed items.
// Settings and dataset records are data: storage.local. Tokens and credentials: storage.session only.
import type Browser from 'webextension-polyfill';
import { parseSettings, type Settings } from './settings';
import { StorageItem, type ChangeListener, type StorageAreaLike } from './storage-item';

export interface Areas {
  /** Survives restarts; never holds a token, a refresh token or a credential. */
  local: StorageAreaLike;
  /** Cleared when the browser closes; readable only by the extension's own pages and worker. */
  session: StorageAreaLike;
}

export function storageItems(areas: Areas) {
  return {
    settings: new StorageItem<Settings>(areas.local, 'settings', parseSettings),
  };
}

export type StorageItems = ReturnType<typeof storageItems>;

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
