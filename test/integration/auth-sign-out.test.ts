// A sign-out on a shared computer: it lasts across browser starts even when the provider's own session
// outlives it (its logout failed, or it has none), and the person is told where they are still signed in.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { resumeSession } from '../../src/background/lifecycle/resume';
import { createHandlers } from '../../src/background/worker';
import {
  afterBrowserRestart,
  authContext,
  fakeIdentity,
  newProfile,
  requests,
  signInAs,
  stackSettings,
  type Profile,
  type TestContext,
} from '../support/auth-context';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => {
  stack.clearFaults();
  stack.resetCounters();
});

/** The provider's logout page answers 500: its session (cookie) stays alive. */
function logoutFails(): void {
  stack.addFault({ service: 'oidc', operation: 'logout', kind: 'status', status: 500 });
}

/** A provider that offers no logout at all: discovery without end_session_endpoint. */
const withoutLogout: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = input instanceof Request ? input.url : String(input);
  if (!url.endsWith('/.well-known/openid-configuration')) return response;
  const { end_session_endpoint: _dropped, ...metadata } = (await response.json()) as Record<string, unknown>;
  return new Response(JSON.stringify(metadata), { status: response.status, headers: { 'content-type': 'application/json' } });
};

async function signedIn(profile: Profile, options: { fetch?: typeof fetch } = {}): Promise<TestContext> {
  const ctx = authContext(profile, options);
  await ctx.items.settings.set(stackSettings(stack));
  expect(await createHandlers(ctx).signIn()).toMatchObject({ status: 'signedIn', profile: { sub: 'auth0|alice' } });
  return ctx;
}

describe('a sign-out whose provider session outlives it', () => {
  it('keeps the person signed out at the next browser start, and said the provider session remains', async () => {
    const profile = newProfile();
    const ctx = await signedIn(profile);
    logoutFails();

    await createHandlers(ctx).signOut();

    expect(requests(stack)('oidc.logout')).toBe(1);
    const host = new URL(stack.url).host;
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedOut', stillSignedInAt: host });

    stack.resetCounters();
    const restarted = authContext(afterBrowserRestart(profile));
    const state = await resumeSession(restarted);

    expect(state.status).toBe('signedOut');
    expect(await restarted.items.authTokens.get()).toBeUndefined();
    expect(requests(stack)('oidc.token')).toBe(0);
    expect(restarted.identity.calls).toEqual([]);

    // The control: the provider's session was indeed alive, and only the sign-out kept the person out.
    await restarted.items.signOuts.remove();
    const control = authContext(afterBrowserRestart(profile));
    expect(await resumeSession(control)).toMatchObject({ status: 'signedIn', profile: { sub: 'auth0|alice' } });
  });

  it('says so when the logout stops at a page of its own (one that would confirm by script)', async () => {
    const profile = newProfile();
    const ctx = await signedIn(profile);
    stack.addFault({ service: 'oidc', operation: 'logout', kind: 'status', status: 200, message: '<script>document.forms[0].submit()</script>' });

    await createHandlers(ctx).signOut();

    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedOut', stillSignedInAt: new URL(stack.url).host });
    expect((await resumeSession(authContext(afterBrowserRestart(profile)))).status).toBe('signedOut');
  });

  it('says so, and lasts, with a provider that has no logout endpoint', async () => {
    const profile = newProfile();
    const ctx = await signedIn(profile, { fetch: withoutLogout });

    await createHandlers(ctx).signOut();

    expect(requests(stack)('oidc.logout')).toBe(0);
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedOut', stillSignedInAt: new URL(stack.url).host });
    const restarted = authContext(afterBrowserRestart(profile), { fetch: withoutLogout });
    expect((await resumeSession(restarted)).status).toBe('signedOut');
    expect(await restarted.items.authTokens.get()).toBeUndefined();
  });

  it('says so when the provider cannot be reached at all: offline, with its metadata a day old', async () => {
    const profile = newProfile();
    let offline = false;
    const ctx = await signedIn(profile, {
      fetch: (input, init) => (offline ? Promise.reject(new TypeError('Failed to fetch')) : fetch(input, init)),
    });
    const discovery = await ctx.items.discovery.get();
    if (discovery) await ctx.items.discovery.set({ ...discovery, fetchedAt: discovery.fetchedAt - 25 * 60 * 60 * 1000 });
    offline = true;

    await createHandlers(ctx).signOut();

    expect(requests(stack)('oidc.logout')).toBe(0);
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedOut', stillSignedInAt: new URL(stack.url).host });
    expect(await ctx.items.authTokens.get()).toBeUndefined();
  });

  it('ends when the person signs in by hand: the next browser start resumes them again', async () => {
    const profile = newProfile();
    const ctx = await signedIn(profile);
    logoutFails();
    await createHandlers(ctx).signOut();
    const first = authContext(afterBrowserRestart(profile));
    expect((await resumeSession(first)).status).toBe('signedOut');

    const again = await createHandlers(first).signIn();
    expect(again).toMatchObject({ status: 'signedIn', profile: { sub: 'auth0|alice' } });
    expect(again.stillSignedInAt).toBeUndefined();
    expect(await first.items.signOuts.get()).toEqual([]);

    const second = authContext(afterBrowserRestart(profile));
    expect(await resumeSession(second)).toMatchObject({ status: 'signedIn', profile: { sub: 'auth0|alice' } });
  });

  it('asks the next person who signs in for their own credentials, here and after a browser restart', async () => {
    const profile = newProfile();
    const ctx = await signedIn(profile);
    logoutFails();
    await createHandlers(ctx).signOut();

    // Bob, at the computer alice left: the provider's session is still alice's.
    ctx.identity.interactive = signInAs('bob');
    expect(await createHandlers(ctx).signIn()).toMatchObject({ status: 'signedIn', profile: { sub: 'auth0|bob' } });
    expect(new URL(ctx.identity.calls.at(-1)?.url ?? '').searchParams.get('prompt')).toBe('login');

    // Once someone has signed in, sign-ins go by the provider's session again.
    const restarted = authContext(afterBrowserRestart(profile), { identity: fakeIdentity(profile.jar, signInAs('bob')) });
    await createHandlers(restarted).signIn();
    expect(new URL(restarted.identity.calls.at(-1)?.url ?? '').searchParams.get('prompt')).toBeNull();

    // A sign-out is remembered across a browser restart: the first sign-in after it asks again.
    await createHandlers(restarted).signOut();
    const later = authContext(afterBrowserRestart(profile), { identity: fakeIdentity(profile.jar, signInAs('alice')) });
    expect(await createHandlers(later).signIn()).toMatchObject({ status: 'signedIn', profile: { sub: 'auth0|alice' } });
    expect(new URL(later.identity.calls.at(-1)?.url ?? '').searchParams.get('prompt')).toBe('login');
  });

  it('says nothing when the provider’s session ended', async () => {
    const profile = newProfile();
    const ctx = await signedIn(profile);

    await createHandlers(ctx).signOut();

    expect(requests(stack)('oidc.logout')).toBeGreaterThan(0);
    expect((await createHandlers(ctx).getAuthState()).stillSignedInAt).toBeUndefined();
  });
});
