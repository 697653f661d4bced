// Signing out: forget the session's tokens and credentials, revoke the refresh token, and end the
// provider's session where it offers that. Dataset data and remembered identity ids stay, for the person's next
// sign-in; until someone signs in, the popup offers to remove them (sync/left-behind.ts).
import * as oauth from 'oauth4webapi';
import type { TokenSet } from '../../shared/auth-records';
import { issuerFromDomain } from '../../shared/settings';
import { discover, type OidcProvider } from '../auth/discovery';
import type { SessionEvent } from '../auth/machine';
import { dispatch } from '../auth/records';
import { launchWebAuthFlow, webAuthFlowDetails } from '../auth/web-auth-flows';
import type { Context } from '../platform/context';
import { LOCKS } from '../platform/locks';

/** How long sign-out waits for the provider's logout page before it gives up on it; Chrome's flow ends then too. */
export const END_SESSION_TIMEOUT_MS = 10_000;

/** Best effort: a refresh token the provider still accepts after this is its problem, not a reason to stay signed in. */
export async function revokeRefreshToken(provider: OidcProvider, tokens: TokenSet): Promise<void> {
  if (!tokens.refreshToken || !provider.as.revocation_endpoint) return;
  try {
    const response = await oauth.revocationRequest(provider.as, provider.client, oauth.None(), tokens.refreshToken, {
      ...provider.http,
      additionalParameters: { token_type_hint: 'refresh_token' },
    });
    await oauth.processRevocationResponse(response);
  } catch {
    // ignored: the session is gone from here either way
  }
}

/** The provider's RP-initiated logout (or Auth0's legacy /v2/logout), silently through the identity API. */
export function endSessionUrl(provider: OidcProvider, tokens: TokenSet, redirectUri: string): URL | undefined {
  const { as, settings } = provider;
  if (as.end_session_endpoint && new URL(as.end_session_endpoint).hostname.endsWith('.amazoncognito.com')) {
    // A Cognito user pool's /logout takes its own parameters, not RP-initiated logout's
    // (https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html): the redirect URL must be
    // one of the app client's allowed sign-out URLs.
    const url = new URL(as.end_session_endpoint);
    url.searchParams.set('client_id', settings.clientId);
    url.searchParams.set('logout_uri', redirectUri);
    return url;
  }
  if (as.end_session_endpoint) {
    const url = new URL(as.end_session_endpoint);
    url.searchParams.set('client_id', settings.clientId);
    url.searchParams.set('id_token_hint', tokens.idToken);
    url.searchParams.set('post_logout_redirect_uri', redirectUri);
    return url;
  }
  const issuer = new URL(as.issuer);
  if (!issuer.hostname.endsWith('.auth0.com')) return undefined;
  const url = new URL('v2/logout', issuer);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('returnTo', redirectUri);
  return url;
}

/**
 * True when the provider's logout reached our redirect URI, the one sign its session ended. A provider
 * without a logout endpoint, a logout that fails, times out, or stops at a page that needs a person or a
 * script (the hidden flow stops at the first page) leaves the provider's session alive.
 */
async function endProviderSession(ctx: Context, provider: OidcProvider, tokens: TokenSet): Promise<boolean> {
  const redirectUri = ctx.identity.getRedirectURL();
  const url = endSessionUrl(provider, tokens, redirectUri);
  if (!url) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Through web-auth-flows.ts, which knows it runs: a Sign in meanwhile waits for it instead of being refused.
  // Chrome gets the same limit: without one its flow would outlive the wait, and hold up that Sign in.
  const flow = launchWebAuthFlow(ctx, webAuthFlowDetails(url, false, redirectUri, END_SESSION_TIMEOUT_MS)).then(
    (landed) => landed?.startsWith(redirectUri) === true,
    () => false,
  );
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), END_SESSION_TIMEOUT_MS);
  });
  try {
    return await Promise.race([flow, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type SignOutEvent = Extract<SessionEvent, { type: 'signedOut' | 'credentialsRefused' }>;

/**
 * Ends the sign-in: the machine clears storage.session, the renewal and sync alarms (records.ts), under the
 * credentials and tokens locks, so no renewal writes in between; then, at the provider, what the event asks
 * for. Tokens of another provider (settings changed under them) are not sent to this one.
 */
export async function endSignIn(ctx: Context, event: SignOutEvent): Promise<void> {
  const { tokens, effects } = await ctx.locks.request(LOCKS.credentials, () =>
    ctx.locks.request(LOCKS.tokens, async () => {
      // A sign-in still under way (its code being exchanged, its keys fetched) is replaced, as by "Start again":
      // it stores its tokens under this lock only while current (auth/tokens.ts replaceTokens), and writes nothing
      // after. Otherwise it would sign the person in again after this sign-out, or send its ID token to the
      // endpoints of settings changed meanwhile. A refusal of credentials is that attempt's own ending: not here.
      if (event.type === 'signedOut') ctx.signIn.current = undefined;
      const held = await ctx.items.authTokens.get();
      return { tokens: held, ...(await dispatch(ctx, event)) };
    }),
  );
  const settings = await ctx.items.settings.get();
  if (!tokens || !settings) return;
  let provider: OidcProvider;
  try {
    provider = await discover(ctx, settings);
  } catch {
    // The provider cannot be reached (offline, its metadata a day old): no logout reaches it, so its session
    // outlives this sign-out, and the person is told as when a logout fails.
    // (Only for the settings' own provider: tokens of another are not this one's to end, as below.)
    // Compared as URLs: a provider may announce its issuer without the trailing slash a domain gets.
    const sameProvider = issuerFromDomain(settings.domain)?.href === new URL(tokens.issuer).href;
    if (sameProvider && effects.includes('endProviderSession')) {
      await dispatch(ctx, { type: 'providerSessionRemains', host: new URL(tokens.issuer).host });
    }
    return;
  }
  if (provider.as.issuer !== tokens.issuer || settings.clientId !== tokens.clientId) return;
  if (effects.includes('revokeRefreshToken')) await revokeRefreshToken(provider, tokens);
  if (effects.includes('endProviderSession') && !(await endProviderSession(ctx, provider, tokens))) {
    // The person is told: on a shared computer, the next one to open the provider's site would be them. The
    // host is the one holding the session: the logout page's (a Cognito user pool signs in on its own domain,
    // not on its issuer's host).
    const host = new URL(provider.as.end_session_endpoint ?? provider.as.issuer).host;
    await dispatch(ctx, { type: 'providerSessionRemains', host });
  }
}

/**
 * The person signs out ('person': it lasts across browser starts until they sign in themselves), or the
 * settings changed under the sign-in ('settings'). Dataset data stays.
 */
export function signOut(ctx: Context, origin: 'person' | 'settings'): Promise<void> {
  return endSignIn(ctx, { type: 'signedOut', origin });
}
