import { useState } from 'preact/hooks';
import { t, type MessageKey } from '../shared/i18n';

interface Props {
  existingKeys: ReadonlySet<string>;
  /** Resolves false when the record was refused (the reason is shown elsewhere). */
  onAdd: (key: string, value: string) => Promise<boolean>;
}

export function AddRecordForm({ existingKeys, onAdd }: Props) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<MessageKey>();
  const submit = (event: Event): void => {
    event.preventDefault();
    const refused: MessageKey | undefined = key === '' ? 'errorKeyRequired' : existingKeys.has(key) ? 'errorKeyExists' : undefined;
    if (refused) {
      setProblem(refused);
      return;
    }
    setProblem(undefined);
    // Clear at once, so the next record can be typed while this one is saved; give it back if refused.
    setKey('');
    setValue('');
    void onAdd(key, value).then((added) => {
      if (added) return;
      setKey((typed) => typed || key);
      setValue((typed) => typed || value);
    });
  };
  return (
    <form class="add-record" onSubmit={submit} noValidate>
      <input
        aria-label={t('labelNewKey')}
        placeholder={t('labelKey')}
        value={key}
        aria-invalid={problem !== undefined}
        aria-describedby={problem ? 'add-record-error' : undefined}
        onInput={(event) => setKey(event.currentTarget.value)}
      />
      <input aria-label={t('labelNewValue')} placeholder={t('labelValue')} value={value} onInput={(event) => setValue(event.currentTarget.value)} />
      <button type="submit" class="primary">
        {t('buttonAdd')}
      </button>
      {problem && (
        <p class="error" id="add-record-error">
          {t(problem)}
        </p>
      )}
    </form>
  );
}
