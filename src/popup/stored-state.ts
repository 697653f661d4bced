// The popup's first frame, from what this browser already stores: the sign-in state (storage.session,
// which the extension's own pages may read) and the first screen of the open dataset (storage.local,
// written with the dataset: src/shared/first-screen.ts). No message to a worker that may be starting cold,
// no network, and not the whole dataset; the worker's own answer follows and replaces it.
import type { AuthState } from '../shared/auth-state';
import {
  autoRetry,
  datasetView,
  EMPTY_DATASET,
  openDatasetName,
  type DatasetChoice,
  type DatasetView,
  type StoredDataset,
  type SyncRetryState,
} from '../shared/dataset';
import { firstScreenView, type DatasetFirstScreen } from '../shared/first-screen';
import type { DefaultDataset } from '../shared/settings-values';
import type { FirstFrameHint } from './first-frame-hint';

export interface StoredState {
  auth: AuthState;
  dataset: DatasetView | undefined;
}

interface Readable<T> {
  get(): Promise<T | undefined>;
}

/** What the first frame reads (storageItems in src/shared/storage.ts has them all). */
export interface StoredReads {
  authState: Readable<AuthState>;
  /** The settings, of which only the default dataset's name is needed. */
  settings: Readable<DefaultDataset>;
  /** The dataset chosen in the popup, if any. */
  datasetChoice(identityId: string): Readable<DatasetChoice>;
  firstScreen(identityId: string, datasetName: string): Readable<DatasetFirstScreen>;
  dataset(identityId: string, datasetName: string): Readable<StoredDataset>;
  /** The try the worker set after a failed sync (storage.session). */
  syncRetry: Readable<SyncRetryState>;
}

/** Whose data can be shown: the signed-in identity, or the one remembered from the last sign-in (who has not signed out here). */
export function hasDataset(auth: AuthState): boolean {
  return auth.status !== 'notConfigured' && auth.identityId !== undefined;
}

/**
 * The state the worker last wrote and the first screen of the dataset it names; undefined when the worker
 * has written no state yet (a new install, or a browser restart cleared storage.session): then the worker
 * answers first. Which dataset is open depends on who is signed in, so without a hint the reads take three
 * rounds (the sign-in state, then the dataset chosen, then its first screen). With the hint of the last first
 * frame (first-frame-hint.ts) all go out at once, and each answer is used only if the rounds before it would
 * have asked for the same key.
 */
export async function readStoredState(items: StoredReads, hint?: FirstFrameHint): Promise<StoredState | undefined> {
  const guessed = hint && {
    choice: items.datasetChoice(hint.identityId).get(),
    first: items.firstScreen(hint.identityId, hint.datasetName).get(),
  };
  // The guesses are awaited only when they are used; a failed one that is not must not go unhandled.
  if (guessed) for (const read of Object.values(guessed)) read.catch(() => undefined);
  const [auth, settings, retry] = await Promise.all([items.authState.get(), items.settings.get(), items.syncRetry.get()]);
  if (!auth) return undefined;
  if (!settings || !hasDataset(auth) || auth.identityId === undefined) return { auth, dataset: undefined };
  const identityId = auth.identityId;
  const sameIdentity = guessed && hint.identityId === identityId;
  // The dataset the person opened last in this browser (the settings' one by default), as the worker opens it.
  const name = openDatasetName(await (sameIdentity ? guessed.choice : items.datasetChoice(identityId).get()), settings.datasetName);
  // Whether a sync runs is known to the worker alone (its lock): its answer tells, a moment later.
  const where = { name, identityId, syncing: false };
  const first = await (sameIdentity && hint.datasetName === name ? guessed.first : items.firstScreen(identityId, name).get());
  // No first screen: no records here yet, or a dataset stored by a version that wrote none beside it.
  const dataset = first ? firstScreenView(first, where) : datasetView((await items.dataset(identityId, name).get()) ?? EMPTY_DATASET, where);
  // The try syncs only for a sign-in: a person asked to sign in again is promised none.
  const again = auth.status === 'signedIn' ? autoRetry(dataset.lastError, retry) : undefined;
  if (again) dataset.autoRetry = again;
  return { auth, dataset };
}
