// Signing out: forget the session's tokens and credentials, revoke the refresh token, and end the
// provider's session where it offers that. Dataset data and remembered identity ids stay.
import * as oauth from 'oauth4webapi';
import type { TokenSet } from '../../shared/auth-records';
import { ALARMS } from '../alarms';
import type { Context } from '../context';
import { LOCKS, withLock } from '../locks';
import { discover, type OidcProvider } from './discovery';
import { forgetFlights } from './flights';
import { updateAuthState } from './state';

/** How long sign-out waits for the provider's logout page before it gives up on it. */
const END_SESSION_TIMEOUT_MS = 10_000;

/** Best effort: a refresh token the provider still accepts after this is its problem, not a reason to stay signed in. */
export async function revokeRefreshToken(ctx: Context, provider: OidcProvider, tokens: TokenSet): Promise<void> {
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

async function endProviderSession(ctx: Context, provider: OidcProvider, tokens: TokenSet): Promise<void> {
  const url = endSessionUrl(provider, tokens, ctx.identity.getRedirectURL());
  if (!url) return;
  const flow = ctx.identity.launchWebAuthFlow({ url: url.href, interactive: false }).catch(() => undefined);
  await Promise.race([flow, new Promise((resolve) => setTimeout(resolve, END_SESSION_TIMEOUT_MS))]);
}

/** Removes this sign-in from storage.session and its alarm; answers the tokens it held. */
export function clearSession(ctx: Context): Promise<TokenSet | undefined> {
  return withLock(LOCKS.credentials, () =>
    withLock(LOCKS.tokens, async () => {
      const tokens = await ctx.items.authTokens.get();
      await ctx.items.authTokens.remove();
      await ctx.items.awsCredentials.remove();
      await forgetFlights(ctx);
      await ctx.alarms.clear(ALARMS.renew);
      return tokens;
    }),
  );
}

export async function signOut(ctx: Context, options: { endProviderSession?: boolean } = {}): Promise<void> {
  const tokens = await clearSession(ctx);
  await updateAuthState(ctx, { status: 'signedOut', error: undefined, profile: undefined });
  const settings = await ctx.items.settings.get();
  if (!tokens || !settings) return;
  let provider: OidcProvider;
  try {
    provider = await discover(ctx, settings);
  } catch {
    return;
  }
  // Tokens of another provider (settings changed under them) are not sent to this one.
  if (provider.as.issuer !== tokens.issuer || settings.clientId !== tokens.clientId) return;
  await revokeRefreshToken(ctx, provider, tokens);
  if (options.endProviderSession !== false) await endProviderSession(ctx, provider, tokens);
}
