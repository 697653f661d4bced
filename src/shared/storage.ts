// Every storage key of the extension, in one place, as typed items.
// Settings and dataset records are data: storage.local. Tokens and credentials: storage.session only.
import type Browser from 'webextension-polyfill';
import {
  parseCredentialsRecord,
  parseDiscoveryRecord,
  parseJwksRecord,
  parseRememberedIdentities,
  parseSignInFlights,
  parseSignOutMarks,
  parseTokenSet,
  type CredentialsRecord,
  type DiscoveryRecord,
  type JwksRecord,
  type RememberedIdentity,
  type SignInFlights,
  type SignOutMark,
  type TokenSet,
} from './auth-records';
import { parseAuthState, type AuthState } from './auth-state';
import { parseDatasetNames, parseDeviceId, parseStoredDataset, type StoredDataset } from './dataset';
import { firstScreenOf, parseFirstScreen, type DatasetFirstScreen } from './first-screen';
import { parseDatasetChoice, parseSettings, type DatasetChoice, type Settings } from './settings';
import { StorageItem, type ChangeListener, type StorageAreaLike } from './storage-item';

export interface Areas {
  /** Survives restarts; never holds a token, a refresh token or a credential. */
  local: StorageAreaLike;
  /** Cleared when the browser closes; readable only by the extension's own pages and worker. */
  session: StorageAreaLike;
}

const SETTINGS_KEY = 'settings';

/**
 * A local dataset, written together with its first screen (first-screen.ts) in one storage.local write, so
 * that the two never disagree and every writer of the dataset keeps the popup's first frame current.
 */
export class DatasetItem extends StorageItem<StoredDataset> {
  readonly firstScreen: StorageItem<DatasetFirstScreen>;

  constructor(area: StorageAreaLike, identityId: string, datasetName: string) {
    super(area, datasetStoreKey(identityId, datasetName), parseStoredDataset);
    this.firstScreen = firstScreenItem(area, identityId, datasetName);
  }

  override async set(value: StoredDataset): Promise<void> {
    await this.area.set({ [this.key]: value, [this.firstScreen.key]: firstScreenOf(value) });
  }

  override async remove(): Promise<void> {
    await this.area.remove([this.key, this.firstScreen.key]);
  }
}

// The items the pages read at their first paint, one factory each: a page bundle that names only these
// carries only their parsers (storageItems names them all). The popup reads of the settings only which
// dataset is open (datasetChoiceItem), without the settings' validator.
export const settingsItem = (local: StorageAreaLike) => new StorageItem<Settings>(local, SETTINGS_KEY, parseSettings);
export const datasetChoiceItem = (local: StorageAreaLike) => new StorageItem<DatasetChoice>(local, SETTINGS_KEY, parseDatasetChoice);
export const authStateItem = (session: StorageAreaLike) => new StorageItem<AuthState>(session, 'authState', parseAuthState);
export const datasetItem = (local: StorageAreaLike, identityId: string, datasetName: string) => new DatasetItem(local, identityId, datasetName);
export const firstScreenItem = (local: StorageAreaLike, identityId: string, datasetName: string) =>
  new StorageItem<DatasetFirstScreen>(local, firstScreenKey(identityId, datasetName), parseFirstScreen);

export function storageItems(areas: Areas) {
  return {
    settings: settingsItem(areas.local),
    // Datasets: data, not secrets. A random id per browser profile, then per identity the
    // names of its local datasets and each dataset's records (src/shared/dataset.ts).
    deviceId: new StorageItem<string>(areas.local, 'deviceId', parseDeviceId),
    datasetNames: (identityId: string) => new StorageItem<string[]>(areas.local, datasetNamesKey(identityId), parseDatasetNames),
    dataset: (identityId: string, datasetName: string) => datasetItem(areas.local, identityId, datasetName),
    firstScreen: (identityId: string, datasetName: string) => firstScreenItem(areas.local, identityId, datasetName),
    // Sign-in. Public state for the pages; tokens, in-flight request and credentials: session only.
    authState: authStateItem(areas.session),
    authTokens: new StorageItem<TokenSet>(areas.session, 'authTokens', parseTokenSet),
    authFlights: new StorageItem<SignInFlights>(areas.session, 'authFlights', parseSignInFlights),
    awsCredentials: new StorageItem<CredentialsRecord>(areas.session, 'awsCredentials', parseCredentialsRecord),
    // Public, kept across restarts: identity ids (not secrets), provider metadata and signing keys.
    identityIds: new StorageItem<RememberedIdentity[]>(areas.local, 'identityIds', parseRememberedIdentities),
    // Who signed out here, so that no silent sign-in at browser start brings them back (auth/records.ts).
    signOuts: new StorageItem<SignOutMark[]>(areas.local, 'signOuts', parseSignOutMarks),
    discovery: new StorageItem<DiscoveryRecord>(areas.local, 'discovery', parseDiscoveryRecord),
    jwks: new StorageItem<JwksRecord>(areas.local, 'jwks', parseJwksRecord),
  };
}

export type StorageItems = ReturnType<typeof storageItems>;

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

export function datasetNamesKey(identityId: string): string {
  return `datasetNames/${identityId}`;
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
