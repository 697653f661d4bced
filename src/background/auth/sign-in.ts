// Interactive sign-in, run in the worker (the auth window would close a popup mid-flow), followed
// by the AWS credentials of the identity pool.
import { AppError, serializeError } from '../../shared/errors';
import type { AuthState } from '../../shared/auth-state';
import type { Context } from '../context';
import { currentCredentials } from '../credentials/provider';
import { runningSignIn, startSignIn } from './attempt';
import { discover, requireSettings } from './discovery';
import { authorize } from './pkce-flow';
import { scheduleRenewal } from './schedule';
import { replaceTokens } from './session';
import { revokeRefreshToken, signOut } from './sign-out';
import { readAuthState, updateAuthState } from './state';

/** Failures that signing in again cannot fix: the pool must be configured first. */
function isConfigurationError(error: unknown): boolean {
  return error instanceof AppError && (error.code === 'CREDENTIALS_CONFIG' || error.code === 'CREDENTIALS_DENIED');
}

/**
 * Where a failed attempt leaves the person: back to 'needsSignIn' when renewal needed them before, also
 * when the attempt replaced another one started from there ('signingIn' with a kept profile).
 */
function fallbackStatus(before: AuthState): 'needsSignIn' | 'signedOut' {
  const renewal = before.status === 'needsSignIn' || (before.status === 'signingIn' && before.profile !== undefined);
  return renewal ? 'needsSignIn' : 'signedOut';
}

/**
 * An attempt replaced by "Start again" (restartSignIn) writes nothing: no tokens, no state, no
 * credentials, no alarm. Its tokens are dropped, and deliberately NOT revoked: the newer attempt runs in
 * the same browser, against the same provider session (cookie), so it will most likely sign in the same
 * person and continue the very same grant (oidc-provider reuses the session's grant for the client; Auth0
 * likewise), and with "Refresh Token Revocation Deletes Grant" revoking this token would end that grant,
 * the newer attempt's tokens included. Whom the newer attempt will sign in is unknown until it ends, so
 * no superseded token can be shown to belong to another grant. An unused refresh token is harmless: it is
 * in no storage and expires with the provider's inactivity lifetime.
 */
function superseded(ctx: Context): Promise<AuthState> {
  return readAuthState(ctx);
}

async function run(ctx: Context, isCurrent: () => boolean): Promise<AuthState> {
  const settings = await requireSettings(ctx);
  const before = await readAuthState(ctx);
  await updateAuthState(ctx, { status: 'signingIn', error: undefined });
  try {
    const provider = await discover(ctx, settings);
    const tokens = await authorize(ctx, provider, true);
    // Replaced while its window was open: the newer attempt decides what is stored.
    if (!isCurrent()) return await superseded(ctx);
    const replaced = await replaceTokens(ctx, tokens, isCurrent);
    if (!replaced.stored) return await superseded(ctx);
    const previous = replaced.previous;
    // Another person's refresh token is revoked. The same person's is only dropped: their new sign-in
    // continues the same grant, and revoking one of its tokens ends it all, the new one included.
    if (previous?.refreshToken && previous.profile.sub !== tokens.profile.sub) await revokeRefreshToken(ctx, provider, previous);
    if (!isCurrent()) return await superseded(ctx);
    await updateAuthState(ctx, { status: 'signedIn', error: undefined });
  } catch (error) {
    // Back to where we were: still signed in (another attempt failed), or signed out, or needing sign-in.
    // An attempt the person replaced with "Start again" leaves the state to the newer one, and its caller
    // gets that state rather than an error about a window nobody looks at any more.
    if (!isCurrent()) return superseded(ctx);
    // The browser keeps the window already open (Chrome allows one at a time): still signing in there.
    if (error instanceof AppError && error.code === 'AUTH_WINDOW_OPEN') {
      await updateAuthState(ctx, { error: serializeError(error) });
      throw error;
    }
    await updateAuthState(ctx, { status: fallbackStatus(before), error: serializeError(error) });
    throw error;
  }
  if (!isCurrent()) return superseded(ctx);
  try {
    await currentCredentials(ctx);
  } catch (error) {
    if (!isCurrent()) return superseded(ctx);
    if (isConfigurationError(error)) {
      // Nothing would work with this sign-in; don't keep tokens the pool refuses.
      await signOut(ctx, { endProviderSession: false });
      await updateAuthState(ctx, { error: serializeError(error) });
      throw error;
    }
    // A network failure or throttling: signed in all the same; renewal tries again.
  }
  if (!isCurrent()) return superseded(ctx);
  await scheduleRenewal(ctx);
  return readAuthState(ctx);
}

/**
 * Signs in with a window. Several pages asking at once share this worker's running attempt; one too old
 * to complete (see SIGN_IN_WINDOW_MS), or lost with a stopped worker, is replaced by a fresh attempt
 * with a new state, nonce and code verifier.
 */
export function signIn(ctx: Context): Promise<AuthState> {
  return runningSignIn(ctx)?.done ?? restartSignIn(ctx);
}

/**
 * "Start again": always a new attempt (new state, nonce and code verifier), whatever runs. The attempt it
 * replaces may still get an answer from its window (hidden, or closed behind the popup's back); that
 * answer is dropped and writes nothing (see `superseded`).
 */
export function restartSignIn(ctx: Context): Promise<AuthState> {
  return startSignIn(ctx, (isCurrent) => run(ctx, isCurrent));
}
