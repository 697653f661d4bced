// Staying signed in: with short lifetimes at the stack, the renewal alarm renews the ID token (refresh
// token, rotated) and the credentials before they expire, and never opens a window.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../stack/index';
import { ALARMS } from '../../src/background/platform/alarms';
import { badgeFor } from '../../src/background/badge';
import { renewDue } from '../../src/background/lifecycle/renew';
import { validIdToken } from '../../src/background/auth/tokens';
import { awsIdentity } from '../../src/background/credentials';
import { createHandlers } from '../../src/background/worker';
import { CookieJar } from '../support/login-driver';
import { authContext, fakeIdentity, newProfile, requests, stackSettings, type TestContext } from '../support/auth-context';

const ID_TOKEN_TTL_S = 8;
const CREDENTIALS_TTL_S = 8;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ port: 0, idTokenTtl: ID_TOKEN_TTL_S, credentialsTtl: CREDENTIALS_TTL_S });
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => stack.resetCounters());

async function signedIn(ctx: TestContext = authContext(newProfile())): Promise<TestContext> {
  await ctx.items.settings.set(stackSettings(stack));
  await createHandlers(ctx).signIn();
  stack.resetCounters();
  return ctx;
}

/** Waits until the renewal alarm is due, as the browser would, and fires it. */
async function fireRenewalAlarm(ctx: TestContext): Promise<number> {
  const when = ctx.alarms.scheduled.get(ALARMS.renew);
  if (when === undefined) throw new Error('no renewal alarm');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, when - Date.now())));
  await renewDue(ctx);
  return when;
}

describe('a renewal the browser does not let through', () => {
  it('says the site access was turned off, not the connection, and stays signed in', async () => {
    const ctx = await signedIn();
    const tokens = await ctx.items.authTokens.get();
    if (!tokens) throw new Error('not signed in');
    // Due now: the renewal asks the provider's token endpoint.
    await ctx.items.authTokens.set({ ...tokens, idTokenIssuedAt: Date.now() - 3_600_000, idTokenExpiresAt: Date.now() + 1_000 });
    ctx.permissions = { remove: async () => true, contains: async () => false };
    stack.addFault({ service: 'oidc', operation: 'token', kind: 'drop' });
    await renewDue(ctx);
    stack.clearFaults();
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({
      status: 'signedIn',
      error: { code: 'PERMISSION_DENIED', message: expect.stringContaining('no longer lets the extension reach 127.0.0.1') },
    });
  });
});

