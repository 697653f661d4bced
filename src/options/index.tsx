import { render } from 'preact';
import { t } from '../shared/i18n';
import { OptionsApp } from './options-app';

const root = document.getElementById('root');
document.title = t('optionsTitle');
if (root) render(<OptionsApp />, root);
