import { useState } from 'preact/hooks';
import { t, type MessageKey } from '../shared/i18n';

interface Props {
  existingKeys: ReadonlySet<string>;
  onAdd: (key: string, value: string) => Promise<void>;
}

export function AddRecordForm({ existingKeys, onAdd }: Props) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<MessageKey>();
  const submit = (event: Event): void => {
    event.preventDefault();
    if (key === '') return setProblem('errorKeyRequired');
    if (existingKeys.has(key)) return setProblem('errorKeyExists');
    setProblem(undefined);
    void onAdd(key, value).then(() => {
      setKey('');
      setValue('');
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
