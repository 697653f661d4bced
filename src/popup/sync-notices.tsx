// What the last sync did that the person should know of, beyond counts: records merged in from a linked sign-in,
// a merge refused by the limits, a dataset deleted or emptied on the server (and what this browser did about it).
import type { SyncReport } from '../shared/dataset';
import { t } from '../shared/i18n';

export function syncNotices(report: SyncReport | undefined): string[] {
  if (!report) return [];
  const notices: string[] = [];
  const { restarted } = report;
  if (restarted) {
    const kept = restarted.kept > 0;
    if (restarted.cause === 'deleted') notices.push(kept ? t('syncDeletedKept', String(restarted.kept)) : t('syncDeletedRestarted'));
    else notices.push(kept ? t('syncEmptiedKept', String(restarted.kept)) : t('syncEmptiedRestarted'));
  }
  if (report.linkedMerged) notices.push(t('syncLinkedMerged', String(report.linkedMerged)));
  for (const name of report.linkedRefused ?? []) notices.push(t('syncLinkedRefused', name));
  return notices;
}

/** The conflicts the last sync resolved, then its notices. */
export function SyncNotices({ report }: { report: SyncReport | undefined }) {
  const conflicts = report?.conflicts ?? [];
  const notices = syncNotices(report);
  return (
    <>
      {conflicts.length > 0 && (
        <p class="conflicts" dir="auto">
          {t('resolvedConflicts', [String(conflicts.length), conflicts.map((c) => c.key).join(', ')])}
        </p>
      )}
      {notices.length > 0 && (
        <ul class="sync-notices">
          {notices.map((notice) => (
            <li key={notice}>{notice}</li>
          ))}
        </ul>
      )}
    </>
  );
}
