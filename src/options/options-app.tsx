import { useEffect, useRef, useState } from 'preact/hooks';
import { afterFirstPaint } from '../ui/after-first-paint';
import { fillUntouched } from './fill-untouched';
import { browser } from '../ui/browser';
import { AppError } from '../shared/errors';
import { listFormat, t, type MessageKey } from '../shared/i18n';
import {
  CONFLICT_STRATEGIES,
  SYNC_BACKENDS,
  type SyncBackend,
  SETTINGS_FIELDS,
  DEFAULT_SETTINGS,
  identityFieldsChanged,
  originsFor,
  regionOf,
  toForm,
  validateSettings,
  type ConflictStrategy,
  type FieldProblem,
  type Settings,
  type SettingsField,
  type SettingsForm,
} from '../shared/settings';
import type { OptionsView } from '../background/settings/handlers';
import { send } from '../ui/send';
import { useCopy } from '../ui/use-copy';
import { checkFromClick } from './check-settings';
import { Field } from './field';
import { SETTINGS_FIELD_LABELS } from '../shared/settings-labels';
import { SettingsTransfer } from './settings-transfer';

type Problems = Partial<Record<SettingsField, FieldProblem>>;
/** What Check found, in words, per field. */
type Faults = Partial<Record<SettingsField, string>>;
type Status = { kind: 'ok' | 'error'; text: string } | undefined;

const STRATEGY_LABELS: Record<ConflictStrategy, MessageKey> = {
  lastWriterWins: 'strategyLastWriterWins',
  deviceWins: 'strategyDeviceWins',
  serverWins: 'strategyServerWins',
};

const TEXT_FIELDS: Array<{ section: MessageKey; fields: Array<{ name: SettingsField; label: MessageKey; hint?: MessageKey }> }> = [
  {
    section: 'sectionProvider',
    fields: [
      { name: 'domain', label: 'fieldDomain', hint: 'hintDomain' },
      { name: 'clientId', label: 'fieldClientId', hint: 'hintClientId' },
      { name: 'audience', label: 'fieldAudience', hint: 'hintAudience' },
    ],
  },
  {
    section: 'sectionAws',
    fields: [
      { name: 'identityPoolId', label: 'fieldIdentityPoolId', hint: 'hintIdentityPoolId' },
      { name: 'tableName', label: 'fieldTableName', hint: 'hintTableName' },
      { name: 'roleArn', label: 'fieldRoleArn', hint: 'hintRoleArn' },
      { name: 'accountId', label: 'fieldAccountId', hint: 'hintAccountId' },
    ],
  },
  {
    section: 'sectionDataset',
    fields: [
      { name: 'datasetName', label: 'fieldDatasetName', hint: 'hintDatasetName' },
      { name: 'syncIntervalMinutes', label: 'fieldSyncIntervalMinutes' },
    ],
  },
  {
    section: 'sectionAdvanced',
    fields: [
      { name: 'cognitoIdentityEndpoint', label: 'fieldCognitoIdentityEndpoint', hint: 'hintEndpoint' },
      { name: 'dynamodbEndpoint', label: 'fieldDynamodbEndpoint', hint: 'hintEndpoint' },
      { name: 'stsEndpoint', label: 'fieldStsEndpoint', hint: 'hintStsEndpoint' },
      { name: 'cognitoSyncEndpoint', label: 'fieldCognitoSyncEndpoint', hint: 'hintEndpoint' },
    ],
  },
];

const BACKEND_LABELS: Record<SyncBackend, MessageKey> = {
  dynamodb: 'backendDynamodb',
  cognitoSync: 'backendCognitoSync',
};

/** The table means something for DynamoDB only: it shows only then. (The endpoints are advanced, and stay.) */
const BACKEND_FIELDS: Partial<Record<SettingsField, SyncBackend>> = {
  tableName: 'dynamodb',
};

function messageOf(error: unknown): string {
  return error instanceof AppError ? error.message : t('errorInternal', String(error));
}

/**
 * Takes the person to the first field to fix, in the order the form shows them: the page's order, not the
 * settings' (SETTINGS_FIELDS puts the dataset before the role ARN, and where datasets are kept comes first of its
 * section). Called before the page shows the fields as invalid, so it goes by the fields' ids (field.tsx).
 */
function focusFirst(fields: Partial<Record<SettingsField, unknown>>): void {
  const wanted = new Set(SETTINGS_FIELDS.filter((field) => fields[field]).map((field) => `field-${field}`));
  if (wanted.size === 0) return;
  const controls = document.querySelectorAll<HTMLElement>('input[id^="field-"], select[id^="field-"]');
  [...controls].find((control) => wanted.has(control.id))?.focus();
}

