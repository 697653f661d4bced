import { describe, expect, it, vi } from 'vitest';
import type { SignInFlight, TokenSet } from '../../shared/auth-records';
import type { AuthState } from '../../shared/auth-state';
import { AppError } from '../../shared/errors';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { authContext, newProfile } from '../../../test/support/auth-context';
import { SIGN_IN_WINDOW_MS, startSignIn } from './attempt';
import { ALARMS } from '../platform/alarms';
import { dispatch, readAuthState } from './records';

const NOW = 1_800_000_000_000;
const settings: Settings = {
  ...DEFAULT_SETTINGS,
  domain: 'tenant.auth0.com',
  clientId: 'client',
  identityPoolId: 'eu-west-1:12345678-90ab-cdef-1234-567890abcdef',
};
const tokens: TokenSet = {
  issuer: 'https://tenant.auth0.com/',
  clientId: 'client',
  profile: { sub: 'auth0|alice', name: 'Alice' },
  idToken: 'id',
  idTokenIssuedAt: NOW,
  idTokenExpiresAt: NOW + 3_600_000,
  nonce: 'n',
};
const flight: SignInFlight = { state: 's', nonce: 'n', codeVerifier: 'v', redirectUri: 'https://x/', interactive: true, startedAt: NOW };
const remembered = {
  identityPoolId: settings.identityPoolId,
  provider: 'tenant.auth0.com',
  sub: 'auth0|alice',
  identityId: 'eu-west-1:alice',
  usedAt: NOW,
};

function context() {
  return authContext(newProfile(), { now: () => NOW });
}

