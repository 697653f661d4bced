import { describe, expect, it } from 'vitest';
import type { AuthState } from '../shared/auth-state';
import type { DatasetView } from '../shared/dataset';
import { AppError } from '../shared/errors';
import { t } from '../shared/i18n';
import { newestAnswers, readWorkerState, type WorkerReads } from './read-worker-state';

const ALICE = 'us-east-1:00000000-0000-4000-8000-000000000001';
const BOB = 'us-east-1:00000000-0000-4000-8000-000000000002';

function view(identityId: string, key: string): DatasetView {
  return {
    name: 'MainDataset',
    identityId,
    records: [{ key, value: 'v', state: 'synced', modifiedAt: 1 }],
    pendingCount: 0,
    syncing: false,
  };
}

const signedOut = (): AppError => new AppError('AUTH_REQUIRED', t('errorDatasetSignedOut'));

/**
 * A worker whose records change between questions, as around a sign-in: each question is answered from
 * the next moment in `moments`, in the order the worker reads them (the dataset first, then the state).
 */
function worker(moments: { auth: AuthState; dataset: DatasetView | AppError }[]): WorkerReads & { datasetReads: number } {
  let now = 0;
  const at = () => {
    const moment = moments[Math.min(now++, moments.length - 1)];
    if (!moment) throw new Error('a worker needs at least one moment');
    return moment;
  };
  const reads = {
    datasetReads: 0,
    async getAuthState(): Promise<AuthState> {
      return at().auth;
    },
    async openDataset(): Promise<DatasetView> {
      reads.datasetReads += 1;
      const moment = at();
      if (moment.dataset instanceof AppError) throw moment.dataset;
      return moment.dataset;
    },
  };
  return reads;
}

describe('the popup’s read of the worker’s state', () => {
  it('shows the dataset of the identity a first sign-in has just named, not the refusal read a moment before', async () => {
    const beforeGetId = { auth: { status: 'signedIn' as const, profile: { sub: 'alice' } }, dataset: signedOut() };
    const afterGetId = { auth: { status: 'signedIn' as const, profile: { sub: 'alice' }, identityId: ALICE }, dataset: view(ALICE, 'city') };
    const answer = await readWorkerState(worker([beforeGetId, afterGetId]));
    expect(answer).toEqual({ auth: afterGetId.auth, dataset: view(ALICE, 'city') });
  });

  it('does not show the previous person’s dataset under the person who has just signed in', async () => {
    const bobs = { auth: { status: 'signedIn' as const, profile: { sub: 'bob' }, identityId: BOB }, dataset: view(BOB, 'bobs') };
    const alices = { auth: { status: 'signedIn' as const, profile: { sub: 'alice' }, identityId: ALICE }, dataset: view(ALICE, 'alices') };
    const answer = await readWorkerState(worker([bobs, alices]));
    expect(answer).toEqual({ auth: alices.auth, dataset: view(ALICE, 'alices') });
  });

  it('asks for the dataset once when both answers agree', async () => {
    const reads = worker([{ auth: { status: 'signedIn', profile: { sub: 'alice' }, identityId: ALICE }, dataset: view(ALICE, 'city') }]);
    await readWorkerState(reads);
    expect(reads.datasetReads).toBe(1);
  });

  it('reports a dataset that still cannot be read, with the state', async () => {
    const auth: AuthState = { status: 'needsSignIn', profile: { sub: 'alice' }, identityId: ALICE };
    const answer = await readWorkerState(worker([{ auth, dataset: new AppError('NETWORK', t('errorNetwork')) }]));
    expect(answer).toMatchObject({ auth, datasetError: { code: 'NETWORK' } });
  });

  it('shows no dataset and no error when nobody has signed in', async () => {
    const auth: AuthState = { status: 'signedOut' };
    expect(await readWorkerState(worker([{ auth, dataset: signedOut() }]))).toEqual({ auth, dataset: undefined });
  });
});

describe('answers to overlapping reads', () => {
  it('drops an answer that arrives after the answer to a later question', () => {
    const answers = newestAnswers();
    const older = answers.ask();
    const newer = answers.ask();
    expect(answers.keep(newer)).toBe(true);
    expect(answers.keep(older)).toBe(false);
  });

  it('keeps every answer that arrives in order', () => {
    const answers = newestAnswers();
    const first = answers.ask();
    const second = answers.ask();
    expect([answers.keep(first), answers.keep(second)]).toEqual([true, true]);
  });
});
