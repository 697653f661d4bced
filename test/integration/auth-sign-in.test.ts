// Sign-in, restart and sign-out, run by the worker's real modules in Node against the local stack.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { ALARMS } from '../../src/background/platform/alarms';
import { validIdToken } from '../../src/background/auth/tokens';
import { createHandlers } from '../../src/background/worker';
import { awsIdentity, rememberedIdentityId } from '../../src/background/credentials';
import { toForm } from '../../src/shared/settings';
import {
  afterBrowserRestart,
  authContext,
  CLOSED_WINDOW,
  dump,
  newProfile,
  requests,
  signInAs,
  stackSettings,
  type Profile,
  type TestContext,
} from '../support/auth-context';
import { followSilently } from '../support/login-driver';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => stack.resetCounters());

async function configured(profile: Profile): Promise<TestContext> {
  const ctx = authContext(profile);
  await ctx.items.settings.set(stackSettings(stack));
  return ctx;
}

async function secretsOf(ctx: TestContext): Promise<string[]> {
  const tokens = await ctx.items.authTokens.get();
  const creds = await ctx.items.awsCredentials.get();
  if (!tokens || !creds) throw new Error('not signed in');
  return [tokens.idToken, tokens.refreshToken ?? 'no refresh token', creds.accessKeyId, creds.secretAccessKey, creds.sessionToken];
}

