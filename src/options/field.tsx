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
  /** A checkbox: the box comes first, its label beside it on the same line, as checkboxes are read. */
  check?: boolean;
}

/** A labelled control with its help text and, when refused, the reason right under it. */
export function Field({ name, label, hint, problem, fault, children, check = false }: FieldProps) {
  const id = `field-${name}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const error = problem ? t(problem) : fault;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  const control = children({ id, describedBy, invalid: error !== undefined });
  const labelled = <label for={id}>{t(label)}</label>;
  return (
    <div class={['field', check && 'check', error && 'invalid'].filter(Boolean).join(' ')}>
      {check ? (
        <div class="check-row">
          {control}
          {labelled}
        </div>
      ) : (
        <>
          {labelled}
          {control}
        </>
      )}
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
