import * as oauth from 'oauth4webapi';
import type { AuthorizationServer } from 'oauth4webapi';
import { describe, expect, it, vi } from 'vitest';
import { authContext, fakeIdentity, newProfile } from '../../../test/support/auth-context';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { authorizationError, claimError, tokenError, webAuthFlowError } from './auth-errors';
import type { Context } from '../platform/context';
import type { OidcProvider } from './discovery';
import { httpOptions } from './http';
import { authorize, callbackParameters, scopeFor } from './pkce-flow';
import { SILENT_FLOW_BOUND_MS } from './web-auth-flows';

const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';

describe('the redirect back from the provider', () => {
  it('is read only when it is the redirect URI', () => {
    expect(callbackParameters(`${REDIRECT}?code=c&state=s`, REDIRECT).get('code')).toBe('c');
  });

  it.each([
    ['another host', 'https://evil.example/?code=c&state=s'],
    ['a look-alike host', 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org.evil.example/?code=c'],
    ['another path', `${REDIRECT}other?code=c`],
    ['another scheme', `${REDIRECT.replace('https:', 'http:')}?code=c`],
    ['no URL at all', 'not a url'],
  ])('is refused when it goes to %s', (_, url) => {
    expect(() => callbackParameters(url, REDIRECT)).toThrow(expect.objectContaining({ code: 'AUTH_UNEXPECTED_REDIRECT' }));
  });
});

describe('error answers', () => {
  it.each([
    ['access_denied', 'AUTH_DENIED'],
    ['login_required', 'AUTH_REQUIRED'],
    ['consent_required', 'AUTH_REQUIRED'],
    ['interaction_required', 'AUTH_REQUIRED'],
    ['server_error', 'AUTH_PROVIDER_DOWN'],
    ['temporarily_unavailable', 'AUTH_PROVIDER_DOWN'],
    ['invalid_request', 'AUTH_PROVIDER'],
  ])('%s → %s', (error, code) => {
    expect(authorizationError(error, undefined).code).toBe(code);
  });

  it('sends an unknown audience to the Audience setting, not to another account', () => {
    const error = authorizationError('access_denied', 'Service not found: https://api.example.com/wrong');
    expect(error.code).toBe('AUTH_PROVIDER');
    expect(error.message).toContain('Audience in the settings');
    expect(error.message).toContain('https://api.example.com/wrong');
  });

  it('asks no new sign-in for a code the provider refused, and names its reason; a spent refresh token does', () => {
    const refused = (status: number, body: { error: string; error_description?: string }) =>
      new oauth.ResponseBodyError('refused', { cause: body, response: new Response(JSON.stringify(body), { status }) });
    const expected = { issuer: 'https://id.example.com/', clientId: 'client' };
    const grant = refused(400, { error: 'invalid_grant', error_description: 'code_verifier mismatch' });
    const exchange = tokenError(grant, 'https://id.example.com/oauth/token', REDIRECT, expected, 'code');
    expect(exchange.code).toBe('AUTH_PROVIDER');
    expect(exchange.message).toContain('code_verifier mismatch');
    expect(tokenError(grant, 'https://id.example.com/oauth/token', REDIRECT, expected, 'refresh').code).toBe('AUTH_REQUIRED');
    // A rate limit is a moment's trouble, with Try again.
    const limited = tokenError(refused(429, { error: 'too_many_requests' }), 'https://id.example.com/oauth/token', REDIRECT, expected, 'code');
    expect(limited).toMatchObject({ code: 'AUTH_PROVIDER_DOWN', message: expect.stringContaining('try again in a few minutes') });
  });

  it('blames the clock, not the settings, for a token not valid yet', () => {
    for (const claim of ['nbf', 'iat']) {
      const error = claimError(claim, {}, { issuer: 'https://id.example.com/', clientId: 'client' });
      expect(error.message).toContain("this computer's clock");
      expect(error.message).not.toContain('settings');
    }
  });

  it.each([
    ['The user did not approve access.', 'AUTH_CANCELLED'],
    ['User cancelled or denied access.', 'AUTH_CANCELLED'],
    ['User interaction required.', 'AUTH_REQUIRED'],
    ['Requires user interaction', 'AUTH_REQUIRED'],
    // Online, it may be the provider's error page for a wrong client ID or redirect URI: the settings.
    ['Authorization page could not be loaded.', 'AUTH_PROVIDER'],
    ['Something else went wrong.', 'AUTH_PROVIDER'],
  ])('launchWebAuthFlow rejecting with "%s" → %s', (message, code) => {
    expect(webAuthFlowError(new Error(message), 'https://id.example.com/authorize?client_id=c').code).toBe(code);
  });

  it('names the redirect URL and client ID to check when, online, the provider answers with an error page', () => {
    const url = 'https://id.example.com/authorize?client_id=c1&redirect_uri=https%3A%2F%2Fabc.chromiumapp.org%2F&state=s';
    const error = webAuthFlowError(new Error('Authorization page could not be loaded.'), url, true);
    expect(error).toMatchObject({ code: 'AUTH_PROVIDER' });
    expect(error.message).toContain('id.example.com');
    expect(error.message).toContain('https://abc.chromiumapp.org/');
    expect(error.message).toContain('client ID c1');
  });

  it('calls a sign-in page that could not be loaded offline a network failure, naming the provider’s host', () => {
    const error = webAuthFlowError(new Error('Authorization page could not be loaded.'), 'https://id.example.com/authorize', false);
    expect(error).toMatchObject({ code: 'NETWORK', message: expect.stringContaining('id.example.com') });
  });
});

describe('an answer that is not this sign-in’s', () => {
  const issuer = 'https://id.example.com/';
  function providerWith(ctx: Context): OidcProvider {
    const as: AuthorizationServer = { issuer, authorization_endpoint: `${issuer}authorize`, token_endpoint: `${issuer}oauth/token` };
    const settings = { ...DEFAULT_SETTINGS, domain: 'id.example.com', clientId: 'client' };
    return { settings, as, client: { client_id: 'client' }, http: httpOptions(ctx, new URL(issuer)) };
  }

  /** A context whose login window answers with the parameters `answer` makes of those it was sent. */
  function answering(answer: (sent: URL) => Record<string, string>) {
    const profile = newProfile();
    const sent: URL[] = [];
    const identity = fakeIdentity(profile.jar, async (details) => {
      const url = new URL(details.url);
      sent.push(url);
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.search = new URLSearchParams(answer(url)).toString();
      return back.href;
    });
    return { ctx: authContext(profile, { identity, fetch: async () => new Response('no request expected', { status: 500 }) }), sent };
  }

  it.each([
    ['another state', { state: 'not-ours' }],
    ['no state', {}],
  ])('with an error and %s ends as a state mismatch, not in the page’s words', async (_, state) => {
    const { ctx } = answering(() => ({ error: 'access_denied', error_description: 'Call 555-0100 to unlock your account', ...state }));
    const error = await authorize(ctx, providerWith(ctx), true).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AUTH_STATE_MISMATCH' });
    expect(String((error as Error).message)).not.toContain('555-0100');
    expect(await ctx.items.authFlights.get()).toBeUndefined();
  });

  it('with an error and our state is the provider’s error', async () => {
    const { ctx } = answering((sent) => ({ error: 'access_denied', error_description: 'Not for you', state: sent.searchParams.get('state') ?? '' }));
    await expect(authorize(ctx, providerWith(ctx), true)).rejects.toMatchObject({
      code: 'AUTH_DENIED',
      message: expect.stringContaining('Not for you'),
    });
  });
});

describe('a silent sign-in whose provider never answers', () => {
  it('ends by itself, asking the person to sign in, so the renewal waiting on it can end too', async () => {
    vi.useFakeTimers();
    try {
      const profile = newProfile();
      // Firefox takes no time limit for a silent flow: its check of the provider's answer can wait for ever.
      let launched: () => void = () => undefined;
      const started = new Promise<void>((resolve) => {
        launched = resolve;
      });
      const identity = {
        ...fakeIdentity(profile.jar),
        launchWebAuthFlow: () => {
          launched();
          return new Promise<string>(() => undefined);
        },
      };
      const ctx = authContext(profile, { identity, fetch: async () => new Response('no request expected', { status: 500 }) });
      const issuer = 'https://id.example.com/';
      const as: AuthorizationServer = { issuer, authorization_endpoint: `${issuer}authorize`, token_endpoint: `${issuer}oauth/token` };
      const provider: OidcProvider = {
        settings: { ...DEFAULT_SETTINGS, domain: 'id.example.com', clientId: 'client' },
        as,
        client: { client_id: 'client' },
        http: httpOptions(ctx, new URL(issuer)),
      };
      const ended = authorize(ctx, provider, false).catch((e: unknown) => e);
      await started;
      await vi.advanceTimersByTimeAsync(SILENT_FLOW_BOUND_MS);
      expect(await ended).toMatchObject({ code: 'AUTH_REQUIRED' });
      expect(await ctx.items.authFlights.get()).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('offline_access', () => {
  const issuer = 'https://id.example.com/';
  const as = (scopes?: string[]): AuthorizationServer => ({
    issuer,
    authorization_endpoint: `${issuer}authorize`,
    ...(scopes ? { scopes_supported: scopes } : {}),
  });
  const provider = (scopes?: string[], ctx: Context = authContext(newProfile())): OidcProvider => ({
    settings: { ...DEFAULT_SETTINGS, domain: 'id.example.com', clientId: 'client' },
    as: as(scopes),
    client: { client_id: 'client' },
    http: httpOptions(ctx, new URL(issuer)),
  });

  it('is asked for when the provider lists it, or lists no scopes', () => {
    expect(scopeFor(provider(['openid', 'profile', 'email', 'offline_access']))).toBe('openid profile email offline_access');
    expect(scopeFor(provider())).toBe('openid profile email offline_access');
  });

  it('is not asked for when the provider’s scopes leave it out', () => {
    expect(scopeFor(provider(['openid', 'profile', 'email']))).toBe('openid profile email');
  });

  it('refused with invalid_scope: asked once more without it, and a second refusal names the scopes (AUTH_SCOPE_REFUSED)', async () => {
    const profile = newProfile();
    const scopes: string[] = [];
    const identity = fakeIdentity(profile.jar, async (details) => {
      const sent = new URL(details.url);
      scopes.push(sent.searchParams.get('scope') ?? '');
      const back = new URL(sent.searchParams.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({
        error: 'invalid_scope',
        error_description: 'scope not allowed',
        state: sent.searchParams.get('state') ?? '',
      }).toString();
      return back.href;
    });
    const ctx = authContext(profile, { identity });
    const error = await authorize(ctx, provider(undefined, ctx), true).catch((e: unknown) => e);
    expect(scopes).toEqual(['openid profile email offline_access', 'openid profile email']);
    expect(error).toMatchObject({
      code: 'AUTH_SCOPE_REFUSED',
      message: expect.stringContaining('(openid profile email): invalid_scope: scope not allowed'),
    });
    expect(String((error as Error).message)).not.toMatch(/settings/);
  });
});