/** `stored`: the settings storage held when the page opened, so the first frame shows the filled form. */
export function OptionsApp({ stored }: { stored?: Settings | undefined }) {
  const [view, setView] = useState<OptionsView>();
  const [form, setForm] = useState<SettingsForm>(toForm(stored ?? DEFAULT_SETTINGS));
  const [problems, setProblems] = useState<Problems>({});
  const [faults, setFaults] = useState<Faults>({});
  const [checking, setChecking] = useState(false);
  // The form as it is now, for a Check that answers after the person typed on.
  const current = useRef(form);
  current.current = form;
  // What the person changed before the worker's answer came; the answer fills only the rest (fill-untouched.ts).
  const touched = useRef<Set<SettingsField> | 'all'>(new Set());
  const [status, setStatus] = useState<Status>();
  const { copied, copy: copyText } = useCopy();
  // What this page last stored (Save) or cleared (Reset, null), whatever the worker's answer, which may come later
  // and have been read before, says.
  const lastStored = useRef<Settings | null>();

  useEffect(() => {
    // The form is filled from storage in the first frame; the worker's answer (which may start it) waits until
    // that frame is on screen rather than delaying it.
    afterFirstPaint()
      .then(() => send('getOptions'))
      .then(
        (loaded) => {
          setView(loaded);
          const answered = toForm(loaded.settings ?? loaded.defaults);
          setForm((shown) => fillUntouched(answered, shown, touched.current));
          // Settings stored before a check was added (Cognito Sync where AWS offers none, an endpoint of another
          // region) are still read, and what they set up fails: each problem is shown at its field, as a save would.
          const changed = touched.current;
          if (loaded.settings && changed !== 'all') {
            const result = validateSettings(answered, { release: !loaded.devBuild });
            const found: Problems = {};
            if (!result.ok)
              for (const field of SETTINGS_FIELDS) if (!changed.has(field) && result.problems[field]) found[field] = result.problems[field];
            if (Object.keys(found).length > 0) {
              setProblems(found);
              setStatus({ kind: 'error', text: t('storedSettingsProblem') });
            }
          }
        },
        (error: unknown) => setStatus({ kind: 'error', text: messageOf(error) }),
      );
  }, []);

  const update = (name: SettingsField, value: string): void => {
    if (touched.current !== 'all') touched.current.add(name);
    const next = { ...form, [name]: value };
    setForm(next);
    setStatus(undefined);
    // What Check found no longer holds once the field changes.
    if (faults[name]) setFaults(({ [name]: _, ...rest }) => rest);
    // While a field is marked wrong, every change re-checks the form, so that a message goes away once fixed: by
    // this field, or by the one it depends on (the pool ID an endpoint's region is compared with, Custom
    // endpoints). Only the messages already shown are kept: none appears at a field while it is being typed.
    if (Object.keys(problems).length > 0) {
      const result = validateSettings(next, { release: !view?.devBuild });
      const still: typeof problems = {};
      if (!result.ok) for (const field of SETTINGS_FIELDS) if (problems[field] && result.problems[field]) still[field] = result.problems[field];
      setProblems(still);
    }
  };

  /** The form's settings when they validate; otherwise each problem shown at its field, and undefined. */
  const validForm = (refused: MessageKey): Settings | undefined => {
    const result = validateSettings(form, { release: !view?.devBuild });
    if (result.ok) {
      setProblems({});
      return result.settings;
    }
    setProblems(result.problems);
    setStatus({ kind: 'error', text: t(refused) });
    focusFirst(result.problems);
    return undefined;
  };

  const save = (event: Event): void => {
    event.preventDefault();
    const settings = validForm('fixErrors');
    if (!settings) return;
    const origins = originsFor(settings);
    // permissions.request must run inside the click, before anything awaits.
    browser.permissions
      .request({ origins })
      .then(async (granted) => {
        if (!granted) {
          setStatus({ kind: 'error', text: t('permissionRefused', listFormat(origins)) });
          return;
        }
        const before = view?.settings;
        const saved = await send('saveSettings', form);
        lastStored.current = saved.settings;
        touched.current = 'all';
        setForm(toForm(saved.settings));
        setView((current) => current && { ...current, settings: saved.settings });
        // Named, since an endpoint the setup never calls signs out too.
        // (Saved from another tab meanwhile, `before` may not show what changed: then no field is named.)
        const why = identityFieldsChanged(before, saved.settings).map((field) => t(SETTINGS_FIELD_LABELS[field]));
        const signedOutText = why.length > 0 ? t('savedSignedOut', listFormat(why)) : t('savedSignedOutPlain');
        setStatus({ kind: 'ok', text: saved.signedOut ? signedOutText : t('saved') });
      })
      .catch((error: unknown) => setStatus({ kind: 'error', text: messageOf(error) }));
  };

  const check = (): void => {
    const settings = validForm('checkFixErrors');
    if (!settings || !view) return;
    setFaults({});
    setChecking(true);
    setStatus({ kind: 'ok', text: t('checkRunning') });
    const checked = form;
    checkFromClick(settings, view.redirectUrl)
      .then((outcome) => {
        if (outcome.kind === 'refused') {
          setStatus({ kind: 'error', text: t('checkPermissionRefused', listFormat(outcome.origins)) });
          return;
        }
        // A field changed while the check ran is not judged on what it held before.
        const found: Faults = {};
        for (const field of SETTINGS_FIELDS) {
          const fault = outcome.faults[field];
          if (fault && current.current[field] === checked[field]) found[field] = fault;
        }
        setFaults(found);
        const failed = Object.keys(found).length > 0;
        // Nothing found wrong, but a service in trouble kept a check from judging: not "passed".
        const [undecided] = outcome.undecided;
        if (failed) setStatus({ kind: 'error', text: t('checkFailed') });
        else if (undecided !== undefined) setStatus({ kind: 'error', text: undecided });
        else setStatus({ kind: 'ok', text: t('checkPassed') });
        focusFirst(found);
      })
      .catch((error: unknown) => setStatus({ kind: 'error', text: messageOf(error) }))
      .finally(() => setChecking(false));
  };

  const [confirmingReset, setConfirmingReset] = useState(false);
  const reset = (): void => {
    // Reset signs the person out and forgets the settings: ask once more before doing it.
    if (!confirmingReset) {
      setConfirmingReset(true);
      setStatus({ kind: 'error', text: t('resetConfirm') });
      return;
    }
    setConfirmingReset(false);
    send('resetSettings').then(
      () => {
        lastStored.current = null;
        touched.current = 'all';
        setForm(toForm(view?.defaults ?? DEFAULT_SETTINGS));
        setProblems({});
        // What Check found was about the values just replaced.
        setFaults({});
        setView((current) => current && { ...current, settings: undefined });
        setStatus({ kind: 'ok', text: t('resetDone') });
      },
      (error: unknown) => setStatus({ kind: 'error', text: messageOf(error) }),
    );
  };

  // The focus left "Reset now" without pressing it: the button says Reset again, and the question goes with it.
  const lapseReset = (): void => {
    if (!confirmingReset) return;
    setConfirmingReset(false);
    setStatus((shown) => (shown?.text === t('resetConfirm') ? undefined : shown));
  };

  // An imported file only fills the form, checked as a Save would check it; Save stores it.
  const importSettings = (settings: Settings, fileName: string): void => {
    touched.current = 'all';
    setForm(toForm(settings));
    setProblems({});
    setFaults({});
    setStatus({ kind: 'ok', text: t('importDone', fileName) });
  };

  // As the popup's Copy does (src/ui/use-copy.ts): told to screen readers, and the button says Copy again soon after.
  const copy = (): void => {
    if (view) copyText(view.redirectUrl);
  };

  let region = '';
  try {
    region = regionOf(form.identityPoolId.trim());
  } catch {
    // shown once the pool id is valid
  }

  // What the form holds that Save has not stored (against the defaults before a first Save): an import replaces
  // it, and leaving the page asks first. Worked out only then, not on every render (the first paint included).
  const unsaved = (): string | undefined => {
    const defaults = view?.defaults ?? DEFAULT_SETTINGS;
    // Before the worker's answer, what storage held when the page opened (the form's first frame) is what is in use.
    const inUse = toForm(lastStored.current === null ? defaults : (lastStored.current ?? view?.settings ?? stored ?? defaults));
    const labels = SETTINGS_FIELDS.filter((field) => form[field] !== inUse[field]).map((field) => t(SETTINGS_FIELD_LABELS[field]));
    return labels.length > 0 ? listFormat(labels) : undefined;
  };

  // Leaving the page (closing its tab, reloading it) with changes Save has not stored: the browser asks first.
  // Only once the person changed something.
  const leaving = useRef<() => boolean>(() => false);
  leaving.current = () => (touched.current === 'all' || touched.current.size > 0) && unsaved() !== undefined;
  useEffect(() => {
    const ask = (event: BeforeUnloadEvent): void => {
      if (leaving.current()) event.preventDefault();
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, []);

  return (
    <main>
      <h1>{t('optionsTitle')}</h1>
      <p>{t('optionsIntro')}</p>
      {view?.devBuild && <p class="notice">{t('optionsDevDefaults')}</p>}

      <section>
        <h2 id="redirect-heading">
          <label for="redirect-url">{t('sectionRedirect')}</label>
        </h2>
        <p class="hint" id="redirect-hint">
          {t('hintRedirect')}
        </p>
        <div class="copy-row">
          {/* A URL reads left to right in every language: in the page's direction, in Arabic, its "/" would show first. */}
          <input id="redirect-url" class="redirect-url" dir="ltr" readOnly value={view?.redirectUrl ?? ''} aria-describedby="redirect-hint" />
          <button type="button" onClick={copy} disabled={!view}>
            {copied ? t('copied') : t('buttonCopy')}
          </button>
          <span role="status" class="visually-hidden">
            {copied ? t('copied') : ''}
          </span>
        </div>
      </section>

      <form onSubmit={save} noValidate>
        {TEXT_FIELDS.map(({ section, fields }) => (
          <fieldset key={section}>
            <legend>{t(section)}</legend>
            {section === 'sectionAws' && (
              <Field name="syncBackend" label="fieldSyncBackend" problem={problems.syncBackend}>
                {({ id, describedBy, invalid }) => (
                  <select
                    id={id}
                    name="syncBackend"
                    value={form.syncBackend}
                    aria-invalid={invalid}
                    aria-describedby={describedBy || undefined}
                    onChange={(event) => update('syncBackend', event.currentTarget.value)}
                  >
                    {SYNC_BACKENDS.map((backend) => (
                      <option key={backend} value={backend}>
                        {t(BACKEND_LABELS[backend])}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            {fields
              .filter(({ name }) => (BACKEND_FIELDS[name] ?? form.syncBackend) === form.syncBackend)
              .map(({ name, label, hint }) => (
                <Field key={name} name={name} label={label} problem={problems[name]} fault={faults[name]} {...(hint ? { hint } : {})}>
                  {({ id, describedBy, invalid }) => (
                    <>
                      <input
                        id={id}
                        name={name}
                        type={name === 'syncIntervalMinutes' ? 'number' : 'text'}
                        // Domains, URLs, IDs, ARNs and dataset names (ASCII: DATASET_NAME in settings-values.ts) read
                        // left to right in every language; in an Arabic page their slashes and colons would move.
                        dir={name === 'syncIntervalMinutes' ? undefined : 'ltr'}
                        value={form[name]}
                        spellcheck={false}
                        aria-invalid={invalid}
                        aria-describedby={describedBy || undefined}
                        onInput={(event) => update(name, event.currentTarget.value)}
                      />
                      {/* The region follows from the pool id: shown right under it. */}
                      {name === 'identityPoolId' && region && <p class="derived">{t('derivedRegion', region)}</p>}
                    </>
                  )}
                </Field>
              ))}
            {section === 'sectionAdvanced' && (
              <Field name="customEndpoints" label="fieldCustomEndpoints" problem={problems.customEndpoints} hint="hintCustomEndpoints" check>
                {({ id, describedBy }) => (
                  <input
                    id={id}
                    name="customEndpoints"
                    type="checkbox"
                    checked={form.customEndpoints === 'true'}
                    aria-describedby={describedBy || undefined}
                    onChange={(event) => update('customEndpoints', String(event.currentTarget.checked))}
                  />
                )}
              </Field>
            )}
            {section === 'sectionDataset' && (
              <Field name="conflictStrategy" label="fieldConflictStrategy" problem={problems.conflictStrategy}>
                {({ id, describedBy, invalid }) => (
                  <select
                    id={id}
                    name="conflictStrategy"
                    value={form.conflictStrategy}
                    aria-invalid={invalid}
                    aria-describedby={describedBy || undefined}
                    onChange={(event) => update('conflictStrategy', event.currentTarget.value)}
                  >
                    {CONFLICT_STRATEGIES.map((strategy) => (
                      <option key={strategy} value={strategy}>
                        {t(STRATEGY_LABELS[strategy])}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </fieldset>
        ))}
        <SettingsTransfer
          saved={view?.settings}
          unsaved={unsaved}
          devBuild={view?.devBuild ?? false}
          onImport={importSettings}
          onStatus={(kind, text) => setStatus({ kind, text })}
        />
        <div class="actions">
          <button type="button" onClick={check} disabled={!view || checking}>
            {t('buttonCheck')}
          </button>
          <button type="submit" class="primary">
            {t('buttonSave')}
          </button>
          <button type="button" onClick={reset} onBlur={lapseReset}>
            {t(confirmingReset ? 'buttonResetConfirm' : 'buttonReset')}
          </button>
        </div>
        <p role="status" class={status ? `status ${status.kind}` : 'status'}>
          {status?.text ?? ''}
        </p>
      </form>
    </main>
  );
}