describe('staying signed in', () => {
  it('renews the ID token and the credentials before they expire, twice, without the person', async () => {
    const ctx = await signedIn();
    for (let round = 0; round < 2; round += 1) {
      const before = await ctx.items.authTokens.get();
      const credentialsBefore = await ctx.items.awsCredentials.get();
      if (!before || !credentialsBefore) throw new Error('not signed in');
      stack.resetCounters();

      // The alarm is set for whichever is due first; each renewal happens ahead of its expiry.
      let after = before;
      let credentialsAfter = credentialsBefore;
      for (let fired = 0; fired < 3 && (after === before || credentialsAfter === credentialsBefore); fired += 1) {
        await fireRenewalAlarm(ctx);
        const tokens = await ctx.items.authTokens.get();
        const credentials = await ctx.items.awsCredentials.get();
        if (tokens && tokens.idToken !== before.idToken && after === before) {
          expect(Date.now()).toBeLessThan(before.idTokenExpiresAt);
          after = tokens;
        }
        if (credentials && credentials.accessKeyId !== credentialsBefore.accessKeyId && credentialsAfter === credentialsBefore) {
          expect(Date.now()).toBeLessThan(credentialsBefore.expiresAt);
          credentialsAfter = credentials;
        }
      }
      const renewedAt = Date.now();
      expect(after.idTokenExpiresAt).toBeGreaterThan(before.idTokenExpiresAt);
      expect(credentialsAfter.expiresAt).toBeGreaterThan(credentialsBefore.expiresAt);
      // One refresh (rotated), one GetCredentialsForIdentity, no GetId, no window.
      expect(after.refreshToken).toBeDefined();
      expect(after.refreshToken).not.toBe(before.refreshToken);
      expect(requests(stack)('oidc.token')).toBe(1);
      expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(1);
      expect(requests(stack)('cognito-identity.GetId')).toBe(0);
      expect(ctx.identity.calls.filter((call) => call.interactive)).toHaveLength(1);
      expect(ctx.alarms.scheduled.get(ALARMS.renew)).toBeGreaterThan(renewedAt);
    }
    expect((await createHandlers(ctx).getAuthState()).status).toBe('signedIn');
  }, 30_000);

  it('renews on demand when a caller finds the ID token and credentials expired', async () => {
    const ctx = await signedIn();
    const before = await ctx.items.awsCredentials.get();
    await new Promise((resolve) => setTimeout(resolve, ID_TOKEN_TTL_S * 1000));

    const aws = await awsIdentity(ctx);
    const credentials = await aws.credentials();

    expect(credentials.expiration?.getTime()).toBeGreaterThan(Date.now());
    expect(credentials.accessKeyId).not.toBe(before?.accessKeyId);
    expect(requests(stack)('oidc.token')).toBe(1);
    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(1);
  }, 30_000);

  it('serialises renewals so that no refresh token is used twice', async () => {
    const ctx = await signedIn();
    const stored = await ctx.items.authTokens.get();
    if (!stored) throw new Error('not signed in');
    // Make the ID token due now (by our records) and let five callers race for it.
    await ctx.items.authTokens.set({ ...stored, idTokenExpiresAt: Date.now() - 1000 });
    await ctx.items.awsCredentials.remove();

    await Promise.all(Array.from({ length: 5 }, () => awsIdentity(ctx)));

    expect(requests(stack)('oidc.token')).toBe(1);
    expect(requests(stack)('cognito-identity.GetCredentialsForIdentity')).toBe(1);
    expect((await createHandlers(ctx).getAuthState()).status).toBe('signedIn');
  });

  it('renews silently through the provider’s session when the refresh token is refused', async () => {
    const ctx = await signedIn();
    const stored = await ctx.items.authTokens.get();
    if (!stored) throw new Error('not signed in');
    await ctx.items.authTokens.set({ ...stored, refreshToken: 'revoked-or-unknown', idTokenExpiresAt: Date.now() - 1000 });

    await renewDue(ctx);

    const silent = ctx.identity.calls.at(-1);
    expect(silent?.interactive).toBe(false);
    expect(new URL(silent?.url ?? '').searchParams.get('prompt')).toBe('none');
    expect(ctx.identity.calls.filter((call) => call.interactive)).toHaveLength(1);
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedIn', profile: { sub: 'auth0|alice' } });
    expect((await ctx.items.authTokens.get())?.idTokenExpiresAt).toBeGreaterThan(Date.now());
  });

  it('says the person must sign in again, without opening a window, when nothing else works', async () => {
    const profile = newProfile();
    const ctx = await signedIn(authContext(profile));
    const stored = await ctx.items.authTokens.get();
    if (!stored) throw new Error('not signed in');
    await ctx.items.authTokens.set({ ...stored, refreshToken: 'revoked-or-unknown', idTokenExpiresAt: Date.now() - 1000 });
    // The provider's session is gone too (cookies cleared): prompt=none answers login_required.
    const later = authContext(profile, { identity: fakeIdentity(new CookieJar()) });

    await renewDue(later);

    const state = await createHandlers(later).getAuthState();
    expect(state).toMatchObject({ status: 'needsSignIn', profile: { sub: 'auth0|alice' }, error: { code: 'AUTH_REQUIRED' } });
    expect(badgeFor(state).text).toBe('!');
    expect(later.identity.calls).toHaveLength(1);
    expect(later.identity.calls[0]?.interactive).toBe(false);
    expect(await later.items.authTokens.get()).toBeUndefined();
    expect(await later.items.awsCredentials.get()).toBeUndefined();
    await expect(awsIdentity(later)).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
  });
});

/** A fetch that lets `edit` change the JSON of the provider's token answers, by grant type. */
function editingTokenAnswers(edit: (grantType: string, answer: Record<string, unknown>) => Record<string, unknown>): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (!url.endsWith('/oauth/token') || !response.ok) return response;
    const grantType = init?.body instanceof URLSearchParams ? (init.body.get('grant_type') ?? '') : '';
    const answer = edit(grantType, (await response.json()) as Record<string, unknown>);
    return Response.json(answer, { status: response.status, headers: { 'cache-control': 'no-store' } });
  };
}

