import { render } from 'preact';
import { browser } from '../ui/browser';
import { t } from '../shared/i18n';
import { browserAreas, settingsItem } from '../shared/storage';
import { setPageLocale } from '../ui/set-page-locale';
import { OptionsApp } from './options-app';

setPageLocale();
const root = document.getElementById('root');
document.title = t('optionsTitle');
// The first frame shows the saved settings, read from storage.local (no wait on the worker); the
// worker's answer (redirect URL, defaults) follows.
if (root) {
  void settingsItem(browserAreas(browser).local)
    .get()
    .catch(() => undefined)
    .then((stored) => render(<OptionsApp stored={stored} />, root));
}
