// A browser profile with the extension installed, the same for Chromium and Firefox: pages by path, the
// login window that identity.launchWebAuthFlow opens, the background restarted, files downloaded.
// Browser tests are written once over both, e.g. `describe.each(BROWSERS)('…in %s', (browser) => …)`.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page as PuppeteerPage, Target } from 'puppeteer-core';
import type { Stack } from '../../../stack/index';
import type { MessageKey } from '../../../src/shared/i18n';
import type { MessageReply } from '../../../src/shared/messages';
import arabic from '../../../static/_locales/ar/messages.json';
import english from '../../../static/_locales/en/messages.json';
import { type ChromiumExtension, launchChromium } from './chromium';
import { type PageDriver, playwrightDriver, puppeteerDriver } from './driver';
import type { ExtensionGlobal } from './extension-global';
import { type FirefoxExtension, launchFirefox } from './firefox';

export const BROWSERS = ['chromium', 'firefox'] as const;
export type BrowserName = (typeof BROWSERS)[number];

/** The login window identity.launchWebAuthFlow opened, showing the provider's form. */
export interface LoginWindow {
  page: PageDriver;
  /** Settles when the window has closed (it closes itself after the provider's final redirect). */
  closed: Promise<void>;
  /** Fills the form and submits it, without waiting on a navigation that ends with the window. */
  submit(username: string, password?: string): Promise<void>;
  /** Closes the window as a person would, without signing in. */
  close(): Promise<void>;
}

/** A file the extension downloaded: the name it suggested, and what it wrote. */
export interface Download {
  name: string;
  text: string;
}

export interface Profile {
  name: string;
  browser: BrowserName;
  openPage(path: string): Promise<PageDriver>;
  /** Starts `trigger` (a click that opens the login window) and returns the window once its form shows. */
  openLoginWindow(trigger: () => Promise<void>): Promise<LoginWindow>;
  /** Starts `trigger` and signs in there as `username`, returning once the window has closed. */
  signInThroughWindow(trigger: () => Promise<void>, username: string, password?: string): Promise<void>;
  /** Stops the background (Chrome's worker, Firefox's event page) as the browser does when it is idle. */
  restartBackground(): Promise<void>;
  /** Forgets every cookie: the provider's session ends as far as this profile knows. */
  clearCookies(): Promise<void>;
  /** How many pages (tabs and windows) the profile has open. */
  pageCount(): Promise<number>;
  /** Runs `trigger` (a click that downloads a file) and returns the file. */
  download(trigger: () => Promise<void>): Promise<Download>;
  close(): Promise<void>;
}

export interface ProfileOptions {
  /** Firefox: suspend an idle event page after this long (Firefox's own default is 30 s). */
  backgroundIdleMs?: number;
  /**
   * The browser's language, e.g. 'ar': Chromium's `--lang`; Firefox's `intl.locale.requested`, which needs that
   * language's pack installed (Debian: firefox-esr-l10n-ar). docs/testing.md, "Another language".
   */
  locale?: string;
  /** The unpacked extension to load, instead of the build in dist/ (a test's altered copy of it). */
  extensionDir?: string;
  /** The system's colour scheme, as the pages' `prefers-color-scheme` reads it: light unless told. */
  colorScheme?: 'light' | 'dark';
}

const LOGIN_TIMEOUT_MS = 30_000;

