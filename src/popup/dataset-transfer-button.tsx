// The popup's way to the dataset's export and import: the panel (dataset-transfer.tsx) is its own chunk,
// fetched with import() on the first click, so the popup's first frame does not carry it.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import type { DatasetTransferProps } from './dataset-transfer';

type Panel = (props: DatasetTransferProps) => JSX.Element;

export function DatasetTransferButton({ dataset, run }: Pick<DatasetTransferProps, 'dataset' | 'run'>) {
  const [Panel, setPanel] = useState<Panel | undefined>(undefined);
  const [open, setOpen] = useState(false);
  const show = (): void => {
    setOpen(true);
    if (!Panel) {
      void run(async () => {
        const { DatasetTransfer } = await import('./dataset-transfer');
        // A function in state is called as an updater: hand it over inside one.
        setPanel(() => DatasetTransfer);
      });
    }
  };
  if (open && Panel) return <Panel dataset={dataset} run={run} onClose={() => setOpen(false)} />;
  return (
    <button type="button" class="small transfer-open" onClick={show} aria-expanded={open}>
      {t('buttonDatasetTransfer')}
    </button>
  );
}
