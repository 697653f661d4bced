// The seed's scenario on Cognito Sync: the mobile app (amazon-cognito-js, in this Node process) and the
// extension (in the browser) read and write one dataset, record for record.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { runCognitoSyncStory } from './support/cognito-sync-story';
import { BROWSERS, openProfile } from './support/profiles';

describe.each(BROWSERS)('the seed app and the extension on Cognito Sync, in %s', (browser) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ port: 0 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('shows what the app wrote, sends its edit to the app, and wins a conflict the app then takes', async () => {
    await runCognitoSyncStory(stack, (name) => openProfile(browser, name));
  });
});
