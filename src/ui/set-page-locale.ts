// Loaded by each page's <head>, before its body: the first frame is laid out in the page's own direction.
import { applyPageLocale, type MessagesLike } from './page-locale';

const i18n = (globalThis as { chrome?: { i18n?: MessagesLike } }).chrome?.i18n;
if (i18n) applyPageLocale(document.documentElement, i18n);
