// The language and direction of the extension's pages, set before their first frame (set-page-locale.ts runs
// from each page's <head>). `@@ui_locale` and `@@bidi_dir` describe the browser's language, which the
// messages follow only when the extension has a catalogue for it; otherwise they come from the default
// catalogue (English): https://developer.chrome.com/docs/extensions/reference/api/i18n#predefined-messages
import type { MessageKey } from '../shared/i18n';

export interface MessagesLike {
  getMessage(key: MessageKey | '@@ui_locale' | '@@bidi_dir'): string;
}

export interface PageLocale {
  lang: string;
  dir: 'ltr' | 'rtl';
}

/** `ar`, `ar_EG`, `ar-EG` → `ar`. */
function language(tag: string): string {
  return tag.split(/[-_]/)[0]?.toLowerCase() ?? '';
}

/**
 * `lang`: the language of the catalogue in use (its `languageTag`). `dir`: the browser's, when the messages
 * are in the browser's language; left to right when they fell back to English.
 */
export function pageLocale(messages: MessagesLike): PageLocale {
  const lang = messages.getMessage('languageTag') || 'en';
  const browserLanguage = language(messages.getMessage('@@ui_locale'));
  const dir = browserLanguage === language(lang) && messages.getMessage('@@bidi_dir') === 'rtl' ? 'rtl' : 'ltr';
  return { lang, dir };
}

export function applyPageLocale(root: { lang: string; dir: string }, messages: MessagesLike): void {
  const { lang, dir } = pageLocale(messages);
  root.lang = lang;
  root.dir = dir;
}
