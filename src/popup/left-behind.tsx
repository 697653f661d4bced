import { useEffect, useState } from 'preact/hooks';
import type { LeftBehind } from '../shared/dataset';
import { t } from '../shared/i18n';
import { send } from '../ui/send';
import { forgetFirstFrameHint, pageLocalStorage } from './first-frame-hint';
import type { Run } from './popup-app';

/**
 * Signed out, on a shared computer: the records the last person to sign out left in this browser, and the
 * way to take them away. Shown to whoever opens the popup before the next sign-in, naming nobody. With
 * edits that have not reached the server there is no way to remove them here: those edits exist nowhere else.
 */
export function LeftBehindNotice({ run }: { run: Run }) {
  const [left, setLeft] = useState<LeftBehind>();
  const [removed, setRemoved] = useState(false);
  useEffect(() => {
    let live = true;
    // Nothing to tell when the worker cannot say: the notice is a convenience, not the popup's state.
    send('getLeftBehind').then(
      (answer) => live && setLeft(answer),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (removed) {
    return (
      <p role="status" class="left-behind">
        {t('leftBehindRemoved')}
      </p>
    );
  }
  if (!left) return null;
  const records = String(left.records);
  if (left.pending > 0) return <p class="left-behind">{t('leftBehindPending', [records, String(left.pending)])}</p>;
  const remove = (): Promise<boolean> =>
    run(async () => {
      const removed = await send('removeLeftBehind');
      // Someone signed in meanwhile: nothing was theirs to remove; this popup is about to show them.
      if (removed.datasets === 0) {
        setLeft(undefined);
        return;
      }
      // The popup's hint may name the identity and dataset just removed.
      forgetFirstFrameHint(pageLocalStorage());
      setRemoved(true);
    });
  return (
    <div class="left-behind">
      <p>{t('leftBehindNotice', records)}</p>
      <button type="button" onClick={() => void remove()}>
        {t('buttonRemoveLeftBehind')}
      </button>
    </div>
  );
}
