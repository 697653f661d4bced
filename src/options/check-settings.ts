// Check, on the options page: it asks for the settings' hosts inside the click, as Save does, then loads the
// checks (src/shared/checks/) and runs them from the page. Why the page and not the worker: docs/setup.md.
import { t } from '../shared/i18n';
import { originsFor, type Settings, type SettingsField } from '../shared/settings';
import { browser } from '../ui/browser';

export type CheckOutcome =
  | { kind: 'refused'; origins: string[] }
  /** `undecided`: what a server error or throttling kept a check from judging, to say instead of "passed". */
  | { kind: 'checked'; faults: Partial<Record<SettingsField, string>>; undecided: string[] };

/** Per request; the provider and the pool are checked side by side, at most three requests deep. */
const REQUEST_TIMEOUT_MS = 8_000;

/** Call from the click itself: permissions.request needs the user gesture, before anything awaits. */
export function checkFromClick(settings: Settings, redirectUrl: string): Promise<CheckOutcome> {
  // The same hosts Save asks for, so a Save after a Check does not ask again.
  const origins = originsFor(settings);
  return browser.permissions.request({ origins }).then(async (granted): Promise<CheckOutcome> => {
    if (!granted) return { kind: 'refused', origins };
    const { checkSettings, faultsByField, fetchGetId, undecidedChecks } = await import('../shared/checks/settings-check');
    // fetch called as a method of another object throws "Illegal invocation": keep it a plain call.
    const pageFetch: typeof fetch = (input, init) => fetch(input, init);
    const results = await checkSettings({ fetch: pageFetch, timeoutMs: REQUEST_TIMEOUT_MS, getId: fetchGetId(pageFetch) }, settings, redirectUrl);
    const faults: Partial<Record<SettingsField, string>> = {};
    for (const [field, fault] of Object.entries(faultsByField(results))) faults[field as SettingsField] = t(fault.message, fault.args);
    return { kind: 'checked', faults, undecided: undecidedChecks(results).map((note) => t(note.message, note.args)) };
  });
}
