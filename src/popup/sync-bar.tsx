import type { DatasetView } from '../shared/dataset';
import { formatLocale, t } from '../shared/i18n';
import { SyncNotices } from './sync-notices';

function lastSynced(at: number | undefined): string {
  if (at === undefined) return t('syncNever');
  return t('syncLast', new Date(at).toLocaleTimeString(formatLocale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
}

export function SyncBar({ dataset, onSync }: { dataset: DatasetView; onSync: () => void }) {
  const conflicts = dataset.lastReport?.conflicts ?? [];
  return (
    <div class="sync-bar">
      <p role="status" class="sync-status">
        {t('syncSummary', [
          dataset.syncing ? t('syncing') : lastSynced(dataset.lastSyncedAt),
          dataset.pendingCount > 0 ? t('pendingCount', String(dataset.pendingCount)) : t('pendingNone'),
        ])}
      </p>
      <button type="button" onClick={onSync} disabled={dataset.syncing}>
        {t('buttonSyncNow')}
      </button>
      {conflicts.length > 0 && <p class="conflicts">{t('resolvedConflicts', [String(conflicts.length), conflicts.map((c) => c.key).join(', ')])}</p>}
      <SyncNotices report={dataset.lastReport} />
    </div>
  );
}
