// Interactive sign-in, run in the worker (the auth window would close a popup mid-flow), followed
// by the AWS credentials of the identity pool.
import { AppError, serializeError } from '../../shared/errors';
import type { AuthState } from '../../shared/auth-state';
import type { Context } from '../context';
import { currentCredentials } from '../credentials/provider';
import { discover, requireSettings } from './discovery';
import { authorize } from './pkce-flow';
import { scheduleRenewal } from './schedule';
import { replaceTokens } from './session';
import { revokeRefreshToken, signOut } from './sign-out';
import { readAuthState, updateAuthState } from './state';

// Concurrent sign-in requests from several pages share one window. Only a de-duplication within
// this worker's lifetime: the state itself lives in storage.
const running = new WeakMap<Context, Promise<AuthState>>();

/** Failures that signing in again cannot fix: the pool must be configured first. */
function isConfigurationError(error: unknown): boolean {
  return error instanceof AppError && (error.code === 'CREDENTIALS_CONFIG' || error.code === 'CREDENTIALS_DENIED');
}

async function run(ctx: Context): Promise<AuthState> {
  const settings = await requireSettings(ctx);
  const before = await readAuthState(ctx);
  await updateAuthState(ctx, { status: 'signingIn', error: undefined });
  try {
    const provider = await discover(ctx, settings);
    const tokens = await authorize(ctx, provider, true);
    const previous = await replaceTokens(ctx, tokens);
    if (previous?.refreshToken && previous.refreshToken !== tokens.refreshToken) await revokeRefreshToken(ctx, provider, previous);
    await updateAuthState(ctx, { status: 'signedIn', error: undefined });
  } catch (error) {
    // Back to where we were: still signed in (another attempt failed), or signed out, or needing sign-in.
    await updateAuthState(ctx, { status: before.status === 'needsSignIn' ? 'needsSignIn' : 'signedOut', error: serializeError(error) });
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

export function signIn(ctx: Context): Promise<AuthState> {
  const pending = running.get(ctx);
  if (pending) return pending;
  const attempt = run(ctx).finally(() => running.delete(ctx));
  running.set(ctx, attempt);
  return attempt;
}
