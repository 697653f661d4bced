// The identity provider, driven as the extension drives it: discovery, authorization code + PKCE through the
// login form, ID token checked against the JWKS, refresh with rotation, revocation, prompt=none, logout.
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../stack/index';
import type { Stack } from '../../stack/index';
import { CookieJar, loginThroughForm } from '../support/login-driver';
import { authorizationRequest, clientAuth, exchange, INSECURE, newSession, refresh, signIn, silentRequest } from './support/oidc-client';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ port: 0 });
});

afterAll(async () => {
  await stack.close();
});

async function refreshError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) return error.error;
    throw error;
  }
  return 'no error';
}

describe('discovery', () => {
  it('describes an Auth0-shaped tenant: trailing-slash issuer, Auth0 routes, RS256 only', async () => {
    const response = await fetch(new URL('.well-known/openid-configuration', stack.config.issuer));
    const metadata: unknown = await response.json();
    const base = stack.url;
    expect(metadata).toMatchObject({
      issuer: `${base}/`,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/oauth/token`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      userinfo_endpoint: `${base}/userinfo`,
      revocation_endpoint: `${base}/oauth/revoke`,
      end_session_endpoint: `${base}/oidc/logout`,
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
    });
  });
});

describe('authorization code with PKCE through the login form', () => {
  it('returns to the extension with a code and the issuer', async () => {
    const session = await newSession(stack);
    const request = await authorizationRequest(session);
    const callback = new URL(await loginThroughForm(request.url, { username: 'alice', password: 'password' }));
    expect(callback.origin + callback.pathname).toBe(session.redirectUri);
    expect(callback.searchParams.get('state')).toBe(request.state);
    expect(callback.searchParams.get('iss')).toBe(stack.config.issuer);
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('issues an RS256 ID token that verifies against the JWKS and carries the profile', async () => {
    const { idToken, refreshToken } = await signIn(stack, 'alice');
    const jwks = createRemoteJWKSet(new URL('.well-known/jwks.json', stack.config.issuer));
    const { payload } = await jwtVerify(idToken, jwks, { issuer: stack.config.issuer, audience: stack.config.clientId, algorithms: ['RS256'] });
    expect(decodeProtectedHeader(idToken).alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: 'auth0|alice',
      name: 'Alice Liddell',
      email: 'alice@example.com',
      email_verified: true,
      picture: `${stack.url}/avatars/alice.svg`,
    });
    expect(refreshToken).toEqual(expect.any(String));
  });

  it('serves the picture named in the ID token', async () => {
    const response = await fetch(`${stack.url}/avatars/alice.svg`);
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
  });

  it('answers userinfo for the access token', async () => {
    const { accessToken, session } = await signIn(stack, 'bob');
    const response = await oauth.userInfoRequest(session.as, session.client, accessToken, INSECURE);
    const info = await oauth.processUserInfoResponse(session.as, session.client, 'auth0|bob', response);
    expect(info).toMatchObject({ sub: 'auth0|bob', name: 'Bob Builder', email: 'bob@example.com' });
  });

  it('refuses a code exchange without the PKCE verifier', async () => {
    const session = await newSession(stack);
    const request = await authorizationRequest(session);
    const callback = await loginThroughForm(request.url, { username: 'alice', password: 'password' });
    await expect(exchange(session, { ...request, verifier: oauth.generateRandomCodeVerifier() }, callback)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('shows the error on a wrong password and stays on the form', async () => {
    const session = await newSession(stack);
    const request = await authorizationRequest(session);
    await expect(loginThroughForm(request.url, { username: 'alice', password: 'wrong' })).rejects.toThrow(
      'the login form says: Wrong username or password.',
    );
  });

  it('renders the form the browser tests fill by label', async () => {
    const session = await newSession(stack);
    const request = await authorizationRequest(session);
    const jar = new CookieJar();
    const first = await fetch(request.url, { redirect: 'manual' });
    jar.store(request.url, first);
    const loginUrl = new URL(first.headers.get('location') ?? '', request.url).href;
    const html = await (await fetch(loginUrl, { headers: { cookie: jar.header(loginUrl) ?? '' } })).text();
    expect(html).toContain('<label for="username">Username</label><input id="username" name="username" autocomplete="username"');
    expect(html).toContain('<label for="password">Password</label><input id="password" name="password" type="password"');
    expect(html).toContain('<button type="submit">Sign in</button>');
  });
});

describe('lifetimes', () => {
  it('follow the configured ID and access token TTLs', async () => {
    const configured = await startStack({ port: 0, idTokenTtl: 60, accessTokenTtl: 120 });
    try {
      const { idToken, expiresIn } = await signIn(configured, 'alice');
      const { exp = 0, iat = 0 } = decodeJwt(idToken);
      expect([exp - iat, expiresIn]).toEqual([60, 120]);
    } finally {
      await configured.close();
    }
  });
});

describe('refresh tokens', () => {
  it('rotates: the refresh answers a new refresh token and an ID token', async () => {
    const { refreshToken, session } = await signIn(stack, 'alice');
    const renewed = await refresh(session, refreshToken ?? '');
    expect(renewed.refreshToken).toEqual(expect.any(String));
    expect(renewed.refreshToken).not.toBe(refreshToken);
    expect(decodeJwt(renewed.idToken)).toMatchObject({ sub: 'auth0|alice', iss: stack.config.issuer, name: 'Alice Liddell' });
  });

  it('refuses a rotated-out refresh token, and its reuse revokes the whole grant', async () => {
    const { refreshToken, session } = await signIn(stack, 'alice');
    const renewed = await refresh(session, refreshToken ?? '');
    expect(await refreshError(refresh(session, refreshToken ?? ''))).toBe('invalid_grant');
    expect(await refreshError(refresh(session, renewed.refreshToken ?? ''))).toBe('invalid_grant');
  });

  it('refuses a revoked refresh token', async () => {
    const { refreshToken, session } = await signIn(stack, 'bob');
    const response = await oauth.revocationRequest(session.as, session.client, clientAuth, refreshToken ?? '', INSECURE);
    await oauth.processRevocationResponse(response);
    expect(await refreshError(refresh(session, refreshToken ?? ''))).toBe('invalid_grant');
  });
});

describe('prompt=none and logout', () => {
  it('answers a code without any page while the provider session lasts', async () => {
    const { session } = await signIn(stack, 'alice');
    const { request, callback } = await silentRequest(session);
    const tokens = await exchange(session, request, callback);
    expect(tokens.refreshToken).toEqual(expect.any(String));
  });

  it('answers error=login_required without a session', async () => {
    const session = await newSession(stack);
    const { callback } = await silentRequest(session);
    expect(new URL(callback).searchParams.get('error')).toBe('login_required');
  });

  it('logs out at once: /oidc/logout redirects to the extension and ends the session', async () => {
    const { session } = await signIn(stack, 'alice');
    const logout = new URL(session.as.end_session_endpoint ?? '');
    logout.search = new URLSearchParams({ client_id: stack.config.clientId, post_logout_redirect_uri: session.redirectUri, state: 'bye' }).toString();
    const response = await fetch(logout, { redirect: 'manual', headers: { cookie: session.jar.header(logout.href) ?? '' } });
    session.jar.store(logout.href, response);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${session.redirectUri}?state=bye`);
    const { callback } = await silentRequest(session);
    expect(new URL(callback).searchParams.get('error')).toBe('login_required');
  });
});

describe('CORS at the provider', () => {
  async function tokenCallFrom(origin: string): Promise<Response> {
    return fetch(new URL('oauth/token', stack.config.issuer), {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'unknown', client_id: stack.config.clientId }).toString(),
    });
  }

  it('lets extension origins call the token endpoint', async () => {
    for (const origin of ['chrome-extension://nbkohjkjhigiocdkbdphnhfjbncbcele', 'moz-extension://6b1c5e4e-2a7e-4d0b-9a55-0f4a1f1a2b3c']) {
      const response = await tokenCallFrom(origin);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect((await response.json()).error).toBe('invalid_grant');
    }
  });

  it('refuses a web page origin', async () => {
    const response = await tokenCallFrom('https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect((await response.json()).error).toBe('invalid_request');
  });
});
