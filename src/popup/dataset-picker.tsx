// The open dataset's name in the popup, the notice of datasets deleted in another browser, and the button
// that opens the list of datasets. The list (dataset-manager.tsx) is a chunk of its own, loaded by
// `import()` the first time it is opened, so the popup's first paint carries none of it.
import { useEffect, useState } from 'preact/hooks';
import type { DatasetView } from '../shared/dataset';
import { t } from '../shared/i18n';
import { send } from '../ui/send';
import type { DatasetManager } from './dataset-manager';

// Not needed for the first frame: its code loads when the list is first opened.
const loadManager = () => import('./dataset-manager');

export function DatasetPicker({ dataset, onChanged }: { dataset: DatasetView; onChanged: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [manager, setManager] = useState<{ view: typeof DatasetManager }>();
  const [failed, setFailed] = useState<string>();
  const dropped = dataset.dropped ?? [];
  // What the list shows changes with the open dataset's syncs and edits: it reads the worker again then.
  const revision = `${dataset.lastSyncedAt ?? 0}:${dataset.records.length}:${dataset.pendingCount}`;

  useEffect(() => {
    if (!open || manager) return;
    loadManager().then(
      (module) => setManager({ view: module.DatasetManager }),
      (error: unknown) => setFailed(String(error)),
    );
  }, [open, manager]);
  const Manager = manager?.view;

  return (
    <div class="dataset-picker">
      <p class="dataset-current">
        <span>{t('datasetCurrent')}</span> <strong dir="auto">{dataset.name}</strong>
        <button type="button" class="small" aria-expanded={open} aria-controls="dataset-manager" onClick={() => setOpen(!open)}>
          {t('buttonDatasets')}
        </button>
      </p>
      {dropped.length > 0 && (
        <div role="status" class="notice">
          <p>{t('noticeDatasetsDeleted', dropped.join(', '))}</p>
          <button type="button" class="small" onClick={() => void send('dismissDroppedDatasets').then(onChanged, onChanged)}>
            {t('buttonDismiss')}
          </button>
        </div>
      )}
      {failed && <p class="error">{t('errorInternal', failed)}</p>}
      <div id="dataset-manager" hidden={!open}>
        {open && Manager && <Manager openName={dataset.name} revision={revision} onChanged={onChanged} onClose={() => setOpen(false)} />}
      </div>
    </div>
  );
}
