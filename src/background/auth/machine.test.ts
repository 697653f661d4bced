// The sign-in lifecycle as a table: every event in every state, with no storage and no network.
import { describe, expect, it } from 'vitest';
import type { AuthStatus, Profile } from '../../shared/auth-state';
import type { SerializedError } from '../../shared/errors';
import { mayResume, transition, type Effect, type SessionEvent, type SessionEventType, type SessionState } from './machine';

const alice: Profile = { sub: 'auth0|alice', name: 'Alice' };
const OLD: SerializedError = { code: 'NETWORK', message: 'an earlier failure' };
const NEW: SerializedError = { code: 'AUTH_CANCELLED', message: 'this event' };

/** Every state the pages can see; each carries an earlier error, so that clearing it shows. */
const STATES = {
  notConfigured: { status: 'notConfigured', error: OLD },
  signedOut: { status: 'signedOut', error: OLD },
  signingIn: { status: 'signingIn', error: OLD },
  /** Signing in from 'needsSignIn': the person's profile is kept. */
  signingInAgain: { status: 'signingIn', profile: alice, error: OLD },
  signedIn: { status: 'signedIn', profile: alice, error: OLD },
  needsSignIn: { status: 'needsSignIn', profile: alice, error: OLD },
} satisfies Record<string, SessionState>;
type StateName = keyof typeof STATES;

const EVENTS = {
  signInStarted: { type: 'signInStarted' },
  signInSucceeded: { type: 'signInSucceeded' },
  signInFailed: { type: 'signInFailed', error: NEW },
  signInWindowBusy: { type: 'signInWindowBusy', error: NEW },
  attemptSuperseded: { type: 'attemptSuperseded' },
  renewalNeedsPerson: { type: 'renewalNeedsPerson', error: NEW, profile: alice },
  renewalFailed: { type: 'renewalFailed', error: NEW },
  renewed: { type: 'renewed' },
  credentialsObtained: { type: 'credentialsObtained' },
  credentialsFailed: { type: 'credentialsFailed', error: NEW },
  credentialsRefusedToPerson: { type: 'credentialsRefused', error: NEW, origin: 'person' },
  credentialsRefusedAtStart: { type: 'credentialsRefused', error: NEW, origin: 'background' },
  resumed: { type: 'resumed' },
  signedOut: { type: 'signedOut', origin: 'person' },
  signedOutBySettings: { type: 'signedOut', origin: 'settings' },
  providerSessionRemains: { type: 'providerSessionRemains', host: 'login.example.com' },
  hostAccessBack: { type: 'hostAccessBack' },
} satisfies Record<string, SessionEvent>;
type EventName = keyof typeof EVENTS;

// Compile-time: the table names every event type of the machine.
type Missing = Exclude<SessionEventType, (typeof EVENTS)[EventName]['type']>;
const everyEventType: [Missing] extends [never] ? true : false = true;

/** The expected outcome: the status, which error remains, whether the profile is there, the effects. */
interface Outcome {
  status: AuthStatus;
  error: 'earlier' | 'event' | 'none';
  profile: boolean;
  effects: Effect[];
}

const o = (status: AuthStatus, error: Outcome['error'], profile: boolean, effects: Effect[] = []): Outcome => ({ status, error, profile, effects });
/** Nothing changes, nothing is done. */
const SAME = (name: StateName): Outcome => {
  const state: SessionState = STATES[name];
  return o(state.status, 'earlier', state.profile !== undefined);
};

const SIGNED_OUT: Effect[] = ['clearSession', 'clearRenewalAlarm', 'clearSyncAlarms', 'forgetAwsClients', 'revokeRefreshToken'];
const FORGET_TOKENS: Effect[] = ['forgetTokens', 'clearRenewalAlarm', 'forgetAwsClients'];

