import { useEffect, useRef } from 'preact/hooks';
import type { AppError } from '../shared/errors';
import { t } from '../shared/i18n';
import { send } from '../ui/send';
import type { Act } from './dataset-panel';
import { DatasetPanel } from './dataset-panel';
import { DatasetPicker } from './dataset-picker';
import { DatasetTransferButton } from './dataset-transfer-button';
import { Feedback } from './feedback';
import { ProfileHeader } from './profile-header';
import { laterViews } from './later-views-chunk';
import { hasDataset, type StoredState } from './stored-state';
import { asAppError, useWorkerState, type WorkerState } from './use-worker-state';

/** Runs what the person asked for that has no place of its own (sign in, sign out); false when it failed (the banner tells). */
export type Run = (action: () => Promise<unknown>) => Promise<boolean>;

/** Anything but a signed-in person's data comes with the chunk of the views only some states show. */
const needsLaterViews = (auth: WorkerState['auth']): boolean => auth !== undefined && (auth.status !== 'signedIn' || !hasDataset(auth));

/**
 * The chunk of the later views failed to load: the extension's files changed since the popup opened (a rebuilt
 * development build, an update that did not close the popup), and that file is gone. The states and
 * actions that need it (signed out, editing a record, the list of datasets...) have nothing to show without it,
 * and the one way on is loading the popup again.
 */
function PartMissing() {
  return (
    <section class="centered" role="alert">
      <p>{t('popupPartMissing')}</p>
      <button type="button" class="primary" onClick={() => location.reload()}>
        {t('buttonReloadPopup')}
      </button>
    </section>
  );
}

type LaterViews = NonNullable<ReturnType<typeof laterViews.useModule>>;

/** `later`: the chunk of the views only some states show, once loaded (PopupApp loads it). */
function Body({ state, run, act, later }: { state: WorkerState; run: Run; act: Act; later: LaterViews | undefined }) {
  const { auth, dataset } = state;
  if (!auth) return null;
  switch (auth.status) {
    case 'notConfigured':
    case 'signingIn':
    case 'signedOut':
      return later ? <later.NotSignedIn auth={auth} run={run} /> : null;
    case 'needsSignIn':
    case 'signedIn': {
      const signedIn = auth.status === 'signedIn';
      // Signed in with no identity yet: the credentials are coming or failing; either way there is a way forward.
      const waiting = signedIn && !hasDataset(auth);
      // The credentials of a known identity failing (renewal): said once, above the sync line.
      const credentialsError = signedIn && !waiting ? auth.error : undefined;
      const retry = () => act(() => send('syncNow'));
      return (
        <>
          {signedIn ? (
            <ProfileHeader auth={auth} onSignOut={() => void run(() => send('signOut'))} />
          ) : (
            later && <later.SignedOut message="popupNeedsSignIn" auth={auth} run={run} />
          )}
          {waiting && later && <later.CredentialsStatus auth={auth} onRetry={retry} />}
          {credentialsError && credentialsError.message !== dataset?.lastError?.message && (
            <Feedback error={credentialsError} onRetry={() => void retry()} />
          )}
          {dataset && (
            <>
              <div class="dataset-tools">
                <DatasetPicker dataset={dataset} onChanged={state.reload} />
                <DatasetTransferButton dataset={dataset} run={run} />
              </div>
              <DatasetPanel
                // Another dataset (a switch, another person) is another panel: nothing typed in one shows in the other.
                key={`${dataset.identityId}/${dataset.name}`}
                dataset={dataset}
                act={act}
                // Signing in again is what the signed-out view above asks for: not a second time.
                // Until the chunk that tells it has loaded (a frame or two), a signed-out person sees no failure twice.
                toldElsewhere={(error) => !signedIn && (!later || later.wayOut(error.code) === 'signIn')}
              />
            </>
          )}
        </>
      );
    }
  }
}

export function PopupApp({ stored }: { stored?: StoredState | undefined }) {
  const state = useWorkerState(stored);
  // What the person last asked for, so that "Try again" repeats it after a failure.
  const lastAction = useRef<() => Promise<unknown>>(async () => {});
  // The person's actions with a place of their own (the Add form, a row, the sync line) tell their failure there.
  const act: Act = async (action) => {
    let failure: AppError | undefined;
    try {
      await action();
    } catch (error) {
      failure = asAppError(error);
    }
    await state.reload();
    return failure;
  };
  const run: Run = async (action) => {
    lastAction.current = action;
    state.setError(undefined);
    let ok = true;
    try {
      await action();
    } catch (error) {
      state.setError(error);
      ok = false;
    }
    await state.reload();
    return ok;
  };

  // The views the first frame does not show: their chunk starts loading once the first frame is on screen, so
  // that it is there before a state or an action needs it; at once when the state shown needs it.
  const { module: later, failed } = laterViews.useLoad(needsLaterViews(state.auth));

  useEffect(() => {
    // Benchmarks read this mark: once the person's state and, when they have data, its first rows are in
    // the DOM, after the frame that paints them (a task queued from the next animation frame runs after it).
    // Without data to show, what the state shows (signed out, credentials coming...) comes with that chunk.
    const shown = state.auth && (hasDataset(state.auth) ? state.dataset || state.error : later);
    if (shown && !performance.getEntriesByName('popup-ready').length) {
      requestAnimationFrame(() => setTimeout(() => performance.getEntriesByName('popup-ready').length || performance.mark('popup-ready')));
    }
  }, [state.auth, state.dataset, later]);

  // A failed sign-in is already told by the signed-out view (the state's error): don't say it twice.
  const banner = state.error && state.error.code !== state.auth?.error?.code ? state.error : undefined;

  return (
    <main>
      {/* What the page is, for those who find their way by headings; the open dataset's heading comes under it
          (dataset-picker.tsx), and a record's or the export's under that. Shown, it would repeat the toolbar's title. */}
      <h1 class="visually-hidden">{t('extensionName')}</h1>
      {failed && <PartMissing />}
      {banner && <Feedback error={banner} onRetry={() => void run(lastAction.current)} />}
      <Body state={state} run={run} act={act} later={later} />
    </main>
  );
}
