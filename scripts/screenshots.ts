// `npm run screenshots`: the README's pictures of the popup (light and dark) and the options page,
// taken from the development build in headless Chromium against an in-memory local stack.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { startStack } from '../stack/index';
import { chromiumProfile, configure } from '../test/browser/support/profiles';

execFileSync(process.execPath, ['build.mjs'], { stdio: 'inherit' });
mkdirSync('docs', { recursive: true });
const stack = await startStack({ port: 0 });
const profile = await chromiumProfile('screenshots');
try {
  await configure(profile, stack);
  const popup = await profile.openPage('popup/index.html');
  await profile.signInThroughWindow(() => popup.click('Sign in'), 'alice');
  await popup.waitForButton('Sign out');
  const records: Array<[string, string]> = [
    ['theme', 'dark'],
    ['homepage', 'https://example.com/start'],
    ['language', 'en-GB'],
  ];
  for (const [key, value] of records) {
    await popup.fill('New key', key);
    await popup.fill('New value', value);
    await popup.click('Add');
  }
  await popup.click('Sync now');
  await popup.waitForText('All changes synced');
  await popup.fill('New key', 'font-size');
  await popup.fill('New value', '16px');
  await popup.click('Add');
  await popup.close();

  const page = await profile.extension.openPage('popup/index.html');
  await page.setViewportSize({ width: 420, height: 240 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.getByRole('rowheader', { name: 'font-size' }).waitFor();
    await page.screenshot({ path: `docs/popup-${scheme}.png`, fullPage: true });
  }
  const options = await profile.extension.openPage('options/index.html');
  await options.setViewportSize({ width: 900, height: 1100 });
  await options.getByRole('textbox', { name: 'Redirect URL' }).waitFor();
  await options.screenshot({ path: 'docs/options.png', fullPage: true });
  console.log('wrote docs/popup-light.png, docs/popup-dark.png and docs/options.png');
} finally {
  await profile.close();
  await stack.close();
}
