// Messages about the sign-in: its state, sign in, sign out. Pages observe changes through
// storage.onChanged (the `authState` item in storage.session) and ask `getAuthState` again.
import type { AuthState } from '../shared/auth-state';
import { signIn } from './auth/sign-in';
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
    async signOut(): Promise<void> {
      await signOut(ctx);
    },
  };
}
