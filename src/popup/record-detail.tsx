// The detail view of one record: its key in full, its value in a multi-line field to read and edit a long value.
// Loaded on first use (dataset-panel.tsx), so the popup's first frame does not carry it.
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RecordView } from '../shared/dataset';
import type { AppError } from '../shared/errors';
import { t } from '../shared/i18n';
import { leaveOnEscape } from './keep-focus';
import { Failure } from './way-out-button';

interface Props {
  record: RecordView;
  /** The key as the list shows it, in full (one-line.tsx, which the popup's first load carries). */
  heading: ComponentChildren;
  /** A value typed in the record's row before opening it here. */
  draft: string | undefined;
  /** The record's value `draft` was typed over, when that may be older than the record's (a draft kept from before). */
  base?: string | undefined;
  /** Told the value typed here and the one it was typed over, when it differs from the record's; else undefined. */
  onType: (typed: { value: string; base: string } | undefined) => void;
  /** Resolve to why the change was refused, or undefined once done. */
  onSave: (value: string) => Promise<AppError | undefined>;
  onDelete: () => Promise<AppError | undefined>;
  onClose: () => void;
}

/** UTF-8 size, as the dataset's limits count it, in KB with one decimal. */
function kilobytes(text: string): string {
  return (new TextEncoder().encode(text).length / 1024).toFixed(1);
}

export function RecordDetail({ record, heading, draft, base: startedFrom, onType, onSave, onDelete, onClose }: Props) {
  const [value, setValue] = useState(draft ?? record.value);
  // The value the person started from. A sync may bring a newer one while the view is open: untouched, the
  // field follows it; typed over (here or in the row), the field keeps the person's text and says so.
  const [base, setBase] = useState(startedFrom ?? record.value);
  const typed = value !== base;
  useEffect(() => {
    if (typed || record.value === base) return;
    setValue(record.value);
    setBase(record.value);
  }, [record.value, typed]);
  // Not when the record holds the typed text: a save from here reads the record back with it before the view
  // closes, and a change elsewhere to the same text loses nothing.
  const changedElsewhere = typed && record.value !== base && record.value !== value;
  const [refusal, setRefusal] = useState<AppError>();
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  // In the frame that shows the field: an effect would wait for the next animation frame, which a page in the
  // background may not get for a while.
  useLayoutEffect(() => field.current?.focus(), []);
  const changed = value !== record.value;
  useEffect(() => onType(changed ? { value, base } : undefined), [value, changed, base]);
  const finish = (refused: AppError | undefined): void => {
    setBusy(false);
    setRefusal(refused);
    if (!refused) onClose();
  };
  // Save stays focusable while busy or with nothing to save (aria-disabled, keep-focus.ts): a refused save keeps
  // the focus on Save while its refusal is said, and a saved one until the view closes (the record holds the value
  // by then: nothing to save).
  const unavailable = busy || !changed;
  const save = (event: Event): void => {
    event.preventDefault();
    if (unavailable) return;
    setBusy(true);
    void onSave(value).then(finish);
  };
  // Escape does what the button beside Save does: Back to the list, or with text typed Discard changes, which drops
  // the text and its kept draft (drafts.ts) and which Escape only takes the focus to first (keep-focus.ts).
  const leave = useRef<HTMLButtonElement>(null);
  const onEscapeKey = leaveOnEscape(changed, () => leave.current, onClose);
  return (
    <form class="detail" onSubmit={save} onKeyDown={onEscapeKey} aria-labelledby="detail-key">
      <h3 id="detail-key" dir="auto" class="detail-key">
        {heading}
      </h3>
      <textarea
        ref={field}
        dir="auto"
        rows={10}
        spellcheck={false}
        aria-label={t('labelEditValue', record.key)}
        aria-invalid={refusal !== undefined}
        aria-describedby={refusal ? 'detail-refusal' : 'detail-size'}
        value={value}
        onInput={(event) => setValue(event.currentTarget.value)}
      />
      <p id="detail-size" class="hint">
        {t('detailSize', [String(value.length), kilobytes(value)])}
      </p>
      {changedElsewhere && (
        <p class="notice" role="status">
          {t('detailChangedElsewhere')}
        </p>
      )}
      {refusal && <Failure id="detail-refusal" error={refusal} />}
      <div class="buttons">
        <button type="submit" class="primary" aria-disabled={unavailable} aria-label={t('labelSaveRecord', record.key)}>
          {t('buttonSave')}
        </button>
        <button type="button" ref={leave} onClick={onClose}>
          {changed ? t('buttonDiscard') : t('buttonBackToList')}
        </button>
        <button type="button" class="danger" disabled={busy} onClick={() => void onDelete().then(finish)}>
          {t('buttonDelete')}
        </button>
      </div>
    </form>
  );
}
