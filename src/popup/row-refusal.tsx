// Why a change of a row was refused, told right under the list (a row is one line high), naming the record.
// In the chunk of the views the first frame does not show (later-views.ts).
import type { ComponentChildren } from 'preact';
import type { AppError } from '../shared/errors';
import { t } from '../shared/i18n';
import { Failure } from './way-out-button';

/** `children`: the record's key as the list shows it (one-line.tsx, which the popup's first load carries). */
export function RowRefusal({ error, children }: { error: AppError; children: ComponentChildren }) {
  return (
    <div class="row-refusal">
      <p class="refused-key">
        {t('refusedRecord')} {children}
      </p>
      <Failure id="row-refusal" error={error} />
    </div>
  );
}
