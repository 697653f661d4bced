import { render } from 'preact';
import { PopupApp } from './popup-app';

const root = document.getElementById('root');
if (root) render(<PopupApp />, root);