describe('the sign-in state', () => {
  it('is notConfigured without settings, whatever else is stored', async () => {
    const ctx = context();
    await ctx.items.authTokens.set(tokens);
    expect(await readAuthState(ctx)).toEqual({ status: 'notConfigured' });
  });

  it('is signedOut with the remembered identity id of the last person', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    await ctx.items.identityIds.set([remembered]);
    expect(await readAuthState(ctx)).toEqual({ status: 'signedOut', identityId: 'eu-west-1:alice' });
  });

  it('names no identity of a person who signed out here, not even while the next person signs in', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    const bob = { ...remembered, sub: 'auth0|bob', identityId: 'eu-west-1:bob', usedAt: NOW - 60_000 };
    await ctx.items.identityIds.set([remembered, bob]);
    await ctx.items.authTokens.set(tokens);
    await dispatch(ctx, { type: 'signedOut', origin: 'person' });

    // Bob closed the browser without signing out: his is the last identity that may come back.
    expect(await readAuthState(ctx)).toEqual({ status: 'signedOut', identityId: 'eu-west-1:bob' });
    await ctx.items.identityIds.set([remembered]);
    expect(await readAuthState(ctx)).toEqual({ status: 'signedOut' });
    await ctx.items.authState.set({ status: 'signingIn' });
    await ctx.items.authFlights.set({ s: flight });
    expect(await readAuthState(ctx)).toEqual({ status: 'signingIn' });
    // Alice's own sign-in brings her identity back.
    await ctx.items.authTokens.set(tokens);
    await dispatch(ctx, { type: 'signInSucceeded' });
    expect((await readAuthState(ctx)).identityId).toBe('eu-west-1:alice');
  });

  it('is signedIn with the profile, identity and expiry, never a token', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    await ctx.items.authTokens.set(tokens);
    await ctx.items.awsCredentials.set({
      ...remembered,
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      sessionToken: 'ST',
      obtainedAt: NOW,
      expiresAt: NOW + 1000,
    });
    const state = await readAuthState(ctx);
    expect(state).toEqual({ status: 'signedIn', profile: tokens.profile, identityId: 'eu-west-1:alice', credentialsExpireAt: NOW + 1000 });
    expect(JSON.stringify(state)).not.toMatch(/"(id|at|AK|SK|ST)"/);
  });

  it('ignores credentials of another person', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    await ctx.items.authTokens.set(tokens);
    await ctx.items.awsCredentials.set({
      ...remembered,
      sub: 'auth0|bob',
      identityId: 'eu-west-1:bob',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      sessionToken: 'ST',
      obtainedAt: NOW,
      expiresAt: NOW + 1000,
    });
    expect(await readAuthState(ctx)).toEqual({ status: 'signedIn', profile: tokens.profile });
  });

  it('is not signingIn on the memo alone: no attempt runs and no window waits (the worker stopped before or after it)', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    await ctx.items.authState.set({ status: 'signingIn' });
    expect((await readAuthState(ctx)).status).toBe('signedOut');
  });

  it('is signingIn after a worker restart while its sign-in window can still answer, and signedOut after', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    await ctx.items.authState.set({ status: 'signingIn' });
    await ctx.items.authFlights.set({ s: { ...flight, startedAt: NOW - 60_000 } });
    expect((await readAuthState(ctx)).status).toBe('signingIn');
    await ctx.items.authFlights.set({ s: { ...flight, startedAt: NOW - SIGN_IN_WINDOW_MS } });
    expect((await readAuthState(ctx)).status).toBe('signedOut');
  });

  it('is not signingIn because a silent renewal is waiting', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    await ctx.items.authState.set({ status: 'signingIn' });
    await ctx.items.authFlights.set({ s: { ...flight, interactive: false } });
    expect((await readAuthState(ctx)).status).toBe('signedOut');
  });

  it('is signingIn while this worker runs the attempt, window or not', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    let finish: (state: AuthState) => void = () => undefined;
    const attempt = startSignIn(ctx, async () => {
      await dispatch(ctx, { type: 'signInStarted' });
      return new Promise<AuthState>((resolve) => (finish = resolve));
    });
    await vi.waitFor(async () => expect((await ctx.items.authState.get())?.status).toBe('signingIn'));
    expect((await readAuthState(ctx)).status).toBe('signingIn');
    finish({ status: 'signedOut' });
    await attempt;
    expect((await readAuthState(ctx)).status).toBe('signedOut');
  });

  it('goes back to needsSignIn, with the profile, when a sign-in from there was abandoned', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    await ctx.items.authState.set({ status: 'signingIn', profile: tokens.profile });
    expect(await readAuthState(ctx)).toMatchObject({ status: 'needsSignIn', profile: tokens.profile });
  });

  it('keeps the profile and the reason while the person must sign in again', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    await ctx.items.authTokens.set(tokens);
    await dispatch(ctx, { type: 'renewalNeedsPerson', profile: tokens.profile, error: { code: 'AUTH_REQUIRED', message: 'Sign in again.' } });
    expect(await ctx.items.authTokens.get()).toBeUndefined();
    expect(await ctx.items.authState.get()).toEqual({
      status: 'needsSignIn',
      profile: tokens.profile,
      error: { code: 'AUTH_REQUIRED', message: 'Sign in again.' },
    });
  });

  it('keeps saying signingIn when renewal fails meanwhile: records the reason and the profile only', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    await ctx.items.authTokens.set(tokens);
    let finish: (state: AuthState) => void = () => undefined;
    const attempt = startSignIn(ctx, async () => {
      await dispatch(ctx, { type: 'signInStarted' });
      return new Promise<AuthState>((resolve) => (finish = resolve));
    });
    await vi.waitFor(async () => expect((await ctx.items.authState.get())?.status).toBe('signingIn'));

    await dispatch(ctx, { type: 'renewalNeedsPerson', profile: tokens.profile, error: new AppError('AUTH_REQUIRED', 'Sign in again.').toJSON() });

    expect(await readAuthState(ctx)).toMatchObject({ status: 'signingIn', profile: tokens.profile, error: { code: 'AUTH_REQUIRED' } });
    // The window closes unanswered: back to needsSignIn for that person.
    finish({ status: 'signedOut' });
    await attempt;
    expect(await readAuthState(ctx)).toMatchObject({ status: 'needsSignIn', profile: tokens.profile });
  });

  it('lets a background transition replace signingIn once no sign-in is live', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    await ctx.items.authState.set({ status: 'signingIn' });
    await ctx.items.authTokens.set(tokens);
    expect((await dispatch(ctx, { type: 'resumed' })).state).toMatchObject({ status: 'signedIn' });
  });

  it('keeps a live signingIn when a resumed session reports signedIn', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    let finish: (state: AuthState) => void = () => undefined;
    const attempt = startSignIn(ctx, async () => {
      await dispatch(ctx, { type: 'signInStarted' });
      return new Promise<AuthState>((resolve) => (finish = resolve));
    });
    await vi.waitFor(async () => expect((await ctx.items.authState.get())?.status).toBe('signingIn'));
    await ctx.items.authTokens.set(tokens);

    await dispatch(ctx, { type: 'resumed' });

    expect((await ctx.items.authState.get())?.status).toBe('signingIn');
    finish({ status: 'signedIn' });
    await attempt;
  });

  it("signs out by clearing storage.session of the sign-in and the popup's drafts, and the renewal and sync alarms", async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    await ctx.items.authTokens.set(tokens);
    await ctx.items.awsCredentials.set({
      ...remembered,
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      sessionToken: 'ST',
      obtainedAt: NOW,
      expiresAt: NOW + 1000,
    });
    await ctx.items.authFlights.set({ s: flight });
    await ctx.items.popupDrafts.set({ identityId: remembered.identityId, datasetName: 'MainDataset', add: { key: 'typed', value: 'not saved' } });
    for (const name of [ALARMS.renew, ALARMS.syncDebounce, ALARMS.syncPeriodic, ALARMS.syncRetry]) ctx.alarms.create(name, { when: NOW + 1000 });
    await ctx.items.syncRetry.set({ minutes: 4, at: NOW + 1000 });

    const { state } = await dispatch(ctx, { type: 'signedOut', origin: 'person' });

    expect(state).toEqual({ status: 'signedOut' });
    expect(await ctx.items.authTokens.get()).toBeUndefined();
    expect(await ctx.items.awsCredentials.get()).toBeUndefined();
    expect(await ctx.items.authFlights.get()).toBeUndefined();
    // What the person typed in the popup and did not save is not left for the next person.
    expect(await ctx.items.popupDrafts.get()).toBeUndefined();
    // No try of a failed sync is left to run for nobody, nor its wait for the next person.
    expect(await ctx.items.syncRetry.get()).toBeUndefined();
    expect([...ctx.alarms.scheduled.keys()]).toEqual([]);
  });

  it('remembers in storage.local who signed out themselves, and forgets it when they sign in by hand', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    await ctx.items.authTokens.set(tokens);

    await dispatch(ctx, { type: 'signedOut', origin: 'person' });
    expect(await ctx.items.signOuts.get()).toEqual([{ provider: 'tenant.auth0.com', sub: 'auth0|alice', at: NOW, last: true }]);

    await ctx.items.authTokens.set(tokens);
    await dispatch(ctx, { type: 'signInSucceeded' });
    expect(await ctx.items.signOuts.get()).toEqual([]);
  });

  it('remembers the sign-out of a person whom renewal needed (no tokens left), and not one the settings caused', async () => {
    const ctx = context();
    await ctx.items.settings.set(settings);
    await ctx.items.authState.set({ status: 'needsSignIn', profile: tokens.profile });
    await dispatch(ctx, { type: 'signedOut', origin: 'person' });
    expect(await ctx.items.signOuts.get()).toEqual([{ provider: 'tenant.auth0.com', sub: 'auth0|alice', at: NOW, last: true }]);

    const other = context();
    await other.items.settings.set(settings);
    await other.items.authTokens.set(tokens);
    await dispatch(other, { type: 'signedOut', origin: 'settings' });
    expect(await other.items.signOuts.get()).toBeUndefined();
  });
});
