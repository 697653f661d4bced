// The notice of datasets deleted in another browser and dropped here, until the person dismisses it. In the chunk
// of the views the first frame does not show (later-views.ts).
import { t } from '../shared/i18n';
import { send } from '../ui/send';

export function DroppedNotice({ dropped, onChanged }: { dropped: readonly string[]; onChanged: () => Promise<void> }) {
  return (
    <div role="status" class="notice">
      <p>{t('noticeDatasetsDeleted', dropped.join(', '))}</p>
      <button type="button" class="small" onClick={() => void send('dismissDroppedDatasets').then(onChanged, onChanged)}>
        {t('buttonDismiss')}
      </button>
    </div>
  );
}
