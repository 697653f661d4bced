// The renewal alarm: renews the ID token and the credentials ahead of expiry, without the person.
// When only the person can help, the state says 'needsSignIn' (and the badge shows it); no window opens.
import { AppError } from '../../shared/errors';
import type { Context } from '../context';
import { currentCredentials } from '../credentials/provider';
import { retryRenewalLater, scheduleRenewal } from './schedule';
import { validIdToken } from './session';

export async function renewDue(ctx: Context): Promise<void> {
  if (!(await ctx.items.authTokens.get())) {
    await scheduleRenewal(ctx);
    return;
  }
  try {
    await validIdToken(ctx);
    await currentCredentials(ctx);
    await scheduleRenewal(ctx);
  } catch (error) {
    if (error instanceof AppError && error.code === 'AUTH_REQUIRED') return;
    // Network, throttling, a provider hiccup: the error is in the state; try again in a minute.
    await retryRenewalLater(ctx);
  }
}
