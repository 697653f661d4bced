// What the popup shows before anyone is signed in here: not configured yet, signed out, signing in, or a sign-in
// that has ended. In the chunk of the views only some states show (later-views.ts), not in the first load.
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { AuthState } from '../shared/auth-state';
import { t, type MessageKey } from '../shared/i18n';
import { send } from '../ui/send';
import type { Run } from './popup-app';
import { focusLost } from './keep-focus';
import { LeftBehindNotice } from './left-behind';
import { StillSignedIn } from './still-signed-in';
import { wayOut } from './way-out';
import { openSettings } from './way-out-button';

/**
 * The button of the one thing to do in a state, focused when the state is shown (`state` changes): on opening the
 * popup, after signing out, after a sign-in that ended. Not when the person's focus is on something (typing in the
 * Add form under a sign-in that ended). autoFocus would not do: a page heeds it only while it loads.
 */
function useFirstAction(state: string) {
  const first = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (focusLost()) first.current?.focus();
  }, [state]);
  return first;
}

/**
 * Signed out, or a sign-in that ended (with Sign out: its person's data is still shown). When it ended on the
 * settings (a pool that is not found, a provider or role that refuses them), signing in again gets the same
 * answer: Open settings comes first, and Sign in after it, for once they are changed.
 */
export function SignedOut({ message, auth, run }: { message: MessageKey; auth: AuthState; run: Run }) {
  const settingsFirst = auth.error !== undefined && wayOut(auth.error.code) === 'openSettings';
  const first = useFirstAction(auth.status);
  return (
    <section class="centered">
      <p>{t(message)}</p>
      {auth.error && <p class="error">{auth.error.message}</p>}
      <div class="buttons">
        {settingsFirst && (
          // The one action that helps, focused as Sign in is otherwise.
          <button type="button" class="primary" ref={first} onClick={openSettings}>
            {t('buttonOpenSettings')}
          </button>
        )}
        {/* The one thing to do here otherwise: focused on open, and after signing out. */}
        <button
          type="button"
          class={settingsFirst ? undefined : 'primary'}
          ref={settingsFirst ? null : first}
          onClick={() => run(() => send('signIn'))}
        >
          {t('buttonSignIn')}
        </button>
        {/* A sign-in that ended still shows its person's data here: they (or whoever finds the browser) can end it. */}
        {auth.status === 'needsSignIn' && (
          <button type="button" onClick={() => run(() => send('signOut'))}>
            {t('buttonSignOut')}
          </button>
        )}
      </div>
      <StillSignedIn auth={auth} />
      {auth.status === 'signedOut' && <LeftBehindNotice run={run} />}
    </section>
  );
}

/** The popup's whole body while nobody is signed in here (auth.status 'notConfigured', 'signingIn' or 'signedOut'). */
export function NotSignedIn({ auth, run }: { auth: AuthState; run: Run }) {
  const first = useFirstAction(auth.status);
  if (auth.status === 'notConfigured') {
    return (
      <section class="centered">
        <p>{t('popupNotConfigured')}</p>
        <button type="button" class="primary" ref={first} onClick={openSettings}>
          {t('buttonOpenSettings')}
        </button>
      </section>
    );
  }
  if (auth.status === 'signingIn') {
    return (
      <section class="centered" aria-busy="true">
        <p>{t('popupSigningIn')}</p>
        {auth.error && <p class="error">{auth.error.message}</p>}
        {/* The login window may have been closed behind the popup's back: let the person begin again. */}
        <button type="button" ref={first} onClick={() => void run(() => send('restartSignIn'))}>
          {t('buttonStartAgain')}
        </button>
      </section>
    );
  }
  return <SignedOut message="popupSignedOut" auth={auth} run={run} />;
}
