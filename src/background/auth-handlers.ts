// Messages about the sign-in: its state, sign in (or start it again), sign out. Pages observe changes through
// storage.onChanged (the `authState` item in storage.session) and ask `getAuthState` again.
import type { AuthState } from '../shared/auth-state';
import { restartSignIn, signIn } from './auth/sign-in';
import { signOut } from './auth/sign-out';
import { readAuthState } from './auth/state';
import type { Context } from './context';

export function authHandlers(ctx: Context) {
  return {
    async getAuthState(): Promise<AuthState> {
      return readAuthState(ctx);
    },
    async signIn(): Promise<AuthState> {
      return signIn(ctx);
    },
    /** "Start again": a new attempt, whatever runs; the one it replaces can no longer write anything. */
    async restartSignIn(): Promise<AuthState> {
      return restartSignIn(ctx);
    },
    async signOut(): Promise<void> {
      await signOut(ctx);
    },
  };
}