const TABLE: Record<EventName, Record<StateName, Outcome>> = {
  signInStarted: {
    notConfigured: o('signingIn', 'none', false),
    signedOut: o('signingIn', 'none', false),
    signingIn: o('signingIn', 'none', false),
    signingInAgain: o('signingIn', 'none', true),
    signedIn: o('signingIn', 'none', true),
    needsSignIn: o('signingIn', 'none', true),
  },
  signInSucceeded: {
    // Signed in by the person: a sign-out of theirs no longer keeps browser start from resuming them.
    notConfigured: o('signedIn', 'none', false, ['forgetAwsClients', 'forgetSignOut']),
    signedOut: o('signedIn', 'none', false, ['forgetAwsClients', 'forgetSignOut']),
    signingIn: o('signedIn', 'none', false, ['forgetAwsClients', 'forgetSignOut']),
    signingInAgain: o('signedIn', 'none', true, ['forgetAwsClients', 'forgetSignOut']),
    signedIn: o('signedIn', 'none', true, ['forgetAwsClients', 'forgetSignOut']),
    needsSignIn: o('signedIn', 'none', true, ['forgetAwsClients', 'forgetSignOut']),
  },
  // Abandoned, a sign-in started from 'needsSignIn' goes back there, for that person; any other to 'signedOut'.
  signInFailed: {
    notConfigured: o('signedOut', 'event', false),
    signedOut: o('signedOut', 'event', false),
    signingIn: o('signedOut', 'event', false),
    signingInAgain: o('needsSignIn', 'event', true),
    signedIn: o('signedOut', 'event', false),
    needsSignIn: o('needsSignIn', 'event', true),
  },
  // The window already open is still the attempt: only the reason is recorded.
  signInWindowBusy: {
    notConfigured: o('notConfigured', 'event', false),
    signedOut: o('signedOut', 'event', false),
    signingIn: o('signingIn', 'event', false),
    signingInAgain: o('signingIn', 'event', true),
    signedIn: o('signedIn', 'event', true),
    needsSignIn: o('needsSignIn', 'event', true),
  },
  attemptSuperseded: {
    notConfigured: SAME('notConfigured'),
    signedOut: SAME('signedOut'),
    signingIn: SAME('signingIn'),
    signingInAgain: SAME('signingInAgain'),
    signedIn: SAME('signedIn'),
    needsSignIn: SAME('needsSignIn'),
  },
  // A background outcome: a live sign-in keeps saying 'signingIn'; a session already gone stays so.
  renewalNeedsPerson: {
    notConfigured: SAME('notConfigured'),
    signedOut: SAME('signedOut'),
    signingIn: o('signingIn', 'event', true, FORGET_TOKENS),
    signingInAgain: o('signingIn', 'event', true, FORGET_TOKENS),
    signedIn: o('needsSignIn', 'event', true, FORGET_TOKENS),
    needsSignIn: o('needsSignIn', 'event', true, FORGET_TOKENS),
  },
  renewalFailed: {
    notConfigured: SAME('notConfigured'),
    signedOut: SAME('signedOut'),
    signingIn: o('signingIn', 'event', false, ['retryRenewalLater']),
    signingInAgain: o('signingIn', 'event', true, ['retryRenewalLater']),
    signedIn: o('signedIn', 'event', true, ['retryRenewalLater']),
    needsSignIn: o('needsSignIn', 'event', true, ['retryRenewalLater']),
  },
  renewed: {
    notConfigured: SAME('notConfigured'),
    signedOut: SAME('signedOut'),
    signingIn: o('signingIn', 'none', false),
    signingInAgain: o('signingIn', 'none', true),
    signedIn: o('signedIn', 'none', true),
    needsSignIn: o('needsSignIn', 'none', true),
  },
  credentialsObtained: {
    notConfigured: o('notConfigured', 'none', false, ['scheduleRenewal']),
    signedOut: o('signedOut', 'none', false, ['scheduleRenewal']),
    signingIn: o('signingIn', 'none', false, ['scheduleRenewal']),
    signingInAgain: o('signingIn', 'none', true, ['scheduleRenewal']),
    signedIn: o('signedIn', 'none', true, ['scheduleRenewal']),
    needsSignIn: o('needsSignIn', 'none', true, ['scheduleRenewal']),
  },
  credentialsFailed: {
    notConfigured: o('notConfigured', 'event', false),
    signedOut: o('signedOut', 'event', false),
    signingIn: o('signingIn', 'event', false),
    signingInAgain: o('signingIn', 'event', true),
    signedIn: o('signedIn', 'event', true),
    needsSignIn: o('needsSignIn', 'event', true),
  },
  // Nothing would work with this sign-in: signed out, and the person who asked is told why.
  credentialsRefusedToPerson: {
    notConfigured: o('signedOut', 'event', false, SIGNED_OUT),
    signedOut: o('signedOut', 'event', false, SIGNED_OUT),
    signingIn: o('signedOut', 'event', false, SIGNED_OUT),
    signingInAgain: o('signedOut', 'event', false, SIGNED_OUT),
    signedIn: o('signedOut', 'event', false, SIGNED_OUT),
    needsSignIn: o('signedOut', 'event', false, SIGNED_OUT),
  },
  // At browser start nobody asked: signed out quietly; the person learns why when they sign in.
  credentialsRefusedAtStart: {
    notConfigured: o('signedOut', 'none', false, SIGNED_OUT),
    signedOut: o('signedOut', 'none', false, SIGNED_OUT),
    signingIn: o('signedOut', 'none', false, SIGNED_OUT),
    signingInAgain: o('signedOut', 'none', false, SIGNED_OUT),
    signedIn: o('signedOut', 'none', false, SIGNED_OUT),
    needsSignIn: o('signedOut', 'none', false, SIGNED_OUT),
  },
  resumed: {
    notConfigured: o('signedIn', 'none', false),
    signedOut: o('signedIn', 'none', false),
    signingIn: o('signingIn', 'none', false),
    signingInAgain: o('signingIn', 'none', true),
    signedIn: o('signedIn', 'none', true),
    needsSignIn: o('signedIn', 'none', true),
  },
  // The person's sign-out lasts: it is remembered, before the session's records go.
  signedOut: {
    notConfigured: o('signedOut', 'none', false, ['rememberSignOut', ...SIGNED_OUT, 'endProviderSession']),
    signedOut: o('signedOut', 'none', false, ['rememberSignOut', ...SIGNED_OUT, 'endProviderSession']),
    signingIn: o('signedOut', 'none', false, ['rememberSignOut', ...SIGNED_OUT, 'endProviderSession']),
    signingInAgain: o('signedOut', 'none', false, ['rememberSignOut', ...SIGNED_OUT, 'endProviderSession']),
    signedIn: o('signedOut', 'none', false, ['rememberSignOut', ...SIGNED_OUT, 'endProviderSession']),
    needsSignIn: o('signedOut', 'none', false, ['rememberSignOut', ...SIGNED_OUT, 'endProviderSession']),
  },
  // Settings changed under the sign-in: nobody chose to sign out, so browser start may resume them.
  signedOutBySettings: {
    notConfigured: o('signedOut', 'none', false, [...SIGNED_OUT, 'endProviderSession']),
    signedOut: o('signedOut', 'none', false, [...SIGNED_OUT, 'endProviderSession']),
    signingIn: o('signedOut', 'none', false, [...SIGNED_OUT, 'endProviderSession']),
    signingInAgain: o('signedOut', 'none', false, [...SIGNED_OUT, 'endProviderSession']),
    signedIn: o('signedOut', 'none', false, [...SIGNED_OUT, 'endProviderSession']),
    needsSignIn: o('signedOut', 'none', false, [...SIGNED_OUT, 'endProviderSession']),
  },
  // Only a sign-out that still stands gets the notice: a sign-in begun since makes it moot.
  providerSessionRemains: {
    notConfigured: SAME('notConfigured'),
    signedOut: SAME('signedOut'),
    signingIn: SAME('signingIn'),
    signingInAgain: SAME('signingInAgain'),
    signedIn: SAME('signedIn'),
    needsSignIn: SAME('needsSignIn'),
  },
  // Only an error that said host access was missing goes; the states here carry another.
  hostAccessBack: {
    notConfigured: SAME('notConfigured'),
    signedOut: SAME('signedOut'),
    signingIn: SAME('signingIn'),
    signingInAgain: SAME('signingInAgain'),
    signedIn: SAME('signedIn'),
    needsSignIn: SAME('needsSignIn'),
  },
};

