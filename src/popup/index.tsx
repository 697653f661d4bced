import { render } from 'preact';
import browser from 'webextension-polyfill';
import { t } from '../shared/i18n';
import { browserAreas, storageItems } from '../shared/storage';
import { PopupApp } from './popup-app';
import { readStoredState } from './stored-state';

const root = document.getElementById('root');
document.title = t('extensionName');
// The first render waits for local storage only (a few milliseconds), so the first frame shows the
// header and the first screen of rows; a failed read just leaves the first answer to the worker.
if (root) {
  void readStoredState(storageItems(browserAreas(browser)))
    .catch(() => undefined)
    .then((stored) => render(<PopupApp stored={stored} />, root));
}
