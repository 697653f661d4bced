import { render } from 'preact';
import { browser } from '../ui/browser';
import { t } from '../shared/i18n';
import { parseStoredDataset } from '../shared/dataset';
import { StorageItem } from '../shared/storage-item';
import {
  authStateItem,
  browserAreas,
  datasetChoiceItem,
  datasetStoreKey,
  defaultDatasetItem,
  firstScreenItem,
  syncRetryItem,
} from '../shared/storage-pages';
import { PopupApp } from './popup-app';
import { setPageLocale } from '../ui/set-page-locale';
import { forgetFirstFrameHint, pageLocalStorage, readFirstFrameHint, writeFirstFrameHint } from './first-frame-hint';
import { readStoredState } from './stored-state';

setPageLocale();
const root = document.getElementById('root');
document.title = t('extensionName');
// The first render waits for a few small reads of local storage only (stored-state.ts), so the first frame
// shows the header and the first screen of rows; a failed read just leaves the first answer to the worker.
if (root) {
  const { local, session } = browserAreas(browser);
  const items = {
    authState: authStateItem(session),
    settings: defaultDatasetItem(local),
    datasetChoice: datasetChoiceItem.bind(null, local),
    firstScreen: firstScreenItem.bind(null, local),
    // Read only when the dataset has no first screen (no records yet, or stored by an earlier version).
    dataset: (identityId: string, datasetName: string) => new StorageItem(local, datasetStoreKey(identityId, datasetName), parseStoredDataset),
    syncRetry: syncRetryItem(session),
  };
  const hints = pageLocalStorage();
  const hint = readFirstFrameHint(hints);
  void readStoredState(items, hint)
    .catch(() => undefined)
    .then((stored) => {
      render(<PopupApp stored={stored} />, root);
      const shown = stored?.dataset;
      // Nobody signed in: the hint would name the last person's identity to whoever opens the page's storage next.
      if (stored?.auth.status === 'signedOut') {
        if (hint) forgetFirstFrameHint(hints);
      } else if (shown?.identityId !== undefined) {
        writeFirstFrameHint(hints, { identityId: shown.identityId, datasetName: shown.name }, hint);
      }
    });
}
