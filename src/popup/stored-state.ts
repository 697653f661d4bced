// The popup's first frame, from what this browser already stores: the sign-in state (storage.session,
// which the extension's own pages may read) and the open dataset (storage.local). No message to a worker
// that may be starting cold, no network; the worker's own answer follows and replaces it.
import type { AuthState } from '../shared/auth-state';
import { datasetView, EMPTY_DATASET, openDatasetName, type DatasetView } from '../shared/dataset';
import type { StorageItems } from '../shared/storage';

export interface StoredState {
  auth: AuthState;
  dataset: DatasetView | undefined;
}

/** Whose data can be shown: the signed-in identity, or the one remembered from the last sign-in. */
export function hasDataset(auth: AuthState): boolean {
  return auth.status !== 'notConfigured' && auth.identityId !== undefined;
}

/**
 * The state the worker last wrote and the dataset it names; undefined when the worker has written no
 * state yet (a new install, or a browser restart cleared storage.session): then the worker answers first.
 */
export async function readStoredState(
  items: Pick<StorageItems, 'authState' | 'settings' | 'dataset' | 'datasetChoice'>,
): Promise<StoredState | undefined> {
  const [auth, settings] = await Promise.all([items.authState.get(), items.settings.get()]);
  if (!auth) return undefined;
  if (!settings || !hasDataset(auth) || auth.identityId === undefined) return { auth, dataset: undefined };
  // The dataset the person opened last in this browser (the settings' one by default), as the worker opens it.
  const name = openDatasetName(await items.datasetChoice(auth.identityId).get(), settings.datasetName);
  const stored = (await items.dataset(auth.identityId, name).get()) ?? EMPTY_DATASET;
  // Whether a sync runs is known to the worker alone (its lock): its answer tells, a moment later.
  return { auth, dataset: datasetView(stored, { name, identityId: auth.identityId, syncing: false }) };
}
