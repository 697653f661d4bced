// Node has no browser.i18n: answer from the English catalogue the extension ships, substitutions included.
import catalogue from '../../static/_locales/en/messages.json';

const messages: Record<string, { message: string }> = catalogue;

function getMessage(key: string, substitutions?: string | string[]): string {
  const entry = messages[key];
  if (!entry) return '';
  const values = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  return entry.message.replace(/\$(\d)/g, (_, n: string) => values[Number(n) - 1] ?? '');
}

Object.assign(globalThis, { chrome: { i18n: { getMessage } } });
