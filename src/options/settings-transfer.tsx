// Export the saved settings to a file; import a file into the form. An import only fills the form: the person
// reviews it and presses Save, which asks for the hosts' permissions from that click and stores the settings.
import { t } from '../shared/i18n';
import type { Settings } from '../shared/settings';
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
  onImport(settings: Settings, fileName: string): void;
  onStatus(kind: 'ok' | 'error', text: string): void;
}

/** A blob URL must outlive the click that starts the download (Firefox reads it afterwards). */
const REVOKE_AFTER_MS = 60_000;

function download(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  // Firefox starts a download only from a link that is in the document.
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

export function SettingsTransfer({ saved, onImport, onStatus }: SettingsTransferProps) {
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
        const result = parseSettingsFile(text);
        if (result.ok) onImport(result.settings, file.name);
        else refuseFor(file.name, result.problem);
      },
      () => refuse(file.name, t('settingsFileUnreadable')),
    );
  };

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
    </fieldset>
  );
}
