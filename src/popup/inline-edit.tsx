// A record edited in its own row: the value's field, and the Save, Expand and Cancel buttons that take the
// place of Edit and Delete. In the chunk of the views only some states show (later-views.ts): a row shows
// them once the person presses Edit, not in the popup's first frame.
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../shared/i18n';
import { leaveOnEscape } from './keep-focus';

/** Escape anywhere in the edited row does what its Cancel does (keep-focus.ts): Cancel drops what was typed. */
const cancelOnEscape = (changed: boolean, onCancel: () => void) =>
  leaveOnEscape(changed, () => document.activeElement?.closest('tr')?.querySelector<HTMLElement>('.cancel-edit'), onCancel);

interface FieldProps {
  recordKey: string;
  draft: string;
  setDraft: (draft: string) => void;
  /** The last change of this record was refused (told under the list, as #row-refusal). */
  refused: boolean;
  /** The field holds another value than the record's. */
  changed: boolean;
  onSubmit: (event: Event) => void;
  onCancel: () => void;
}

/** The value's field; the focus moves into it as it opens. */
export function EditField({ recordKey, draft, setDraft, refused, changed, onSubmit, onCancel }: FieldProps) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <form onSubmit={onSubmit} onKeyDown={cancelOnEscape(changed, onCancel)} class="inline-edit">
      <input
        aria-label={t('labelEditValue', recordKey)}
        dir="auto"
        value={draft}
        aria-invalid={refused}
        aria-describedby={refused ? 'row-refusal' : undefined}
        onInput={(event) => setDraft(event.currentTarget.value)}
        ref={input}
      />
    </form>
  );
}

interface ButtonsProps {
  recordKey: string;
  /** Saves what the field holds, as pressing Enter in it does. */
  onSave: (event: Event) => void;
  onExpand: () => void;
  /** The field holds another value than the record's. */
  changed: boolean;
  onCancel: () => void;
}

/** In the actions cell, to keep the row one line. */
export function EditButtons({ recordKey, onSave, onExpand, changed, onCancel }: ButtonsProps) {
  const onEscapeKey = cancelOnEscape(changed, onCancel);
  return (
    <>
      <button
        key="save"
        type="button"
        class="icon primary"
        aria-label={t('labelSaveRecord', recordKey)}
        title={t('buttonSave')}
        onClick={onSave}
        onKeyDown={onEscapeKey}
      >
        ✓
      </button>
      <button
        key="expand"
        type="button"
        class="icon"
        aria-label={t('labelExpandRecord', recordKey)}
        title={t('buttonExpand')}
        onClick={onExpand}
        onKeyDown={onEscapeKey}
      >
        ⤢
      </button>
      <button
        key="cancel"
        type="button"
        class="icon cancel-edit"
        aria-label={t('labelCancelEdit', recordKey)}
        title={t('buttonCancel')}
        onClick={onCancel}
        onKeyDown={onEscapeKey}
      >
        ↩
      </button>
    </>
  );
}
