// The public sign-in state (storage.session `authState`): what pages show, never a token.
// It is derived from the records (settings, tokens, credentials, in-flight request) plus a memo of what
// only transitions know: that a sign-in is under way, that renewal needs the person, and the last error.
import type { CredentialsRecord, TokenSet } from '../../shared/auth-records';
import type { AuthState, AuthStatus, Profile } from '../../shared/auth-state';
import type { SerializedError } from '../../shared/errors';
import { loginsKey, type Settings } from '../../shared/settings';
import type { Context } from '../context';
import { rememberedIdentityId } from '../credentials/identity-ids';
import { LOCKS, withLock } from '../locks';
import { runningSignIn, SIGN_IN_WINDOW_MS } from './attempt';
import { waitingFlights } from './flights';

/** Credentials belong to the current sign-in only when pool, provider and person all match. */
export function credentialsMatch(creds: CredentialsRecord | undefined, settings: Settings, tokens: TokenSet): creds is CredentialsRecord {
  return (
    creds !== undefined &&
    creds.identityPoolId === settings.identityPoolId &&
    creds.provider === loginsKey(tokens.issuer) &&
    creds.sub === tokens.profile.sub
  );
}

type Loose<T> = { [K in keyof T]: T[K] | undefined };

function withoutUndefined(state: Loose<AuthState>): AuthState {
  return Object.fromEntries(Object.entries(state).filter(([, value]) => value !== undefined)) as unknown as AuthState;
}

async function derive(ctx: Context, memo: AuthState | undefined): Promise<AuthState> {
  const settings = await ctx.items.settings.get();
  if (!settings) return { status: 'notConfigured' };
  const [tokens, creds, flights] = await Promise.all([ctx.items.authTokens.get(), ctx.items.awsCredentials.get(), waitingFlights(ctx)]);
  // Signing in lasts as long as something can still finish it: this worker's attempt (discovery, window,
  // token exchange, storing), or, after the worker was stopped, a sign-in window young enough to answer.
  // The memo alone would say "signing in" until the browser closes.
  const windowOpen = flights.some((flight) => flight.interactive && ctx.now() - flight.startedAt < SIGN_IN_WINDOW_MS);
  const signingIn = memo?.status === 'signingIn' && (runningSignIn(ctx) !== undefined || windowOpen);
  // A sign-in started from 'needsSignIn' keeps that person's profile; abandoned, it goes back there.
  const wasRenewal = memo?.status === 'needsSignIn' || (memo?.status === 'signingIn' && memo.profile !== undefined);
  const status: AuthStatus = signingIn ? 'signingIn' : tokens ? 'signedIn' : wasRenewal ? 'needsSignIn' : 'signedOut';
  const profile: Profile | undefined = tokens?.profile ?? (status === 'needsSignIn' || status === 'signingIn' ? memo?.profile : undefined);
  const current = tokens && credentialsMatch(creds, settings, tokens) ? creds : undefined;
  return withoutUndefined({
    status,
    profile,
    identityId: current?.identityId ?? (await rememberedIdentityId(ctx)),
    credentialsExpireAt: current?.expiresAt,
    error: memo?.error,
  });
}

/** What `getAuthState` answers: read-only, no network. */
export async function readAuthState(ctx: Context): Promise<AuthState> {
  return derive(ctx, await ctx.items.authState.get());
}

export interface StatePatch {
  status?: AuthStatus;
  /** `undefined` clears the last error. */
  error?: SerializedError | undefined;
  profile?: Profile | undefined;
}

export interface UpdateOptions {
  /**
   * The transition comes from a background path (renewal, resume at browser start), not from the person:
   * it does not replace a live 'signingIn' (a sign-in window the person may be looking at); only its
   * error and profile are recorded then. The sign-in that ends later sets the status; the profile is kept
   * so that, abandoned, it falls back to 'needsSignIn' for that person.
   */
  background?: boolean;
}

/** Records a transition and writes the derived state, which pages observe through storage.onChanged. */
export function updateAuthState(ctx: Context, patch: StatePatch, options: UpdateOptions = {}): Promise<AuthState> {
  return withLock(LOCKS.authState, async () => {
    const stored = await ctx.items.authState.get();
    const memo: AuthState = { status: 'signedOut', ...stored };
    let applied: StatePatch = patch;
    if (options.background && patch.status !== undefined && (await derive(ctx, stored)).status === 'signingIn') {
      const { status: _ignored, ...rest } = patch;
      applied = rest;
    }
    const next: Loose<AuthState> = { ...memo, ...applied };
    const state = await derive(ctx, withoutUndefined(next));
    await ctx.items.authState.set(state);
    return state;
  });
}
