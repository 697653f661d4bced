// What the popup asks the worker each time storage changes: the sign-in state and the dataset it names,
// as one consistent answer. Both questions go out at once, so the worker may answer them at different
// moments: right after a first sign-in the dataset is read before GetId has named the identity, and the
// state a moment later names it. Such a pair is not shown; the dataset is asked for again.
import type { AuthState } from '../shared/auth-state';
import type { DatasetView } from '../shared/dataset';
import { hasDataset } from './stored-state';

export interface WorkerReads {
  getAuthState(): Promise<AuthState>;
  openDataset(): Promise<DatasetView>;
}

/** The state, with the dataset of the identity it names (undefined when it names none) or why that failed. */
export type WorkerAnswer = { auth: AuthState; dataset: DatasetView | undefined } | { auth: AuthState; datasetError: unknown };

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/** Throws what the worker threw for the state; a failure to read the dataset comes with the state. */
export async function readWorkerState(worker: WorkerReads): Promise<WorkerAnswer> {
  // Both at once: the first paint waits for one round trip, not two. The dataset read fails when nobody
  // has signed in here yet, which only matters when the state says there is someone.
  const read = settle(worker.openDataset());
  const auth = await worker.getAuthState();
  if (!hasDataset(auth)) return { auth, dataset: undefined };
  const first = await read;
  if (first.ok && first.value.identityId === auth.identityId) return { auth, dataset: first.value };
  // A failure, or another identity's dataset, may come from a read made before the state's identity was
  // known: read once more, after the state, and that answer stands.
  const again = await settle(worker.openDataset());
  return again.ok ? { auth, dataset: again.value } : { auth, datasetError: again.error };
}

/**
 * Answers to questions asked one after another may come back in any order: an answer is kept only when
 * no answer to a later question has been kept already, so an old one never overwrites a newer one.
 */
export function newestAnswers() {
  let asked = 0;
  let kept = 0;
  return {
    /** A ticket for the question about to be asked. */
    ask(): number {
      asked += 1;
      return asked;
    },
    /** Whether the answer to the question with this ticket may be shown (it is then the newest shown). */
    keep(ticket: number): boolean {
      if (ticket <= kept) return false;
      kept = ticket;
      return true;
    },
  };
}