describe('signing in against the local stack', () => {
  it('makes exactly one token request, one GetId and one GetCredentialsForIdentity the first time', async () => {
    const ctx = await configured(newProfile());
    const state = await createHandlers(ctx).signIn();

    const count = requests(stack);
    expect(count('oidc.token')).toBe(1);
    expect(count('cognito-identity.GetId')).toBe(1);
    expect(count('cognito-identity.GetCredentialsForIdentity')).toBe(1);
    expect(ctx.identity.calls).toHaveLength(1);
    expect(ctx.identity.calls[0]?.interactive).toBe(true);
    expect(state).toMatchObject({
      status: 'signedIn',
      profile: { sub: 'auth0|alice', name: 'Alice Liddell', email: 'alice@example.com', picture: expect.stringContaining('/avatars/alice') },
      identityId: expect.stringMatching(/^us-east-1:/),
    });
    expect(state.credentialsExpireAt).toBeGreaterThan(Date.now() + 50 * 60 * 1000);
    expect(state.error).toBeUndefined();
  });

  it('says signingIn while the window is open, and keeps the in-flight request in storage.session', async () => {
    const profile = newProfile();
    const ctx = await configured(profile);
    let during: unknown;
    let flight: unknown;
    ctx.identity.interactive = async (details, jar) => {
      during = await createHandlers(ctx).getAuthState();
      flight = await profile.session.get('authFlights');
      return signInAs('alice')(details, jar);
    };
    await createHandlers(ctx).signIn();
    expect(during).toMatchObject({ status: 'signingIn' });
    const flights = Object.values((flight as { authFlights?: Record<string, unknown> }).authFlights ?? {});
    expect(flights).toEqual([expect.objectContaining({ interactive: true, codeVerifier: expect.any(String) })]);
    expect(await profile.session.get('authFlights')).toEqual({});
  });

  it('asks for PKCE S256, state, nonce and offline_access', async () => {
    const ctx = await configured(newProfile());
    await createHandlers(ctx).signIn();
    const url = new URL(ctx.identity.calls[0]?.url ?? '');
    expect(url.origin + url.pathname).toBe(`${stack.url}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'local-extension',
      code_challenge_method: 'S256',
      scope: 'openid profile email offline_access',
      redirect_uri: ctx.identity.getRedirectURL(),
    });
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('prompt')).toBeNull();
    expect(url.searchParams.has('audience')).toBe(false);
  });

  it('keeps tokens and credentials in storage.session only', async () => {
    const profile = newProfile();
    const ctx = await configured(profile);
    await createHandlers(ctx).signIn();
    const secrets = await secretsOf(ctx);
    const local = await dump(profile.local);
    for (const secret of secrets) expect(local).not.toContain(secret);
    const keys = Object.keys(await profile.local.get(null));
    expect(keys).toContain('identityIds');
    for (const secretItem of ['authTokens', 'awsCredentials', 'authFlights']) expect(keys).not.toContain(secretItem);
    expect(await ctx.items.authFlights.get()).toBeUndefined();
  });

  it('resumes signed in after the worker stops, without a request', async () => {
    const profile = newProfile();
    const first = await configured(profile);
    const before = await createHandlers(first).signIn();
    stack.resetCounters();

    const restarted = authContext(profile);
    const after = await createHandlers(restarted).getAuthState();
    const aws = await awsIdentity(restarted);
    const credentials = await aws.credentials();

    expect(after).toEqual(before);
    expect(aws.identityId).toBe(before.identityId);
    expect(credentials.expiration?.getTime()).toBe(before.credentialsExpireAt);
    expect(stack.counters()).toEqual({});
    expect(restarted.identity.calls).toHaveLength(0);
  });

  it('signs in again after a browser restart without GetId', async () => {
    const profile = newProfile();
    const first = await createHandlers(await configured(profile)).signIn();
    stack.resetCounters();

    const reopened = afterBrowserRestart(profile);
    const ctx = authContext(reopened);
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedOut', identityId: first.identityId });
    const second = await createHandlers(ctx).signIn();

    const count = requests(stack);
    expect(second).toMatchObject({ status: 'signedIn', identityId: first.identityId });
    expect(count('oidc.token')).toBe(1);
    expect(count('cognito-identity.GetId')).toBe(0);
    expect(count('cognito-identity.GetCredentialsForIdentity')).toBe(1);
    // Discovery and the provider's keys are public and cached across restarts.
    expect(count('oidc.discovery')).toBe(0);
    expect(count('oidc.jwks')).toBe(0);
  });

  it('gives another person another identity id', async () => {
    const alice = await createHandlers(await configured(newProfile())).signIn();
    const ctx = authContext(newProfile());
    ctx.identity.interactive = signInAs('bob');
    await ctx.items.settings.set(stackSettings(stack));
    const bob = await createHandlers(ctx).signIn();
    expect(bob.profile?.sub).toBe('auth0|bob');
    expect(bob.identityId).toBeDefined();
    expect(bob.identityId).not.toBe(alice.identityId);
  });

  it('shares one GetCredentialsForIdentity between concurrent callers', async () => {
    const profile = newProfile();
    await createHandlers(await configured(profile)).signIn();
    stack.resetCounters();
    // Age the stored credentials: a minute left of an hour makes them due; the ID token (10 h) is not.
    const later = authContext(profile);
    const stored = await later.items.awsCredentials.get();
    if (!stored) throw new Error('no credentials');
    await later.items.awsCredentials.set({ ...stored, obtainedAt: Date.now() - 59 * 60 * 1000, expiresAt: Date.now() + 60 * 1000 });
    const identities = await Promise.all(Array.from({ length: 5 }, () => awsIdentity(later)));
    const credentials = await Promise.all(identities.map((identity) => identity.credentials()));

    expect(new Set(credentials.map((c) => c.accessKeyId)).size).toBe(1);
    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(1);
    expect(requests(stack)('oidc.token')).toBe(0);
  });

  it('schedules renewal ahead of the credentials’ expiry', async () => {
    const ctx = await configured(newProfile());
    const state = await createHandlers(ctx).signIn();
    const when = ctx.alarms.scheduled.get(ALARMS.renew);
    expect(when).toBeDefined();
    expect(when).toBeLessThanOrEqual((state.credentialsExpireAt ?? 0) - 5 * 60 * 1000);
    expect(when).toBeGreaterThan(Date.now());
  });

  it('tries the credentials again in a minute when Cognito failed on its side at sign-in, and says so', async () => {
    const ctx = await configured(newProfile());
    stack.addFault({ service: 'cognito-identity', operation: 'GetCredentialsForIdentity', kind: 'status', status: 503, count: 10 });
    const before = Date.now();
    const state = await createHandlers(ctx).signIn();
    stack.clearFaults();
    // Cognito answered: its trouble, not this computer's network and not a setting.
    expect(state).toMatchObject({
      status: 'signedIn',
      error: { code: 'SERVICE_DOWN', message: expect.stringContaining('try again in a few minutes') },
    });
    expect(state.credentialsExpireAt).toBeUndefined();
    // Not when the ID token is next due, most of an hour away: the next try is the one that brings credentials.
    const when = ctx.alarms.scheduled.get(ALARMS.renew) ?? 0;
    expect(when).toBeGreaterThanOrEqual(before + 60_000);
    expect(when).toBeLessThanOrEqual(Date.now() + 60_000);
  });
});

describe('signing out', () => {
  it('leaves the refresh token unusable at the provider', async () => {
    const profile = newProfile();
    const ctx = await configured(profile);
    const handlers = createHandlers(ctx);
    const signedIn = await handlers.signIn();
    const refreshToken = (await ctx.items.authTokens.get())?.refreshToken;
    expect(refreshToken).toBeDefined();
    stack.resetCounters();

    await handlers.signOut();

    const response = await fetch(`${stack.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken ?? '', client_id: 'local-extension' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    expect(requests(stack)('oidc.revoke')).toBe(1);
    // The provider's session ended too: its logout endpoint was reached without a window.
    expect(requests(stack)('oidc.logout')).toBe(1);
    expect(ctx.identity.calls.at(-1)?.interactive).toBe(false);

    // Nobody's identity is shown while signed out: the next person's sign-in does not open this one's data.
    expect(await handlers.getAuthState()).toEqual({ status: 'signedOut' });
    expect(await profile.session.get(['authTokens', 'awsCredentials', 'authFlights'])).toEqual({});
    expect(ctx.alarms.scheduled.has(ALARMS.renew)).toBe(false);
    expect(await rememberedIdentityId(ctx)).toBeUndefined();
    // The identity id is still remembered, for the dataset kept on this device, once this person signs in.
    expect((await profile.local.get('identityIds'))['identityIds']).toMatchObject([{ identityId: signedIn.identityId }]);
  });

  it('needs the password again after signing out', async () => {
    const ctx = await configured(newProfile());
    const handlers = createHandlers(ctx);
    await handlers.signIn();
    await handlers.signOut();
    stack.resetCounters();
    // The "person" closes the window if it shows the login form, and only then.
    ctx.identity.interactive = (details, jar) =>
      followSilently(details.url, jar).catch(() => {
        throw new Error(CLOSED_WINDOW);
      });
    await expect(handlers.signIn()).rejects.toMatchObject({ code: 'AUTH_CANCELLED' });
  });

  it('happens when the provider or the pool changes in the settings', async () => {
    const ctx = await configured(newProfile());
    const handlers = createHandlers(ctx);
    await handlers.signIn();
    stack.resetCounters();

    const result = await handlers.saveSettings(toForm({ ...stackSettings(stack), identityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000001' }));

    expect(result.signedOut).toBe(true);
    expect(await ctx.items.authTokens.get()).toBeUndefined();
    expect(await ctx.items.awsCredentials.get()).toBeUndefined();
    expect(requests(stack)('oidc.revoke')).toBe(1);
    expect((await handlers.getAuthState()).status).toBe('signedOut');
  });
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

async function refreshTokenWorks(refreshToken: string): Promise<boolean> {
  const response = await fetch(`${stack.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: stack.config.clientId }),
  });
  return response.ok;
}

describe('signing in again', () => {
  it('keeps the new refresh token usable when the same person signs in again', async () => {
    const ctx = await configured(newProfile());
    await createHandlers(ctx).signIn();
    const before = (await ctx.items.authTokens.get())?.refreshToken;
    await createHandlers(ctx).signIn();
    const after = (await ctx.items.authTokens.get())?.refreshToken;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(await refreshTokenWorks(after ?? '')).toBe(true);
  });

  it('keeps no access token: nothing uses one', async () => {
    const profile = newProfile();
    const accessTokens: string[] = [];
    const ctx = authContext(profile, {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const url = input instanceof Request ? input.url : String(input);
        if (url.endsWith('/oauth/token') && response.ok)
          accessTokens.push(String(((await response.clone().json()) as { access_token?: unknown }).access_token));
        return response;
      },
    });
    await ctx.items.settings.set(stackSettings(stack));
    await createHandlers(ctx).signIn();
    expect(accessTokens).toHaveLength(1);
    const session = await dump(profile.session);
    for (const token of accessTokens) expect(session).not.toContain(token);
    expect(Object.keys((await profile.session.get('authTokens'))['authTokens'] as object)).not.toContain('accessToken');
  });
});

describe('an attempt to sign in', () => {
  /** A profile whose first code exchange waits at the provider until `release`; `reached` once it is on its way. */
  function slowExchange() {
    const reached = deferred();
    const release = deferred();
    let held = false;
    const ctx = authContext(newProfile(), {
      fetch: async (input, init) => {
        if (!held && String(init?.body ?? '').includes('grant_type=authorization_code')) {
          held = true;
          reached.resolve();
          await release.promise;
        }
        return fetch(input, init);
      },
    });
    return { ctx, reached, release };
  }

  it('is undone by a sign-out while its code is exchanged: the person stays signed out, nothing kept', async () => {
    const { ctx, reached, release } = slowExchange();
    await ctx.items.settings.set(stackSettings(stack));
    const handlers = createHandlers(ctx);
    const signingIn = handlers.signIn();
    await reached.promise;
    await handlers.signOut();
    release.resolve();
    expect((await signingIn).status).toBe('signedOut');
    expect((await handlers.getAuthState()).status).toBe('signedOut');
    expect(await ctx.items.authTokens.get()).toBeUndefined();
    expect(await ctx.items.awsCredentials.get()).toBeUndefined();
    expect(requests(stack)('cognito-identity.GetId')).toBe(0);
  });

  it('is undone by settings saved with another endpoint meanwhile: its ID token goes to neither Cognito', async () => {
    const { ctx, reached, release } = slowExchange();
    await ctx.items.settings.set(stackSettings(stack));
    const handlers = createHandlers(ctx);
    const signingIn = handlers.signIn();
    await reached.promise;
    const moved = `${stack.config.endpoints.cognitoIdentity.replace(/\/$/, '')}-moved/`;
    expect((await handlers.saveSettings(toForm({ ...stackSettings(stack), cognitoIdentityEndpoint: moved }))).signedOut).toBe(true);
    release.resolve();
    expect((await signingIn).status).toBe('signedOut');
    expect(await ctx.items.authTokens.get()).toBeUndefined();
    expect(requests(stack)('cognito-identity.GetId')).toBe(0);
  });

  it('is shared by a second signIn while it runs: one window', async () => {
    const ctx = await configured(newProfile());
    const opened = deferred();
    const release = deferred();
    ctx.identity.interactive = async (details, jar) => {
      opened.resolve();
      await release.promise;
      return signInAs('alice')(details, jar);
    };
    const first = createHandlers(ctx).signIn();
    await opened.promise;
    const second = createHandlers(ctx).signIn();
    release.resolve();
    expect(await second).toEqual(await first);
    expect((await first).status).toBe('signedIn');
    expect(ctx.identity.calls.filter((call) => call.interactive)).toHaveLength(1);
  });

  it('ends with the worker that ran it when there was no window yet: signedOut, and signIn starts over', async () => {
    const profile = newProfile();
    const stopped = authContext(profile, {
      // The worker stops while discovery is on its way: the answer never arrives.
      fetch: (input, init) => (String(input).includes('openid-configuration') ? new Promise<Response>(() => undefined) : fetch(input, init)),
    });
    await stopped.items.settings.set(stackSettings(stack));
    await stopped.items.discovery.remove();
    void createHandlers(stopped).signIn();
    await vi.waitFor(async () => expect((await stopped.items.authState.get())?.status).toBe('signingIn'));

    const restarted = authContext(profile);
    expect((await createHandlers(restarted).getAuthState()).status).toBe('signedOut');
    expect(await createHandlers(restarted).signIn()).toMatchObject({ status: 'signedIn' });
  });

  it('says signingIn after a worker restart while its window can answer; signIn then starts afresh', async () => {
    const profile = newProfile();
    const stopped = await configured(profile);
    const opened = deferred();
    stopped.identity.interactive = async () => {
      opened.resolve();
      return new Promise<string>(() => undefined);
    };
    void createHandlers(stopped).signIn();
    await opened.promise;
    const abandoned = new URL(stopped.identity.calls[0]?.url ?? '').searchParams;

    const restarted = authContext(profile);
    expect((await createHandlers(restarted).getAuthState()).status).toBe('signingIn');
    expect(await createHandlers(restarted).signIn()).toMatchObject({ status: 'signedIn' });
    const fresh = new URL(restarted.identity.calls[0]?.url ?? '').searchParams;
    for (const parameter of ['state', 'nonce', 'code_challenge']) expect(fresh.get(parameter)).not.toBe(abandoned.get(parameter));
  });

  it('is replaced by a new one once its window is too old to answer', async () => {
    let offset = 0;
    const ctx = authContext(newProfile(), { now: () => Date.now() + offset });
    await ctx.items.settings.set(stackSettings(stack));
    const opened = deferred();
    ctx.identity.interactive = async () => {
      opened.resolve();
      return new Promise<string>(() => undefined);
    };
    void createHandlers(ctx).signIn();
    await opened.promise;
    expect((await createHandlers(ctx).getAuthState()).status).toBe('signingIn');

    offset = 6 * 60 * 1000;
    expect((await createHandlers(ctx).getAuthState()).status).toBe('signedOut');
    ctx.identity.interactive = signInAs('alice');
    expect(await createHandlers(ctx).signIn()).toMatchObject({ status: 'signedIn' });
    expect(ctx.identity.calls.filter((call) => call.interactive)).toHaveLength(2);
  });

  it('survives a silent renewal that runs while its window is open', async () => {
    const ctx = await configured(newProfile());
    await createHandlers(ctx).signIn();
    const stored = await ctx.items.authTokens.get();
    if (!stored) throw new Error('not signed in');
    // No refresh token: the renewal goes through its own prompt=none request.
    const withoutRefresh = { ...stored };
    delete withoutRefresh.refreshToken;
    await ctx.items.authTokens.set(withoutRefresh);
    ctx.identity.interactive = async (details, jar) => {
      await validIdToken(ctx, { force: true });
      return signInAs('alice')(details, jar);
    };

    expect(await createHandlers(ctx).signIn()).toMatchObject({ status: 'signedIn' });
    expect(ctx.identity.calls.map((call) => call.interactive)).toEqual([true, true, false]);
    expect(await ctx.items.authFlights.get()).toBeUndefined();
  });

  it('starts again with restartSignIn while it runs: a new window with a new state, nonce and verifier', async () => {
    const ctx = await configured(newProfile());
    const opened = deferred();
    // The first window is hidden or closed behind the popup's back: it never answers.
    ctx.identity.interactive = async () => {
      opened.resolve();
      return new Promise<string>(() => undefined);
    };
    void createHandlers(ctx).signIn();
    await opened.promise;
    ctx.identity.interactive = signInAs('alice');

    expect(await createHandlers(ctx).restartSignIn()).toMatchObject({ status: 'signedIn', profile: { sub: 'auth0|alice' } });
    const [first, second] = ctx.identity.calls.filter((call) => call.interactive).map((call) => new URL(call.url).searchParams);
    expect(second).toBeDefined();
    for (const parameter of ['state', 'nonce', 'code_challenge']) expect(second?.get(parameter)).not.toBe(first?.get(parameter));
  });

  it('writes nothing when it succeeds after a newer attempt replaced it, and answers the current state', async () => {
    const ctx = await configured(newProfile());
    const opened = deferred();
    const release = deferred();
    // The replaced window answers late, and for someone else.
    ctx.identity.interactive = async (details, jar) => {
      opened.resolve();
      await release.promise;
      return signInAs('bob')(details, jar);
    };
    const replaced = createHandlers(ctx).signIn();
    await opened.promise;
    ctx.identity.interactive = signInAs('alice');
    const current = await createHandlers(ctx).restartSignIn();
    const tokens = await ctx.items.authTokens.get();
    const credentials = await ctx.items.awsCredentials.get();
    const alarm = ctx.alarms.scheduled.get(ALARMS.renew);
    stack.resetCounters();

    release.resolve();

    expect(await replaced).toEqual(current);
    expect(await ctx.items.authTokens.get()).toEqual(tokens);
    expect(await ctx.items.awsCredentials.get()).toEqual(credentials);
    expect(ctx.alarms.scheduled.get(ALARMS.renew)).toBe(alarm);
    expect(await createHandlers(ctx).getAuthState()).toEqual(current);
    // Bob's code was exchanged, then dropped: no credentials fetched for him, nothing revoked.
    expect(requests(stack)('oidc.token')).toBe(1);
    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(0);
    expect(requests(stack)('oidc.revoke')).toBe(0);
  });

  it('leaves the newer attempt signing in when it succeeds first, and does not end the grant both share', async () => {
    const ctx = await configured(newProfile());
    const firstOpened = deferred();
    const releaseFirst = deferred();
    ctx.identity.interactive = async (details, jar) => {
      firstOpened.resolve();
      await releaseFirst.promise;
      return signInAs('alice')(details, jar);
    };
    const replaced = createHandlers(ctx).signIn();
    await firstOpened.promise;
    const secondOpened = deferred();
    const releaseSecond = deferred();
    ctx.identity.interactive = async (details, jar) => {
      secondOpened.resolve();
      await releaseSecond.promise;
      return signInAs('alice')(details, jar);
    };
    const current = createHandlers(ctx).restartSignIn();
    await secondOpened.promise;

    releaseFirst.resolve();
    expect(await replaced).toMatchObject({ status: 'signingIn' });
    expect(await ctx.items.authTokens.get()).toBeUndefined();
    expect(await ctx.items.awsCredentials.get()).toBeUndefined();

    releaseSecond.resolve();
    expect(await current).toMatchObject({ status: 'signedIn', profile: { sub: 'auth0|alice' } });
    expect(requests(stack)('oidc.revoke')).toBe(0);
    expect(await refreshTokenWorks((await ctx.items.authTokens.get())?.refreshToken ?? '')).toBe(true);
  });

  it('neither fails nor records an error when its window closes after a newer attempt replaced it', async () => {
    const ctx = await configured(newProfile());
    const opened = deferred();
    const close = deferred();
    ctx.identity.interactive = async () => {
      opened.resolve();
      await close.promise;
      throw new Error(CLOSED_WINDOW);
    };
    const replaced = createHandlers(ctx).signIn();
    await opened.promise;
    ctx.identity.interactive = signInAs('alice');
    const current = await createHandlers(ctx).restartSignIn();

    close.resolve();

    expect(await replaced).toEqual(current);
    expect(await createHandlers(ctx).getAuthState()).toEqual(current);
    expect(current.error).toBeUndefined();
  });
});