export async function chromiumProfile(name: string, options: ProfileOptions = {}): Promise<Profile & { extension: ChromiumExtension }> {
  const extension = await launchChromium(options.extensionDir ?? 'dist/chrome', {
    ...(options.locale ? { lang: options.locale } : {}),
    ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}),
  });
  const openLoginWindow = async (trigger: () => Promise<void>): Promise<LoginWindow> => {
    const opened = extension.context.waitForEvent('page', { timeout: LOGIN_TIMEOUT_MS });
    await trigger();
    const login = await opened;
    // The window closes itself right after the final redirect: listen at once.
    const closed = login.waitForEvent('close', { timeout: LOGIN_TIMEOUT_MS }).then(() => undefined);
    closed.catch(() => undefined);
    await login.getByLabel('Username').waitFor({ timeout: LOGIN_TIMEOUT_MS });
    const page = playwrightDriver(login);
    return {
      page,
      closed,
      async submit(username, password = 'password') {
        await page.fill('Username', username);
        await page.fill('Password', password);
        await page.click('Sign in');
      },
      close: () => page.close(),
    };
  };
  return {
    name,
    browser: 'chromium',
    extension,
    async openPage(path) {
      return playwrightDriver(await extension.openPage(path));
    },
    openLoginWindow,
    async signInThroughWindow(trigger, username, password) {
      const login = await openLoginWindow(trigger);
      await login.submit(username, password);
      await login.closed;
    },
    restartBackground: () => extension.stopWorkers(),
    clearCookies: () => extension.context.clearCookies(),
    async pageCount() {
      return extension.context.pages().length;
    },
    async download(trigger) {
      // The download event comes from the page that started it: listen on every page, keep the first.
      const waits = extension.context.pages().map((page) => page.waitForEvent('download', { timeout: 15_000 }));
      for (const wait of waits) wait.catch(() => undefined);
      await trigger();
      const file = await Promise.any(waits);
      return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
    },
    close: () => extension.close(),
  };
}

