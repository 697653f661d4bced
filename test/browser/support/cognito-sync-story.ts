// The seed's scenario, written once for both browsers: "the app" (amazon-cognito-js, in this Node process,
// signed in as alice through the stack's Cognito) writes `value` into MainDataset; the extension, signed in
// as alice in a real browser on the Cognito Sync backend, shows it; an edit in the popup reaches the app's
// next synchronize; a conflicting edit on both sides resolves by the extension's strategy (the later edit
// wins) and the app converges.
import { expect } from 'vitest';
import type { Stack } from '../../../stack/index';
import { openCognitoSyncApp } from '../../support/cognito-sync-app';
import type { PageDriver } from './driver';
import { configure, type Profile } from './profiles';
import { signInFromPopup, syncNow } from './popup-actions';

async function expectRow(popup: PageDriver, key: string, pattern: RegExp): Promise<void> {
  await expect.poll(() => popup.rowText(key), { timeout: 15_000 }).toMatch(pattern);
}

export async function runCognitoSyncStory(stack: Stack, open: (name: string) => Promise<Profile>): Promise<void> {
  const app = await openCognitoSyncApp(stack, 'alice', 'MainDataset');
  await app.put('value', 'from the phone');
  await app.synchronize();

  const profile = await open('cognito-sync');
  try {
    await configure(profile, stack, { backend: 'cognitoSync' });
    const popup = await signInFromPopup(profile, 'alice');
    await syncNow(popup);
    await expectRow(popup, 'value', /^value from the phone Synced/);

    // An edit in the popup reaches the app's next synchronize.
    await popup.click('Edit value');
    await popup.fill('New value for value', 'from the browser');
    await popup.click('Save value');
    await syncNow(popup);
    await app.synchronize();
    expect(await app.get('value')).toBe('from the browser');

    // Both edit; the browser's edit is the later one, so it wins here and the app converges on it.
    await app.put('value', 'phone edit');
    await app.synchronize();
    await popup.click('Edit value');
    await popup.fill('New value for value', 'browser edit');
    await popup.click('Save value');
    await syncNow(popup);
    await expectRow(popup, 'value', /^value browser edit/);
    await app.synchronize();
    expect(await app.get('value')).toBe('browser edit');
  } finally {
    await profile.close();
  }
}
