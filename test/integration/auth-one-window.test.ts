// Chrome runs one web auth flow per extension at a time, with a window or without. "Start again" while the
// login window is open must not lose it: the browser's refusal is reported, and the window already open still
// completes the sign-in. Sign in while only a flow without a window runs (the silent sign-in at browser start,
// the provider logout of a sign-out) waits for it, and then opens its window: there is no window to send the
// person to.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { resumeSession } from '../../src/background/lifecycle/resume';
import { END_SESSION_TIMEOUT_MS } from '../../src/background/lifecycle/sign-out';
import type { IdentityLike } from '../../src/background/platform/context';
import { createHandlers } from '../../src/background/worker';
import { afterBrowserRestart, authContext, newProfile, oneFlowAtATime, signInAs, stackSettings, type Flow } from '../support/auth-context';

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

/** Holds every flow without a window at its start until `release`; `held` is fulfilled once one is held. */
function holdFlowsWithoutWindow(identity: IdentityLike): { held: Promise<void>; release: () => void } {
  const launch = identity.launchWebAuthFlow.bind(identity);
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    reached = resolve;
  });
  identity.launchWebAuthFlow = async (details) => {
    if (!details.interactive) {
      reached();
      await released;
    }
    return launch(details);
  };
  return { held, release };
}

describe('Sign in while a flow without a window runs', () => {
  it('waits for the silent sign-in at browser start, saying signing in meanwhile, and then signs in in its window', async () => {
    const profile = newProfile();
    const before = authContext(profile);
    await before.items.settings.set(stackSettings(stack));
    await createHandlers(before).signIn();
    const ctx = authContext(afterBrowserRestart(profile));
    const silent = holdFlowsWithoutWindow(ctx.identity);
    const { refused } = oneFlowAtATime(ctx.identity);
    const handlers = createHandlers(ctx);

    const resumed = resumeSession(ctx);
    await silent.held;
    const signIn = handlers.signIn();
    await vi.waitFor(() => expect(refused).toHaveLength(1));
    const meanwhile = await handlers.getAuthState();
    expect(meanwhile.status).toBe('signingIn');
    expect(meanwhile.error).toBeUndefined();

    silent.release();
    await expect(signIn).resolves.toMatchObject({ status: 'signedIn', profile: { sub: 'auth0|alice' } });
    await resumed;
    expect((await handlers.getAuthState()).error).toBeUndefined();
    expect(ctx.identity.calls.map((call) => call.interactive)).toEqual([false, true]);
  });

  it('waits for the provider logout of the sign-out just before, and then signs in in its window', async () => {
    const ctx = authContext(newProfile());
    await ctx.items.settings.set(stackSettings(stack));
    const handlers = createHandlers(ctx);
    await handlers.signIn();
    const logout = holdFlowsWithoutWindow(ctx.identity);
    const { refused } = oneFlowAtATime(ctx.identity);

    const signedOut = handlers.signOut();
    await logout.held;
    const signIn = handlers.signIn();
    await vi.waitFor(() => expect(refused).toHaveLength(1));
    const meanwhile = await handlers.getAuthState();
    expect(meanwhile.status).toBe('signingIn');
    expect(meanwhile.error).toBeUndefined();

    logout.release();
    await signedOut;
    await expect(signIn).resolves.toMatchObject({ status: 'signedIn', profile: { sub: 'auth0|alice' } });
    expect(ctx.identity.calls.slice(1).map((call) => call.interactive)).toEqual([false, true]);
    // Chrome ends the logout by its own limit when sign-out stops waiting for it: it holds up no window after that.
    expect(ctx.identity.calls[1]).toMatchObject({ abortOnLoadForNonInteractive: true, timeoutMsForNonInteractive: END_SESSION_TIMEOUT_MS });
  });
});
