import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { t } from '../shared/i18n';
import type { OptionsView } from '../background/settings-handlers';
import { send } from '../ui/send';

export function PopupApp() {
  const [view, setView] = useState<OptionsView>();
  useEffect(() => {
    void send('getOptions').then(setView);
  }, []);
  if (!view) return null;
  return (
    <main>
      <h1>{t('extensionName')}</h1>
      {view.settings ? null : (
        <>
          <p>{t('errorNotConfigured')}</p>
          <button type="button" class="primary" onClick={() => void browser.runtime.openOptionsPage()}>
            {t('buttonOpenSettings')}
          </button>
        </>
      )}
    </main>
  );
}
