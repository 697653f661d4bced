// Providers that refuse offline_access (Google answers `invalid_scope`): the person still signs in, with
// no refresh token, and stays signed in through silent renewal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { ALARMS } from '../../src/background/platform/alarms';
import { renewDue } from '../../src/background/lifecycle/renew';
import { createHandlers } from '../../src/background/worker';
import { authContext, fakeIdentity, newProfile, stackSettings, type Flow, type TestContext } from '../support/auth-context';
import { startRotatingProvider, type RotatingProvider } from '../support/rotating-provider';

const ID_TOKEN_TTL_S = 8;

let stack: Stack;
/** Refuses offline_access and lists no scopes: the extension cannot know before it asks. */
let unlisted: RotatingProvider;
/** Refuses offline_access and leaves it out of scopes_supported. */
let listed: RotatingProvider;

beforeAll(async () => {
  unlisted = await startRotatingProvider({ clientId: 'unlisted', idTokenTtlS: ID_TOKEN_TTL_S, refuseOfflineAccess: true, listNoScopes: true });
  listed = await startRotatingProvider({ clientId: 'listed', idTokenTtlS: ID_TOKEN_TTL_S, refuseOfflineAccess: true });
  stack = await startStack({
    port: 0,
    memory: true,
    trust: [unlisted, listed].map((provider) => ({ issuer: provider.issuer, clientIds: [provider.clientId] })),
  });
});
afterAll(async () => {
  await stack?.close();
  await unlisted?.close();
  await listed?.close();
});

/** The provider answers every authorization request at once: the window just follows its redirect. */
const authorizeAtOnce: Flow = async (details) => (await fetch(details.url, { redirect: 'manual' })).headers.get('location') ?? undefined;

const scopesAsked = (ctx: TestContext): Array<[boolean, string | null]> =>
  ctx.identity.calls.map((call) => [call.interactive, new URL(call.url).searchParams.get('scope')]);

async function signedInAt(provider: RotatingProvider): Promise<TestContext> {
  const profile = newProfile();
  const ctx = authContext(profile, { identity: fakeIdentity(profile.jar, authorizeAtOnce) });
  await ctx.items.settings.set({ ...stackSettings(stack), domain: provider.issuer, clientId: provider.clientId });
  await createHandlers(ctx).signIn();
  return ctx;
}

describe('a provider that refuses offline_access', () => {
  it('and says so only by refusing: asked again without it, the person is signed in, then renewed silently', async () => {
    const ctx = await signedInAt(unlisted);
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedIn' });
    expect((await createHandlers(ctx).getAuthState()).error).toBeUndefined();
    expect(scopesAsked(ctx)).toEqual([
      [true, 'openid profile email offline_access'],
      [true, 'openid profile email'],
    ]);
    const before = await ctx.items.authTokens.get();
    expect(before?.refreshToken).toBeUndefined();

    const when = ctx.alarms.scheduled.get(ALARMS.renew) ?? Number.POSITIVE_INFINITY;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, when - Date.now())));
    await renewDue(ctx);
    const after = await ctx.items.authTokens.get();
    expect(after?.idTokenExpiresAt).toBeGreaterThan(before?.idTokenExpiresAt ?? Number.POSITIVE_INFINITY);
    expect((await createHandlers(ctx).getAuthState()).error).toBeUndefined();
    // Silent flows only: no window the person sees; each names the person it renews.
    expect(ctx.identity.calls.slice(2).map((call) => new URL(call.url).searchParams.get('login_hint'))).toEqual([
      'dana@example.com',
      'dana@example.com',
    ]);
    expect(scopesAsked(ctx).slice(2)).toEqual([
      [false, 'openid profile email offline_access'],
      [false, 'openid profile email'],
    ]);
  });

  it('and leaves it out of its scopes_supported: never asked for it, one window', async () => {
    const ctx = await signedInAt(listed);
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedIn' });
    expect(scopesAsked(ctx)).toEqual([[true, 'openid profile email']]);
  });
});
