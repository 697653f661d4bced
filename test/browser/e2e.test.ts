import { afterAll, beforeAll, describe, it } from 'vitest';
import { type Stack, startStack } from '../../stack/index';
import { runStory } from './support/e2e-story';
import { BROWSERS, openProfile } from './support/profiles';

describe.each(BROWSERS)('a new user in %s, through the interface only', (browser) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ port: 0 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('sets up, signs in, and syncs a record between two profiles of one user but not to another user', async () => {
    await runStory(stack, (name) => openProfile(browser, name));
  }, 240_000); // three browsers and three sign-ins: about 100 s for Firefox on a busy two-core machine
});
