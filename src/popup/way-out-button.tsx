// The button of a failure's way out (way-out.ts), under its message (feedback.tsx). In the chunk of the views
// that only some states show (later-views.ts): the popup's first load carries the message, not this.
import type { ErrorCode } from '../shared/errors';
import { t } from '../shared/i18n';
import { browser } from '../ui/browser';
import { send } from '../ui/send';
import { wayOut } from './way-out';

export const openSettings = (): void => void browser.runtime.openOptionsPage();

/** "Try again" only where trying again can help, and only when the caller can repeat what failed (`onRetry`). */
export function WayOutButton({ code, onRetry }: { code: ErrorCode; onRetry?: (() => void) | undefined }) {
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
      <button type="button" onClick={onRetry}>
        {t('buttonRetry')}
      </button>
    );
  }
  return null;
}
