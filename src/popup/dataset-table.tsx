import { useEffect, useRef, useState } from 'preact/hooks';
import { holdsEveryRecord, type DatasetView, type RecordState, type RecordView } from '../shared/dataset';
import type { AppError } from '../shared/errors';
import { t, type MessageKey } from '../shared/i18n';
import { WindowedTable } from '../ui/windowed-table';
import { OneLine } from './one-line';
import { PREVIEW_CHARS } from './visible-text';
import { FIRST_SCREEN_TIMING } from './marks';
import { laterViews } from './later-views-chunk';
import type { DraftsPlace } from './drafts';
import { useKeptDrafts } from './use-kept-drafts';

/** One line per record; the popup shows this many at once (the first screen, painted in the first frame). */
export const ROW_HEIGHT = 32;
export const SCREEN_ROWS = 10;

/** After a delete the row is gone: give focus to the form that adds the next record. */
function focusNewKey(): void {
  document.querySelector<HTMLInputElement>('.add-record input')?.focus();
}

/** A value a one-line field would change (line breaks) or hide (longer than a row shows): edited in the detail view. */
export function needsDetailView(value: string): boolean {
  return value.length > PREVIEW_CHARS || /[\r\n]/.test(value);
}

const STATE_LABELS: Record<RecordState, MessageKey> = {
  synced: 'stateSynced',
  pending: 'statePending',
  resolved: 'stateResolved',
};

interface Actions {
  /** Resolve to the reason the change was refused, or undefined once done. */
  onSave: (key: string, value: string) => Promise<AppError | undefined>;
  onDelete: (key: string) => Promise<AppError | undefined>;
  /** Opens the record in the detail view, with the value being typed if any. */
  onOpen: (key: string, draft?: string) => void;
}

interface CellsProps extends Actions {
  record: RecordView;
  /** The value being typed, while the record is edited; kept by the table, so it survives scrolling away. */
  draft: string | undefined;
  setDraft: (draft: string | undefined) => void;
  /** Tells the table why a change of this record was refused (shown under the list, by the row's field). */
  setRefusal: (error: AppError | undefined) => void;
  refused: boolean;
  /** Marks the key's paint for Element Timing (the last row of the first screen). */
  timing: string | undefined;
}

