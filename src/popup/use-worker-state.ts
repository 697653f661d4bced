// The popup's view of the worker: sign-in state and the open dataset, re-read whenever storage changes.
// The first frame shows what storage held (stored-state.ts); the worker's answer follows.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { browser } from '../ui/browser';
import type { AuthState } from '../shared/auth-state';
import type { DatasetView } from '../shared/dataset';
import { AppError } from '../shared/errors';
import { t } from '../shared/i18n';
import { send } from '../ui/send';
import { hasDataset, type StoredState } from './stored-state';

export interface WorkerState {
  auth: AuthState | undefined;
  dataset: DatasetView | undefined;
  /** A failure to talk to the worker, or of the last action the person took. */
  error: AppError | undefined;
  setError(error: unknown): void;
  reload(): Promise<void>;
}

export function asAppError(error: unknown): AppError {
  return error instanceof AppError ? error : new AppError('INTERNAL', t('errorInternal', String(error)), { cause: error });
}

/** `stored`: what storage already held when the popup opened, shown until the worker answers. */
export function useWorkerState(stored?: StoredState): WorkerState {
  const [auth, setAuth] = useState<AuthState | undefined>(stored?.auth);
  const [dataset, setDataset] = useState<DatasetView | undefined>(stored?.dataset);
  const [error, setErrorState] = useState<AppError>();
  const setError = useCallback((e: unknown) => setErrorState(e === undefined ? undefined : asAppError(e)), []);

  const reload = useCallback(async () => {
    try {
      // Both at once: the first paint waits for one round trip, not two. The dataset read fails when
      // nobody has signed in here yet, which only matters when the state says there is someone.
      const dataset = send('openDataset').then(
        (view) => ({ view }),
        (error: unknown) => ({ error }),
      );
      const state = await send('getAuthState');
      const read = await dataset;
      setAuth(state);
      if (hasDataset(state) && 'error' in read) throw read.error;
      setDataset(hasDataset(state) && 'view' in read ? read.view : undefined);
    } catch (e) {
      setErrorState(asAppError(e));
    }
  }, []);

  useEffect(() => {
    void reload();
    // Coalesce a burst of storage writes (a sync touches several items) into one re-read.
    let queued = false;
    const onChanged = (): void => {
      if (queued) return;
      queued = true;
      setTimeout(() => {
        queued = false;
        void reload();
      }, 50);
    };
    browser.storage.onChanged.addListener(onChanged);
    return () => browser.storage.onChanged.removeListener(onChanged);
  }, [reload]);

  // A sign-in the browser abandoned (its window gone with a stopped worker) ends by time, not by a
  // storage change: look again now and then while it lasts.
  const signingIn = auth?.status === 'signingIn';
  useEffect(() => {
    if (!signingIn) return undefined;
    const timer = setInterval(() => void reload(), 5_000);
    return () => clearInterval(timer);
  }, [signingIn, reload]);

  return { auth, dataset, error, setError, reload };
}
