// Every catalogue in static/_locales has exactly the English keys, with the same placeholders, so no
// page shows a raw key or loses a substituted value in another language. A key added to English alone
// fails here, named, until it is translated.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const LOCALES_DIR = join(import.meta.dirname, '../../static/_locales');

type Catalogue = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

function isCatalogue(value: unknown): value is Catalogue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return false;
    return typeof (entry as { message?: unknown }).message === 'string';
  });
}

function readCatalogue(locale: string): Catalogue {
  const parsed: unknown = JSON.parse(readFileSync(join(LOCALES_DIR, locale, 'messages.json'), 'utf8'));
  if (!isCatalogue(parsed)) throw new Error(`${locale}/messages.json: every entry needs a "message" string`);
  return parsed;
}

/** `$1`…`$9` and named `$name$` placeholders, as the browsers substitute them (`$$` is a literal dollar). */
function placeholders(message: string): string[] {
  return [...message.replaceAll('$$', '').matchAll(/\$(\d|[A-Za-z0-9_@]+\$)/g)].map((match) => match[0].toLowerCase()).sort();
}

const english = readCatalogue('en');
const others = readdirSync(LOCALES_DIR).filter((locale) => locale !== 'en');

/** Messages that may read as in English: the product's name, punctuation around values, the writing direction. */
const SAME_IN_EVERY_LANGUAGE = new Set(['extensionName', 'actionTitle', 'syncSummary', 'textDirection']);

/** Languages written right to left: their catalogue says so, and the pages follow (src/ui/page-locale.ts). */
const RIGHT_TO_LEFT = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb']);

describe('the locale catalogues', () => {
  it('include at least one right-to-left language besides English', () => {
    expect(others).toContain('ar');
  });

  describe.each(others)('%s', (locale) => {
    const catalogue = readCatalogue(locale);

    it('has every key of the English catalogue', () => {
      const missing = Object.keys(english).filter((key) => !(key in catalogue));
      expect(missing, `${locale} lacks these keys (translate them into static/_locales/${locale}/messages.json)`).toEqual([]);
    });

    it('has no key the English catalogue lacks', () => {
      const extra = Object.keys(catalogue).filter((key) => !(key in english));
      expect(extra, `${locale} has keys English no longer has (remove them)`).toEqual([]);
    });

    it('keeps the placeholders of each English message', () => {
      const differ = Object.entries(english)
        .filter(([key]) => key in catalogue)
        .map(([key, entry]) => ({ key, english: placeholders(entry.message), translated: placeholders(catalogue[key]?.message ?? '') }))
        .filter((row) => row.english.join() !== row.translated.join());
      expect(differ).toEqual([]);
    });

    it('translates each message (an empty or English one shows English to the person)', () => {
      const untranslated = Object.entries(catalogue)
        .filter(([key, entry]) => !SAME_IN_EVERY_LANGUAGE.has(key) && (entry.message.trim() === '' || entry.message === english[key]?.message))
        .map(([key]) => key);
      expect(untranslated).toEqual([]);
    });

    it('names its own language and direction, which the pages use as their lang and dir', () => {
      expect(catalogue['languageTag']?.message.split('-')[0]).toBe(locale.split('_')[0]);
      expect(catalogue['textDirection']?.message).toBe(RIGHT_TO_LEFT.has(locale.split('_')[0] ?? '') ? 'rtl' : 'ltr');
    });
  });

  it('English names its own language and direction too', () => {
    expect([english['languageTag']?.message, english['textDirection']?.message]).toEqual(['en', 'ltr']);
  });
});
