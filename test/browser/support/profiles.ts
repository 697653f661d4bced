// A browser profile with the extension installed, as the end-to-end tests use it: pages by path,
// and the login window that identity.launchWebAuthFlow opens.
import type { Page as PuppeteerPage, Target } from 'puppeteer-core';
import type { Stack } from '../../../stack/index';
import { launchChromium, type ChromiumExtension } from './chromium';
import { playwrightDriver, puppeteerDriver, type PageDriver } from './driver';
import { launchFirefox, type FirefoxExtension } from './firefox';

export interface Profile {
  name: string;
  openPage(path: string): Promise<PageDriver>;
  /** Starts `trigger` (a click that opens the login window) and signs in there as `username`. */
  signInThroughWindow(trigger: () => Promise<void>, username: string, password?: string): Promise<void>;
  close(): Promise<void>;
}

export async function chromiumProfile(name: string): Promise<Profile & { extension: ChromiumExtension }> {
  const extension = await launchChromium();
  return {
    name,
    extension,
    async openPage(path) {
      return playwrightDriver(await extension.openPage(path));
    },
    async signInThroughWindow(trigger, username, password = 'password') {
      const opened = extension.context.waitForEvent('page', { timeout: 30_000 });
      await trigger();
      const login = await opened;
      // The window closes itself right after the final redirect: listen at once.
      const closed = login.waitForEvent('close', { timeout: 30_000 });
      await login.getByLabel('Username').fill(username);
      await login.getByLabel('Password').fill(password);
      await login.getByRole('button', { name: 'Sign in' }).click();
      await closed;
    },
    close: () => extension.close(),
  };
}

export async function firefoxProfile(
  name: string,
  prefs: Record<string, string | number | boolean> = {},
): Promise<Profile & { extension: FirefoxExtension }> {
  const extension = await launchFirefox('dist/firefox', prefs);
  return {
    name,
    extension,
    async openPage(path) {
      return puppeteerDriver(await extension.openPage(path));
    },
    async signInThroughWindow(trigger, username, password = 'password') {
      const isLogin = (target: Target): boolean => target.url().includes('/interaction/');
      const target = extension.browser.waitForTarget(isLogin, { timeout: 30_000 });
      await trigger();
      const login: PuppeteerPage | null = await (await target).page();
      if (!login) throw new Error('the login window has no page');
      await login.waitForSelector('input#username');
      const closed = new Promise<void>((resolve) => login.once('close', () => resolve()));
      const form = puppeteerDriver(login);
      await form.fill('Username', username);
      await form.fill('Password', password);
      // The window closes itself after the final redirect: don't wait on the click's navigation.
      void form.click('Sign in').catch(() => undefined);
      await closed;
    },
    close: () => extension.close(),
  };
}

/** Fills the options page with the stack's settings and saves, as a new user would. */
export async function configure(profile: Profile, stack: Stack, backend: 'dynamodb' | 'cognitoSync' = 'dynamodb'): Promise<void> {
  const options = await profile.openPage('options/index.html');
  await options.waitForButton('Save');
  const fields: Array<[string, string]> = [
    ['Provider domain', stack.url],
    ['Client ID', stack.config.clientId],
    ['Identity pool ID', stack.config.identityPoolId],
    ['Cognito Identity endpoint', stack.config.endpoints.cognitoIdentity],
    ['DynamoDB endpoint', stack.config.endpoints.dynamodb],
    ['Cognito Sync endpoint', stack.config.endpoints.cognitoSync],
    ...(backend === 'dynamodb' ? ([['DynamoDB table', stack.config.tableName]] as Array<[string, string]>) : []),
  ];
  // The form is filled from storage first; wait for that before typing over it.
  for (let tries = 0; (await options.fieldValue('Redirect URL')) === ''; tries++) {
    if (tries > 100) throw new Error('the options page never loaded its settings');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // The table field shows for DynamoDB only: choose the service first.
  await options.select('Where datasets are kept', backend);
  for (const [label, value] of fields) await options.fill(label, value);
  await options.click('Save');
  await options.waitForText('Settings saved.');
  await options.close();
}
