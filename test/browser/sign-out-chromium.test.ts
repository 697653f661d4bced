// On a shared computer: a sign-out in Chromium whose provider logout fails tells the person that the
// provider's session remains, and that is the truth: the next sign-in needs no password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import type { PageDriver } from './support/driver';
import { signInFromPopup } from './support/popup-actions';
import { chromiumProfile, configure } from './support/profiles';

let stack: Stack;
let profile: Awaited<ReturnType<typeof chromiumProfile>>;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
  profile = await chromiumProfile('sign-out');
});
afterAll(async () => {
  await profile?.close();
  await stack?.close();
});

/** Whether the profile holds the provider's session cookie. */
async function providerSession(): Promise<boolean> {
  return (await profile.extension.context.cookies(stack.url)).some((cookie) => cookie.name === '_session');
}

function pageText(popup: PageDriver): Promise<string> {
  return popup.evaluate(() => document.body.textContent ?? '');
}

describe('signing out in Chromium', () => {
  it('says where the person is still signed in when the provider’s logout fails, and says nothing once it works', async () => {
    await configure(profile, stack);
    const popup = await signInFromPopup(profile, 'alice');
    stack.addFault({ service: 'oidc', operation: 'logout', kind: 'status', status: 500 });

    await popup.click('Sign out');

    const notice = `You are still signed in at ${new URL(stack.url).host}; sign out there too.`;
    await popup.waitForText(notice);
    await popup.waitForButton('Sign in');
    expect(await providerSession()).toBe(true);

    // The notice is the truth: signing in again opens no login window, the provider's session answers.
    stack.resetCounters();
    await popup.click('Sign in');
    await popup.waitForButton('Sign out');
    expect(stack.counters()['oidc.login']?.requests ?? 0).toBe(0);
    expect(await pageText(popup)).not.toContain(notice);

    // With a working logout the provider's session ends, and nothing more is said.
    await popup.click('Sign out');
    await popup.waitForButton('Sign in');
    await expect.poll(providerSession).toBe(false);
    expect(await pageText(popup)).not.toContain('still signed in');
    await popup.close();
  });
});
