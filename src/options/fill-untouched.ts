// The worker's answer comes after the options page's first frame, which shows the settings storage held. By
// then the person may have changed the form: what they changed stays, the answer fills the rest.
import type { SettingsField, SettingsForm } from '../shared/settings';

/** What the person changed before the answer came: some fields, or the whole form (an import, a reset, a save). */
export type Touched = ReadonlySet<SettingsField> | 'all';

export function fillUntouched(answered: SettingsForm, shown: SettingsForm, touched: Touched): SettingsForm {
  if (touched === 'all') return shown;
  const next = { ...answered };
  for (const field of touched) next[field] = shown[field];
  return next;
}
