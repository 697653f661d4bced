// What importing settings would change, field by field, with the changes that decide where the sign-in
// token and the data go (the provider, the AWS endpoints) marked: the options page shows them before
// anything is used.
import { AWS_ENDPOINT_FIELDS, DEFAULT_SETTINGS, SETTINGS_FIELDS, type Settings, type SettingsField } from './settings';

/** provider: who signs the person in; endpoint: where tokens and data are sent; other: the rest. */
export type SettingsChangeKind = 'provider' | 'endpoint' | 'other';

export interface SettingsChange {
  field: SettingsField;
  before: string;
  after: string;
  kind: SettingsChangeKind;
}

const PROVIDER_FIELDS: ReadonlySet<SettingsField> = new Set(['domain', 'clientId', 'audience']);
const ENDPOINT_FIELDS: ReadonlySet<SettingsField> = new Set([...Object.keys(AWS_ENDPOINT_FIELDS), 'customEndpoints'] as SettingsField[]);

function kindOf(field: SettingsField): SettingsChangeKind {
  if (PROVIDER_FIELDS.has(field)) return 'provider';
  return ENDPOINT_FIELDS.has(field) ? 'endpoint' : 'other';
}

/** The fields `after` changes from `before` (the saved settings; the defaults when nothing is saved), in form order. */
export function settingsChanges(before: Settings | undefined, after: Settings): SettingsChange[] {
  const base = before ?? DEFAULT_SETTINGS;
  return SETTINGS_FIELDS.filter((field) => String(base[field]) !== String(after[field])).map((field) => ({
    field,
    before: String(base[field]),
    after: String(after[field]),
    kind: kindOf(field),
  }));
}
