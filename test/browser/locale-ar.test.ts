// The extension in a browser that runs in Arabic: the popup and the options page speak Arabic, read right to
// left, and a person can configure, sign in, add a record and sync with the Arabic labels alone.
// Chromium takes its language from `--lang=ar`. Firefox takes the extension's language from its own UI
// language (`intl.locale.requested`), which it uses only with that language's pack installed: Debian's
// firefox-esr-l10n-ar (.ci/run installs it). Without it Firefox stays in English and this test says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import english from '../../static/_locales/en/messages.json';
import { type Stack, startStack } from '../../stack/index';
import type { MessageKey } from '../../src/shared/i18n';
import type { PageDriver } from './support/driver';
import type { ExtensionGlobal } from './support/extension-global';
import { buttonPlace } from './support/popup-actions';
import { BROWSERS, configure, openProfile, type Profile, shown } from './support/profiles';

const ar = (key: MessageKey): string => shown(key, 'ar');

/** The page's lang and dir, the browser's language, and the text a person sees. */
function pageFacts(page: PageDriver) {
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    direction: getComputedStyle(document.body).direction,
    uiLanguage: (globalThis as ExtensionGlobal).chrome.i18n.getUILanguage(),
    title: document.title,
    // biome-ignore lint/performance/useDomNodeTextContent: the text a person sees, without hidden nodes
    text: document.body.innerText,
  }));
}

/** English sentences (from the English catalogue) that show on the page: none should, in Arabic. */
function englishShown(text: string): string[] {
  return Object.entries(english)
    .map(([, entry]) => entry.message)
    .filter((message) => message.length > 12 && !message.includes('$') && /[a-z]{3} [a-z]{3}/.test(message) && text.includes(message));
}

describe.each(BROWSERS)('the extension in Arabic in %s', (browser) => {
  let stack: Stack;
  let profile: Profile;

  beforeAll(async () => {
    [stack, profile] = await Promise.all([startStack({ port: 0 }), openProfile(browser, 'arabic', { locale: 'ar' })]);
  });
  afterAll(async () => {
    await profile?.close();
    await stack?.close();
  });

  it('asks a new user, in Arabic and right to left, to open the settings', async () => {
    const popup = await profile.openPage('popup/index.html');
    const facts = await pageFacts(popup);
    if (browser === 'firefox' && facts.uiLanguage !== 'ar') {
      throw new Error(`Firefox runs in ${facts.uiLanguage}, not Arabic: install its Arabic language pack (apt-get install firefox-esr-l10n-ar)`);
    }
    await popup.waitForText(ar('popupNotConfigured'));
    await popup.waitForButton(ar('buttonOpenSettings'));
    expect(await pageFacts(popup)).toMatchObject({ lang: 'ar', dir: 'rtl', direction: 'rtl', title: ar('extensionName') });
    expect(englishShown((await pageFacts(popup)).text)).toEqual([]);
    await popup.close();
  });

  it('shows the options page in Arabic, its labels and notices on the right', async () => {
    const options = await profile.openPage('options/index.html');
    await options.waitForButton(ar('buttonSave'));
    await options.waitForText(ar('optionsIntro'));
    // The development build's notice comes with the worker's answer, after the first paint: measured below.
    await options.waitForText(ar('optionsDevDefaults'));
    const facts = await pageFacts(options);
    expect(facts).toMatchObject({ lang: 'ar', dir: 'rtl', direction: 'rtl', title: ar('optionsTitle') });
    expect(englishShown(facts.text)).toEqual([]);
    // Where things sit: a label's text ends at its right edge, and the notice's bar is on its right side.
    const layout = await options.evaluate(() => {
      const label = document.querySelector('.field label');
      const text = label?.firstChild;
      const range = document.createRange();
      if (text) range.selectNodeContents(text);
      const notice = document.querySelector('.notice');
      const style = notice ? getComputedStyle(notice) : undefined;
      return {
        labelRight: label?.getBoundingClientRect().right ?? 0,
        labelLeft: label?.getBoundingClientRect().left ?? 0,
        textRight: range.getBoundingClientRect().right,
        textLeft: range.getBoundingClientRect().left,
        noticeBar: style ? { right: style.borderRightWidth, left: style.borderLeftWidth } : undefined,
      };
    });
    expect(Math.abs(layout.labelRight - layout.textRight)).toBeLessThanOrEqual(2);
    expect(layout.textLeft - layout.labelLeft).toBeGreaterThan(50);
    expect(layout.noticeBar).toEqual({ right: '3px', left: '0px' });
    // A URL, an ID or an ARN reads left to right in an Arabic page too: "https://…" starts at its left, not "/".
    const directions = await options.evaluate(() =>
      ['redirect-url', 'field-domain', 'field-identityPoolId', 'field-roleArn', 'field-datasetName', 'field-cognitoIdentityEndpoint'].map((id) => {
        const field = document.getElementById(id);
        return `${id}: ${field ? getComputedStyle(field).direction : 'missing'}`;
      }),
    );
    expect(directions).toEqual([
      'redirect-url: ltr',
      'field-domain: ltr',
      'field-identityPoolId: ltr',
      'field-roleArn: ltr',
      'field-datasetName: ltr',
      'field-cognitoIdentityEndpoint: ltr',
    ]);
    await options.close();
  });

  it('lets a person configure, sign in, add a record and sync with the Arabic labels alone', async () => {
    await configure(profile, stack, { language: 'ar' });

    const popup = await profile.openPage('popup/index.html');
    await popup.waitForText(ar('popupSignedOut'));
    await profile.signInThroughWindow(() => popup.click(ar('buttonSignIn')), 'alice');
    await popup.waitForButton(ar('buttonSignOut'));
    await popup.fill(ar('labelNewKey'), 'تحية');
    await popup.fill(ar('labelNewValue'), 'مرحبا بالعالم');
    await popup.click(ar('buttonAdd'));
    await expect.poll(() => popup.rowText('تحية'), { timeout: 15_000 }).toContain('مرحبا بالعالم');
    await popup.click(ar('buttonSyncNow'));
    await popup.waitForText(ar('pendingNone'));
    const facts = await pageFacts(popup);
    expect(facts).toMatchObject({ lang: 'ar', dir: 'rtl' });
    for (const key of ['labelKey', 'labelValue', 'buttonSignOut', 'buttonSyncNow'] as const) expect(facts.text).toContain(ar(key));
    expect(englishShown(facts.text)).toEqual([]);
    // A name in Latin letters lines up on the right with the email under it, as every line of the page does.
    const rightEdges = await popup.evaluate(() =>
      ['.who .name', '.who .email'].map((selector) => {
        const range = document.createRange();
        range.selectNodeContents(document.querySelector(selector) ?? document.body);
        return Math.round(range.getBoundingClientRect().right);
      }),
    );
    expect(Math.abs((rightEdges[0] ?? 0) - (rightEdges[1] ?? 0))).toBeLessThanOrEqual(2);
    // An edited row's buttons end on the left, where the list ends: all three are in sight, Cancel too.
    await popup.click(ar('labelEditRecord').replace('$1', 'تحية'));
    const cancel = ar('labelCancelEdit').replace('$1', 'تحية');
    await popup.waitForButton(cancel);
    expect(await buttonPlace(popup, cancel)).toMatchObject({ within: true, uncovered: true });
    await popup.click(cancel);
    await popup.waitForButton(cancel, false);
    await popup.close();
  });
});
