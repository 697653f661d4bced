// The renewal alarm: renews the ID token and the credentials ahead of expiry, without the person.
// When only the person can help, the state says 'needsSignIn' (and the badge shows it); no window opens.
import { AppError, serializeError } from '../../shared/errors';
import { dispatch } from '../auth/records';
import { scheduleRenewal } from '../auth/schedule';
import { validIdToken } from '../auth/tokens';
import { currentCredentials } from '../credentials';
import type { Context } from '../platform/context';
import { withHostAccess } from '../platform/host-access';

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
    // Recorded as 'needsSignIn', with its reason, where it happened.
    if (error instanceof AppError && error.code === 'AUTH_REQUIRED') return;
    // Network, throttling, a provider hiccup: still signed in with what we hold, and the popup says why
    // renewal failed; the machine has it tried again in a minute.
    await dispatch(ctx, { type: 'renewalFailed', error: serializeError(await withHostAccess(ctx, error)) });
    return;
  }
  // Renewed: an error left by an earlier failed round no longer applies.
  if ((await ctx.items.authState.get())?.error) await dispatch(ctx, { type: 'renewed' });
}
