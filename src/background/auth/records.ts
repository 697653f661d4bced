// The one writer of the session's records in storage.session: tokens, AWS credentials, the requests
// waiting for their redirect, and the public sign-in state (`authState`, what pages show, never a token).
// State changes go through `dispatch`, which asks the machine (machine.ts) and runs its effects; every
// lock comes from the worker's context.
import type { CredentialsRecord, SignInFlight, SignInFlights, TokenSet } from '../../shared/auth-records';
import type { AuthState } from '../../shared/auth-state';
import { issuerFromDomain, loginsKey } from '../../shared/settings';
import { ALARMS } from '../platform/alarms';
import type { Context } from '../platform/context';
import { LOCKS } from '../platform/locks';
import { runningSignIn, SIGN_IN_WINDOW_MS } from './attempt';
import { rememberedIdentityId } from './identity-ids';
import { present, transition, type Effect, type Facts, type SessionEvent } from './machine';
import { RETRY_AFTER_REFUSAL_MS, retryRenewalLater, scheduleRenewal } from './schedule';

/**
 * A request older than this is dropped when the next one is filed: the provider no longer honours it
 * (oidc-provider's interaction lifetime is an hour) and no worker still waits for its answer.
 */
export const FLIGHT_MAX_AGE_MS = 60 * 60 * 1000;

// --- Tokens and credentials -------------------------------------------------------------------------

/** Call with the tokens lock held (auth/tokens.ts, lifecycle/): a refresh token must never be used twice. */
export function storeTokens(ctx: Context, tokens: TokenSet): Promise<void> {
  return ctx.items.authTokens.set(tokens);
}

/** Call with the credentials lock held (credentials/provider.ts). */
export function storeCredentials(ctx: Context, credentials: CredentialsRecord): Promise<void> {
  return ctx.items.awsCredentials.set(credentials);
}

// --- Authorization requests waiting for their redirect ----------------------------------------------
// One per `state`: an interactive sign-in and a silent renewal can be under way at the same time, and
// each redirect is matched to its own request. The worker may stop while a window is open, so none of
// this lives in memory.

function withFlights<T>(ctx: Context, task: () => Promise<T>): Promise<T> {
  return ctx.locks.request(LOCKS.store(ctx.items.authFlights.key), task);
}

function current(ctx: Context, flights: SignInFlights | undefined): SignInFlights {
  const now = ctx.now();
  return Object.fromEntries(Object.entries(flights ?? {}).filter(([, flight]) => now - flight.startedAt < FLIGHT_MAX_AGE_MS));
}

export function addFlight(ctx: Context, flight: SignInFlight): Promise<void> {
  return withFlights(ctx, async () => {
    const flights = current(ctx, await ctx.items.authFlights.get());
    flights[flight.state] = flight;
    await ctx.items.authFlights.set(flights);
  });
}

/** The request a redirect's `state` names, if it is still waiting (sign-out forgets them all). */
export async function findFlight(ctx: Context, state: string | null): Promise<SignInFlight | undefined> {
  if (state === null) return undefined;
  return current(ctx, await ctx.items.authFlights.get())[state];
}

/** Every request still waiting for its redirect, whichever worker filed it. */
export async function waitingFlights(ctx: Context): Promise<SignInFlight[]> {
  return Object.values(current(ctx, await ctx.items.authFlights.get()));
}

export function dropFlight(ctx: Context, state: string): Promise<void> {
  return withFlights(ctx, async () => {
    const flights = current(ctx, await ctx.items.authFlights.get());
    delete flights[state];
    if (Object.keys(flights).length === 0) await ctx.items.authFlights.remove();
    else await ctx.items.authFlights.set(flights);
  });
}

// --- The public state -------------------------------------------------------------------------------

async function facts(ctx: Context): Promise<Facts> {
  const [settings, tokens, credentials, flights] = await Promise.all([
    ctx.items.settings.get(),
    ctx.items.authTokens.get(),
    ctx.items.awsCredentials.get(),
    ctx.items.authFlights.get(),
  ]);
  const windowOpen = Object.values(current(ctx, flights)).some((flight) => flight.interactive && ctx.now() - flight.startedAt < SIGN_IN_WINDOW_MS);
  const signInAlive = runningSignIn(ctx) !== undefined || windowOpen;
  return { settings, tokens, credentials, signInAlive, rememberedIdentityId: settings ? await rememberedIdentityId(ctx) : undefined };
}