function RecordCells({ record, draft, setDraft, onSave, onDelete, onOpen, setRefusal, refused, timing }: CellsProps) {
  // The field and its buttons come with the chunk of the views only some states show (loaded after the first paint).
  const later = laterViews.useModule();
  const editing = draft !== undefined && later !== undefined;
  const changed = draft !== record.value;
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  // Focus follows the editor: into the field when it opens (inline-edit.tsx), back to the row's Edit button when it closes.
  useEffect(() => {
    if (!editing && wasEditing.current) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  const close = (): void => {
    setRefusal(undefined);
    setDraft(undefined);
  };
  const save = (event: Event): void => {
    event.preventDefault();
    if (draft === undefined) return;
    void onSave(record.key, draft).then((refusal) => {
      setRefusal(refusal);
      if (!refusal) setDraft(undefined);
    });
  };
  const edit = (): void => (needsDetailView(record.value) ? onOpen(record.key) : setDraft(record.value));
  const remove = (): void =>
    void onDelete(record.key).then((refusal) => {
      setRefusal(refusal);
      if (!refusal) focusNewKey();
    });
  return (
    <>
      <th scope="row" dir="auto" title={record.key} elementtiming={timing}>
        <OneLine text={record.key} tagForm />
      </th>
      <td dir="auto">
        {editing ? (
          <later.EditField
            recordKey={record.key}
            draft={draft}
            setDraft={setDraft}
            refused={refused}
            changed={changed}
            onSubmit={save}
            onCancel={close}
          />
        ) : (
          <span class="value">
            <OneLine text={record.value} />
          </span>
        )}
      </td>
      <td>
        <span class={`badge ${record.state}`}>{t(STATE_LABELS[record.state])}</span>
      </td>
      <td class="actions">
        {editing ? (
          // A component of its own: the Edit button just clicked is replaced, not turned into Save mid-click.
          <later.EditButtons recordKey={record.key} onSave={save} onExpand={() => onOpen(record.key, draft)} changed={changed} onCancel={close} />
        ) : (
          <>
            <button
              key="edit"
              type="button"
              class="icon"
              ref={editButton}
              aria-label={t('labelEditRecord', record.key)}
              title={t('buttonEdit')}
              onClick={edit}
            >
              ✎
            </button>
            <button
              key="delete"
              type="button"
              class="icon danger"
              aria-label={t('labelDeleteRecord', record.key)}
              title={t('buttonDelete')}
              onClick={remove}
            >
              ✕
            </button>
          </>
        )}
      </td>
    </>
  );
}

interface TableProps extends Actions {
  dataset: DatasetView;
  /** The records to list: all of them, or those a search found. */
  records: readonly RecordView[];
  /** Whose dataset: the values typed in rows are kept for it until saved or cancelled (drafts.ts). */
  place: DraftsPlace;
}

export function DatasetTable({ dataset, records, onSave, onDelete, onOpen, place }: TableProps) {
  const [drafts, setDrafts] = useState<ReadonlyMap<string, string>>(new Map());
  const later = laterViews.useModule();
  // Rows being edited when the popup last closed (or when a search last hid the list) open again as they were.
  const keeper = useKeptDrafts(place, ({ rows }) => {
    if (rows) setDrafts((current) => new Map([...Object.entries(rows), ...current]));
  });
  useEffect(() => {
    keeper?.keepDraft(place, 'rows', drafts.size > 0 ? Object.fromEntries(drafts) : undefined);
  }, [drafts, keeper, place.identityId, place.datasetName]);
  // A record deleted meanwhile (in another browser, say) takes its row's draft with it, once every record is here.
  const whole = holdsEveryRecord(dataset);
  useEffect(() => {
    if (!keeper || !whole) return;
    const live = new Set(dataset.records.map((record) => record.key));
    if ([...drafts.keys()].every((key) => live.has(key))) return;
    setDrafts((current) => new Map([...current].filter(([key]) => live.has(key))));
  }, [dataset.records, whole, keeper]);
  // The last refused change of a row, told right under the list (a row is one line high).
  const [refusal, setRefusalState] = useState<{ key: string; error: AppError }>();
  const setDraft = (key: string) => (draft: string | undefined) =>
    setDrafts((current) => {
      const next = new Map(current);
      if (draft === undefined) next.delete(key);
      else next.set(key, draft);
      return next;
    });
  const setRefusal = (key: string) => (error: AppError | undefined) =>
    setRefusalState((current) => (error ? { key, error } : current?.key === key ? undefined : current));
  const open = (key: string, draft?: string): void => {
    setDraft(key)(undefined);
    onOpen(key, draft);
  };
  const lastOfFirstScreen = Math.min(records.length, SCREEN_ROWS) - 1;
  return (
    <>
      <WindowedTable
        class="records"
        items={records}
        // Rows the first frame has not read yet (src/shared/first-screen.ts) keep their place, unless a search narrowed the list.
        rowCount={records === dataset.records ? dataset.recordCount : undefined}
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
            setRefusal={setRefusal(record.key)}
            refused={refusal?.key === record.key}
            onSave={onSave}
            onDelete={onDelete}
            onOpen={open}
            timing={index === lastOfFirstScreen ? FIRST_SCREEN_TIMING : undefined}
          />
        )}
      />
      {/* Under the list (a row is one line high); its view comes with the chunk loaded after the first paint. */}
      {refusal && later && (
        <later.RowRefusal error={refusal.error}>
          <OneLine text={refusal.key} tagForm />
        </later.RowRefusal>
      )}
    </>
  );
}
