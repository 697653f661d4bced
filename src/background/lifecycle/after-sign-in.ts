// What follows every sign-in, the person's or the silent one at browser start, once its tokens are stored
// and the state says so: the AWS credentials, or the reason nothing will work with this sign-in; then
// the renewal alarm. The one place this step exists.
import { isConfigurationError, serializeError } from '../../shared/errors';
import type { AuthState } from '../../shared/auth-state';
import { readAuthState } from '../auth/records';
import { scheduleRenewal } from '../auth/schedule';
import { currentCredentials } from '../credentials';
import type { Context } from '../platform/context';
import { endSignIn } from './sign-out';

/**
 * `origin` 'person': a refusal is thrown, for the page that asked, and shown. 'background': the person will
 * see why when they sign in themselves. `isCurrent` false: a newer attempt replaced this one, which then
 * writes nothing more (lifecycle/sign-in.ts).
 */
export async function afterSignIn(ctx: Context, origin: 'person' | 'background', isCurrent: () => boolean = () => true): Promise<AuthState> {
  try {
    await currentCredentials(ctx);
  } catch (error) {
    if (!isCurrent()) return readAuthState(ctx);
    if (isConfigurationError(error)) {
      // Nothing would work with this sign-in; don't keep tokens the pool refuses.
      await endSignIn(ctx, { type: 'credentialsRefused', error: serializeError(error), origin });
      if (origin === 'person') throw error;
      return readAuthState(ctx);
    }
    // A network failure or throttling: signed in all the same; renewal tries again.
  }
  if (!isCurrent()) return readAuthState(ctx);
  await scheduleRenewal(ctx);
  return readAuthState(ctx);
}
