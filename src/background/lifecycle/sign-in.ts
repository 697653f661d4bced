// Interactive sign-in, run in the worker (the auth window would close a popup mid-flow), followed
// by the AWS credentials of the identity pool.
import { AppError, serializeError } from '../../shared/errors';
import type { AuthState } from '../../shared/auth-state';
import type { Settings } from '../../shared/settings';
import { AttemptSuperseded, attemptWrites, runningSignIn, startSignIn, type AttemptWrite } from '../auth/attempt';
import { discover, requireSettings } from '../auth/discovery';
import { authorize } from '../auth/pkce-flow';
import { dispatch } from '../auth/records';
import { replaceTokens } from '../auth/tokens';
import type { Context } from '../platform/context';
import { afterSignIn } from './after-sign-in';
import { revokeRefreshToken } from './sign-out';
import { withHostAccess } from '../platform/host-access';

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
async function superseded(ctx: Context): Promise<AuthState> {
  return (await dispatch(ctx, { type: 'attemptSuperseded' })).state;
}

/** The window, then the tokens: every write through `write`, so a replaced attempt stops at its next one. */
async function signInWithWindow(ctx: Context, settings: Settings, isCurrent: () => boolean, write: AttemptWrite): Promise<void> {
  try {
    const provider = await discover(ctx, settings);
    // Someone signed out here and nobody has signed in since: the provider's session may still be theirs.
    const login = ((await ctx.items.signOuts.get()) ?? []).some((mark) => mark.last);
    const tokens = await authorize(ctx, provider, true, { login, isCurrent });
    // The gate again under the tokens lock: a "Start again" may replace the attempt while it waits for it.
    const replaced = await write(() => replaceTokens(ctx, tokens, isCurrent));
    if (!replaced.stored) throw new AttemptSuperseded();
    const previous = replaced.previous;
    // Another person's refresh token is revoked, whatever happens next: it left storage with the write
    // above. The same person's is only dropped: their new sign-in continues the same grant, and revoking
    // one of its tokens ends it all, the new one included.
    if (previous?.refreshToken && previous.profile.sub !== tokens.profile.sub) await revokeRefreshToken(provider, previous);
    await write(() => dispatch(ctx, { type: 'signInSucceeded' }));
  } catch (error) {
    if (error instanceof AttemptSuperseded) throw error;
    // The browser keeps the window already open (Chrome allows one at a time): still signing in there.
    const busy = error instanceof AppError && error.code === 'AUTH_WINDOW_OPEN';
    const told = await withHostAccess(ctx, error);
    // Refused once replaced: the newer attempt decides, and the failure of a window nobody looks at any
    // more is not the caller's answer either.
    await write(() => dispatch(ctx, { type: busy ? 'signInWindowBusy' : 'signInFailed', error: serializeError(told) }));
    throw told;
  }
}

async function run(ctx: Context, isCurrent: () => boolean): Promise<AuthState> {
  const settings = await requireSettings(ctx);
  await dispatch(ctx, { type: 'signInStarted' });
  const write = attemptWrites(isCurrent);
  try {
    await signInWithWindow(ctx, settings, isCurrent, write);
    return await afterSignIn(ctx, 'person', write);
  } catch (error) {
    // Replaced by "Start again": its caller gets the newer attempt's state.
    if (error instanceof AttemptSuperseded) return superseded(ctx);
    throw error;
  }
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
