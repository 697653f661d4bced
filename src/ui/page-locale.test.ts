import { describe, expect, it } from 'vitest';
import ar from '../../static/_locales/ar/messages.json';
import en from '../../static/_locales/en/messages.json';
import { applyPageLocale, pageLocale } from './page-locale';

/** The browser's i18n answering from one catalogue, as it does once it has picked one. */
function catalogue(messages: Record<string, { message: string }>) {
  return { getMessage: (key: string) => messages[key]?.message ?? '' };
}

describe('pageLocale', () => {
  it('lays out the Arabic catalogue right to left, in Arabic', () => {
    expect(pageLocale(catalogue(ar))).toEqual({ lang: 'ar', dir: 'rtl' });
  });

  it('lays out the English catalogue left to right, whatever the browser language it stands in for', () => {
    expect(pageLocale(catalogue(en))).toEqual({ lang: 'en', dir: 'ltr' });
  });

  it('falls back to English, left to right, when the browser answers nothing', () => {
    expect(pageLocale(catalogue({}))).toEqual({ lang: 'en', dir: 'ltr' });
  });

  it('sets lang and dir on the page root', () => {
    const root = { lang: 'en', dir: '' };
    applyPageLocale(root, catalogue(ar));
    expect(root).toEqual({ lang: 'ar', dir: 'rtl' });
  });
});
