// The interactive sign-in this worker is running. Kept in memory on purpose: an attempt is alive exactly
// as long as its promise, and a stopped worker takes both along, so "signing in" cannot outlive it. Only
// de-duplication and that one fact live here, in the worker's context (platform/context.ts); everything a
// restarted worker needs is in storage.
import type { AuthState } from '../../shared/auth-state';
import { AppError } from '../../shared/errors';
import type { Context, SignInAttempt } from '../platform/context';

/**
 * How long a sign-in window can still deliver its answer. Chrome stops a service worker whose extension
 * API call (here `identity.launchWebAuthFlow`) has run for 5 minutes, and with it the promise the window
 * answers to (https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/lifecycle).
 * After that the person is better served by "Start again" than by a spinner.
 */
export const SIGN_IN_WINDOW_MS = 5 * 60 * 1000;

/** Raised by the write of an attempt a newer one replaced: the attempt ends there and writes nothing. */
export class AttemptSuperseded extends Error {
  override readonly name = 'AttemptSuperseded';
}

/** Runs one of an attempt's writes (state, tokens, alarms) only while the attempt is current. */
export type AttemptWrite = <T>(task: () => Promise<T>) => Promise<T>;

/** Every write goes through this gate, so "a superseded attempt writes nothing" is checked in one place. */
export function attemptWrites(isCurrent: () => boolean): AttemptWrite {
  return (task) => (isCurrent() ? task() : Promise.reject(new AttemptSuperseded()));
}

/** An outcome from no person (the silent sign-in at browser start): nothing can replace it. */
export const unguarded: AttemptWrite = (task) => task();

/** This worker's sign-in attempt while it can still complete; undefined otherwise. */
export function runningSignIn(ctx: Context): SignInAttempt | undefined {
  const attempt = ctx.signIn.current;
  return attempt && ctx.now() - attempt.startedAt < SIGN_IN_WINDOW_MS ? attempt : undefined;
}

/**
 * Runs `run` as this worker's current attempt, replacing any older one. `isCurrent` answers false once a
 * newer attempt has replaced it: a superseded attempt must not write over the newer one's state.
 */
export function startSignIn(ctx: Context, run: (isCurrent: () => boolean) => Promise<AuthState>): Promise<AuthState> {
  const slot = ctx.signIn;
  const previous = runningSignIn(ctx);
  let self: SignInAttempt | undefined;
  const isCurrent = (): boolean => self !== undefined && slot.current === self;
  // Deferred by a microtask so the attempt is registered before `run` derives the state from it.
  const done = Promise.resolve()
    .then(() => run(isCurrent))
    .catch((error: unknown) => {
      // The browser refused a second window (Chrome allows one at a time): the window already open is
      // still the attempt that counts, so it becomes current again and its answer is kept.
      if (error instanceof AppError && error.code === 'AUTH_WINDOW_OPEN' && previous && !previous.settled && isCurrent()) {
        slot.current = previous;
      }
      throw error;
    })
    .finally(() => {
      if (self) self.settled = true;
      if (isCurrent()) slot.current = undefined;
    });
  self = { startedAt: ctx.now(), done, settled: false };
  slot.current = self;
  return done;
}
