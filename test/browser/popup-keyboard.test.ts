// The popup as keyboard and screen-reader users meet it: headings to find their way by, Escape leaving what
// its visible Cancel or Close leaves, buttons named for what they do, and a sync line that speaks when it matters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../stack/index';
import type { PageDriver } from './support/driver';
import { signInFromPopup } from './support/popup-actions';
import { BROWSERS, configure, openProfile, type Profile, replyValue, sendMessage } from './support/profiles';

const LETTER = 'Dear Alice,\nall is well.';

/** The page's headings in order, as a screen reader lists them: level and text. */
function headings(popup: PageDriver): Promise<string[]> {
  return popup.evaluate(() =>
    [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
      .filter((heading) => heading.checkVisibility({ visibilityProperty: true }))
      .map((heading) => `${heading.tagName.toLowerCase()} ${(heading.textContent ?? '').replace(/\s+/g, ' ').trim()}`),
  );
}

describe.each(BROWSERS)('the popup by keyboard and screen reader in %s', (browser) => {
  let stack: Stack;
  let profile: Profile;
  let popup: PageDriver;

  beforeAll(async () => {
    [stack, profile] = await Promise.all([startStack({ port: 0, memory: true }), openProfile(browser, 'keyboard')]);
    await configure(profile, stack);
  });
  afterAll(async () => {
    await profile?.close();
    await stack?.close();
  });

  it('names the page in a heading, signed out or in, with the open dataset’s heading under it and a record’s or the export’s under that', async () => {
    const signedOut = await profile.openPage('popup/index.html');
    await signedOut.waitForButton('Sign in');
    expect(await headings(signedOut)).toEqual(['h1 Cognito Sync']);
    await signedOut.close();

    popup = await signInFromPopup(profile, 'alice');
    await popup.waitForButton('Sync now');
    expect(await headings(popup)).toEqual(['h1 Cognito Sync', 'h2 Dataset: MainDataset']);

    await popup.click('Export or import');
    await popup.waitForButton('Export dataset');
    expect(await headings(popup)).toEqual(['h1 Cognito Sync', 'h2 Dataset: MainDataset', 'h3 Export or import MainDataset']);
    await popup.click('Close');
    await popup.waitForButton('Export or import');

    // A value of two lines: its Edit opens the detail view.
    replyValue(await sendMessage(popup, 'putRecord', 'letter', LETTER));
    await expect.poll(() => popup.rowText('letter')).toMatch(/^letter Dear Alice,/);
    await popup.click('Edit letter');
    await popup.waitForButton('Back to the list');
    expect(await headings(popup)).toEqual(['h1 Cognito Sync', 'h2 Dataset: MainDataset', 'h3 letter']);
    await popup.click('Back to the list');
    await expect.poll(() => popup.focused()).toBe('Edit letter');
  });
});
