import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { AppError, type ErrorField } from '../shared/errors';
import { t } from '../shared/i18n';
import type { DraftsPlace } from './drafts';
import { Feedback } from './feedback';
import { useKeptDrafts } from './use-kept-drafts';

interface Props {
  existingKeys: ReadonlySet<string>;
  /** Resolves to the reason the record was refused, or undefined once it is added. */
  onAdd: (key: string, value: string) => Promise<AppError | undefined>;
  /** Whose dataset: what is typed here is kept for it until added (drafts.ts). */
  place: DraftsPlace;
}

/** The Add form, at the top of the list: what it refuses is said right under it, with what to change. */
export function AddRecordForm({ existingKeys, onAdd, place }: Props) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<AppError>();
  // The field a refusal is about (its `field`) is marked, and takes the focus to be changed there; a refusal about
  // the dataset (full) marks neither, and the focus stays on Add.
  const marked = (field: ErrorField) => (problem?.field === field ? { 'aria-invalid': true, 'aria-describedby': 'add-record-error' } : {});
  useLayoutEffect(() => document.querySelector<HTMLElement>('.add-record [aria-invalid="true"]')?.focus(), [problem]);
  // What was typed before the popup last closed comes back, and what is typed is kept until added.
  const keeper = useKeptDrafts(place, ({ add }) => {
    if (!add) return;
    setKey((typed) => typed || add.key);
    setValue((typed) => typed || add.value);
  });
  useEffect(() => {
    keeper?.keepDraft(place, 'add', key || value ? { key, value } : undefined);
  }, [key, value, keeper, place.identityId, place.datasetName]);
  const submit = (event: Event): void => {
    event.preventDefault();
    // Refused here, before asking the worker: said at once, like the worker's own refusals.
    const refused = key === '' ? 'errorKeyRequired' : existingKeys.has(key) ? 'errorKeyExists' : undefined;
    if (refused) {
      setProblem(new AppError('INVALID_INPUT', t(refused), { field: 'key' }));
      return;
    }
    setProblem(undefined);
    // Clear at once, so the next record can be typed while this one is saved; give it back if refused.
    setKey('');
    setValue('');
    void onAdd(key, value).then((refusal) => {
      if (!refusal) return;
      setProblem(refusal);
      setKey((typed) => typed || key);
      setValue((typed) => typed || value);
    });
  };
  return (
    <form class="add-record" onSubmit={submit} noValidate>
      <input
        aria-label={t('labelNewKey')}
        placeholder={t('labelKey')}
        dir="auto"
        value={key}
        {...marked('key')}
        onInput={(event) => setKey(event.currentTarget.value)}
      />
      <input
        {...marked('value')}
        aria-label={t('labelNewValue')}
        placeholder={t('labelValue')}
        dir="auto"
        value={value}
        onInput={(event) => setValue(event.currentTarget.value)}
      />
      <button type="submit" class="primary">
        {t('buttonAdd')}
      </button>
      {problem && <Feedback id="add-record-error" error={problem.toJSON()} />}
    </form>
  );
}
