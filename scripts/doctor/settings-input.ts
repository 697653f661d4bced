// Where the settings come from: an exported settings file, flags, or a file with flags on top of it.
import { readFile, stat } from 'node:fs/promises';
import { checkSettingsFileSize, describeSettingsFileProblem, parseSettingsFile } from '../../src/shared/settings-file';
import { SETTINGS_FIELD_LABELS } from '../../src/shared/settings-labels';
import { SETTINGS_FIELDS, validateSettings, type Settings, type SettingsField } from '../../src/shared/settings';
import { translate } from './messages';
import { result, type CheckResult } from '../../src/shared/checks/types';

/** The flags that stand for settings fields. */
export type SettingsFlags = Partial<
  Record<
    | 'domain'
    | 'clientId'
    | 'identityPoolId'
    | 'cognitoIdentityEndpoint'
    | 'dynamodbEndpoint'
    | 'roleArn'
    | 'accountId'
    | 'stsEndpoint'
    | 'customEndpoints',
    string
  >
>;

export interface SettingsOutcome {
  check: CheckResult;
  /** What the settings hold, field by field, and which fields are valid: later checks use the valid ones. */
  values: Partial<Record<SettingsField, string>>;
  valid: Set<SettingsField>;
  settings?: Settings;
}

const TITLE = 'Settings';

function refused(source: string, detail: string, fix: string): SettingsOutcome {
  return { check: result('settings', 'fail', TITLE, `${source}: ${detail}`, fix), values: {}, valid: new Set() };
}

async function readSettingsFile(path: string): Promise<{ values: Record<string, unknown> } | { outcome: SettingsOutcome }> {
  const fix = 'Export the settings from the extension’s options page (Settings file → Export settings), or give --domain, --client-id and --pool-id.';
  try {
    const tooLarge = checkSettingsFileSize((await stat(path)).size);
    if (tooLarge) return { outcome: refused(path, describeSettingsFileProblem(tooLarge, translate), fix) };
    const text = await readFile(path, 'utf8');
    const parsed = parseSettingsFile(text);
    if (parsed.ok) return { values: { ...parsed.settings } };
    if (parsed.problem.code !== 'INVALID_SETTINGS') return { outcome: refused(path, describeSettingsFileProblem(parsed.problem, translate), fix) };
    // A file in the right format with bad fields: keep what it holds, so the good fields can still be checked.
    const json = JSON.parse(text.replace(/^\uFEFF/, '')) as { settings: Record<string, unknown> };
    return { values: json.settings };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { outcome: refused(path, `cannot be read (${typeof code === 'string' ? code : String(error)}).`, fix) };
  }
}

export async function loadSettings(settingsFile: string | undefined, flags: SettingsFlags): Promise<SettingsOutcome> {
  let values: Record<string, unknown> = {};
  if (settingsFile !== undefined) {
    const read = await readSettingsFile(settingsFile);
    if ('outcome' in read) return read.outcome;
    values = read.values;
  }
  for (const [field, value] of Object.entries(flags)) if (value !== undefined) values[field] = value;
  const source = [settingsFile, Object.keys(flags).length > 0 ? 'flags' : undefined].filter(Boolean).join(' and ');

  const text: Partial<Record<SettingsField, string>> = {};
  for (const field of SETTINGS_FIELDS) {
    const value = values[field];
    if (typeof value === 'string' || typeof value === 'number') text[field] = String(value).trim();
  }
  const validated = validateSettings(values);
  if (validated.ok) {
    return {
      check: result('settings', 'pass', TITLE, `valid (from ${source}).`),
      values: text,
      valid: new Set(SETTINGS_FIELDS),
      settings: validated.settings,
    };
  }
  const problems = SETTINGS_FIELDS.flatMap((field) => {
    const problem = validated.problems[field];
    return problem ? [`${translate(SETTINGS_FIELD_LABELS[field])}: ${translate(problem)}`] : [];
  });
  return {
    check: result(
      'settings',
      'fail',
      TITLE,
      `not valid (from ${source}). ${problems.join(' ')}`,
      settingsFile !== undefined
        ? 'Correct them in the options page and export the file again; checks that need those fields are skipped.'
        : 'Correct those flags; checks that need those fields are skipped.',
    ),
    values: text,
    valid: new Set(SETTINGS_FIELDS.filter((field) => validated.problems[field] === undefined)),
  };
}
