import type { DatasetView } from '../shared/dataset';
import type { SerializedError } from '../shared/errors';
import { formatLocale, t } from '../shared/i18n';
import { Feedback } from './feedback';
import { laterViews } from './later-views-chunk';

function lastSynced(at: number | undefined): string {
  if (at === undefined) return t('syncNever');
  return t('syncLast', new Date(at).toLocaleTimeString(formatLocale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
}

/** A failed sync, and when the extension tries it again by itself if it will. */
function failed(nextTryAt: number | undefined): string {
  if (nextTryAt === undefined) return t('syncFailed');
  return t('syncFailedNextTry', new Date(nextTryAt).toLocaleTimeString(formatLocale(), { hour: '2-digit', minute: '2-digit' }));
}

/**
 * The sync line, at the top of the popup whatever the list's length: when the dataset last synced, or that the
 * last sync failed (never "synced" then) and when the extension tries again by itself, what is waiting, and the
 * failure with its way out.
 * `asked`: the person pressed Sync now or Try again and the worker has not answered yet. The worker's own
 * `syncing` reaches the popup only with its next storage write, which a slow first request delays; the press
 * is said at once. A failure stays where it is while the sync is tried again, and goes when one succeeds: the
 * Add form and the list under it do not move at each try, and a screen reader hears the failure once.
 */
export function SyncBar({
  dataset,
  error,
  onSync,
  asked = false,
}: {
  dataset: DatasetView;
  error: SerializedError | undefined;
  onSync: () => void;
  asked?: boolean;
}) {
  const later = laterViews.useModule();
  const syncing = dataset.syncing || asked;
  const when = syncing ? t('syncing') : error ? failed(dataset.nextTryAt) : lastSynced(dataset.lastSyncedAt);
  const waiting = dataset.pendingCount > 0 ? t('pendingCount', String(dataset.pendingCount)) : error ? t('pendingNoneFailed') : t('pendingNone');
  return (
    <div class="sync-bar">
      <p role="status" class={error && !syncing ? 'sync-status failed' : 'sync-status'}>
        {t('syncSummary', [when, waiting])}
      </p>
      <button type="button" onClick={onSync} disabled={syncing}>
        {t('buttonSyncNow')}
      </button>
      {error && <Feedback error={error} onRetry={onSync} busy={syncing} />}
      {/* What the last sync settled or met beyond counts: said after it, so its view comes with the chunk loaded after the first paint. */}
      {later && <later.SyncNotices report={dataset.lastReport} />}
    </div>
  );
}
