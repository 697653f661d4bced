// Browser start: storage.session is empty, so nobody is signed in. The provider's session (its cookie)
// may still let the last person back in without a window; otherwise they stay signed out, quietly.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { ALARMS } from '../../src/background/platform/alarms';
import { resumeSession } from '../../src/background/lifecycle/resume';
import { createHandlers } from '../../src/background/worker';
import { afterBrowserRestart, authContext, newProfile, requests, signInAs, stackSettings, type Profile } from '../support/auth-context';
import { CookieJar } from '../support/login-driver';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => stack.resetCounters());

async function refreshTokenWorks(refreshToken: string): Promise<boolean> {
  const response = await fetch(`${stack.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: stack.config.clientId }),
  });
  return response.ok;
}

/** A profile in which alice signed in before the browser closed. */
async function usedBefore(): Promise<{ profile: Profile; identityId: string | undefined }> {
  const profile = newProfile();
  const ctx = authContext(profile);
  await ctx.items.settings.set(stackSettings(stack));
  const state = await createHandlers(ctx).signIn();
  stack.resetCounters();
  return { profile, identityId: state.identityId };
}

describe('resuming the session at browser start', () => {
  it('signs the last person in again without a window when the provider still knows them, without GetId', async () => {
    const { profile, identityId } = await usedBefore();
    const ctx = authContext(afterBrowserRestart(profile));

    const state = await resumeSession(ctx);

    expect(state).toMatchObject({ status: 'signedIn', profile: { sub: 'auth0|alice' }, identityId });
    expect(state.error).toBeUndefined();
    expect(await createHandlers(ctx).getAuthState()).toEqual(state);
    expect(ctx.identity.calls).toHaveLength(1);
    expect(ctx.identity.calls[0]).toMatchObject({
      interactive: false,
      abortOnLoadForNonInteractive: true,
      timeoutMsForNonInteractive: expect.any(Number),
    });
    expect(new URL(ctx.identity.calls[0]?.url ?? '').searchParams.get('prompt')).toBe('none');
    expect(requests(stack)('cognito-identity.GetId')).toBe(0);
    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(1);
    expect(ctx.alarms.scheduled.has(ALARMS.renew)).toBe(true);
  });

  it('leaves the person signed out, with no error and no window, when the provider’s session is gone', async () => {
    const { profile, identityId } = await usedBefore();
    const ctx = authContext({ ...afterBrowserRestart(profile), jar: new CookieJar() });

    const state = await resumeSession(ctx);

    expect(state).toEqual({ status: 'signedOut', identityId });
    expect(await createHandlers(ctx).getAuthState()).toEqual(state);
    expect(ctx.identity.calls.map((call) => call.interactive)).toEqual([false]);
    expect(await ctx.items.authTokens.get()).toBeUndefined();
    expect(requests(stack)('oidc.token')).toBe(0);
  });

  it('does not sign in someone who never signed in on this browser, though the provider knows them', async () => {
    const { profile, identityId } = await usedBefore();
    const bobProfile = newProfile();
    const bob = authContext(bobProfile);
    bob.identity.interactive = signInAs('bob');
    await bob.items.settings.set(stackSettings(stack));
    await createHandlers(bob).signIn();
    stack.resetCounters();
    // Alice's browser profile, but the provider's cookie is now bob's.
    const ctx = authContext({ ...afterBrowserRestart(profile), jar: bobProfile.jar });

    expect(await resumeSession(ctx)).toEqual({ status: 'signedOut', identityId });
    expect(await ctx.items.authTokens.get()).toBeUndefined();
    // Bob's tokens are dropped, not revoked: revoking would end his grant, and his session elsewhere.
    expect(requests(stack)('oidc.revoke')).toBe(0);
    const bobsRefreshToken = (await bob.items.authTokens.get())?.refreshToken;
    expect(bobsRefreshToken).toBeDefined();
    expect(await refreshTokenWorks(bobsRefreshToken ?? '')).toBe(true);
  });

  it('asks the provider for the remembered person with login_hint', async () => {
    const { profile } = await usedBefore();
    const ctx = authContext(afterBrowserRestart(profile));

    await resumeSession(ctx);

    expect(new URL(ctx.identity.calls[0]?.url ?? '').searchParams.get('login_hint')).toBe('alice@example.com');
  });

  it('does nothing when nobody has signed in on this browser', async () => {
    const ctx = authContext(newProfile());
    await ctx.items.settings.set(stackSettings(stack));

    expect(await resumeSession(ctx)).toEqual({ status: 'signedOut' });
    expect(ctx.identity.calls).toHaveLength(0);
    expect(stack.counters()).toEqual({});
  });

  it('does nothing without settings', async () => {
    const ctx = authContext(newProfile());
    expect(await resumeSession(ctx)).toEqual({ status: 'notConfigured' });
    expect(ctx.identity.calls).toHaveLength(0);
  });

  it('leaves the person signed out, quietly, when the provider cannot be reached', async () => {
    const { profile } = await usedBefore();
    const ctx = authContext(afterBrowserRestart(profile));
    stack.addFault({ service: 'oidc', operation: 'token', kind: 'drop' });

    const state = await resumeSession(ctx);

    stack.clearFaults();
    expect(state.status).toBe('signedOut');
    expect(state.error).toBeUndefined();
    expect(ctx.identity.calls.every((call) => !call.interactive)).toBe(true);
  });
});
