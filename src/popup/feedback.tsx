import type { SerializedError } from '../shared/errors';
import { t } from '../shared/i18n';
import { browser } from '../ui/browser';
import { send } from '../ui/send';
import { wayOut } from './way-out';

export const openSettings = (): void => void browser.runtime.openOptionsPage();

/**
 * A failure told where it happened, with the one action that helps (way-out.ts). "Try again" only where
 * trying again can help, and only when the caller can repeat what failed (`onRetry`).
 */
export function Feedback({ error, onRetry, id }: { error: SerializedError; onRetry?: (() => void) | undefined; id?: string }) {
  const way = wayOut(error.code);
  return (
    <div role="alert" class="alert" id={id}>
      <p>{error.message}</p>
      {way === 'signIn' && (
        <button type="button" onClick={() => void send('signIn').catch(() => undefined)}>
          {t('buttonSignIn')}
        </button>
      )}
      {way === 'openSettings' && (
        <button type="button" onClick={openSettings}>
          {t('buttonOpenSettings')}
        </button>
      )}
      {way === 'retry' && onRetry && (
        <button type="button" onClick={onRetry}>
          {t('buttonRetry')}
        </button>
      )}
    </div>
  );
}
