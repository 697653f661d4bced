// The rules of the sign-in lifecycle, in one pure function: given the state the pages see and what just
// happened, the next state and what must be done about it. No storage, no network, no clock: the
// sequences in lifecycle/ do the I/O, feed the outcome here (records.ts `dispatch`) and run the effects.
import type { CredentialsRecord, SignOutMark, TokenSet } from '../../shared/auth-records';
import type { AuthState, AuthStatus, Profile } from '../../shared/auth-state';
import { SIGN_IN_REFUSAL_CODES, type SerializedError } from '../../shared/errors';
import { loginsKey, type Settings } from '../../shared/settings';

/**
 * What happened. `background` outcomes (renewal, resume at browser start) come from no person: they never
 * replace a live 'signingIn', the sign-in window the person may be looking at; only their reason and
 * profile are recorded then, and the sign-in that ends later sets the status.
 */
export type SessionEvent =
  /** The person asked to sign in (or to start again). */
  | { type: 'signInStarted' }
  /** The tokens of the person's sign-in are stored. */
  | { type: 'signInSucceeded' }
  /** The person's sign-in failed (closed window, provider error...). */
  | { type: 'signInFailed'; error: SerializedError }
  /** The browser keeps the sign-in window already open (one at a time): that one is still the attempt. */
  | { type: 'signInWindowBusy'; error: SerializedError }
  /** A newer attempt ("Start again") replaced this one: it writes nothing. */
  | { type: 'attemptSuperseded' }
  /** Renewal failed for good (background): only the person can help. */
  | { type: 'renewalNeedsPerson'; error: SerializedError; profile: Profile }
  /** Renewal failed for a reason that may pass (background): network, throttling. */
  | { type: 'renewalFailed'; error: SerializedError }
  /** Renewal succeeded (background): an earlier failure no longer applies. */
  | { type: 'renewed' }
  /** AWS credentials were obtained for the current sign-in. */
  | { type: 'credentialsObtained' }
  /** AWS credentials could not be obtained, for a reason that may pass. */
  | { type: 'credentialsFailed'; error: SerializedError }
  /** The identity pool refuses this sign-in: nothing would work with it. `person`: say why. */
  | { type: 'credentialsRefused'; error: SerializedError; origin: 'person' | 'background' }
  /** A silent sign-in at browser start brought the last person back (background). */
  | { type: 'resumed' }
  /**
   * 'person': they signed out, and it lasts: no silent sign-in at browser start brings them back until they
   * sign in themselves. 'settings': the settings changed under the sign-in.
   */
  | { type: 'signedOut'; origin: 'person' | 'settings' }
  /** After a sign-out, the provider's session could not be ended: the person is still signed in at `host`. */
  | { type: 'providerSessionRemains'; host: string }
  /** Host access was granted again (platform/host-access.ts): an error saying it was missing no longer holds. */
  | { type: 'hostAccessBack' };

export type SessionEventType = SessionEvent['type'];

/**
 * What the caller must do once the state is decided. Records first (the state written next is derived
 * from them), then alarms and clients; records.ts runs them.
 */
export type Effect =
  /** Tokens and AWS credentials leave storage.session; the profile stays in the state. */
  | 'forgetTokens'
  /** Tokens, credentials and the requests still waiting for their redirect leave storage.session. */
  | 'clearSession'
  | 'clearRenewalAlarm'
  | 'scheduleRenewal'
  | 'retryRenewalLater'
  /** A renewal the pool refused for its configuration: asked again much later (auth/schedule.ts). */
  | 'retryRenewalAfterRefusal'
  /** The edit and periodic sync alarms: nobody is signed in to sync for. */
  | 'clearSyncAlarms'
  /** AWS clients signed for the previous identity (platform/aws-clients.ts). */
  | 'forgetAwsClients'
  /** Best effort, at the provider: the refresh token is revoked (lifecycle/sign-out.ts). */
  | 'revokeRefreshToken'
  /** Best effort, at the provider: its session (cookie) ends too (lifecycle/sign-out.ts). */
  | 'endProviderSession'
  /** storage.local keeps that this person signed out: browser start does not sign them in silently. */
  | 'rememberSignOut'
  /** The person signed in themselves: browser start may sign them in silently again. */
  | 'forgetSignOut';

/** The part of AuthState the transitions decide; the rest is read from the records (`present`). */
export interface SessionState {
  status: AuthStatus;
  profile?: Profile;
  error?: SerializedError;
  /** Only while signed out: the host of a provider whose session outlived the sign-out. */
  stillSignedInAt?: string;
}

export interface Transition {
  state: SessionState;
  effects: Effect[];
}

/**
 * A sign-in started from 'needsSignIn' keeps that person's profile; abandoned, it goes back there. The one
 * place the "was this a renewal?" rule lives.
 */
export function isRenewal(state: SessionState): boolean {
  return state.status === 'needsSignIn' || (state.status === 'signingIn' && state.profile !== undefined);
}

function withError(state: SessionState, error: SerializedError | undefined): SessionState {
  const { error: _previous, ...rest } = state;
  return error ? { ...rest, error } : rest;
}

/** Nobody's session is running: an outcome of a renewal or of credentials for it comes too late. */
function sessionGone(state: SessionState): boolean {
  return state.status === 'signedOut' || state.status === 'notConfigured';
}

const SIGNED_OUT_EFFECTS: Effect[] = ['clearSession', 'clearRenewalAlarm', 'clearSyncAlarms', 'forgetAwsClients'];

export function transition(state: SessionState, event: SessionEvent): Transition {
  const next = step(state, event);
  // "Still signed in at the provider" is about a sign-out: every other status drops it.
  if (next.state.status === 'signedOut' || next.state.stillSignedInAt === undefined) return next;
  const { stillSignedInAt: _dropped, ...rest } = next.state;
  return { state: rest, effects: next.effects };
}

