// Renews tokens with the refresh token. With rotation the old one is spent the moment the provider
// answers, so the new one is stored before anything else can fail (docs/worker.md, "Facts the worker relies on").
import * as oauth from 'oauth4webapi';
import type { TokenSet } from '../../shared/auth-records';
import type { Context } from '../platform/context';
import { tokenError } from './auth-errors';
import type { OidcProvider } from './discovery';
import { verifyIdToken } from './id-token';
import { storeTokens } from './records';

/** Call with the tokens lock held. Answers the tokens as stored afterwards. */
export async function refreshTokens(ctx: Context, provider: OidcProvider, tokens: TokenSet, refreshToken: string): Promise<TokenSet> {
  const { as, client, http } = provider;
  let result: oauth.TokenEndpointResponse;
  try {
    const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, http);
    result = await oauth.processRefreshTokenResponse(as, client, response);
  } catch (error) {
    throw tokenError(error, as.token_endpoint, ctx.identity.getRedirectURL(), { issuer: as.issuer, clientId: client.client_id });
  }
  // The access token is not kept: nothing here calls an API with it.
  const rotated: TokenSet = { ...tokens, refreshToken: result.refresh_token ?? refreshToken };
  await storeTokens(ctx, rotated);
  // A provider may answer a refresh without an ID token; the caller then renews silently.
  if (!result.id_token) return rotated;
  // A refreshed ID token carries the nonce of the original sign-in, if any; never a fresh one.
  const verified = await verifyIdToken(ctx, provider, result.id_token, { nonce: tokens.nonce, nonceOptional: true, sub: tokens.profile.sub });
  const renewed: TokenSet = {
    ...rotated,
    profile: verified.profile,
    idToken: result.id_token,
    idTokenIssuedAt: verified.issuedAt,
    idTokenExpiresAt: verified.expiresAt,
  };
  await storeTokens(ctx, renewed);
  return renewed;
}
