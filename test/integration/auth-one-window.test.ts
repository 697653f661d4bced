// Chrome runs one login window per extension at a time. "Start again" while that window is open must not
// lose it: the browser's refusal is reported, and the window already open still completes the sign-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { createHandlers } from '../../src/background/worker';
import { authContext, newProfile, signInAs, stackSettings, type Flow } from '../support/auth-context';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ port: 0 });
});
afterAll(async () => {
  await stack?.close();
});

describe('Start again while a login window is open', () => {
  it('reports the open window, keeps signing in there, and signs in when that window completes', async () => {
    const ctx = authContext(newProfile());
    await ctx.items.settings.set(stackSettings(stack));
    let windows = 0;
    let release: (() => void) | undefined;
    const opened = new Promise<void>((resolveOpened) => {
      const flow: Flow = async (details, jar) => {
        windows += 1;
        if (windows > 1) throw new Error('Only one web auth flow is allowed at a time.');
        resolveOpened();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return signInAs('alice')(details, jar);
      };
      ctx.identity.interactive = flow;
    });
    const handlers = createHandlers(ctx);

    const first = handlers.signIn();
    await opened;
    await expect(handlers.restartSignIn()).rejects.toMatchObject({ code: 'AUTH_WINDOW_OPEN' });
    expect(await handlers.getAuthState()).toMatchObject({ status: 'signingIn', error: { code: 'AUTH_WINDOW_OPEN' } });

    release?.();
    await expect(first).resolves.toMatchObject({ status: 'signedIn', profile: { sub: 'auth0|alice' } });
    expect(await handlers.getAuthState()).toMatchObject({ status: 'signedIn' });
    expect((await handlers.getAuthState()).error).toBeUndefined();
  });
});
