import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { DatasetView, RecordState, RecordView } from '../shared/dataset';
import { t, type MessageKey } from '../shared/i18n';
import { WindowedTable } from '../ui/windowed-table';

/** One line per record; the popup shows this many at once (the first screen, painted in the first frame). */
export const ROW_HEIGHT = 32;
export const SCREEN_ROWS = 10;
/** The name of the Element Timing entry for the last row of the first screen (the bench reads it). */
export const FIRST_SCREEN_TIMING = 'popup-first-screen';

/** After a delete the row is gone: give focus to the form that adds the next record. */
function focusNewKey(): void {
  document.querySelector<HTMLInputElement>('.add-record input')?.focus();
}

const STATE_LABELS: Record<RecordState, MessageKey> = {
  synced: 'stateSynced',
  pending: 'statePending',
  resolved: 'stateResolved',
};

interface Actions {
  /** Resolve false when the change was refused (the reason is shown elsewhere). */
  onSave: (key: string, value: string) => Promise<boolean>;
  onDelete: (key: string) => Promise<boolean>;
}

interface CellsProps extends Actions {
  record: RecordView;
  /** The value being typed, while the record is edited; kept by the table, so it survives scrolling away. */
  draft: string | undefined;
  setDraft: (draft: string | undefined) => void;
  /** Marks the key's paint for Element Timing (the last row of the first screen). */
  timing: string | undefined;
}

function RecordCells({ record, draft, setDraft, onSave, onDelete, timing }: CellsProps) {
  const editing = draft !== undefined;
  const formId = useId();
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
    <>
      <th scope="row" title={record.key} elementtiming={timing}>
        {record.key}
      </th>
      <td>
        {editing ? (
          <form id={formId} onSubmit={save} class="inline-edit">
            <input
              aria-label={t('labelEditValue', record.key)}
              value={draft}
              onInput={(event) => setDraft(event.currentTarget.value)}
              onKeyDown={(event) => event.key === 'Escape' && setDraft(undefined)}
              ref={input}
            />
          </form>
        ) : (
          <span class="value" title={record.value}>
            {record.value}
          </span>
        )}
      </td>
      <td>
        <span class={`badge ${record.state}`}>{t(STATE_LABELS[record.state])}</span>
      </td>
      <td class="actions">
        {editing ? (
          <>
            {/* In the actions cell to keep the row one line; `form` ties it to the field's form. Keyed, so that
                the Edit button just clicked is replaced, not turned into this submit button mid-click. */}
            <button key="save" type="submit" form={formId} class="small primary" aria-label={t('labelSaveRecord', record.key)}>
              {t('buttonSave')}
            </button>
            <button key="cancel" type="button" class="small" onClick={() => setDraft(undefined)}>
              {t('buttonCancel')}
            </button>
          </>
        ) : (
          <>
            <button
              key="edit"
              type="button"
              class="small"
              ref={editButton}
              aria-label={t('labelEditRecord', record.key)}
              onClick={() => setDraft(record.value)}
            >
              {t('buttonEdit')}
            </button>
            <button
              key="delete"
              type="button"
              class="small danger"
              aria-label={t('labelDeleteRecord', record.key)}
              onClick={() => void onDelete(record.key).then((deleted) => deleted && focusNewKey())}
            >
              {t('buttonDelete')}
            </button>
          </>
        )}
      </td>
    </>
  );
}

export function DatasetTable({ dataset, onSave, onDelete }: { dataset: DatasetView } & Actions) {
  const [drafts, setDrafts] = useState<ReadonlyMap<string, string>>(new Map());
  if (dataset.records.length === 0) return <p class="empty">{t('datasetEmpty')}</p>;
  const setDraft = (key: string) => (draft: string | undefined) =>
    setDrafts((current) => {
      const next = new Map(current);
      if (draft === undefined) next.delete(key);
      else next.set(key, draft);
      return next;
    });
  const lastOfFirstScreen = Math.min(dataset.records.length, SCREEN_ROWS) - 1;
  return (
    <WindowedTable
      class="records"
      items={dataset.records}
      rowCount={dataset.recordCount}
      itemKey={(record) => record.key}
      rowClass={(record) => `state-${record.state}`}
      rowHeight={ROW_HEIGHT}
      screenRows={SCREEN_ROWS}
      columns={4}
      pinnedKeys={[...drafts.keys()]}
      caption={<caption class="visually-hidden">{t('datasetCaption', dataset.name)}</caption>}
      head={
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">{t('labelKey')}</th>
            <th scope="col">{t('labelValue')}</th>
            <th scope="col">{t('labelState')}</th>
            <th scope="col">
              <span class="visually-hidden">{t('labelActions')}</span>
            </th>
          </tr>
        </thead>
      }
      renderCells={(record, index) => (
        <RecordCells
          record={record}
          draft={drafts.get(record.key)}
          setDraft={setDraft(record.key)}
          onSave={onSave}
          onDelete={onDelete}
          timing={index === lastOfFirstScreen ? FIRST_SCREEN_TIMING : undefined}
        />
      )}
    />
  );
}
