import { render } from 'preact';
import { t } from '../shared/i18n';
import { PopupApp } from './popup-app';

const root = document.getElementById('root');
document.title = t('extensionName');
if (root) render(<PopupApp />, root);
