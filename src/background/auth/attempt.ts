// The interactive sign-in this worker is running. Kept in memory on purpose: an attempt is alive exactly
// as long as its promise, and a stopped worker takes both along, so "signing in" cannot outlive it. Only
// de-duplication and that one fact live here; everything a restarted worker needs is in storage.
import type { AuthState } from '../../shared/auth-state';
import { AppError } from '../../shared/errors';
import type { Context } from '../context';

/**
 * How long a sign-in window can still deliver its answer. Chrome stops a service worker whose extension
 * API call (here `identity.launchWebAuthFlow`) has run for 5 minutes, and with it the promise the window
 * answers to (https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/lifecycle).
 * After that the person is better served by "Start again" than by a spinner.
 */
export const SIGN_IN_WINDOW_MS = 5 * 60 * 1000;

interface Attempt {
  readonly startedAt: number;
  readonly done: Promise<AuthState>;
  settled: boolean;
}

const attempts = new WeakMap<Context, Attempt>();

/** This worker's sign-in attempt while it can still complete; undefined otherwise. */
export function runningSignIn(ctx: Context): Attempt | undefined {
  const attempt = attempts.get(ctx);
  return attempt && ctx.now() - attempt.startedAt < SIGN_IN_WINDOW_MS ? attempt : undefined;
}

/**
 * Runs `run` as this worker's current attempt, replacing any older one. `isCurrent` answers false once a
 * newer attempt has replaced it: a superseded attempt must not write over the newer one's state.
 */
export function startSignIn(ctx: Context, run: (isCurrent: () => boolean) => Promise<AuthState>): Promise<AuthState> {
  const previous = runningSignIn(ctx);
  let self: Attempt | undefined;
  const isCurrent = (): boolean => self !== undefined && attempts.get(ctx) === self;
  // Deferred by a microtask so the attempt is registered before `run` derives the state from it.
  const done = Promise.resolve()
    .then(() => run(isCurrent))
    .catch((error: unknown) => {
      // The browser refused a second window (Chrome allows one at a time): the window already open is
      // still the attempt that counts, so it becomes current again and its answer is kept.
      if (error instanceof AppError && error.code === 'AUTH_WINDOW_OPEN' && previous && !previous.settled && isCurrent()) {
        attempts.set(ctx, previous);
      }
      throw error;
    })
    .finally(() => {
      if (self) self.settled = true;
      if (isCurrent()) attempts.delete(ctx);
    });
  self = { startedAt: ctx.now(), done, settled: false };
  attempts.set(ctx, self);
  return done;
}
