// Every storage key of the extension, as typed items: here, and in storage-pages.ts the items the pages
// read for their first frame (a page that imports only that file carries neither the settings' validator
// nor the worker's parsers). Settings and dataset records are data: storage.local. Tokens and credentials:
// storage.session only.
import {
  parseCredentialsRecord,
  parseDiscoveryRecord,
  parseIdentityMoves,
  parseJwksRecord,
  parseRememberedIdentities,
  parseSignInFlights,
  parseSignOutMarks,
  parseTokenSet,
  type CredentialsRecord,
  type DiscoveryRecord,
  type IdentityMove,
  type JwksRecord,
  type RememberedIdentity,
  type SignInFlights,
  type SignOutMark,
  type TokenSet,
} from './auth-records';
import { firstScreenOf, parseDatasetNames, parseDeviceId, parseStoredDataset, type StoredDataset } from './dataset';
import type { DatasetFirstScreen } from './first-screen';
import { parseSettings, type Settings } from './settings';
import { StorageItem, type StorageAreaLike } from './storage-item';
import { popupDraftsItem } from './popup-drafts';
import { type Areas, authStateItem, datasetChoiceItem, datasetStoreKey, firstScreenItem, SETTINGS_KEY, syncRetryItem } from './storage-pages';

export {
  type Areas,
  authStateItem,
  browserAreas,
  datasetChoiceItem,
  datasetStoreKey,
  defaultDatasetItem,
  firstScreenItem,
  firstScreenKey,
} from './storage-pages';

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

export const datasetItem = (local: StorageAreaLike, identityId: string, datasetName: string) => new DatasetItem(local, identityId, datasetName);
export const settingsItem = (local: StorageAreaLike) => new StorageItem<Settings>(local, SETTINGS_KEY, parseSettings);

export function storageItems(areas: Areas) {
  return {
    settings: settingsItem(areas.local),
    // Datasets: data, not secrets. A random id per browser profile, then per identity the
    // names of its local datasets and each dataset's records (src/shared/dataset.ts).
    deviceId: new StorageItem<string>(areas.local, 'deviceId', parseDeviceId),
    datasetNames: (identityId: string) => new StorageItem<string[]>(areas.local, datasetNamesKey(identityId), parseDatasetNames),
    /** Every key of storage.local: a read of all it holds, every person's datasets included. */
    storedKeys: async (): Promise<string[]> => Object.keys(await areas.local.get(null)),
    dataset: (identityId: string, datasetName: string) => datasetItem(areas.local, identityId, datasetName),
    // The dataset this browser shows, chosen in the popup (the settings' name is the default).
    datasetChoice: (identityId: string) => datasetChoiceItem(areas.local, identityId),
    firstScreen: (identityId: string, datasetName: string) => firstScreenItem(areas.local, identityId, datasetName),
    // Sign-in. Public state for the pages; tokens, in-flight request and credentials: session only.
    authState: authStateItem(areas.session),
    authTokens: new StorageItem<TokenSet>(areas.session, 'authTokens', parseTokenSet),
    authFlights: new StorageItem<SignInFlights>(areas.session, 'authFlights', parseSignInFlights),
    awsCredentials: new StorageItem<CredentialsRecord>(areas.session, 'awsCredentials', parseCredentialsRecord),
    // What the person typed in the popup and did not save yet (popup-drafts.ts): removed at sign-out.
    popupDrafts: popupDraftsItem(areas.session),
    // The next try after a failed sync (background/sync/retry-later.ts); a browser start syncs anyway.
    syncRetry: syncRetryItem(areas.session),
    // Public, kept across restarts: identity ids (not secrets), provider metadata and signing keys.
    identityIds: new StorageItem<RememberedIdentity[]>(areas.local, 'identityIds', parseRememberedIdentities),
    // Identities Cognito replaced for a login, whose datasets here are still to be taken into the new one's.
    identityMoves: new StorageItem<IdentityMove[]>(areas.local, 'identityMoves', parseIdentityMoves),
    // Who signed out here, so that no silent sign-in at browser start brings them back (auth/records.ts).
    signOuts: new StorageItem<SignOutMark[]>(areas.local, 'signOuts', parseSignOutMarks),
    discovery: new StorageItem<DiscoveryRecord>(areas.local, 'discovery', parseDiscoveryRecord),
    jwks: new StorageItem<JwksRecord>(areas.local, 'jwks', parseJwksRecord),
  };
}

export type StorageItems = ReturnType<typeof storageItems>;

export function datasetNamesKey(identityId: string): string {
  return `datasetNames/${identityId}`;
}
