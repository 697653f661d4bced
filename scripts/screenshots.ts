// `npm run screenshots`: the pictures of the popup (a dataset of 1,024 records, all synced, light and dark, and in Arabic)
// and of the options page in docs/, taken from the development build in headless Chromium against an
// in-memory local stack. Nothing here waits a fixed time: each picture is taken once the popup has marked
// `popup-ready` (its first screen of rows painted, src/popup/popup-app.tsx) and shows what the step waited for.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startStack, type Stack } from '../stack/index';
import { MAX_RECORDS } from '../src/background/sync/limits';
import type { MessageKey } from '../src/shared/i18n';
import { DEFAULT_SETTINGS } from '../src/shared/settings';
import { createDevice } from '../test/support/sync-device';
import { signInAtStack } from '../test/support/stack-identity';
import { chromiumProfile, configure, type Language, shown } from '../test/browser/support/profiles';

/** What each language's person keeps: MAX_RECORDS - 1 records from another browser, and one added in the popup. */
const DATASETS: Record<Language, { username: string; record: (i: number) => [string, string]; added: [string, string] }> = {
  en: {
    username: 'alice',
    record: (i) => [`bookmark-${String(i).padStart(4, '0')}`, `https://example.com/articles/${i}?ref=sync`],
    added: ['font-size', '16px'],
  },
  ar: {
    username: 'bob',
    record: (i) => [`ملاحظة-${String(i).padStart(4, '0')}`, `نص الملاحظة رقم ${i}`],
    added: ['السمة', 'داكنة'],
  },
};

/** A message with its `$1`… filled in, as the pages show it. */
function message(key: MessageKey, language: Language, ...values: string[]): string {
  return shown(key, language).replace(/\$(\d)/g, (_, n: string) => values[Number(n) - 1] ?? '');
}

/** Waits until the popup has painted its first screen (`popup-ready`) and shows `text`, then for a fresh frame. */
async function ready(page: Page, text: string): Promise<void> {
  await page.waitForFunction(() => performance.getEntriesByName('popup-ready').length > 0);
  await page.getByText(text).first().waitFor();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Another browser of the same person puts the records on the server: the popup's sync brings them. */
async function seed(stack: Stack, language: Language): Promise<void> {
  const { username, record } = DATASETS[language];
  const other = await createDevice(stack, { identity: await signInAtStack(stack, username), dataset: DEFAULT_SETTINGS.datasetName });
  for (let i = 1; i < MAX_RECORDS; i++) await other.service.put(...record(i));
  await other.service.sync();
}

async function picturesIn(stack: Stack, language: Language): Promise<string[]> {
  const profile = await chromiumProfile(`screenshots-${language}`, language === 'en' ? {} : { locale: language });
  const say = (key: MessageKey, ...values: string[]): string => message(key, language, ...values);
  try {
    await configure(profile, stack, { language });
    const popup = await profile.openPage('popup/index.html');
    await popup.waitForText(say('popupSignedOut'));
    await profile.signInThroughWindow(() => popup.click(say('buttonSignIn')), DATASETS[language].username);
    await popup.waitForButton(say('buttonSignOut'));
    await popup.click(say('buttonSyncNow'));
    await popup.waitForText(say('pendingNone'));
    const [key, value] = DATASETS[language].added;
    await popup.fill(say('labelNewKey'), key);
    await popup.fill(say('labelNewValue'), value);
    await popup.click(say('buttonAdd'));
    // The after-edit sync takes it within seconds (src/background/sync/scheduler.ts).
    await popup.waitForText(say('pendingNone'));
    await popup.close();

    const written: string[] = [];
    const page = await profile.extension.openPage('popup/index.html');
    await page.setViewportSize({ width: 420, height: 300 });
    for (const scheme of language === 'en' ? (['light', 'dark'] as const) : (['light'] as const)) {
      await page.emulateMedia({ colorScheme: scheme });
      await ready(page, say('pendingNone'));
      // Opening the popup may start a sync: the picture shows the settled state, its Sync button enabled again.
      await page.getByRole('button', { name: say('buttonSyncNow'), disabled: false }).waitFor();
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const path = language === 'en' ? `docs/popup-${scheme}.png` : `docs/popup-${language}.png`;
      await page.screenshot({ path, fullPage: true });
      written.push(path);
    }
    if (language === 'en') {
      const options = await profile.extension.openPage('options/index.html');
      await options.setViewportSize({ width: 900, height: 1100 });
      await options.getByRole('textbox', { name: say('sectionRedirect') }).waitFor();
      // The form shows the saved settings once it has read them from storage.
      const field = await options.getByLabel(say('fieldClientId')).elementHandle();
      const saved = [field, stack.config.clientId] as const;
      await options.waitForFunction(([input, clientId]) => input instanceof HTMLInputElement && input.value === clientId, saved);
      await options.screenshot({ path: 'docs/options.png', fullPage: true });
      written.push('docs/options.png');
    }
    return written;
  } finally {
    await profile.close();
  }
}

execFileSync(process.execPath, ['build.mjs'], { stdio: 'inherit' });
mkdirSync('docs', { recursive: true });
const stack = await startStack({ port: 0, memory: true });
try {
  const written: string[] = [];
  for (const language of ['en', 'ar'] as const) {
    await seed(stack, language);
    written.push(...(await picturesIn(stack, language)));
  }
  console.log(`wrote ${written.join(', ')}`);
} finally {
  await stack.close();
}
