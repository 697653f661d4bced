import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatLocale, listFormat } from './i18n';

describe('formatLocale', () => {
  afterEach(() => void vi.unstubAllGlobals());

  it("keeps the browser's region when the messages are in its language", () => {
    vi.stubGlobal('navigator', { language: 'en-GB' });
    expect(formatLocale()).toBe('en-GB');
  });

  it("formats in the catalogue's language when the messages fell back to it", () => {
    vi.stubGlobal('navigator', { language: 'de-DE' });
    expect(formatLocale()).toBe('en');
  });

  it('formats an Arabic page in Arabic even where the browser reports English (headless Chromium with --lang=ar)', () => {
    vi.stubGlobal('navigator', { language: 'en-US' });
    vi.stubGlobal('chrome', { i18n: { getMessage: (key: string) => (key === 'languageTag' ? 'ar' : key) } });
    expect(formatLocale()).toBe('ar');
    expect(
      new Date(Date.UTC(2026, 0, 1, 19, 3)).toLocaleTimeString(formatLocale(), { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' }),
    ).not.toMatch(/PM/);
  });
});

describe('listFormat', () => {
  afterEach(() => void vi.unstubAllGlobals());

  it('lists hosts as a sentence in the messages’ language, Arabic with its own comma and “و”', () => {
    vi.stubGlobal('navigator', { language: 'en-US' });
    vi.stubGlobal('chrome', { i18n: { getMessage: (key: string) => (key === 'languageTag' ? 'en' : key) } });
    expect(listFormat(['a.example', 'b.example', 'c.example'])).toBe('a.example, b.example, and c.example');
    vi.stubGlobal('chrome', { i18n: { getMessage: (key: string) => (key === 'languageTag' ? 'ar' : key) } });
    expect(listFormat(['a.example', 'b.example', 'c.example'])).toBe('a.example وb.example وc.example');
  });
});
