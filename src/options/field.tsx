import type { ComponentChildren } from 'preact';
import { t, type MessageKey } from '../shared/i18n';
import type { FieldProblem, SettingsField } from '../shared/settings';

interface FieldProps {
  name: SettingsField;
  label: MessageKey;
  hint?: MessageKey;
  problem: FieldProblem | undefined;
  children: (ids: { id: string; describedBy: string; invalid: boolean }) => ComponentChildren;
}

/** A labelled control with its help text and, when refused, the reason right under it. */
export function Field({ name, label, hint, problem, children }: FieldProps) {
  const id = `field-${name}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', problem ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div class={problem ? 'field invalid' : 'field'}>
      <label for={id}>{t(label)}</label>
      {children({ id, describedBy, invalid: problem !== undefined })}
      {hint && (
        <p class="hint" id={hintId}>
          {t(hint)}
        </p>
      )}
      {problem && (
        <p class="error" id={errorId}>
          {t(problem)}
        </p>
      )}
    </div>
  );
}
