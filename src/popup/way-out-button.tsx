// The button of a failure's way out (way-out.ts), under its message. In the chunk of the views the first frame
// does not show (later-views.ts): the popup's first load carries the message (feedback.tsx), not this.
import type { ErrorCode, SerializedError } from '../shared/errors';
import { t } from '../shared/i18n';
import { browser } from '../ui/browser';
import { send } from '../ui/send';
import { busyButton } from './keep-focus';
import { wayOut } from './way-out';

export const openSettings = (): void => void browser.runtime.openOptionsPage();

/**
 * "Try again" only where trying again can help, and only when the caller can repeat what failed (`onRetry`);
 * `busy` while that is being tried again: the button stays, unavailable but focused where it was (keep-focus.ts), so
 * nothing around it moves.
 */
export function WayOutButton({ code, onRetry, busy = false }: { code: ErrorCode; onRetry?: (() => void) | undefined; busy?: boolean | undefined }) {
  const way = wayOut(code);
  if (way === 'signIn') {
    return (
      <button type="button" onClick={() => void send('signIn').catch(() => undefined)}>
        {t('buttonSignIn')}
      </button>
    );
  }
  if (way === 'openSettings') {
    return (
      <button type="button" onClick={openSettings}>
        {t('buttonOpenSettings')}
      </button>
    );
  }
  if (way === 'retry' && onRetry) {
    return (
      <button type="button" {...busyButton(busy, onRetry)}>
        {t('buttonRetry')}
      </button>
    );
  }
  return null;
}

/**
 * A failure told where it happened, with the one action that helps: feedback.tsx as the views of this chunk show
 * it, the button at once (they import nothing of the popup's first load, which keeps that load in fewer files).
 */
export function Failure({ error, onRetry, id }: { error: SerializedError; onRetry?: (() => void) | undefined; id?: string }) {
  return (
    <div role="alert" class="alert" id={id}>
      <p>{error.message}</p>
      <WayOutButton code={error.code} onRetry={onRetry} />
    </div>
  );
}
