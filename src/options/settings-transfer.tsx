// Export the saved settings to a file; import a file into the form. An import first shows what it would
// change, the provider and endpoints called out (a shared file could send the sign-in token and the data
// elsewhere); only then does it fill the form, and the person presses Save, which asks for the hosts'
// permissions from that click and stores the settings.
import { useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import { download } from '../ui/download';
import type { Settings } from '../shared/settings';
import { settingsChanges, type SettingsChange } from '../shared/settings-diff';
import { SETTINGS_FIELD_LABELS } from '../shared/settings-labels';
import {
  checkSettingsFileSize,
  describeSettingsFileProblem,
  parseSettingsFile,
  serializeSettingsFile,
  SETTINGS_FILE_NAME,
  type SettingsFileProblem,
} from '../shared/settings-file';

interface SettingsTransferProps {
  /** What is stored; undefined until the person saves once. */
  saved: Settings | undefined;
  /** The fields changed in the form and not saved, as a list of labels: using a file replaces them too. */
  unsaved(): string | undefined;
  /** A development build: its import accepts any endpoint, as its Save does. */
  devBuild?: boolean;
  onImport(settings: Settings, fileName: string): void;
  onStatus(kind: 'ok' | 'error', text: string): void;
}

interface PendingImport {
  settings: Settings;
  fileName: string;
  changes: SettingsChange[];
}

function shown(value: string): string {
  return value === '' ? t('importPreviewEmpty') : value;
}

export function SettingsTransfer({ saved, unsaved, devBuild = false, onImport, onStatus }: SettingsTransferProps) {
  const [pending, setPending] = useState<PendingImport | undefined>(undefined);
  const refuse = (fileName: string, reason: string): void => onStatus('error', t('importRefused', [fileName, reason]));
  const refuseFor = (fileName: string, problem: SettingsFileProblem): void => refuse(fileName, describeSettingsFileProblem(problem, t));

  const exportSettings = (): void => {
    if (!saved) return;
    download(serializeSettingsFile(saved), SETTINGS_FILE_NAME);
    onStatus('ok', t('exportDone', SETTINGS_FILE_NAME));
  };

  const importFile = (event: Event): void => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared at once, so choosing the same file again (after editing it) imports it again.
    input.value = '';
    if (!file) return;
    const tooLarge = checkSettingsFileSize(file.size);
    if (tooLarge) {
      refuseFor(file.name, tooLarge);
      return;
    }
    file.text().then(
      (text) => {
        const result = parseSettingsFile(text, { release: !devBuild });
        if (!result.ok) {
          setPending(undefined);
          refuseFor(file.name, result.problem);
          return;
        }
        const changes = settingsChanges(saved, result.settings);
        setPending({ settings: result.settings, fileName: file.name, changes });
        onStatus('ok', t(changes.length === 0 ? 'importPreviewSame' : 'importPreviewReady', file.name));
      },
      () => refuse(file.name, t('settingsFileUnreadable')),
    );
  };

  const apply = (): void => {
    if (!pending) return;
    setPending(undefined);
    onImport(pending.settings, pending.fileName);
  };
  const cancel = (): void => {
    if (!pending) return;
    setPending(undefined);
    onStatus('ok', t('importCancelled', pending.fileName));
  };
  const sensitive = pending?.changes.filter((change) => change.kind !== 'other') ?? [];
  const replaced = pending ? unsaved() : undefined;

  return (
    <fieldset class="transfer">
      <legend>{t('sectionSettingsFile')}</legend>
      <p class="hint" id="transfer-hint">
        {t('hintSettingsFile')}
      </p>
      <div class="transfer-row">
        <button type="button" onClick={exportSettings} disabled={!saved} aria-describedby={saved ? 'transfer-hint' : 'export-hint'}>
          {t('buttonExport')}
        </button>
        {!saved && (
          <span class="hint" id="export-hint">
            {t('hintExportNothingSaved')}
          </span>
        )}
      </div>
      <div class="transfer-row">
        <label for="import-file">{t('labelImport')}</label>
        <input id="import-file" type="file" accept=".json,application/json" onChange={importFile} aria-describedby="transfer-hint" />
      </div>
      {pending && (
        <section class="import-preview" aria-labelledby="import-preview-title">
          <h3 id="import-preview-title">{t('importPreviewTitle', pending.fileName)}</h3>
          {sensitive.length > 0 && (
            <p class="notice warning" role="alert">
              {t('importPreviewWarning')}
            </p>
          )}
          {replaced && (
            <p class="notice warning" role="status">
              {t('importReplacesUnsaved', replaced)}
            </p>
          )}
          {pending.changes.length === 0 ? (
            <p>{t('importPreviewNoChanges')}</p>
          ) : (
            <ul>
              {pending.changes.map((change) => (
                <li key={change.field} class={`change ${change.kind}`} data-field={change.field}>
                  {change.kind !== 'other' && <strong>{t(change.kind === 'provider' ? 'importChangeProvider' : 'importChangeEndpoint')} </strong>}
                  {t('importChangeLine', [t(SETTINGS_FIELD_LABELS[change.field]), shown(change.before), shown(change.after)])}
                </li>
              ))}
            </ul>
          )}
          <div class="transfer-row">
            <button type="button" class="primary" onClick={apply}>
              {t('buttonImportApply')}
            </button>
            <button type="button" onClick={cancel}>
              {t('buttonImportCancel')}
            </button>
          </div>
        </section>
      )}
    </fieldset>
  );
}
