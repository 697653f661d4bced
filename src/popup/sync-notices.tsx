// What the last sync did that the person should know of, beyond counts: records merged in from a linked sign-in,
// a merge refused by the limits (the server's merged dataset, or this browser's copy of a merged identity), a dataset deleted or emptied on the server (and what this browser did about it).
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
  if (report.carriedRefused) notices.push(t('syncCarriedRefused'));
  return notices;
}

/** The conflicts a sync resolved, as the popup shows them; undefined when none. */
function conflictsLine(report: SyncReport | undefined): string | undefined {
  const conflicts = report?.conflicts ?? [];
  if (conflicts.length === 0) return undefined;
  return t('resolvedConflicts', [String(conflicts.length), conflicts.map((c) => c.key).join(', ')]);
}

/**
 * What a sync brought that a screen reader is told of (sync-bar.tsx): how many records came from elsewhere, then
 * what SyncNotices shows of it. Nothing for a sync that only confirmed what was here.
 */
export function syncNews(report: SyncReport): string[] {
  const news = report.pulled > 0 ? [t('syncBrought', String(report.pulled))] : [];
  const conflicts = conflictsLine(report);
  return [...news, ...(conflicts ? [conflicts] : []), ...syncNotices(report)];
}

/** The conflicts the last sync resolved, then its notices. */
export function SyncNotices({ report }: { report: SyncReport | undefined }) {
  const conflicts = conflictsLine(report);
  const notices = syncNotices(report);
  return (
    <>
      {conflicts && (
        <p class="conflicts" dir="auto">
          {conflicts}
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
