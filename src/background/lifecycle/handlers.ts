// Messages about the sign-in: its state, sign in (or start it again), sign out. Pages observe changes through
// storage.onChanged (the `authState` item in storage.session) and ask `getAuthState` again.
import type { AuthState } from '../../shared/auth-state';
import type { LeftBehind } from '../../shared/dataset';
import { readAuthState } from '../auth/records';
import type { Context } from '../platform/context';
import { handler, noArgs } from '../platform/protocol';
import { restartSignIn, signIn } from './sign-in';
import { leftBehind, removeLeftBehind } from '../sync/left-behind';
import { signOut } from './sign-out';

/** `signedIn`: called once per attempt that ends signed in (the worker syncs then). */
export function authHandlers(ctx: Context, signedIn?: () => void) {
  // Several pages asking at once share one attempt, and so one follow-up.
  const followed = new WeakSet<Promise<AuthState>>();
  const follow = (attempt: Promise<AuthState>): Promise<AuthState> => {
    if (signedIn && !followed.has(attempt)) {
      followed.add(attempt);
      attempt.then(
        (state) => state.status === 'signedIn' && signedIn(),
        () => undefined,
      );
    }
    return attempt;
  };
  return {
    getAuthState: handler(noArgs, async (): Promise<AuthState> => readAuthState(ctx)),
    signIn: handler(noArgs, async (): Promise<AuthState> => follow(signIn(ctx))),
    /** "Start again": a new attempt, whatever runs; the one it replaces can no longer write anything. */
    restartSignIn: handler(noArgs, async (): Promise<AuthState> => follow(restartSignIn(ctx))),
    signOut: handler(noArgs, async (): Promise<void> => signOut(ctx, 'person')),
    /** The datasets the person who signed out last left here, while nobody has signed in since. */
    getLeftBehind: handler(noArgs, async (): Promise<LeftBehind | undefined> => leftBehind(ctx)),
    /** Removes them from this browser; refused while one of their edits waits to sync. */
    removeLeftBehind: handler(noArgs, async (): Promise<LeftBehind> => removeLeftBehind(ctx)),
  };
}