export async function firefoxProfile(name: string, options: ProfileOptions = {}): Promise<Profile & { extension: FirefoxExtension }> {
  const downloads = await mkdtemp(join(tmpdir(), 'firefox-downloads-'));
  // The files its pages choose: removed with the profile, whether or not each page was closed first.
  const chosenFiles = await mkdtemp(join(tmpdir(), 'firefox-chosen-files-'));
  const extension = await launchFirefox(options.extensionDir ?? 'dist/firefox', {
    // Downloads go to a known folder, without asking.
    'browser.download.folderList': 2,
    'browser.download.dir': downloads,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    ...(options.backgroundIdleMs === undefined ? {} : { 'extensions.background.idle.timeout': options.backgroundIdleMs }),
    ...(options.locale === undefined ? {} : { 'intl.locale.requested': options.locale }),
    // What pages' prefers-color-scheme answers: 0 dark, 1 light.
    ...(options.colorScheme === undefined ? {} : { 'layout.css.prefers-color-scheme.content-override': options.colorScheme === 'dark' ? 0 : 1 }),
  });
  const openLoginWindow = async (trigger: () => Promise<void>): Promise<LoginWindow> => {
    const isLogin = (target: Target): boolean => target.url().includes('/interaction/');
    const target = extension.browser.waitForTarget(isLogin, { timeout: LOGIN_TIMEOUT_MS });
    await trigger();
    const login: PuppeteerPage | null = await (await target).page();
    if (!login) throw new Error('the login window has no page');
    // The window closes itself right after the final redirect: listen at once.
    const closed = new Promise<void>((resolve) => login.once('close', () => resolve()));
    await login.waitForSelector('input#username', { timeout: LOGIN_TIMEOUT_MS });
    const page = puppeteerDriver(login);
    return {
      page,
      closed,
      async submit(username, password = 'password') {
        await page.fill('Username', username);
        await page.fill('Password', password);
        // The window closes itself after the final redirect: don't wait on the click's navigation.
        void page.click('Sign in').catch(() => undefined);
      },
      close: () => page.close(),
    };
  };
  return {
    name,
    browser: 'firefox',
    extension,
    async openPage(path) {
      return puppeteerDriver(await extension.openPage(path), chosenFiles);
    },
    openLoginWindow,
    async signInThroughWindow(trigger, username, password) {
      const login = await openLoginWindow(trigger);
      await login.submit(username, password);
      await login.closed;
    },
    async restartBackground() {
      // No protocol command stops an event page: Firefox suspends it once it has been idle long enough.
      const idleMs = options.backgroundIdleMs;
      if (idleMs === undefined) throw new Error('open the Firefox profile with backgroundIdleMs to restart its background');
      await new Promise((resolve) => setTimeout(resolve, idleMs * 4));
    },
    async clearCookies() {
      await extension.browser.deleteCookie(...(await extension.browser.cookies()));
    },
    async pageCount() {
      return (await extension.browser.pages()).length;
    },
    async download(trigger) {
      const before = new Set(await readdir(downloads));
      await trigger();
      // Firefox first creates an empty file under the final name, writes `<name>.part`, then moves it over
      // the empty one: the download is complete once the file has content and no `.part` is left.
      for (let tries = 0; tries < 300; tries++) {
        const files = await readdir(downloads);
        const name = files.find((file) => !before.has(file) && !file.endsWith('.part') && !files.includes(`${file}.part`));
        if (name && (await stat(join(downloads, name))).size > 0) return { name, text: await readFile(join(downloads, name), 'utf8') };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('no download completed within 30 s');
    },
    async close() {
      await extension.close();
      await Promise.all([downloads, chosenFiles].map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

export function openProfile(browser: BrowserName, name: string, options: ProfileOptions = {}): Promise<Profile> {
  return browser === 'chromium' ? chromiumProfile(name, options) : firefoxProfile(name, options);
}

/** Sends a message to the background from an extension page, as the popup and options pages do. */
export function sendMessage(page: PageDriver, type: string, ...args: unknown[]): Promise<MessageReply> {
  return page.evaluateWith(
    (message: { type: string; args: unknown[] }) => (globalThis as ExtensionGlobal).chrome.runtime.sendMessage(message) as Promise<MessageReply>,
    { type, args },
  );
}

/** The value of a successful reply; a failed one throws its message. */
export function replyValue<T>(reply: MessageReply): T {
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as T;
}

const CATALOGUES = { en: english, ar: arabic };
export type Language = keyof typeof CATALOGUES;

/** The text a page shows for `key` in `language`: what a person reads, and what the tests find controls by. */
export function shown(key: MessageKey, language: Language = 'en'): string {
  return CATALOGUES[language][key].message;
}

/**
 * Fills the options page with the stack's settings (the dataset service `backend`, and `extra` fields by label)
 * and saves, as a new user would; `language` is the one the browser runs in (ProfileOptions.locale).
 */
export async function configure(
  profile: Profile,
  stack: Stack,
  {
    backend = 'dynamodb',
    extra = [],
    language = 'en',
  }: { backend?: 'dynamodb' | 'cognitoSync'; extra?: Array<[string, string]>; language?: Language } = {},
): Promise<void> {
  const label = (key: MessageKey): string => shown(key, language);
  const options = await profile.openPage('options/index.html');
  await options.waitForButton(label('buttonSave'));
  const fields: Array<[string, string]> = [
    [label('fieldDomain'), stack.url],
    [label('fieldClientId'), stack.config.clientId],
    [label('fieldIdentityPoolId'), stack.config.identityPoolId],
    [label('fieldCognitoIdentityEndpoint'), stack.config.endpoints.cognitoIdentity],
    [label('fieldDynamodbEndpoint'), stack.config.endpoints.dynamodb],
    [label('fieldCognitoSyncEndpoint'), stack.config.endpoints.cognitoSync],
    // Every endpoint of this stack, STS too (used with a role ARN only), rather than the development build's port.
    [label('fieldStsEndpoint'), stack.config.endpoints.sts],
    ...(backend === 'dynamodb' ? ([[label('fieldTableName'), stack.config.tableName]] as Array<[string, string]>) : []),
    ...extra,
  ];
  // The form is filled from storage first; wait for that before typing over it.
  // Up to 15 s: on a busy machine (two cores, two browsers) the page's first answer from the worker can take a while.
  for (let tries = 0; (await options.fieldValue(label('sectionRedirect'))) === ''; tries++) {
    if (tries > 300) throw new Error('the options page never loaded its settings');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // The table field shows for DynamoDB only: choose the service first.
  await options.select(label('fieldSyncBackend'), backend);
  for (const [name, value] of fields) await options.fill(name, value);
  await options.click(label('buttonSave'));
  await options.waitForText(label('saved'));
  await options.close();
}
