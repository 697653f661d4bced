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

/**
 * The locale to format dates and numbers in: the browser's own (with its region) when the messages are in its
 * language, else the language of the catalogue in use, so that an Arabic page never shows "PM".
 */
export function formatLocale(): string {
  const catalogue = t('languageTag');
  const browser = (globalThis as { navigator?: { language?: string } }).navigator?.language;
  return browser && browser.split('-')[0] === catalogue.split('-')[0] ? browser : catalogue;
}

/** Items as a list in the messages' language ("A, B and C"; Arabic's own comma and "و"). */
export function listFormat(items: readonly string[]): string {
  return new Intl.ListFormat(formatLocale(), { type: 'conjunction' }).format(items);
}
