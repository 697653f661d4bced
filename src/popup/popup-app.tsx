import { useEffect, useRef } from 'preact/hooks';
import { browser } from '../ui/browser';
import type { AuthState } from '../shared/auth-state';
import type { AppError } from '../shared/errors';
import { t, type MessageKey } from '../shared/i18n';
import { send } from '../ui/send';
import { AddRecordForm } from './add-record-form';
import { DatasetPicker } from './dataset-picker';
import { DatasetTable } from './dataset-table';
import { DatasetTransferButton } from './dataset-transfer-button';
import { ProfileHeader } from './profile-header';
import { hasDataset, type StoredState } from './stored-state';
import { StillSignedIn } from './still-signed-in';
import { SyncBar } from './sync-bar';
import { useWorkerState, type WorkerState } from './use-worker-state';

/** The error of the person's last action, with the one action that helps: sign in, set up, or retry. */
function ErrorBanner({ error, onRetry, run }: { error: AppError; onRetry: () => void; run: Run }) {
  let action: { label: MessageKey; onClick: () => void };
  switch (error.code) {
    case 'AUTH_REQUIRED':
      action = { label: 'buttonSignIn', onClick: () => void run(() => send('signIn')) };
      break;
    case 'NOT_CONFIGURED':
    case 'INVALID_SETTINGS':
    case 'CREDENTIALS_CONFIG':
    case 'CREDENTIALS_BASIC_FLOW_OFF':
    case 'CREDENTIALS_ROLE_NOT_TRUSTED':
    case 'CREDENTIALS_ROLE_DURATION':
      action = { label: 'buttonOpenSettings', onClick: () => void browser.runtime.openOptionsPage() };
      break;
    default:
      action = { label: 'buttonRetry', onClick: onRetry };
  }
  return (
    <div role="alert" class="alert">
      <p>{error.message}</p>
      <button type="button" onClick={action.onClick}>
        {t(action.label)}
      </button>
    </div>
  );
}

function SignedOut({ message, auth, run }: { message: MessageKey; auth: AuthState; run: Run }) {
  return (
    <section class="centered">
      <p>{t(message)}</p>
      {/* The one thing to do here: focused on open, and after signing out. */}
      {/* biome-ignore lint/a11y/noAutofocus: the popup opens on this one action; focus follows the person (a popup has no other entry point) */}
      <button type="button" class="primary" autoFocus onClick={() => run(() => send('signIn'))}>
        {t('buttonSignIn')}
      </button>
      {auth.error && <p class="error">{auth.error.message}</p>}
      <StillSignedIn auth={auth} />
    </section>
  );
}

/** Runs what the person asked for; false when it failed (the error is shown). */
type Run = (action: () => Promise<unknown>) => Promise<boolean>;

function Body({ state, run }: { state: WorkerState; run: Run }) {
  const { auth, dataset } = state;
  if (!auth) return null;
  switch (auth.status) {
    case 'notConfigured':
      return (
        <section class="centered">
          <p>{t('popupNotConfigured')}</p>
          <button type="button" class="primary" onClick={() => void browser.runtime.openOptionsPage()}>
            {t('buttonOpenSettings')}
          </button>
        </section>
      );
    case 'signingIn':
      return (
        <section class="centered" aria-busy="true">
          <p>{t('popupSigningIn')}</p>
          {auth.error && <p class="error">{auth.error.message}</p>}
          {/* The login window may have been closed behind the popup's back: let the person begin again. */}
          <button type="button" onClick={() => void run(() => send('restartSignIn'))}>
            {t('buttonStartAgain')}
          </button>
        </section>
      );
    case 'signedOut':
      return <SignedOut message="popupSignedOut" auth={auth} run={run} />;
    case 'needsSignIn':
    case 'signedIn':
      return (
        <>
          {auth.status === 'needsSignIn' ? (
            <SignedOut message="popupNeedsSignIn" auth={auth} run={run} />
          ) : (
            <ProfileHeader auth={auth} onSignOut={() => void run(() => send('signOut'))} />
          )}
          {dataset && (
            <section class="dataset" aria-label={t('datasetCaption', dataset.name)}>
              <DatasetPicker dataset={dataset} onChanged={state.reload} />
              <DatasetTransferButton dataset={dataset} run={run} />
              <DatasetTable
                dataset={dataset}
                onSave={(key, value) => run(() => send('putRecord', key, value))}
                onDelete={(key) => run(() => send('removeRecord', key))}
              />
              <AddRecordForm
                existingKeys={new Set(dataset.records.map((r) => r.key))}
                onAdd={(key, value) => run(() => send('putRecord', key, value))}
              />
              <SyncBar dataset={dataset} onSync={() => void run(() => send('syncNow'))} />
              {dataset.lastError && <p class="error">{dataset.lastError.message}</p>}
            </section>
          )}
        </>
      );
  }
}

export function PopupApp({ stored }: { stored?: StoredState | undefined }) {
  const state = useWorkerState(stored);
  // What the person last asked for, so that "Try again" repeats it after a failure.
  const lastAction = useRef<() => Promise<unknown>>(async () => {});
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

  useEffect(() => {
    // Benchmarks read this mark: once the person's state and, when they have data, its first rows are in
    // the DOM, after the frame that paints them (a task queued from the next animation frame runs after it).
    const shown = state.auth && (!hasDataset(state.auth) || state.dataset || state.error);
    if (shown && !performance.getEntriesByName('popup-ready').length) {
      requestAnimationFrame(() => setTimeout(() => performance.getEntriesByName('popup-ready').length || performance.mark('popup-ready')));
    }
  }, [state.auth, state.dataset]);

  // A failed sign-in is already told by the signed-out view (the state's error): don't say it twice.
  const banner = state.error && state.error.code !== state.auth?.error?.code ? state.error : undefined;

  return (
    <main>
      {banner && <ErrorBanner error={banner} onRetry={() => void run(lastAction.current)} run={run} />}
      <Body state={state} run={run} />
    </main>
  );
}
