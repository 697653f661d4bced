// Authorization Code + PKCE (S256) with state and nonce, through `identity.launchWebAuthFlow` in the worker.
// The same flow renews silently with `prompt=none` when the provider gives no refresh token.
import * as oauth from 'oauth4webapi';
import type { SignInFlight, TokenSet } from '../../shared/auth-records';
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import type { Context } from '../platform/context';
import { authorizationError, tokenError } from './auth-errors';
import type { OidcProvider } from './discovery';
import { addFlight, dropFlight, findFlight } from './records';
import { verifyIdToken } from './id-token';
import { launch, webAuthFlowDetails } from './web-auth-flows';

export const SCOPE = 'openid profile email offline_access';
/** Without a refresh token, renewal is a silent sign-in (`prompt=none`); everything else works the same. */
const SCOPE_WITHOUT_OFFLINE_ACCESS = 'openid profile email';

/**
 * offline_access asks for a refresh token. Some providers refuse the whole request for it (`invalid_scope`;
 * Google, for one, wants its own parameter instead): it is asked for only when the provider's metadata
 * lists it, or lists no scopes at all (`scopes_supported` is optional, OpenID Connect Discovery §3).
 */
export function scopeFor(provider: OidcProvider): string {
  const supported = provider.as.scopes_supported;
  return !Array.isArray(supported) || supported.includes('offline_access') ? SCOPE : SCOPE_WITHOUT_OFFLINE_ACCESS;
}

export interface AuthorizeOptions {
  /** The scopes asked for; scopeFor(provider) by default. */
  scope?: string;
  /**
   * Who the request is for (OIDC Core §3.1.2.1 `login_hint`; Auth0 takes an email or username): only a
   * hint, which the provider may ignore, so the answer's `sub` must still be checked.
   */
  loginHint?: string | undefined;
  /**
   * The person must sign in at the provider (OIDC Core §3.1.2.1 `prompt=login`), not be taken for whoever the
   * provider's session is: the first sign-in after a sign-out that may have left that session alive.
   */
  login?: boolean;
  /**
   * Whether the person's attempt still wants its window (auth/attempt.ts): Chrome may make the window wait for
   * a flow without one (web-auth-flows.ts), and an attempt replaced meanwhile opens none.
   */
  isCurrent?: () => boolean;
}

export function authorizationUrl(provider: OidcProvider, flight: SignInFlight, codeChallenge: string, options: AuthorizeOptions = {}): URL {
  const { as, settings } = provider;
  const url = new URL(as.authorization_endpoint ?? '');
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: flight.redirectUri,
    scope: options.scope ?? scopeFor(provider),
    state: flight.state,
    nonce: flight.nonce,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  };
  if (settings.audience) params['audience'] = settings.audience;
  if (!flight.interactive) params['prompt'] = 'none';
  else if (options.login) params['prompt'] = 'login';
  if (options.loginHint) params['login_hint'] = options.loginHint;
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url;
}

/**
 * The redirect must be ours before anything in it is read: same origin and path as the redirect URI.
 * Returns the callback's parameters.
 */
export function callbackParameters(returned: string, redirectUri: string): URLSearchParams {
  let url: URL | undefined;
  try {
    url = new URL(returned);
  } catch {
    url = undefined;
  }
  const expected = new URL(redirectUri);
  if (!url || url.origin !== expected.origin || url.pathname !== expected.pathname) {
    throw new AppError('AUTH_UNEXPECTED_REDIRECT', t('errorAuthUnexpectedRedirect', [url ? url.origin + url.pathname : returned, redirectUri]));
  }
  return url.searchParams;
}

/**
 * The state first: until it matches, the answer may come from any page the login window reached, and its
 * `error` and `error_description` are that page's words, not the provider's. Only then an error answer
 * (a `prompt=none` answer often is one) is read, and nothing is exchanged.
 */
function checkCallback(provider: OidcProvider, params: URLSearchParams, flight: SignInFlight | undefined, scope: string): URLSearchParams {
  if (!flight || params.get('state') !== flight.state) throw new AppError('AUTH_STATE_MISMATCH', t('errorAuthStateMismatch'));
  try {
    // Checks `iss` (RFC 9207) when the provider sends it, and that nothing but a code came back.
    return oauth.validateAuthResponse(provider.as, provider.client, params, flight.state);
  } catch (cause) {
    if (cause instanceof oauth.AuthorizationResponseError) throw authorizationError(cause.error, cause.error_description, scope);
    throw new AppError('AUTH_PROVIDER', t('errorAuthProvider', cause instanceof Error ? cause.message : String(cause)), { cause });
  }
}

async function exchange(ctx: Context, provider: OidcProvider, callback: URLSearchParams, flight: SignInFlight): Promise<TokenSet> {
  const { as, client, http } = provider;
  let result: oauth.TokenEndpointResponse;
  try {
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), callback, flight.redirectUri, flight.codeVerifier, http);
    result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: flight.nonce, requireIdToken: true });
  } catch (error) {
    throw tokenError(error, as.token_endpoint, flight.redirectUri, { issuer: as.issuer, clientId: client.client_id }, 'code');
  }
  const idToken = result.id_token ?? '';
  const verified = await verifyIdToken(ctx, provider, idToken, { nonce: flight.nonce });
  const tokens: TokenSet = {
    issuer: as.issuer,
    clientId: client.client_id,
    profile: verified.profile,
    idToken,
    idTokenIssuedAt: verified.issuedAt,
    idTokenExpiresAt: verified.expiresAt,
    nonce: flight.nonce,
  };
  if (result.refresh_token) tokens.refreshToken = result.refresh_token;
  return tokens;
}

/**
 * Runs one authorization request to its verified tokens; stores nothing but the in-flight request (filed
 * under its state, beside any other under way), which it removes again whatever happens.
 * A provider that refuses the scopes (`invalid_scope`) while offline_access was among them is asked once
 * more without it: the person gets signed in, and renewal is silent instead of by refresh token.
 */
export async function authorize(ctx: Context, provider: OidcProvider, interactive: boolean, options: AuthorizeOptions = {}): Promise<TokenSet> {
  const scope = options.scope ?? scopeFor(provider);
  try {
    return await authorizeOnce(ctx, provider, interactive, { ...options, scope });
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'AUTH_SCOPE_REFUSED') || !scope.split(' ').includes('offline_access')) throw error;
    return authorizeOnce(ctx, provider, interactive, { ...options, scope: SCOPE_WITHOUT_OFFLINE_ACCESS });
  }
}

async function authorizeOnce(
  ctx: Context,
  provider: OidcProvider,
  interactive: boolean,
  options: AuthorizeOptions & { scope: string },
): Promise<TokenSet> {
  const flight: SignInFlight = {
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    codeVerifier: oauth.generateRandomCodeVerifier(),
    redirectUri: ctx.identity.getRedirectURL(),
    interactive,
    startedAt: ctx.now(),
  };
  const url = authorizationUrl(provider, flight, await oauth.calculatePKCECodeChallenge(flight.codeVerifier), options);
  await addFlight(ctx, flight);
  try {
    const returned = await launch(ctx, webAuthFlowDetails(url, interactive, flight.redirectUri), options.isCurrent);
    const params = callbackParameters(returned, flight.redirectUri);
    // The request the answer names, read back from storage: after a sign-out it is gone, and the answer
    // is stale. It must be this window's own request too.
    const stored = await findFlight(ctx, params.get('state'));
    const callback = checkCallback(provider, params, stored?.state === flight.state ? stored : undefined, options.scope);
    return await exchange(ctx, provider, callback, flight);
  } finally {
    await dropFlight(ctx, flight.state);
  }
}
