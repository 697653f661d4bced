// The open dataset's name in the popup, the notice of datasets deleted in another browser, and the button
// that opens the list of datasets. The list (dataset-manager.tsx) and the notice come with the chunk of the views
// the first frame does not show (later-views.ts), so the popup's first paint carries neither.
import { useRef, useState } from 'preact/hooks';
import type { DatasetView } from '../shared/dataset';
import { t } from '../shared/i18n';
import { laterViews } from './later-views-chunk';

export function DatasetPicker({ dataset, onChanged }: { dataset: DatasetView; onChanged: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const later = laterViews.useModule();
  const [failed, setFailed] = useState<string>();
  const button = useRef<HTMLButtonElement>(null);
  // The list's Close hides it: the focus goes back to the button that opened it.
  const close = (): void => {
    setOpen(false);
    button.current?.focus();
  };
  const dropped = dataset.dropped ?? [];
  // What the list shows changes with the open dataset's syncs and edits: it reads the worker again then.
  const revision = `${dataset.lastSyncedAt ?? 0}:${dataset.records.length}:${dataset.pendingCount}`;

  const toggle = (): void => {
    setOpen(!open);
    setFailed(undefined);
    if (!later) laterViews.preload().catch((error: unknown) => setFailed(String(error)));
  };
  const Manager = later?.DatasetManager;

  return (
    <div class="dataset-picker">
      <div class="dataset-current">
        {/* The heading of what follows: the open dataset's records, its list of datasets, its export and import. */}
        <h2>
          <span>{t('datasetCurrent')}</span> <strong dir="auto">{dataset.name}</strong>
        </h2>
        <button type="button" ref={button} class="small" aria-expanded={open} aria-controls="dataset-manager" onClick={toggle}>
          {t('buttonDatasets')}
        </button>
      </div>
      {dropped.length > 0 && later && <later.DroppedNotice dropped={dropped} onChanged={onChanged} />}
      {failed && <p class="error">{t('errorInternal', failed)}</p>}
      <div id="dataset-manager" hidden={!open}>
        {open && Manager && <Manager openName={dataset.name} revision={revision} onChanged={onChanged} onClose={close} />}
      </div>
    </div>
  );
}
