import type { DatasetView } from '../shared/dataset';
import type { SerializedError } from '../shared/errors';
import { formatLocale, t } from '../shared/i18n';
import { Feedback } from './feedback';
import { laterViews } from './later-views-chunk';

function lastSynced(at: number | undefined): string {
  if (at === undefined) return t('syncNever');
  return t('syncLast', new Date(at).toLocaleTimeString(formatLocale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
}

/**
 * The sync line, at the top of the popup whatever the list's length: when the dataset last synced, or that the
 * last sync failed (never "synced" then), what is waiting, and the failure with its way out.
 */
export function SyncBar({ dataset, error, onSync }: { dataset: DatasetView; error: SerializedError | undefined; onSync: () => void }) {
  const later = laterViews.useModule();
  const when = dataset.syncing ? t('syncing') : error ? t('syncFailed') : lastSynced(dataset.lastSyncedAt);
  const waiting = dataset.pendingCount > 0 ? t('pendingCount', String(dataset.pendingCount)) : error ? t('pendingNoneFailed') : t('pendingNone');
  return (
    <div class="sync-bar">
      <p role="status" class={error && !dataset.syncing ? 'sync-status failed' : 'sync-status'}>
        {t('syncSummary', [when, waiting])}
      </p>
      <button type="button" onClick={onSync} disabled={dataset.syncing}>
        {t('buttonSyncNow')}
      </button>
      {error && !dataset.syncing && <Feedback error={error} onRetry={onSync} />}
      {/* What the last sync settled or met beyond counts: said after it, so its view comes with the chunk loaded after the first paint. */}
      {later && <later.SyncNotices report={dataset.lastReport} />}
    </div>
  );
}
