// The popup's way to the dataset's export and import: the panel (dataset-transfer.tsx) comes with the chunk of
// the views the first frame does not show (later-views.ts), so the popup's first frame does not carry it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import type { DatasetTransferProps } from './dataset-transfer';
import { laterViews } from './later-views-chunk';

export function DatasetTransferButton({ dataset, run }: Pick<DatasetTransferProps, 'dataset' | 'run'>) {
  const later = laterViews.useModule();
  // The popup page opened in a tab to import a file (dataset-transfer.tsx) starts with the panel open.
  const [open, setOpen] = useState(() => new URLSearchParams(location.search).has('transfer'));
  // Closed, the panel gives its place back to this button, and the focus with it.
  const button = useRef<HTMLButtonElement>(null);
  const closed = useRef(false);
  useEffect(() => {
    if (open || !closed.current) return;
    closed.current = false;
    button.current?.focus();
  }, [open]);
  const close = (): void => {
    closed.current = true;
    setOpen(false);
  };
  const show = (): void => {
    setOpen(true);
    // Loaded after the first paint already, as a rule; if it failed then, this tries again and tells why it failed.
    if (!later) void run(() => laterViews.preload());
  };
  if (open && later) return <later.DatasetTransfer dataset={dataset} run={run} onClose={close} />;
  return (
    <button type="button" ref={button} class="small transfer-open" onClick={show} aria-expanded={open}>
      {t('buttonDatasetTransfer')}
    </button>
  );
}
