// The list of datasets: switch, create, delete (confirmed, naming the dataset and its records). A chunk of its
// own, loaded with import() when the person first opens it (dataset-picker.tsx).
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { DatasetSummaryEntry, DatasetListing } from '../shared/dataset';
import { AppError } from '../shared/errors';
import { t } from '../shared/i18n';
import { send } from '../ui/send';
import { focusLost, onEscape } from './keep-focus';

export interface DatasetManagerProps {
  /** The dataset the popup shows. */
  openName: string;
  /** Changes when the open dataset was synced or edited: the list is read again. */
  revision: string;
  /** After a switch, a creation or a deletion: the popup reads the worker's state again. */
  onChanged(): Promise<void>;
  onClose(): void;
}

function summary(entry: DatasetSummaryEntry): string {
  const records = String(entry.records);
  const at = entry.modifiedAt;
  if (at === undefined || at === 0) return t('datasetSummaryNeverSynced', records);
  return t('datasetSummary', [records, new Date(at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })]);
}

function messageOf(error: unknown): string {
  return error instanceof AppError ? error.message : t('errorInternal', String(error));
}

export function DatasetManager({ openName, revision, onChanged, onClose }: DatasetManagerProps) {
  const [listing, setListing] = useState<DatasetListing>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState('');
  const [confirming, setConfirming] = useState<DatasetSummaryEntry>();
  // The question takes the focus, on its safe answer; answered, the focus goes where the person can go on.
  const cancelDelete = useRef<HTMLButtonElement>(null);
  const newName = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    if (confirming) cancelDelete.current?.focus();
  }, [confirming]);
  const answer = (doomed: DatasetSummaryEntry, remove: boolean): void => {
    setConfirming(undefined);
    if (!remove) {
      const name = t('buttonDeleteDatasetNamed', doomed.name);
      requestAnimationFrame(() =>
        [...document.querySelectorAll<HTMLButtonElement>('.dataset-list button')].find((b) => b.getAttribute('aria-label') === name)?.focus(),
      );
      return;
    }
    newName.current?.focus();
    void act(() => send('deleteDataset', doomed.name));
  };

  const reload = async (): Promise<void> => {
    try {
      setListing(await send('listDatasets'));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  // The list is read again when the open dataset changes or syncs.
  useEffect(() => void reload(), [openName, revision]);

  // Open and Create stay focusable while busy (aria-disabled, keep-focus.ts): presses then do nothing.
  const act = async (action: () => Promise<unknown>): Promise<boolean> => {
    if (busy) return false;
    setBusy(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (e) {
      setError(messageOf(e));
      return false;
    } finally {
      setBusy(false);
      await reload();
      await onChanged();
    }
  };

  // The opened dataset's Open gives way to its badge: the focus goes to its name, which says what is open now.
  const open = (name: string): void => {
    void act(() => send('switchDataset', name)).then((opened) => {
      if (opened) requestAnimationFrame(() => focusLost() && document.querySelector<HTMLElement>('.dataset-list .open .dataset-name')?.focus());
    });
  };

  const create = (event: Event): void => {
    event.preventDefault();
    void act(() => send('createDataset', name)).then((created) => created && setName(''));
  };

  // Escape answers the question with its Cancel while it is asked, and otherwise closes the list as Close does.
  const leaveOnEscape = onEscape(() => (confirming ? answer(confirming, false) : onClose()));
  return (
    <section class="dataset-manager" aria-label={t('datasetsTitle')} aria-busy={busy} onKeyDown={leaveOnEscape}>
      {listing?.serverError && <p class="muted">{t('datasetsLocalOnly', listing.serverError.message)}</p>}
      <ul class="dataset-list">
        {(listing?.datasets ?? []).map((entry) => (
          <li key={entry.name} class={entry.name === openName ? 'open' : undefined}>
            <span class="dataset-name" dir="auto" tabIndex={-1}>
              {entry.name}
            </span>
            <span class="muted">
              {summary(entry)}
              {entry.onServer ? '' : ` · ${t('datasetLocalOnly')}`}
            </span>
            {entry.name === openName ? (
              <span class="badge">{t('datasetOpen')}</span>
            ) : (
              <button
                type="button"
                class="small"
                aria-disabled={busy}
                aria-label={t('buttonOpenDatasetNamed', entry.name)}
                onClick={() => open(entry.name)}
              >
                {t('buttonOpenDataset')}
              </button>
            )}
            <button
              type="button"
              class="small danger"
              disabled={busy}
              aria-label={t('buttonDeleteDatasetNamed', entry.name)}
              onClick={() => setConfirming(entry)}
            >
              {t('buttonDelete')}
            </button>
          </li>
        ))}
      </ul>
      {confirming && (
        <div role="alertdialog" aria-labelledby="confirm-delete-dataset" class="alert">
          <p id="confirm-delete-dataset">{t('confirmDeleteDataset', [confirming.name, String(confirming.records)])}</p>
          <button type="button" class="danger" disabled={busy} onClick={() => answer(confirming, true)}>
            {t('buttonDeleteDataset')}
          </button>
          <button type="button" ref={cancelDelete} onClick={() => answer(confirming, false)}>
            {t('buttonCancel')}
          </button>
        </div>
      )}
      <form class="create-dataset" onSubmit={create} noValidate>
        <input
          ref={newName}
          aria-label={t('labelNewDataset')}
          placeholder={t('labelNewDataset')}
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
        <button type="submit" aria-disabled={busy}>
          {t('buttonCreateDataset')}
        </button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {/* Named for what it closes: the export panel's Close can be shown beside it (dataset-transfer.tsx). */}
      <button type="button" class="small" onClick={onClose} aria-label={t('labelCloseDatasets')}>
        {t('buttonClose')}
      </button>
    </section>
  );
}
