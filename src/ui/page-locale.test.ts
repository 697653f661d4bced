import { describe, expect, it } from 'vitest';
import { applyPageLocale, pageLocale } from './page-locale';

/** The browser's i18n as a page sees it: its UI language and direction, and the catalogue it picked. */
function browserIn(uiLocale: string, bidiDir: 'ltr' | 'rtl', catalogueTag: string) {
  return {
    getMessage: (key: string) => ({ '@@ui_locale': uiLocale, '@@bidi_dir': bidiDir, languageTag: catalogueTag })[key] ?? '',
  };
}

describe('pageLocale', () => {
  it('lays out an Arabic browser right to left, in Arabic', () => {
    expect(pageLocale(browserIn('ar', 'rtl', 'ar'))).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(pageLocale(browserIn('ar_EG', 'rtl', 'ar'))).toEqual({ lang: 'ar', dir: 'rtl' });
  });

  it('keeps English left to right in a right-to-left browser the extension has no catalogue for', () => {
    expect(pageLocale(browserIn('he', 'rtl', 'en'))).toEqual({ lang: 'en', dir: 'ltr' });
  });

  it('lays out English and other left-to-right languages left to right', () => {
    expect(pageLocale(browserIn('en_US', 'ltr', 'en'))).toEqual({ lang: 'en', dir: 'ltr' });
    expect(pageLocale(browserIn('de', 'ltr', 'en'))).toEqual({ lang: 'en', dir: 'ltr' });
  });

  it('sets lang and dir on the page root', () => {
    const root = { lang: 'en', dir: '' };
    applyPageLocale(root, browserIn('ar', 'rtl', 'ar'));
    expect(root).toEqual({ lang: 'ar', dir: 'rtl' });
  });
});
