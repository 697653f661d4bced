// The basic (classic) flow, chosen by a role ARN on the options page, in each browser: sign in through STS
// and sync a record that a profile on the enhanced flow sees too.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { runBasicFlowStory } from './support/basic-flow-story';
import { BROWSERS, openProfile } from './support/profiles';

describe.each(BROWSERS)('the basic (classic) flow in %s, through the interface only', (browser) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ port: 0, allowClassicFlow: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  // Two profiles, one after the other, on a shared two-core machine.
  it('signs in with a role ARN set, through STS, and syncs a record the enhanced flow sees too', async () => {
    await runBasicFlowStory(stack, (name) => openProfile(browser, name));
  }, 240_000);
});
