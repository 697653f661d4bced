// Each page's script calls this before its first render. The page's body is empty until then (its HTML holds
// only the root element), so nothing is laid out in the wrong direction first, and no separate script has to
// block the HTML's parsing to do it.
import { applyPageLocale, type MessagesLike } from './page-locale';

export function setPageLocale(): void {
  const i18n = (globalThis as { chrome?: { i18n?: MessagesLike } }).chrome?.i18n;
  if (i18n) applyPageLocale(document.documentElement, i18n);
}
