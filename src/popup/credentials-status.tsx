import { useEffect, useState } from 'preact/hooks';
import type { AuthState } from '../shared/auth-state';
import { t } from '../shared/i18n';
import { wayOut } from './way-out';
import { Failure, openSettings } from './way-out-button';

/**
 * How long the popup waits for the worker's first credentials before it offers to try again itself. The worker's
 * own calls give up sooner (platform/aws-clients.ts: Cognito Identity's timeout and attempts), and their failure
 * replaces this view; this bound is for a worker that was stopped mid-way and so will never tell.
 */
export const CREDENTIALS_WAIT_MS = 20_000;

/**
 * Signed in, and no identity yet: the credentials are still coming, or they are failing (the state's error says
 * why: the server unreachable, the pool refusing...). Each shows what is happening and a way forward.
 */
export function CredentialsStatus({ auth, onRetry }: { auth: AuthState; onRetry: () => Promise<unknown> }) {
  const [slow, setSlow] = useState(false);
  const [trying, setTrying] = useState(false);
  // Asks again (a sync, which needs the credentials first); the state's next error or identity ends it.
  const retry = (): void => {
    setTrying(true);
    void onRetry().finally(() => setTrying(false));
  };
  const failed = auth.error !== undefined;
  useEffect(() => {
    setSlow(false);
    if (failed) return undefined;
    const timer = setTimeout(() => setSlow(true), CREDENTIALS_WAIT_MS);
    return () => clearTimeout(timer);
  }, [failed]);
  if (trying) {
    return (
      <section class="centered credentials" aria-busy="true">
        <p role="status">{t('popupCredentialsComing')}</p>
        <button type="button" onClick={openSettings}>
          {t('buttonOpenSettings')}
        </button>
      </section>
    );
  }
  if (auth.error) {
    return (
      <section class="centered credentials">
        <p>{t(auth.error.code === 'NETWORK' ? 'popupCognitoUnreachable' : 'popupCredentialsFailed')}</p>
        <Failure error={auth.error} onRetry={retry} />
        {/* An address that does not answer may be a wrong one: the settings are one step away too. */}
        {auth.error.code === 'NETWORK' && (
          <button type="button" onClick={openSettings}>
            {t('buttonOpenSettings')}
          </button>
        )}
        {/* A fix made elsewhere (the identity pool's role in the AWS console, the provider's application) is
            seen by no setting: asking again is at hand, not only at the next renewal. */}
        {wayOut(auth.error.code) !== 'retry' && (
          <button type="button" onClick={retry}>
            {t('buttonRetry')}
          </button>
        )}
      </section>
    );
  }
  return (
    <section class="centered credentials" aria-busy={!slow}>
      <p role="status">{t(slow ? 'popupCredentialsSlow' : 'popupCredentialsComing')}</p>
      <div class="buttons">
        {slow && (
          <button type="button" class="primary" onClick={retry}>
            {t('buttonRetry')}
          </button>
        )}
        <button type="button" onClick={openSettings}>
          {t('buttonOpenSettings')}
        </button>
      </div>
    </section>
  );
}
