// The settings file: what the options page exports and imports, and what `npm run doctor --settings` reads.
// Settings hold no secrets: the client is public (no client secret), and tokens and AWS credentials live in
// storage.session, never in settings. So the file can be mailed to a colleague or kept in a repository.
import type { MessageKey } from './i18n';
import { SETTINGS_FIELD_LABELS } from './settings-labels';
import {
  DEFAULT_SETTINGS,
  SETTINGS_FIELDS,
  validateSettings,
  type FieldProblem,
  type Settings,
  type SettingsField,
  type ValidationContext,
} from './settings';
import { checkFileSize, isPlainObject, readVersionedFile, type VersionedFileProblem } from './versioned-file';

export const SETTINGS_FILE_FORMAT = 'cognito-sync-settings';
export const SETTINGS_FILE_VERSION = 1;
export const SETTINGS_FILE_NAME = 'cognito-sync-settings.json';
/** A settings file is well under 2 KB; anything this large is something else. */
export const SETTINGS_FILE_MAX_BYTES = 64 * 1024;

export interface SettingsFile {
  format: typeof SETTINGS_FILE_FORMAT;
  version: typeof SETTINGS_FILE_VERSION;
  settings: Settings;
}

/** A field's problem in a file: the form's own, or a value no one could have typed (`true`, `null`, `{}`). */
export type FileFieldProblem = FieldProblem | 'errorFieldType';

/** Why a file was refused; callers switch on `code`. */
export type SettingsFileProblem = VersionedFileProblem | { code: 'INVALID_SETTINGS'; problems: Partial<Record<SettingsField, FileFieldProblem>> };

export type SettingsFileResult = { ok: true; settings: Settings } | { ok: false; problem: SettingsFileProblem };

export function serializeSettingsFile(settings: Settings): string {
  // Only the known fields, in the form's order, whatever else the object carries.
  const picked: Settings = {
    domain: settings.domain,
    clientId: settings.clientId,
    audience: settings.audience,
    identityPoolId: settings.identityPoolId,
    tableName: settings.tableName,
    datasetName: settings.datasetName,
    syncIntervalMinutes: settings.syncIntervalMinutes,
    conflictStrategy: settings.conflictStrategy,
    cognitoIdentityEndpoint: settings.cognitoIdentityEndpoint,
    dynamodbEndpoint: settings.dynamodbEndpoint,
    roleArn: settings.roleArn,
    accountId: settings.accountId,
    stsEndpoint: settings.stsEndpoint,
    customEndpoints: settings.customEndpoints,
    syncBackend: settings.syncBackend,
    cognitoSyncEndpoint: settings.cognitoSyncEndpoint,
  };
  const file: SettingsFile = { format: SETTINGS_FILE_FORMAT, version: SETTINGS_FILE_VERSION, settings: picked };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Refuses a file by its size alone, before reading it. */
export function checkSettingsFileSize(bytes: number): SettingsFileProblem | undefined {
  return checkFileSize(bytes, SETTINGS_FILE_MAX_BYTES);
}

/** Reads a settings file's text: its format and version first, then every setting as the form checks it. */
export function parseSettingsFile(text: string, context: ValidationContext = { release: true }): SettingsFileResult {
  const refuse = (problem: SettingsFileProblem): SettingsFileResult => ({ ok: false, problem });
  const read = readVersionedFile(text, { format: SETTINGS_FILE_FORMAT, version: SETTINGS_FILE_VERSION, maxBytes: SETTINGS_FILE_MAX_BYTES });
  if (!read.ok) return refuse(read.problem);
  const { json } = read;
  const settings = json['settings'];
  if (!isPlainObject(settings)) return refuse({ code: 'WRONG_FORMAT' });

  // The form's checks would read such a value as absent and quietly use the default: refuse it instead.
  const problems: Partial<Record<SettingsField, FileFieldProblem>> = {};
  for (const field of SETTINGS_FIELDS) {
    const value = settings[field];
    const typed =
      typeof value === 'string' || typeof value === 'number' || (typeof value === 'boolean' && typeof DEFAULT_SETTINGS[field] === 'boolean');
    if (value !== undefined && !typed) problems[field] = 'errorFieldType';
  }
  const result = validateSettings(settings, context);
  if (result.ok && Object.keys(problems).length === 0) return { ok: true, settings: result.settings };
  return refuse({ code: 'INVALID_SETTINGS', problems: { ...(result.ok ? {} : result.problems), ...problems } });
}

export type Translate = (key: MessageKey, substitutions?: string | string[]) => string;

/** Why a file was refused, as a clause ("it is not JSON."), in the options page and in `npm run doctor`. */
export function describeSettingsFileProblem(problem: SettingsFileProblem, translate: Translate): string {
  switch (problem.code) {
    case 'TOO_LARGE':
      return translate('settingsFileTooLarge');
    case 'NOT_JSON':
      return translate('settingsFileNotJson');
    case 'WRONG_FORMAT':
      return translate('settingsFileWrongFormat');
    case 'UNSUPPORTED_VERSION':
      return translate('settingsFileVersion', String(problem.version));
    case 'INVALID_SETTINGS': {
      const fields = SETTINGS_FIELDS.flatMap((field) => {
        const fieldProblem = problem.problems[field];
        return fieldProblem ? [`${translate(SETTINGS_FIELD_LABELS[field])}: ${translate(fieldProblem)}`] : [];
      });
      return translate('settingsFileInvalid', fields.join(' '));
    }
  }
}
