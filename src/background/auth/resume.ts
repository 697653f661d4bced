// At browser start storage.session is empty, so nobody is signed in, and whatever runs at start (the
// periodic sync) would meet AUTH_REQUIRED. When someone has signed in on this browser before, the
// provider's own session (its cookie, which the auth window shares) may still let them in without a
// window: one silent `prompt=none` request. If it can't, the person stays signed out, with no error.
import { AppError } from '../../shared/errors';
import type { AuthState } from '../../shared/auth-state';
import { issuerFromDomain, loginsKey, type Settings } from '../../shared/settings';
import type { Context } from '../context';
import { currentCredentials } from '../credentials/provider';
import { LOCKS, withLock } from '../locks';
import { runningSignIn } from './attempt';
import { discover } from './discovery';
import { authorize } from './pkce-flow';
import { scheduleRenewal } from './schedule';
import { revokeRefreshToken, signOut } from './sign-out';
import { readAuthState, updateAuthState } from './state';

/** Who has signed in to this pool through this provider on this browser (storage.local). */
async function knownSubjects(ctx: Context, settings: Settings): Promise<Set<string>> {
  const issuer = issuerFromDomain(settings.domain);
  if (!issuer) return new Set();
  const provider = loginsKey(issuer.href);
  const remembered = (await ctx.items.identityIds.get()) ?? [];
  return new Set(remembered.filter((entry) => entry.identityPoolId === settings.identityPoolId && entry.provider === provider).map((entry) => entry.sub));
}

/** Silently signs in again under the tokens lock; false when nobody could be (or need be) signed in. */
function silentSignIn(ctx: Context, settings: Settings, known: Set<string>): Promise<boolean> {
  return withLock(LOCKS.tokens, async () => {
    // Someone signed in meanwhile (or the worker merely restarted): nothing to resume.
    if (await ctx.items.authTokens.get()) return false;
    const provider = await discover(ctx, settings);
    const tokens = await authorize(ctx, provider, false);
    // The provider's session may be someone who never chose this extension here: they sign in themselves.
    if (!known.has(tokens.profile.sub)) {
      await revokeRefreshToken(ctx, provider, tokens);
      return false;
    }
    await ctx.items.authTokens.set(tokens);
    return true;
  });
}

/**
 * Call at browser start (`runtime.onStartup`). Signs the last person back in without a window when the
 * provider still has their session; otherwise leaves the state signed out, without an error. Never throws.
 */
export async function resumeSession(ctx: Context): Promise<AuthState> {
  const settings = await ctx.items.settings.get();
  if (!settings || runningSignIn(ctx)) return readAuthState(ctx);
  const known = await knownSubjects(ctx, settings);
  if (known.size === 0) return readAuthState(ctx);
  try {
    if (!(await silentSignIn(ctx, settings, known))) return await readAuthState(ctx);
  } catch {
    // login_required, consent_required, no network, the provider down: the person signs in when they want.
    return readAuthState(ctx);
  }
  await updateAuthState(ctx, { status: 'signedIn', error: undefined });
  try {
    await currentCredentials(ctx);
  } catch (error) {
    // The pool refuses this sign-in: the person will see why when they sign in themselves.
    if (error instanceof AppError && (error.code === 'CREDENTIALS_CONFIG' || error.code === 'CREDENTIALS_DENIED')) {
      await signOut(ctx, { endProviderSession: false });
      return readAuthState(ctx);
    }
    // A network failure or throttling: signed in all the same; renewal tries again.
  }
  await scheduleRenewal(ctx);
  return readAuthState(ctx);
}
