// The open dataset's name in the popup, the notice of datasets deleted in another browser, and the button
// that opens the list of datasets. The list (dataset-manager.tsx) is a chunk of its own, loaded by
// `import()` the first time it is opened, so the popup's first paint carries none of it.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DatasetView } from '../shared/dataset';
import { t } from '../shared/i18n';
import { send } from '../ui/send';
import type { DatasetManagerModule } from './dataset-manager';

function isManagerModule(value: unknown): value is DatasetManagerModule {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { mountDatasetManager?: unknown }).mountDatasetManager === 'function' &&
    typeof (value as { unmountDatasetManager?: unknown }).unmountDatasetManager === 'function'
  );
}

async function loadManager(): Promise<DatasetManagerModule> {
  const module: unknown = await import('./dataset-manager');
  if (!isManagerModule(module)) throw new Error('dataset-manager exports no mountDatasetManager');
  return module;
}

export function DatasetPicker({ dataset, onChanged }: { dataset: DatasetView; onChanged: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [manager, setManager] = useState<DatasetManagerModule>();
  const [failed, setFailed] = useState<string>();
  const container = useRef<HTMLDivElement>(null);
  const dropped = dataset.dropped ?? [];
  // What the list shows changes with the open dataset's syncs and edits: it reads the worker again then.
  const revision = `${dataset.lastSyncedAt ?? 0}:${dataset.records.length}:${dataset.pendingCount}`;

  useEffect(() => {
    if (!open || manager) return;
    loadManager().then(setManager, (error: unknown) => setFailed(String(error)));
  }, [open, manager]);

  useEffect(() => {
    const root = container.current;
    if (!open || !manager || !root) return undefined;
    // Rendered again into the same element on each change: the list keeps its own state (a confirmation...).
    manager.mountDatasetManager(root, { openName: dataset.name, revision, onChanged, onClose: () => setOpen(false) });
    return undefined;
  }, [open, manager, dataset.name, revision, onChanged]);

  useEffect(() => {
    const root = container.current;
    if (open || !manager || !root) return undefined;
    manager.unmountDatasetManager(root);
    return undefined;
  }, [open, manager]);

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
      <div id="dataset-manager" ref={container} hidden={!open} />
    </div>
  );
}
