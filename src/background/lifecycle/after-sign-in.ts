// What follows every sign-in, the person's or the silent one at browser start, once its tokens are stored
// and the state says so: the AWS credentials, or the reason nothing will work with this sign-in; then
// the renewal alarm. The one place this step exists.
import { isSignInRefusal, serializeError } from '../../shared/errors';
import type { AuthState } from '../../shared/auth-state';
import { unguarded, type AttemptWrite } from '../auth/attempt';
import { readAuthState } from '../auth/records';
import { retryRenewalLater, scheduleRenewal } from '../auth/schedule';
import { currentCredentials } from '../credentials';
import type { Context } from '../platform/context';
import { endSignIn } from './sign-out';

/**
 * `origin` 'person': a refusal is thrown, for the page that asked, and shown. 'background': the person will
 * see why when they sign in themselves. `write`: the person's attempt's gate (auth/attempt.ts), which
 * refuses once a newer attempt replaced this one (lifecycle/sign-in.ts).
 */
export async function afterSignIn(ctx: Context, origin: 'person' | 'background', write: AttemptWrite = unguarded): Promise<AuthState> {
  let obtained = true;
  try {
    await write(() => currentCredentials(ctx));
  } catch (error) {
    if (isSignInRefusal(error)) {
      // Nothing would work with this sign-in; don't keep tokens the pool refuses.
      await write(() => endSignIn(ctx, { type: 'credentialsRefused', error: serializeError(error), origin }));
      if (origin === 'person') throw error;
      return readAuthState(ctx);
    }
    // A network failure or throttling: signed in all the same. (Replaced: the gate refuses the next write
    // too, and the attempt ends there.)
    obtained = false;
  }
  // Without credentials, renewal tries again in a minute, as the state's error says, rather than when the ID
  // token is next due (most of an hour away, with no credentials to go on meanwhile).
  await write(() => (obtained ? scheduleRenewal(ctx) : retryRenewalLater(ctx)));
  return readAuthState(ctx);
}
