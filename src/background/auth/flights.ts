// The authorization requests waiting for their redirect (storage.session `authFlights`), one per `state`:
// an interactive sign-in and a silent renewal can be under way at the same time, and each redirect is
// matched to its own request. The worker may stop while a window is open, so none of this lives in memory.
import type { SignInFlight, SignInFlights } from '../../shared/auth-records';
import type { Context } from '../context';
import { LOCKS, withLock } from '../locks';

/**
 * A request older than this is dropped when the next one is filed: the provider no longer honours it
 * (oidc-provider's interaction lifetime is an hour) and no worker still waits for its answer.
 */
export const FLIGHT_MAX_AGE_MS = 60 * 60 * 1000;

/** Read-modify-write of the one session item, one writer at a time. */
function flightsLock(ctx: Context): string {
  return LOCKS.store(ctx.items.authFlights.key);
}

function current(ctx: Context, flights: SignInFlights | undefined): SignInFlights {
  const now = ctx.now();
  return Object.fromEntries(Object.entries(flights ?? {}).filter(([, flight]) => now - flight.startedAt < FLIGHT_MAX_AGE_MS));
}

export function addFlight(ctx: Context, flight: SignInFlight): Promise<void> {
  return withLock(flightsLock(ctx), async () => {
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

export function dropFlight(ctx: Context, state: string): Promise<void> {
  return withLock(flightsLock(ctx), async () => {
    const flights = current(ctx, await ctx.items.authFlights.get());
    delete flights[state];
    if (Object.keys(flights).length === 0) await ctx.items.authFlights.remove();
    else await ctx.items.authFlights.set(flights);
  });
}

export async function waitingFlights(ctx: Context): Promise<SignInFlight[]> {
  return Object.values(current(ctx, await ctx.items.authFlights.get()));
}

/** Sign-out: an answer still on its way belongs to nobody now. */
export function forgetFlights(ctx: Context): Promise<void> {
  return withLock(flightsLock(ctx), () => ctx.items.authFlights.remove());
}
