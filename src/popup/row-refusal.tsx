// Why a change of a row was refused, told right under the list (a row is one line high), naming the record.
// In the chunk of the views the first frame does not show (later-views.ts).
import type { AppError } from '../shared/errors';
import { t } from '../shared/i18n';
import { Feedback } from './feedback';
import { OneLine } from './one-line';

export function RowRefusal({ recordKey, error }: { recordKey: string; error: AppError }) {
  return (
    <div class="row-refusal">
      <p class="refused-key">
        {t('refusedRecord')} <OneLine text={recordKey} tagForm />
      </p>
      <Feedback id="row-refusal" error={error} />
    </div>
  );
}
