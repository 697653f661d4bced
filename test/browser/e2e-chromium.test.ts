import { afterAll, beforeAll, describe, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { runStory } from './support/e2e-story';
import { chromiumProfile } from './support/profiles';

describe('a new user in Chromium, through the interface only', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ port: 0 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('sets up, signs in, and syncs a record between two profiles of one user but not to another user', async () => {
    await runStory(stack, chromiumProfile);
  });
});