async function refreshTokenWorks(refreshToken: string): Promise<boolean> {
  const response = await fetch(`${stack.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: stack.config.clientId }),
  });
  return response.ok;
}

describe('a renewal that fails for a while', () => {
  afterEach(() => stack.clearFaults());

  it('stays signed in and says why in the state, then tries again in a minute', async () => {
    const ctx = await signedIn();
    const stored = await ctx.items.authTokens.get();
    if (!stored) throw new Error('not signed in');
    await ctx.items.authTokens.set({ ...stored, idTokenExpiresAt: Date.now() - 1000 });
    stack.addFault({ service: 'oidc', operation: 'token', kind: 'status', status: 500, count: 5 });

    await renewDue(ctx);

    const state = await createHandlers(ctx).getAuthState();
    expect(state).toMatchObject({
      status: 'signedIn',
      profile: { sub: 'auth0|alice' },
      error: { code: expect.any(String), message: expect.any(String) },
    });
    expect(state.error?.code).not.toBe('AUTH_REQUIRED');
    expect(requests(stack)('oidc.token')).toBe(1);
    expect(ctx.alarms.scheduled.get(ALARMS.renew)).toBeGreaterThan(Date.now() + 30_000);
    expect(ctx.identity.calls.filter((call) => !call.interactive)).toHaveLength(0);
  });

  it('asks again in 15 minutes, not each minute, when the identity pool refuses it for its configuration', async () => {
    const ctx = await signedIn();
    await ctx.items.awsCredentials.remove();
    const message = 'Invalid identity pool configuration. Check assigned IAM roles for this pool.';
    stack.addFault({
      service: 'cognito-identity',
      operation: 'GetCredentialsForIdentity',
      kind: 'error',
      errorType: 'InvalidIdentityPoolConfigurationException',
      message,
    });

    await renewDue(ctx);

    // Still signed in, with the reason and its way out (the settings) in the state.
    expect(await createHandlers(ctx).getAuthState()).toMatchObject({ status: 'signedIn', error: { code: 'CREDENTIALS_CONFIG' } });
    const when = ctx.alarms.scheduled.get(ALARMS.renew) ?? 0;
    expect(when).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(when).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
  });

  it('clears the error once a later round renews', async () => {
    const ctx = await signedIn();
    const stored = await ctx.items.authTokens.get();
    if (!stored) throw new Error('not signed in');
    await ctx.items.authTokens.set({ ...stored, idTokenExpiresAt: Date.now() - 1000 });
    stack.addFault({ service: 'oidc', operation: 'token', kind: 'status', status: 500, count: 1 });
    await renewDue(ctx);
    expect((await createHandlers(ctx).getAuthState()).error).toBeDefined();

    await renewDue(ctx);

    const state = await createHandlers(ctx).getAuthState();
    expect(state.status).toBe('signedIn');
    expect(state.error).toBeUndefined();
  });
});

describe('a refresh that answers without an ID token', () => {
  it('keeps the rotated refresh token, and its nonce, when the silent renewal brings none', async () => {
    const profile = newProfile();
    const first = await signedIn(authContext(profile));
    const stored = await first.items.authTokens.get();
    if (!stored) throw new Error('not signed in');
    await first.items.authTokens.set({ ...stored, idTokenExpiresAt: Date.now() - 1000 });
    let rotated: unknown;
    const ctx = authContext(profile, {
      fetch: editingTokenAnswers((grantType, answer) => {
        if (grantType === 'refresh_token') {
          rotated = answer['refresh_token'];
          return { ...answer, id_token: undefined };
        }
        return { ...answer, refresh_token: undefined };
      }),
    });

    await validIdToken(ctx);

    const after = await ctx.items.authTokens.get();
    expect(ctx.identity.calls.at(-1)?.interactive).toBe(false);
    expect(after?.idTokenExpiresAt).toBeGreaterThan(Date.now());
    expect(typeof rotated).toBe('string');
    expect(after?.refreshToken).toBe(rotated);
    expect(after?.nonce).toBe(stored.nonce);
    // The kept refresh token still renews, and its ID token's nonce is accepted.
    await expect(validIdToken(authContext(profile), { force: true })).resolves.toMatchObject({ refreshToken: expect.any(String) });
    expect(requests(stack)('oidc.revoke')).toBe(0);
  });

  // Revoking the superseded token would end the grant the new one belongs to (seen against the stack).
  it('keeps the new refresh token usable when the silent renewal brings one', async () => {
    const profile = newProfile();
    const first = await signedIn(authContext(profile));
    const stored = await first.items.authTokens.get();
    if (!stored) throw new Error('not signed in');
    await first.items.authTokens.set({ ...stored, idTokenExpiresAt: Date.now() - 1000 });
    let rotated = '';
    const ctx = authContext(profile, {
      fetch: editingTokenAnswers((grantType, answer) => {
        if (grantType !== 'refresh_token') return answer;
        rotated = String(answer['refresh_token']);
        return { ...answer, id_token: undefined };
      }),
    });

    await validIdToken(ctx);

    const after = await ctx.items.authTokens.get();
    expect(after?.refreshToken).toBeDefined();
    expect(after?.refreshToken).not.toBe(rotated);
    expect(requests(stack)('oidc.revoke')).toBe(0);
    expect(await refreshTokenWorks(after?.refreshToken ?? '')).toBe(true);
  });
});
