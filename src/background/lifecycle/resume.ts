// At browser start storage.session is empty, so nobody is signed in, and whatever runs at start (the
// periodic sync) would meet AUTH_REQUIRED. When someone has signed in on this browser before, the
// provider's own session (its cookie, which the auth window shares) may still let them in without a
// window: one silent `prompt=none` request. If it can't, the person stays signed out, with no error.
import type { AuthState } from '../../shared/auth-state';
import type { Settings } from '../../shared/settings';
import { runningSignIn } from '../auth/attempt';
import { discover } from '../auth/discovery';
import { resumableIdentities } from '../auth/identity-ids';
import { authorize } from '../auth/pkce-flow';
import { dispatch, readAuthState, storeTokens } from '../auth/records';
import type { Context } from '../platform/context';
import { LOCKS } from '../platform/locks';
import { afterSignIn } from './after-sign-in';

interface Known {
  /**
   * Who has signed in to this pool through this provider on this browser (storage.local), less those who
   * signed out here since and have not signed in themselves again.
   */
  subjects: Set<string>;
  /** The email of the last of them, when remembered: a `login_hint` for the provider. */
  lastEmail: string | undefined;
}

async function knownPeople(ctx: Context, settings: Settings): Promise<Known> {
  const remembered = await resumableIdentities(ctx, settings);
  return { subjects: new Set(remembered.map((entry) => entry.sub)), lastEmail: remembered[0]?.email };
}

/** Silently signs in again under the tokens lock; false when nobody could be (or need be) signed in. */
function silentSignIn(ctx: Context, settings: Settings, known: Known): Promise<boolean> {
  return ctx.locks.request(LOCKS.tokens, async () => {
    // Someone signed in meanwhile (or the worker merely restarted): nothing to resume.
    if (await ctx.items.authTokens.get()) return false;
    const provider = await discover(ctx, settings);
    // The hint asks the provider to answer for the remembered person where it can; it is only a hint
    // (OIDC Core §3.1.2.1), so the answer's `sub` is still checked below.
    const tokens = await authorize(ctx, provider, false, { loginHint: known.lastEmail });
    // The provider's session may be someone who never chose this extension here: they sign in themselves.
    // Their tokens are dropped, NOT revoked: this silent answer continues the grant of their session at
    // the provider, and revoking its refresh token (Auth0 "Refresh Token Revocation Deletes Grant",
    // oidc-provider) would end their sessions elsewhere. Nothing stored it; it expires unused.
    if (!known.subjects.has(tokens.profile.sub)) return false;
    await storeTokens(ctx, tokens);
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
  const known = await knownPeople(ctx, settings);
  if (known.subjects.size === 0) return readAuthState(ctx);
  try {
    if (!(await silentSignIn(ctx, settings, known))) return await readAuthState(ctx);
  } catch {
    // login_required, consent_required, no network, the provider down: the person signs in when they want.
    return readAuthState(ctx);
  }
  // A background outcome: a sign-in the person started meanwhile keeps saying 'signingIn' until it ends.
  await dispatch(ctx, { type: 'resumed' });
  return afterSignIn(ctx, 'background');
}
