import { afterAll, beforeAll, describe, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { runCognitoSyncStory } from './support/cognito-sync-story';
import { chromiumProfile } from './support/profiles';

describe('the seed app and the extension on Cognito Sync, in Chromium', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ port: 0 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('shows what the app wrote, sends its edit to the app, and wins a conflict the app then takes', async () => {
    await runCognitoSyncStory(stack, chromiumProfile);
  });
});
