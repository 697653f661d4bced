// The extension's side of the OpenID Connect flows, done as a real public client does them (oauth4webapi),
// with the login driver standing in for the browser's auth window.
import * as oauth from 'oauth4webapi';
import { CookieJar, followSilently, loginThroughForm } from '../../support/login-driver';
import type { Stack } from '../../../stack/index';

export const INSECURE = { [oauth.allowInsecureRequests]: true } as const;
export const SCOPE = 'openid profile email offline_access';
export const clientAuth = oauth.None();

export interface Session {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  redirectUri: string;
  jar: CookieJar;
}

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string | undefined;
  /** Seconds, from the token response. */
  expiresIn: number | undefined;
}

export interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  verifier: string;
}

export async function newSession(stack: Stack, jar = new CookieJar()): Promise<Session> {
  const issuer = new URL(stack.config.issuer);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, INSECURE));
  const redirectUri = stack.config.redirectUris[0];
  if (!redirectUri) throw new Error('the stack registers no redirect URI');
  return { as, client: { client_id: stack.config.clientId }, redirectUri, jar };
}

export async function authorizationRequest(session: Session, extra: Record<string, string> = {}): Promise<AuthorizationRequest> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(session.as.authorization_endpoint ?? '');
  url.search = new URLSearchParams({
    client_id: session.client.client_id,
    redirect_uri: session.redirectUri,
    response_type: 'code',
    scope: SCOPE,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  return { url: url.href, state, nonce, verifier };
}

/** Validates the redirect back and exchanges the code with PKCE. */
export async function exchange(session: Session, request: AuthorizationRequest, callbackUrl: string): Promise<Tokens> {
  const { as, client } = session;
  const params = oauth.validateAuthResponse(as, client, new URL(callbackUrl), request.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, session.redirectUri, request.verifier, INSECURE);
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: request.nonce, requireIdToken: true });
  if (result.id_token === undefined) throw new Error('no ID token');
  return { idToken: result.id_token, accessToken: result.access_token, refreshToken: result.refresh_token, expiresIn: result.expires_in };
}

/** The interactive sign-in, from authorization request to tokens. */
export async function signIn(stack: Stack, username: string, jar = new CookieJar()): Promise<Tokens & { session: Session }> {
  const session = await newSession(stack, jar);
  const request = await authorizationRequest(session);
  const callback = await loginThroughForm(request.url, { username, password: 'password', jar });
  return { ...(await exchange(session, request, callback)), session };
}

/** A prompt=none renewal: answers the redirect URL (a code, or error=login_required). */
export async function silentRequest(session: Session): Promise<{ request: AuthorizationRequest; callback: string }> {
  const request = await authorizationRequest(session, { prompt: 'none' });
  return { request, callback: await followSilently(request.url, session.jar) };
}

export async function refresh(session: Session, refreshToken: string): Promise<Tokens> {
  const { as, client } = session;
  const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, INSECURE);
  const result = await oauth.processRefreshTokenResponse(as, client, response);
  if (result.id_token === undefined) throw new Error('no ID token');
  return { idToken: result.id_token, accessToken: result.access_token, refreshToken: result.refresh_token, expiresIn: result.expires_in };
}
