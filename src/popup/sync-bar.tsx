import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { DatasetView, SyncReport } from '../shared/dataset';
import type { SerializedError } from '../shared/errors';
import { formatLocale, t } from '../shared/i18n';
import { Feedback } from './feedback';
import { busyButton, focusLost } from './keep-focus';
import { laterViews } from './later-views-chunk';

function lastSynced(at: number | undefined): string {
  if (at === undefined) return t('syncNever');
  return t('syncLast', new Date(at).toLocaleTimeString(formatLocale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
}

/**
 * Whether the time `at` has come, worked out at each render, and a render when it comes: the try then starts
 * and its storage writes bring a new view, but a try that starts late (a browser that delays alarms) must not
 * leave a time past on screen meanwhile.
 */
function useDue(at: number | undefined): boolean {
  const [, rendered] = useState(0);
  const due = at !== undefined && at <= Date.now();
  useEffect(() => {
    if (at === undefined || due) return undefined;
    const timer = setTimeout(() => rendered((count) => count + 1), at - Date.now());
    return () => clearTimeout(timer);
  }, [at, due]);
  return due;
}

/** When the extension tries a failed sync again by itself: now, at the try it has set, or with the periodic sync. */
function nextTry(retry: { at?: number }, syncing: boolean, due: boolean): string {
  if (syncing) return t('syncNextTryNow');
  if (retry.at === undefined) return t('syncNextTryPeriodic');
  if (due) return t('syncNextTrySoon');
  return t('syncNextTryAt', new Date(retry.at).toLocaleTimeString(formatLocale(), { hour: '2-digit', minute: '2-digit' }));
}

/**
 * What the sync line tells a screen reader. The line shown is no live region: it changes at each sync, the
 * extension's own (an edit's, the periodic one) included, and saying each would drown what matters. Said: the end
 * of a sync the person asked for (Sync now, Try again), and the end of a failure, as the line then reads; and what
 * a sync brought from elsewhere (`news`, from the chunk loaded after the first paint), for syncs that end while the
 * popup is open. A failure is said by its alert (feedback.tsx). `id` tells one announcement from the next, the
 * same words again included.
 */
function useAnnouncement(
  dataset: DatasetView,
  { asked, failing, line }: { asked: boolean; failing: boolean; line: string },
  news: ((report: SyncReport) => string[]) | undefined,
): { id: number; text: string[] } | undefined {
  const [said, setSaid] = useState<{ id: number; text: string[] }>();
  const opened = useRef(Date.now());
  // The last report told, or looked at and found to bring nothing.
  const told = useRef<number>();
  const answering = useRef(false);
  const failed = useRef(failing);
  const at = dataset.lastReport?.at;
  useEffect(() => {
    if (asked) answering.current = true;
    // Said once no sync runs: the line then says how the last one ended, not "Syncing…".
    if (asked || dataset.syncing) return;
    const report = dataset.lastReport;
    const fresh = report && report.at >= opened.current && report.at !== told.current ? report : undefined;
    const ended = answering.current || (failed.current && !failing);
    // A sync's news waits for the chunk that words it, unless the line is said now anyway.
    if (fresh && !news && !ended) return;
    if (fresh) told.current = fresh.at;
    answering.current = false;
    failed.current = failing;
    const brought = fresh && news ? news(fresh) : [];
    const text = ended ? [line, ...brought] : brought;
    if (text.length > 0) setSaid((last) => ({ id: (last?.id ?? 0) + 1, text }));
  }, [asked, dataset.syncing, failing, at, news !== undefined]);
  return said;
}

/**
 * The sync line, at the top of the popup whatever the list's length: when the dataset last synced, or that the
 * last sync failed (never "synced" then), what is waiting, the failure with its way out, and when the extension
 * tries it again by itself.
 * `asked`: the person pressed Sync now or Try again and the worker has not answered yet. The worker's own
 * `syncing` reaches the popup only with its next storage write, which a slow first request delays; the press
 * is said at once. A failure stays where it is while the sync is tried again, and goes when one succeeds: the
 * Add form and the list under it do not move at each try, and a screen reader hears the failure once.
 * Sync now and Try again stay focusable while a sync runs (keep-focus.ts), one the person asked for or not.
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
  const due = useDue(dataset.autoRetry?.at);
  const when = syncing ? t('syncing') : error ? t('syncFailed') : lastSynced(dataset.lastSyncedAt);
  const syncButton = useRef<HTMLButtonElement>(null);
  // Try again goes with the failure once a try succeeds: the focus it held goes to Sync now, beside it.
  const failed = useRef(false);
  useLayoutEffect(() => {
    if (failed.current && !error && focusLost()) syncButton.current?.focus();
    failed.current = error !== undefined;
  }, [error]);
  const waiting = dataset.pendingCount > 0 ? t('pendingCount', String(dataset.pendingCount)) : error ? t('pendingNoneFailed') : t('pendingNone');
  const line = t('syncSummary', [when, waiting]);
  const said = useAnnouncement(dataset, { asked, failing: error !== undefined, line }, later?.syncNews);
  return (
    <div class="sync-bar">
      <p class={error && !syncing ? 'sync-status failed' : 'sync-status'}>{line}</p>
      {/* Each announcement a node of its own, one sentence a line: the same words said twice are heard twice. */}
      <div role="status" class="visually-hidden">
        {said && (
          <div key={said.id}>
            {said.text.map((sentence) => (
              <p key={sentence}>{sentence}</p>
            ))}
          </div>
        )}
      </div>
      <button type="button" ref={syncButton} {...busyButton(syncing, onSync)}>
        {t('buttonSyncNow')}
      </button>
      {error && <Feedback error={error} onRetry={onSync} busy={syncing} />}
      {/* One line whatever it says, kept while the failure is shown: nothing under it moves when a try starts. Not
          in the alert: a screen reader hears the failure once, not each change of this line. */}
      {error && dataset.autoRetry && <p class="hint next-try">{nextTry(dataset.autoRetry, syncing, due)}</p>}
      {/* What the last sync settled or met beyond counts: said after it, so its view comes with the chunk loaded after the first paint. */}
      {later && <later.SyncNotices report={dataset.lastReport} />}
    </div>
  );
}
