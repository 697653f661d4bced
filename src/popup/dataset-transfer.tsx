// Export the open dataset to a file, and import one: loaded with import() when the person opens it, so the
// popup's first frame does not wait for it. An import shows what it would do first (new, changed, unchanged,
// refused entries and why); only "Import these records" has the worker write them, as edits that then sync.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { DatasetView } from '../shared/dataset';
import {
  checkDatasetFileSize,
  datasetFileName,
  describeDatasetFileProblem,
  parseDatasetFile,
  planImport,
  serializeDatasetFile,
  type ImportPlan,
} from '../shared/dataset-file';
import { t } from '../shared/i18n';
import { browser } from '../ui/browser';
import { download } from '../ui/download';
import { send } from '../ui/send';
import { onEscape } from './keep-focus';

export interface DatasetTransferProps {
  dataset: DatasetView;
  /** The popup's runner: shows a failure as it shows any other; false when it failed. */
  run(action: () => Promise<unknown>): Promise<boolean>;
  onClose(): void;
}

interface Pending {
  fileName: string;
  plan: ImportPlan;
}

type Status = { kind: 'ok' | 'error'; text: string };

/**
 * Firefox closes an extension's toolbar popup as soon as a file picker opens, and the chosen file never
 * reaches it (https://bugzilla.mozilla.org/show_bug.cgi?id=1292701): there, the file is chosen in a tab.
 */
function filePickerClosesThisPage(): boolean {
  return typeof browser.runtime.getBrowserInfo === 'function' && browser.extension.getViews({ type: 'popup' }).includes(window);
}

export function DatasetTransfer({ dataset, run, onClose }: DatasetTransferProps) {
  const [pending, setPending] = useState<Pending | undefined>(undefined);
  // The panel takes the place of the button that opened it: the focus moves into it, not to the page.
  const first = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => first.current?.focus(), []);
  const [inToolbarPopup] = useState(filePickerClosesThisPage);
  // The popup page in a tab, with this panel open (dataset-transfer-button.tsx reads `?transfer`).
  const importInTab = (): void => {
    void browser.tabs.create({ url: browser.runtime.getURL('popup/index.html?transfer') }).then(() => window.close());
  };
  const [status, setStatus] = useState<Status | undefined>(undefined);
  const refuse = (fileName: string, reason: string): void => {
    setPending(undefined);
    setStatus({ kind: 'error', text: t('datasetImportRefused', [fileName, reason]) });
  };

  const exportDataset = async (): Promise<void> => {
    // What the worker holds now, not what this popup last rendered.
    let records: Array<{ key: string; value: string }> = [];
    const ok = await run(async () => {
      records = await send('listRecords', dataset.name);
    });
    if (!ok) return;
    const fileName = datasetFileName(dataset.name);
    download(serializeDatasetFile(dataset.name, records, Date.now()), fileName);
    setStatus({ kind: 'ok', text: t('datasetExported', [String(records.length), fileName]) });
  };

  const importFile = (event: Event): void => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared at once, so choosing the same file again (after editing it) reads it again.
    input.value = '';
    if (!file) return;
    const tooLarge = checkDatasetFileSize(file.size);
    if (tooLarge) {
      refuse(file.name, describeDatasetFileProblem(tooLarge));
      return;
    }
    file.text().then(
      (text) => {
        const parsed = parseDatasetFile(text);
        const plan = parsed.ok ? planImport(dataset.records, parsed.file) : undefined;
        const problem = parsed.ok ? plan?.problem : parsed.problem;
        if (problem || !plan) {
          refuse(file.name, problem ? describeDatasetFileProblem(problem) : t('datasetFileNotJson'));
          return;
        }
        setPending({ fileName: file.name, plan });
        setStatus(undefined);
      },
      () => refuse(file.name, t('datasetFileNotJson')),
    );
  };

  const apply = async (): Promise<void> => {
    if (!pending) return;
    const { fileName, plan } = pending;
    setPending(undefined);
    let written = 0;
    const ok = await run(async () => {
      const result = await send('importRecords', [...plan.added, ...plan.changed], dataset.name);
      written = result.added + result.changed;
    });
    if (ok)
      setStatus({
        kind: 'ok',
        text: t(written > 0 ? 'datasetImported' : 'datasetImportNothing', written > 0 ? [String(written), fileName] : fileName),
      });
  };

  const cancel = (): void => {
    if (!pending) return;
    setStatus({ kind: 'ok', text: t('datasetImportCancelled', pending.fileName) });
    setPending(undefined);
  };

  const plan = pending?.plan;
  const writes = plan ? plan.added.length + plan.changed.length : 0;
  return (
    // Escape closes the panel as Close does.
    <section class="dataset-transfer" aria-labelledby="dataset-transfer-title" onKeyDown={onEscape(onClose)}>
      <h3 id="dataset-transfer-title">{t('datasetTransferTitle', dataset.name)}</h3>
      <div class="transfer-row">
        <button type="button" ref={first} onClick={() => void exportDataset()}>
          {t('buttonExportDataset')}
        </button>
        {inToolbarPopup ? (
          <button type="button" onClick={importInTab}>
            {t('labelImportDataset')}
          </button>
        ) : (
          <>
            <label for="dataset-import-file">{t('labelImportDataset')}</label>
            <input id="dataset-import-file" type="file" accept=".json,application/json" onChange={importFile} />
          </>
        )}
        {/* Named for what it closes: the list of datasets' Close can be shown beside it (dataset-manager.tsx). */}
        <button type="button" class="small" onClick={onClose} aria-label={t('labelCloseTransfer')}>
          {t('buttonCloseTransfer')}
        </button>
      </div>
      {inToolbarPopup && <p class="hint">{t('datasetImportInTab')}</p>}
      {pending && plan && (
        <div class="import-summary">
          <p>
            {t('datasetImportSummary', [
              pending.fileName,
              String(plan.added.length),
              String(plan.changed.length),
              String(plan.unchanged),
              String(plan.refused.length),
            ])}
          </p>
          {plan.changed.length > 0 && <p class="changed-keys">{t('datasetImportChangedKeys', plan.changed.map((entry) => entry.key).join(', '))}</p>}
          {plan.refused.length > 0 && (
            <ul class="refused">
              {plan.refused.map((entry) => (
                <li key={entry.position}>{t('datasetImportRefusedEntry', [String(entry.position), entry.key ?? '', entry.reason])}</li>
              ))}
            </ul>
          )}
          <div class="transfer-row">
            <button type="button" class="primary" onClick={() => void apply()} disabled={writes === 0}>
              {t('buttonImportRecords')}
            </button>
            <button type="button" onClick={cancel}>
              {t('buttonCancelDatasetImport')}
            </button>
          </div>
        </div>
      )}
      {status && (
        <p role="status" class={`transfer-status ${status.kind}`}>
          {status.text}
        </p>
      )}
    </section>
  );
}
