// The toolbar badge: what needs the person (sign in again, a failed sync), that they are signed out,
// or how many edits wait to sync. It is derived from storage each time, never kept in the worker.
import type { AuthState } from '../shared/auth-state';
import type { DatasetView } from '../shared/dataset';
import { t } from '../shared/i18n';
import type { StorageAreaLike } from '../shared/storage-item';

export interface ActionLike {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  setTitle(details: { title: string }): Promise<void>;
}

export interface Badge {
  text: string;
  title: string;
  color?: string;
}

const RED = '#b3261e';
const GREY = '#5f6368';
const BLUE = '#0b63ce';

export function badgeFor(auth: AuthState | undefined, dataset?: Pick<DatasetView, 'pendingCount' | 'lastError'>): Badge {
  if (auth?.status === 'needsSignIn') return { text: '!', title: t('badgeNeedsSignIn'), color: RED };
  if (auth?.status === 'signedOut') return { text: t('badgeTextSignedOut'), title: t('badgeSignedOut'), color: GREY };
  if (auth?.status === 'signedIn' && dataset?.lastError) {
    return { text: '!', title: t('badgeError', dataset.lastError.message), color: RED };
  }
  if (dataset && dataset.pendingCount > 0) {
    const count = dataset.pendingCount > 99 ? '99+' : String(dataset.pendingCount);
    return { text: count, title: t('badgePending', String(dataset.pendingCount)), color: BLUE };
  }
  return { text: '', title: t('actionTitle') };
}

export async function showBadge(action: ActionLike, badge: Badge): Promise<void> {
  await action.setBadgeText({ text: badge.text });
  if (badge.color) await action.setBadgeBackgroundColor({ color: badge.color });
  await action.setTitle({ title: badge.title });
}

/**
 * Re-derives the badge when the sign-in state or the stored data changes; answers the function that does
 * it now (the browser-start sequence calls it last). The browser keeps a badge across worker restarts, so
 * a worker woken by a message reads nothing for it; a burst of writes (a sync stores several items) costs
 * one read.
 */
export function keepBadgeCurrent(
  areas: { local: StorageAreaLike; session: StorageAreaLike },
  action: ActionLike,
  read: () => Promise<{ auth: AuthState; dataset: DatasetView | undefined }>,
): () => Promise<void> {
  const show = (): Promise<void> =>
    read()
      .then(({ auth, dataset }) => showBadge(action, badgeFor(auth, dataset)))
      .catch(() => undefined);
  let queued = false;
  const refreshSoon = (): void => {
    if (queued) return;
    queued = true;
    setTimeout(() => {
      queued = false;
      void show();
    }, 50);
  };
  areas.local.onChanged.addListener(refreshSoon);
  areas.session.onChanged.addListener(refreshSoon);
  return show;
}
