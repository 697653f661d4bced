import { useEffect, useMemo, useState } from 'preact/hooks';
import { holdsEveryRecord, type DatasetView } from '../shared/dataset';
import type { AppError, SerializedError } from '../shared/errors';
import { t } from '../shared/i18n';
import { send } from '../ui/send';
import { AddRecordForm } from './add-record-form';
import { DatasetTable } from './dataset-table';
import { onEscape } from './keep-focus';
import { laterViews } from './later-views-chunk';
import { OneLine } from './one-line';
import { SyncBar } from './sync-bar';
import { useKeptDrafts } from './use-kept-drafts';
import { searchForm } from './visible-text';

/** Runs what the person asked for and re-reads the state; resolves to why it failed, or undefined. */
export type Act = (action: () => Promise<unknown>) => Promise<AppError | undefined>;

interface Props {
  dataset: DatasetView;
  act: Act;
  /** Failures the popup tells elsewhere (a sign-in the signed-out view already asks for) are not repeated here. */
  toldElsewhere: (error: SerializedError) => boolean;
}

/** The record opened in the detail view, and what was typed for it before: in its row, or a kept draft. */
interface Opened {
  key: string;
  draft?: string | undefined;
  /** A kept draft's: the record's value it was typed over. */
  base?: string | undefined;
}

/**
 * Puts the focus back on the row the detail view was opened from; when it is not rendered (or was deleted), on the
 * search, or on the Add form's key in a dataset left empty (no search then).
 */
function focusRow(key: string): void {
  requestAnimationFrame(() => {
    const name = t('labelEditRecord', key);
    const edit = [...document.querySelectorAll<HTMLButtonElement>('.records button')].find((b) => b.getAttribute('aria-label') === name);
    (edit ?? document.querySelector<HTMLInputElement>('.tools input'))?.focus();
  });
}

/**
 * The open dataset, laid out for any size: the sync line first, then search and the Add form, then the windowed
 * list with one line per record; a record opens in the detail view in place of the list.
 */
