import type { ComponentChildren } from 'preact';
import { t, type MessageKey } from '../shared/i18n';
import type { FieldProblem, SettingsField } from '../shared/settings';

interface FieldProps {
  name: SettingsField;
  label: MessageKey;
  hint?: MessageKey;
  problem: FieldProblem | undefined;
  /** What Check found wrong with the field, already in words; a validation problem comes first. */
  fault?: string | undefined;
  children: (ids: { id: string; describedBy: string; invalid: boolean }) => ComponentChildren;
}

/** A labelled control with its help text and, when refused, the reason right under it. */
export function Field({ name, label, hint, problem, fault, children }: FieldProps) {
  const id = `field-${name}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const error = problem ? t(problem) : fault;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{t(label)}</label>
      {children({ id, describedBy, invalid: error !== undefined })}
      {hint && (
        <p class="hint" id={hintId}>
          {t(hint)}
        </p>
      )}
      {error && (
        <p class="error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
