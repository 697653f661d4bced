// The language and direction of the extension's pages, set before their first frame (set-page-locale.ts, called
// by each page's script before it renders). Both come from the catalogue the browser picked for the messages, not from
// `@@ui_locale` and `@@bidi_dir`: those describe the browser's own language, which the messages follow only
// when the extension has a catalogue for it, and headless Chromium started with --lang=ar picks the Arabic
// catalogue while it answers en_US and ltr (docs/testing.md, "Another language").
import type { MessageKey } from '../shared/i18n';

export interface MessagesLike {
  getMessage(key: MessageKey): string;
}

export interface PageLocale {
  lang: string;
  dir: 'ltr' | 'rtl';
}

/** `lang`: the catalogue's `languageTag`; `dir`: its `textDirection`. English, left to right, without them. */
export function pageLocale(messages: MessagesLike): PageLocale {
  return {
    lang: messages.getMessage('languageTag') || 'en',
    dir: messages.getMessage('textDirection') === 'rtl' ? 'rtl' : 'ltr',
  };
}

export function applyPageLocale(root: { lang: string; dir: string }, messages: MessagesLike): void {
  const { lang, dir } = pageLocale(messages);
  root.lang = lang;
  root.dir = dir;
}