const cases = (Object.keys(TABLE) as EventName[]).flatMap((event) =>
  (Object.keys(STATES) as StateName[]).map((state) => ({ event, state, expected: TABLE[event][state] })),
);

describe('the sign-in lifecycle', () => {
  it('has a row for every event and a cell for every state', () => {
    expect(everyEventType).toBe(true);
    expect(cases).toHaveLength(Object.keys(EVENTS).length * Object.keys(STATES).length);
  });

  it.each(cases)('$event in $state', ({ event, state, expected }) => {
    const before: SessionState = STATES[state];
    const { state: after, effects } = transition(before, EVENTS[event]);
    expect(after.status).toBe(expected.status);
    expect(after.error).toEqual({ earlier: OLD, event: NEW, none: undefined }[expected.error]);
    expect(after.profile).toEqual(expected.profile ? alice : undefined);
    expect(effects).toEqual(expected.effects);
  });

  it('says the provider’s session remains only while signed out', () => {
    const noticeAfter = (state: SessionState) => transition(state, EVENTS.providerSessionRemains).state.stillSignedInAt;
    expect(noticeAfter(STATES.signedOut)).toBe('login.example.com');
    for (const name of ['notConfigured', 'signingIn', 'signingInAgain', 'signedIn', 'needsSignIn'] as const) {
      expect(noticeAfter(STATES[name])).toBeUndefined();
    }
  });

  it.each([
    ['signInStarted', undefined],
    ['signInSucceeded', undefined],
    ['resumed', undefined],
    ['signInFailed', undefined],
    ['signedOut', undefined],
    ['signInWindowBusy', 'login.example.com'],
    ['renewalFailed', 'login.example.com'],
    ['credentialsFailed', 'login.example.com'],
    ['providerSessionRemains', 'login.example.com'],
  ] as const)('after %s, the notice of a remaining provider session reads %s', (event, expected) => {
    const noticed: SessionState = { status: 'signedOut', stillSignedInAt: 'login.example.com' };
    expect(transition(noticed, EVENTS[event]).state.stillSignedInAt).toBe(expected);
  });

  it('resumes nobody who signed out here with that provider, and anyone else', () => {
    const marks = [{ provider: 'login.example.com', sub: 'alice', at: 1 }];
    expect(mayResume(marks, 'login.example.com', 'alice')).toBe(false);
    expect(mayResume(marks, 'login.example.com', 'bob')).toBe(true);
    expect(mayResume(marks, 'other.example.com', 'alice')).toBe(true);
    expect(mayResume([], 'login.example.com', 'alice')).toBe(true);
  });

  it('writes nothing for a superseded attempt: the very same state comes back', () => {
    for (const state of Object.values(STATES)) expect(transition(state, EVENTS.attemptSuperseded)).toEqual({ state, effects: [] });
    const state: SessionState = STATES.signedIn;
    expect(transition(state, EVENTS.attemptSuperseded).state).toBe(state);
  });

  it('takes back the error that said host access was missing once it is granted again, whatever the status', () => {
    const denied: SerializedError = { code: 'PERMISSION_DENIED', message: 'no access' };
    for (const state of Object.values(STATES)) {
      const after = transition({ ...state, error: denied }, EVENTS.hostAccessBack);
      expect(after).toEqual({ state: { ...state, error: undefined }, effects: [] });
    }
  });

  it('asks again in a minute after a renewal failure that may pass, later after a refusal that lasts', () => {
    const effectsOf = (code: SerializedError['code']) => transition(STATES.signedIn, { type: 'renewalFailed', error: { code, message: '' } }).effects;
    for (const code of ['NETWORK', 'THROTTLED', 'PERMISSION_DENIED', 'AUTH_PROVIDER_DOWN'] as const)
      expect(effectsOf(code), code).toEqual(['retryRenewalLater']);
    // Cognito not trusting the pool's setup, or not verifying the provider's signature, answers the same each minute.
    for (const code of ['CREDENTIALS_CONFIG', 'AUTH_TOKEN_SIGNATURE'] as const) expect(effectsOf(code), code).toEqual(['retryRenewalAfterRefusal']);
  });
});