function step(state: SessionState, event: SessionEvent): Transition {
  const stay: Transition = { state, effects: [] };
  switch (event.type) {
    case 'signInStarted':
      return { state: { ...withError(state, undefined), status: 'signingIn' }, effects: [] };
    case 'signInSucceeded':
      return { state: { ...withError(state, undefined), status: 'signedIn' }, effects: ['forgetAwsClients', 'forgetSignOut'] };
    case 'signInFailed': {
      const renewal = isRenewal(state);
      const next: SessionState = { status: renewal ? 'needsSignIn' : 'signedOut', error: event.error };
      if (renewal && state.profile) next.profile = state.profile;
      return { state: next, effects: [] };
    }
    case 'signInWindowBusy':
      return { state: withError(state, event.error), effects: [] };
    case 'attemptSuperseded':
      return stay;
    case 'renewalNeedsPerson': {
      if (sessionGone(state)) return stay;
      const status = state.status === 'signingIn' ? 'signingIn' : 'needsSignIn';
      return {
        state: { status, profile: event.profile, error: event.error },
        effects: ['forgetTokens', 'clearRenewalAlarm', 'forgetAwsClients'],
      };
    }
    case 'renewalFailed':
      if (sessionGone(state)) return stay;
      return {
        state: withError(state, event.error),
        effects: [SIGN_IN_REFUSAL_CODES.has(event.error.code) ? 'retryRenewalAfterRefusal' : 'retryRenewalLater'],
      };
    case 'renewed':
      if (sessionGone(state)) return stay;
      return { state: withError(state, undefined), effects: [] };
    case 'credentialsObtained':
      return { state: withError(state, undefined), effects: ['scheduleRenewal'] };
    case 'credentialsFailed':
      return { state: withError(state, event.error), effects: [] };
    case 'credentialsRefused':
      return {
        state: event.origin === 'person' ? { status: 'signedOut', error: event.error } : { status: 'signedOut' },
        effects: [...SIGNED_OUT_EFFECTS, 'revokeRefreshToken'],
      };
    case 'resumed':
      if (state.status === 'signingIn') return { state: withError(state, undefined), effects: [] };
      return { state: { ...withError(state, undefined), status: 'signedIn' }, effects: [] };
    case 'signedOut': {
      const effects: Effect[] = [...SIGNED_OUT_EFFECTS, 'revokeRefreshToken', 'endProviderSession'];
      return { state: { status: 'signedOut' }, effects: event.origin === 'person' ? ['rememberSignOut', ...effects] : effects };
    }
    case 'providerSessionRemains':
      // Someone signed in (or began to) since: the notice no longer applies.
      if (state.status !== 'signedOut') return stay;
      return { state: { ...state, stillSignedInAt: event.host }, effects: [] };
    case 'hostAccessBack':
      if (state.error?.code !== 'PERMISSION_DENIED') return stay;
      return { state: withError(state, undefined), effects: [] };
  }
}

/**
 * Whether the silent sign-in at browser start may bring `sub` back: never a person who signed out on this
 * browser and has not signed in themselves since (a shared computer: the next person must not get their session).
 */
export function mayResume(marks: readonly SignOutMark[], provider: string, sub: string): boolean {
  return !marks.some((mark) => mark.provider === provider && mark.sub === sub);
}

/** Credentials belong to the current sign-in only when pool, provider and person all match. */
export function credentialsMatch(creds: CredentialsRecord | undefined, settings: Settings, tokens: TokenSet): creds is CredentialsRecord {
  return (
    creds !== undefined &&
    creds.identityPoolId === settings.identityPoolId &&
    creds.provider === loginsKey(tokens.issuer) &&
    creds.sub === tokens.profile.sub
  );
}

/** What the records say, read at the moment the state is shown. */
export interface Facts {
  settings: Settings | undefined;
  tokens: TokenSet | undefined;
  credentials: CredentialsRecord | undefined;
  /**
   * Something can still finish a sign-in: this worker's attempt, or, after the worker was stopped, a
   * sign-in window young enough to answer. The state alone would say "signing in" until the browser closes.
   */
  signInAlive: boolean;
  /** The identity id of the signed-in person, or of the last one signed in who has not signed out here (auth/identity-ids.ts). */
  rememberedIdentityId: string | undefined;
}

/** The state the pages see: the transitions' state, corrected by what the records hold now. */
export function present(state: SessionState | undefined, facts: Facts): AuthState {
  const { settings, tokens } = facts;
  if (!settings) return { status: 'notConfigured' };
  const memo: SessionState = state ?? { status: 'signedOut' };
  const signingIn = memo.status === 'signingIn' && facts.signInAlive;
  const status: AuthStatus = signingIn ? 'signingIn' : tokens ? 'signedIn' : isRenewal(memo) ? 'needsSignIn' : 'signedOut';
  const shown: AuthState = { status };
  const profile = tokens?.profile ?? (status === 'needsSignIn' || status === 'signingIn' ? memo.profile : undefined);
  if (profile) shown.profile = profile;
  const current = tokens && credentialsMatch(facts.credentials, settings, tokens) ? facts.credentials : undefined;
  const identityId = current?.identityId ?? facts.rememberedIdentityId;
  if (identityId !== undefined) shown.identityId = identityId;
  if (current) shown.credentialsExpireAt = current.expiresAt;
  if (memo.error) shown.error = memo.error;
  if (status === 'signedOut' && memo.stillSignedInAt !== undefined) shown.stillSignedInAt = memo.stillSignedInAt;
  return shown;
}
