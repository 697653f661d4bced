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

async function run(ctx: Context, isCurrent: () => boolean): Promise<AuthState> {
  const settings = await requireSettings(ctx);
  const before = await readAuthState(ctx);
  await updateAuthState(ctx, { status: 'signingIn', error: undefined });
  try {
    const provider = await discover(ctx, settings);
    const tokens = await authorize(ctx, provider, true);
    const previous = await replaceTokens(ctx, tokens);
    // Another person's refresh token is revoked. The same person's is only dropped: their new sign-in
    // continues the same grant, and revoking one of its tokens ends it all, the new one included.
    if (previous?.refreshToken && previous.profile.sub !== tokens.profile.sub) await revokeRefreshToken(ctx, provider, previous);
    await updateAuthState(ctx, { status: 'signedIn', error: undefined });
  } catch (error) {
    // Back to where we were: still signed in (another attempt failed), or signed out, or needing sign-in.
    // An attempt the person replaced with "Start again" leaves the state to the newer one.
    if (isCurrent()) {
      await updateAuthState(ctx, { status: before.status === 'needsSignIn' ? 'needsSignIn' : 'signedOut', error: serializeError(error) });
    }
    throw error;
  }
  try {
    await currentCredentials(ctx);
  } catch (error) {
    if (isConfigurationError(error)) {
      // Nothing would work with this sign-in; don't keep tokens the pool refuses.
      await signOut(ctx, { endProviderSession: false });
      await updateAuthState(ctx, { error: serializeError(error) });
      throw error;
    }
    // A network failure or throttling: signed in all the same; renewal tries again.
  }
  await scheduleRenewal(ctx);
  return readAuthState(ctx);
}

/**
 * Signs in with a window. Several pages asking at once share this worker's running attempt; one too old
 * to complete (see SIGN_IN_WINDOW_MS), or lost with a stopped worker, is replaced by a fresh attempt
 * with a new state, nonce and code verifier.
 */
export function signIn(ctx: Context): Promise<AuthState> {
  return runningSignIn(ctx)?.done ?? startSignIn(ctx, (isCurrent) => run(ctx, isCurrent));
}
