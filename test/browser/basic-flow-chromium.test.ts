import { afterAll, beforeAll, describe, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { runBasicFlowStory } from './support/basic-flow-story';
import { chromiumProfile } from './support/profiles';

describe('the basic (classic) flow in Chromium, through the interface only', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ port: 0, allowClassicFlow: true });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('signs in with a role ARN set, through STS, and syncs a record the enhanced flow sees too', async () => {
    await runBasicFlowStory(stack, chromiumProfile);
  });
});