/** What `getAuthState` answers: read-only, no network. */
export async function readAuthState(ctx: Context): Promise<AuthState> {
  return present(await ctx.items.authState.get(), await facts(ctx));
}

/**
 * Whom a sign-out or a sign-in is about: the tokens' person, or else the person the state names (signed out
 * while renewal needed them), with the provider of the tokens or of the settings.
 */
async function person(ctx: Context, before: AuthState): Promise<{ provider: string; sub: string } | undefined> {
  const tokens = await ctx.items.authTokens.get();
  if (tokens) return { provider: loginsKey(tokens.issuer), sub: tokens.profile.sub };
  const settings = await ctx.items.settings.get();
  const issuer = settings && issuerFromDomain(settings.domain);
  if (!issuer || !before.profile) return undefined;
  return { provider: loginsKey(issuer.href), sub: before.profile.sub };
}

/** The sign-out marks in storage.local (machine.ts `mayResume` reads them): one per (provider, person). */
async function markSignOut(ctx: Context, before: AuthState, signedOut: boolean): Promise<void> {
  const who = await person(ctx, before);
  if (!who) return;
  const marks = await ctx.items.signOuts.get();
  // Only the newest sign-out is the last thing that happened here, and none once someone signs in.
  const others = (marks ?? []).filter((mark) => mark.provider !== who.provider || mark.sub !== who.sub).map(({ last: _last, ...mark }) => mark);
  if (signedOut) await ctx.items.signOuts.set([{ ...who, at: ctx.now(), last: true }, ...others]);
  else if (marks && (others.length !== marks.length || marks.some((mark) => mark.last))) await ctx.items.signOuts.set(others);
}

/** Records that change before the state is written: the state shown next is derived from them. */
async function changeRecords(ctx: Context, before: AuthState, effects: readonly Effect[]): Promise<void> {
  // Before the tokens go: they name the person.
  if (effects.includes('rememberSignOut')) await markSignOut(ctx, before, true);
  if (effects.includes('forgetSignOut')) await markSignOut(ctx, before, false);
  if (effects.includes('forgetTokens') || effects.includes('clearSession')) {
    await ctx.items.authTokens.remove();
    await ctx.items.awsCredentials.remove();
  }
  if (effects.includes('clearSession')) {
    await withFlights(ctx, () => ctx.items.authFlights.remove());
    // What was typed in the popup is the signed-out person's: not for whoever uses this browser next.
    await ctx.items.popupDrafts.remove();
  }
}

/** What follows once the state is written. */
async function followUp(ctx: Context, effects: readonly Effect[]): Promise<void> {
  for (const effect of effects) {
    switch (effect) {
      case 'clearRenewalAlarm':
        await ctx.alarms.clear(ALARMS.renew);
        break;
      case 'scheduleRenewal':
        await scheduleRenewal(ctx);
        break;
      case 'retryRenewalLater':
        await retryRenewalLater(ctx);
        break;
      case 'retryRenewalAfterRefusal':
        await retryRenewalLater(ctx, RETRY_AFTER_REFUSAL_MS);
        break;
      case 'clearSyncAlarms':
        await ctx.alarms.clear(ALARMS.syncDebounce);
        await ctx.alarms.clear(ALARMS.syncPeriodic);
        await ctx.alarms.clear(ALARMS.syncRetry);
        await ctx.items.syncRetry.remove();
        break;
      case 'forgetAwsClients':
        ctx.aws.forget();
        break;
      default:
        break; // records (changeRecords) or network (the caller's sequence)
    }
  }
}

export interface Dispatched {
  state: AuthState;
  effects: Effect[];
}

/**
 * Feeds one event to the machine and writes the state it decides, which pages observe through
 * storage.onChanged. Events that forget tokens or credentials are dispatched with the tokens lock held
 * (and the credentials lock before it, for a sign-out): the lock order is credentials, tokens, state.
 * Answers the state written and the effects, so that the caller runs those only it can (network).
 */
export function dispatch(ctx: Context, event: SessionEvent): Promise<Dispatched> {
  return ctx.locks
    .request(LOCKS.authState, async () => {
      const before = await readAuthState(ctx);
      const { state, effects } = transition(before, event);
      // Nothing changes (a superseded attempt): nothing is written either.
      if (state === before && effects.length === 0) return { state: before, effects };
      await changeRecords(ctx, before, effects);
      const shown = present(state, await facts(ctx));
      await ctx.items.authState.set(shown);
      return { state: shown, effects };
    })
    .then(async (result) => {
      await followUp(ctx, result.effects);
      return result;
    });
}
