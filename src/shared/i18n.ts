// Every string a person reads goes through browser.i18n; keys are typed from the English catalogue.
import type catalogue from '../../static/_locales/en/messages.json';

export type MessageKey = keyof typeof catalogue;

interface I18nLike {
  getMessage(key: string, substitutions?: string | string[]): string;
}

/** `chrome.i18n` exists in Chrome and Firefox, in the worker and the pages; tests install a stand-in. */
function i18n(): I18nLike | undefined {
  return (globalThis as { chrome?: { i18n?: I18nLike } }).chrome?.i18n;
}

export function t(key: MessageKey, substitutions?: string | string[]): string {
  return i18n()?.getMessage(key, substitutions) || key;
}
