// The tokens of the current sign-in, kept in storage.session and renewed under one lock: a refresh
// token with rotation must never be used twice.
import type { TokenSet } from '../../shared/auth-records';
import { AppError } from '../../shared/errors';
import { t } from '../../shared/i18n';
import type { Context } from '../platform/context';
import { LOCKS } from '../platform/locks';
import { discover, requireSettings, type OidcProvider } from './discovery';
import { authorize } from './pkce-flow';
import { dispatch, storeTokens } from './records';
import { refreshTokens } from './refresh';
import { isDue, scheduleRenewal } from './schedule';

function authRequired(cause?: unknown): AppError {
  return new AppError('AUTH_REQUIRED', t('errorAuthRequired'), { cause });
}

function isAuthRequired(error: unknown): error is AppError {
  return error instanceof AppError && error.code === 'AUTH_REQUIRED';
}

function idTokenDue(ctx: Context, tokens: TokenSet): boolean {
  return isDue(ctx, tokens.idTokenIssuedAt, tokens.idTokenExpiresAt);
}

async function renewSilently(ctx: Context, provider: OidcProvider, tokens: TokenSet): Promise<TokenSet> {
  // The hint names the person whose session to answer for: a provider with several accounts signed in
  // (Microsoft Entra ID, Google) answers a silent request without one with "pick an account", which ends the
  // sign-in. Only a hint (OIDC Core §3.1.2.1): the answer's `sub` is checked below.
  const answer = await authorize(ctx, provider, false, { loginHint: tokens.profile.email });
  // Someone else is signed in at the provider now: that is a new sign-in, not a renewal.
  if (answer.profile.sub !== tokens.profile.sub) throw authRequired('another person is signed in at the provider');
  // A silent answer without a refresh token keeps the one we hold (just rotated, perhaps), with the nonce
  // of its grant: the ID tokens it refreshes carry that one.
  // A new one replaces ours, which is NOT revoked: the same person's silent sign-in continues the same
  // grant, and revoking any of its refresh tokens ends the grant (RFC 7009 §2.1; oidc-provider; Auth0 with
  // "Refresh Token Revocation Deletes Grant"), the new token included.
  const renewed: TokenSet =
    answer.refreshToken === undefined && tokens.refreshToken !== undefined
      ? { ...answer, refreshToken: tokens.refreshToken, nonce: tokens.nonce }
      : answer;
  await storeTokens(ctx, renewed);
  return renewed;
}

async function renew(ctx: Context, tokens: TokenSet): Promise<TokenSet> {
  const settings = await requireSettings(ctx);
  const provider = await discover(ctx, settings);
  if (tokens.issuer !== provider.as.issuer || tokens.clientId !== settings.clientId) throw authRequired('settings changed');
  let current = tokens;
  if (current.refreshToken) {
    try {
      current = await refreshTokens(ctx, provider, current, current.refreshToken);
      if (!idTokenDue(ctx, current)) return current;
    } catch (error) {
      if (!isAuthRequired(error)) throw error;
      // The grant is gone (revoked, reused or expired); the provider's session may still let us in.
      current = { ...current };
      delete current.refreshToken;
      await storeTokens(ctx, current);
    }
  }
  return renewSilently(ctx, provider, current);
}

/**
 * The current tokens with an ID token that is not due for renewal, renewing it first if needed
 * (`force`: because Cognito called it expired). Throws AUTH_REQUIRED when only the person can help.
 */
export function validIdToken(ctx: Context, options: { force?: boolean } = {}): Promise<TokenSet> {
  return ctx.locks.request(LOCKS.tokens, async () => {
    const tokens = await ctx.items.authTokens.get();
    if (!tokens) throw authRequired();
    if (!options.force && !idTokenDue(ctx, tokens)) return tokens;
    try {
      const renewed = await renew(ctx, tokens);
      await scheduleRenewal(ctx);
      return renewed;
    } catch (error) {
      // Tokens and credentials are forgotten, the profile kept: the person must act (the lock is held).
      if (isAuthRequired(error)) await dispatch(ctx, { type: 'renewalNeedsPerson', error: error.toJSON(), profile: tokens.profile });
      throw error;
    }
  });
}

/**
 * Stores the tokens of a new sign-in while `isCurrent` still says so, checked under the tokens lock right
 * before the write (a "Start again" may replace the attempt while it waits for the lock); answers whether
 * they were stored and the tokens they replace, if any.
 */
export function replaceTokens(
  ctx: Context,
  tokens: TokenSet,
  isCurrent: () => boolean = () => true,
): Promise<{ stored: boolean; previous: TokenSet | undefined }> {
  return ctx.locks.request(LOCKS.tokens, async () => {
    const previous = await ctx.items.authTokens.get();
    if (!isCurrent()) return { stored: false, previous };
    await storeTokens(ctx, tokens);
    return { stored: true, previous };
  });
}
