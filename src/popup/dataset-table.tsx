import { useEffect, useRef, useState } from 'preact/hooks';
import type { DatasetView, RecordState, RecordView } from '../shared/dataset';
import { t, type MessageKey } from '../shared/i18n';

/** After a delete the row is gone: give focus to the form that adds the next record. */
function focusNewKey(): void {
  document.querySelector<HTMLInputElement>('.add-record input')?.focus();
}

const STATE_LABELS: Record<RecordState, MessageKey> = {
  synced: 'stateSynced',
  pending: 'statePending',
  resolved: 'stateResolved',
};

interface RowProps {
  record: RecordView;
  /** Resolve false when the change was refused (the reason is shown elsewhere). */
  onSave: (key: string, value: string) => Promise<boolean>;
  onDelete: (key: string) => Promise<boolean>;
}

function Row({ record, onSave, onDelete }: RowProps) {
  const [draft, setDraft] = useState<string>();
  const editing = draft !== undefined;
  const input = useRef<HTMLInputElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  // Focus follows the editor: into the field when it opens, back to the row's Edit button when it closes.
  useEffect(() => {
    if (editing) input.current?.focus();
    else if (wasEditing.current) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  const save = (event: Event): void => {
    event.preventDefault();
    if (draft === undefined) return;
    void onSave(record.key, draft).then((saved) => saved && setDraft(undefined));
  };
  return (
    <tr class={`state-${record.state}`}>
      <th scope="row">{record.key}</th>
      <td>
        {draft === undefined ? (
          <span class="value">{record.value}</span>
        ) : (
          <form onSubmit={save} class="inline-edit">
            <input
              aria-label={t('labelEditValue', record.key)}
              value={draft}
              onInput={(event) => setDraft(event.currentTarget.value)}
              onKeyDown={(event) => event.key === 'Escape' && setDraft(undefined)}
              ref={input}
            />
            <button type="submit" class="small primary" aria-label={t('labelSaveRecord', record.key)}>
              {t('buttonSave')}
            </button>
            <button type="button" class="small" onClick={() => setDraft(undefined)}>
              {t('buttonCancel')}
            </button>
          </form>
        )}
      </td>
      <td>
        <span class={`badge ${record.state}`}>{t(STATE_LABELS[record.state])}</span>
      </td>
      <td class="actions">
        {draft === undefined && (
          <button
            type="button"
            class="small"
            ref={editButton}
            aria-label={t('labelEditRecord', record.key)}
            onClick={() => setDraft(record.value)}
          >
            {t('buttonEdit')}
          </button>
        )}
        <button type="button" class="small danger" aria-label={t('labelDeleteRecord', record.key)} onClick={() => void onDelete(record.key).then((deleted) => deleted && focusNewKey())}>
          {t('buttonDelete')}
        </button>
      </td>
    </tr>
  );
}

export function DatasetTable({ dataset, onSave, onDelete }: { dataset: DatasetView } & Omit<RowProps, 'record'>) {
  if (dataset.records.length === 0) return <p class="empty">{t('datasetEmpty')}</p>;
  return (
    <table>
      <caption class="visually-hidden">{t('datasetCaption', dataset.name)}</caption>
      <thead>
        <tr>
          <th scope="col">{t('labelKey')}</th>
          <th scope="col">{t('labelValue')}</th>
          <th scope="col">{t('labelState')}</th>
          <th scope="col">
            <span class="visually-hidden">{t('labelActions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {dataset.records.map((record) => (
          <Row key={record.key} record={record} onSave={onSave} onDelete={onDelete} />
        ))}
      </tbody>
    </table>
  );
}
