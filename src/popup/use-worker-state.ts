// The popup's view of the worker: sign-in state and the open dataset, re-read whenever storage changes.
// The first frame shows what storage held (stored-state.ts); the worker's answer follows.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { browser } from '../ui/browser';
import type { AuthState } from '../shared/auth-state';
import type { DatasetView } from '../shared/dataset';
import { AppError } from '../shared/errors';
import { t } from '../shared/i18n';
import { afterFirstPaint } from '../ui/after-first-paint';
import { send } from '../ui/send';
import { newestAnswers, readWorkerState, type WorkerReads } from './read-worker-state';
import type { StoredState } from './stored-state';

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

const worker: WorkerReads = { getAuthState: () => send('getAuthState'), openDataset: () => send('openDataset') };

/** `stored`: what storage already held when the popup opened, shown until the worker answers. */
export function useWorkerState(stored?: StoredState): WorkerState {
  const [auth, setAuth] = useState<AuthState | undefined>(stored?.auth);
  const [dataset, setDataset] = useState<DatasetView | undefined>(stored?.dataset);
  // Two kinds of failure: of the person's last action, kept until they act again; and of the last read of
  // the worker's state, which the next read that succeeds takes back (it was about a moment now past).
  const [actionError, setActionError] = useState<AppError>();
  const [readError, setReadError] = useState<AppError>();
  const setError = useCallback((e: unknown) => setActionError(e === undefined ? undefined : asAppError(e)), []);
  // Reads overlap (storage changes, the person's actions): the answer to an older one must not replace a newer.
  const answers = useMemo(newestAnswers, []);

  const reload = useCallback(async () => {
    const ticket = answers.ask();
    try {
      const answer = await readWorkerState(worker);
      if (!answers.keep(ticket)) return;
      setAuth(answer.auth);
      if ('datasetError' in answer) {
        setReadError(asAppError(answer.datasetError));
      } else {
        setDataset(answer.dataset);
        setReadError(undefined);
      }
    } catch (e) {
      if (answers.keep(ticket)) setReadError(asAppError(e));
    }
  }, [answers]);

  // With what storage held on screen, the worker is asked once that frame is painted: the question may start
  // a stopped worker, and its answer (the whole dataset) is read and rendered, all of it work that would
  // otherwise delay the first frame. Without it (nothing stored yet), the answer is the first frame: ask now.
  const [shownFromStorage] = useState(stored !== undefined);
  useEffect(() => {
    let live = true;
    (shownFromStorage ? afterFirstPaint() : Promise.resolve()).then(() => live && void reload());
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
    return () => {
      live = false;
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, [reload, shownFromStorage]);

  // Two states can end with no storage change to say so: while one is shown, and only then, look again now and
  // then. A sign-in the browser abandoned (its window gone with a stopped worker) ends by time. A sync shows while
  // the worker holds its lock (src/background/sync/dataset-service.ts): a worker stopped in it (the browser stops
  // idle workers; a crash) drops the lock and writes nothing, and even a sync that ends drops it only after its
  // last write, whose re-read above may come first. The question starts a stopped worker, which answers with the
  // lock free. Every 5 s: most syncs are seen to end through their own writes, so this only bounds how long a stale
  // "Syncing…" stays, and a sync of a few seconds (its requests are retried, src/background/sync/retry.ts) costs a
  // read or two more of the dataset. Nothing before the first paint: the first frame, from storage, never shows a
  // sync (stored-state.ts); the worker tells it, once asked.
  const lasting = auth?.status === 'signingIn' || dataset?.syncing === true;
  useEffect(() => {
    if (!lasting) return undefined;
    const timer = setInterval(() => void reload(), 5_000);
    return () => clearInterval(timer);
  }, [lasting, reload]);

  return { auth, dataset, error: actionError ?? readError, setError, reload };
}