export function DatasetPanel({ dataset, act, toldElsewhere }: Props) {
  const [query, setQuery] = useState('');
  // A Sync now that failed before any sync ran (no credentials...): the dataset's own lastError tells the rest.
  // `since`: the dataset's last sync when it failed; a sync that has succeeded since makes it old news.
  const [syncRefusal, setSyncRefusal] = useState<{ error: AppError; since: number | undefined }>();
  // A Sync now or Try again the worker has not answered yet (sync-bar.tsx).
  const [asked, setAsked] = useState(false);
  const [opened, setOpened] = useState<Opened>();
  // The detail view is not in the first frame: it comes with the chunk loaded after the first paint.
  const later = laterViews.useModule();
  const [detailError, setDetailError] = useState<string>();
  // Whose dataset the drafts are typed in (drafts.ts). The value typed in the detail view is kept until saved or
  // left; the view opens again with it when the popup does.
  const place = { identityId: dataset.identityId, datasetName: dataset.name };
  const [typedInDetail, setTypedInDetail] = useState<{ value: string; base: string }>();
  // Once every record is here, so that the record of a kept detail view is there to open.
  const whole = holdsEveryRecord(dataset);
  const keeper = useKeptDrafts(
    place,
    ({ detail }) => {
      if (detail) setOpened((current) => current ?? { key: detail.key, draft: detail.value, base: detail.base });
    },
    whole,
  );
  useEffect(() => {
    keeper?.keepDraft(place, 'detail', opened && typedInDetail && { key: opened.key, ...typedInDetail });
  }, [opened?.key, typedInDetail, keeper, place.identityId, place.datasetName]);
  // A record deleted meanwhile (in another browser, say) takes its row's kept draft with it, whether or not the
  // list is shown (an emptied dataset shows none); the list forgets the drafts it holds itself (dataset-table.tsx).
  useEffect(() => {
    if (!keeper || !whole) return;
    const live = new Set(dataset.records.map((record) => record.key));
    void keeper.readDrafts(place).then(({ rows }) => {
      const kept = Object.entries(rows ?? {}).filter(([key]) => live.has(key));
      if (rows && kept.length < Object.keys(rows).length) keeper.keepDraft(place, 'rows', kept.length > 0 ? Object.fromEntries(kept) : undefined);
    });
  }, [dataset.records, whole, keeper]);

  const found = useMemo(() => {
    const wanted = searchForm(query.trim());
    if (wanted === '') return dataset.records;
    return dataset.records.filter((record) => searchForm(record.key).includes(wanted) || searchForm(record.value).includes(wanted));
  }, [dataset.records, query]);

  // The last failure stays on screen until the answer replaces it (sync-bar.tsx). `asked` ends with the message,
  // answered or not: a worker stopped in the sync fails it (the browser closes the channel of an answer that will
  // not come, https://github.com/mozilla/webextension-polyfill/issues/384), and `act` re-reads the state anyway.
  const sync = (): void => {
    setAsked(true);
    const since = dataset.lastSyncedAt;
    void act(() => send('syncNow')).then((error) => {
      setAsked(false);
      setSyncRefusal(error && { error, since });
    });
  };
  const refusal = syncRefusal && syncRefusal.since === dataset.lastSyncedAt ? syncRefusal.error : undefined;
  const syncError = dataset.lastError ?? refusal;
  const save = (key: string, value: string) => act(() => send('putRecord', key, value));
  const open = (key: string, draft?: string): void => {
    setOpened({ key, draft });
    setTypedInDetail(undefined);
    setDetailError(undefined);
    if (!later) laterViews.preload().catch((error: unknown) => setDetailError(t('errorInternal', String(error))));
  };
  const close = (key: string): void => {
    setOpened(undefined);
    setTypedInDetail(undefined);
    focusRow(key);
  };
  const empty = dataset.records.length === 0;
  const openRecord = opened && dataset.records.find((record) => record.key === opened.key);
  const Detail = later?.RecordDetail;

  return (
    <section class="dataset" aria-label={t('datasetCaption', dataset.name)}>
      <SyncBar dataset={dataset} error={syncError && !toldElsewhere(syncError) ? syncError : undefined} onSync={sync} asked={asked} />
      {/* One tree whether the dataset is empty or not: the Add form keeps what is being typed when the first
          record arrives (a different place in the tree would be a new, empty form). */}
      <div class="stacked">
        <div class={opened ? 'covered' : 'uncovered'}>
          {empty && <p class="empty">{t('datasetEmpty')}</p>}
          <div class="tools">
            {!empty && (
              <div class="search">
                <input
                  type="search"
                  dir="auto"
                  aria-label={t('labelSearch')}
                  placeholder={t('placeholderSearch')}
                  value={query}
                  onInput={(event) => setQuery(event.currentTarget.value)}
                />
                <span role="status" class="visually-hidden">
                  {query.trim() ? t('searchCount', [String(found.length), String(dataset.records.length)]) : ''}
                </span>
              </div>
            )}
            <AddRecordForm
              place={place}
              existingKeys={new Set(dataset.records.map((r) => r.key))}
              onAdd={(key, value) => act(() => send('addRecord', key, value))}
            />
          </div>
          {!empty && (
            <div class="list">
              {found.length === 0 ? (
                <p class="empty" dir="auto">
                  {t('searchNone', query.trim())}
                </p>
              ) : (
                <DatasetTable
                  place={place}
                  dataset={dataset}
                  records={found}
                  onSave={save}
                  onDelete={(key) => act(() => send('removeRecord', key))}
                  onOpen={open}
                />
              )}
            </div>
          )}
        </div>
        {/* The detail view covers the list in the same place; the list stays laid out under it (hidden, not
            removed), so its scroll position, the values typed in its rows and the focus's way back survive. */}
        {opened && Detail && openRecord && (
          <Detail
            // One record's view: what was typed for one record never shows under another's key.
            key={openRecord.key}
            record={openRecord}
            heading={<OneLine text={openRecord.key} tagForm />}
            draft={opened.draft}
            base={opened.base}
            onType={setTypedInDetail}
            onSave={(value) => save(openRecord.key, value)}
            // Closed once deleted, before the state is read again: its own deletion is not a record gone meanwhile (detailGone).
            onDelete={() => act(() => send('removeRecord', openRecord.key).then(() => setOpened(undefined)))}
            onClose={() => close(openRecord.key)}
          />
        )}
        {opened && !(Detail && openRecord) && (
          // Still loading, failed to load, or the record went away meanwhile (deleted in another browser).
          <div class="centered">
            <p role="status">{detailError ?? (Detail ? t('detailGone') : t('detailOpening'))}</p>
            {/* Its one control: Escape there goes back as it does, as in the detail view. */}
            <button type="button" onClick={() => close(opened.key)} onKeyDown={onEscape(() => close(opened.key))}>
              {t('buttonBackToList')}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
