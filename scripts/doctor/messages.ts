// The extension's English catalogue, so the doctor explains a field exactly as the options page does.
import { readFileSync } from 'node:fs';
import type { Translate } from '../../src/shared/settings-file';

const catalogue = JSON.parse(readFileSync(new URL('../../static/_locales/en/messages.json', import.meta.url), 'utf8')) as Record<
  string,
  { message: string } | undefined
>;

/** browser.i18n.getMessage's substitution of $1…$9, on the English catalogue. */
export const translate: Translate = (key, substitutions) => {
  const values = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  const message = catalogue[key]?.message ?? key;
  return message.replace(/\$(\d)/g, (_, n: string) => values[Number(n) - 1] ?? '');
};
