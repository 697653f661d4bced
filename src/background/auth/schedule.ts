// When to renew: ahead of expiry, by five minutes or a quarter of the lifetime, whichever is shorter
// (a quarter only matters for lifetimes under 20 minutes, such as the local stack's test settings).
import { ALARMS } from '../platform/alarms';
import type { Context } from '../platform/context';
import { credentialsMatch } from './machine';

export const RENEW_MARGIN_MS = 5 * 60 * 1000;
/** After a renewal failed for a reason that may pass (network, throttling), try again this much later. */
export const RETRY_AFTER_MS = 60 * 1000;
/**
 * After the pool refused a renewal for its configuration (a role it may no longer assume, a pool or identity it
 * no longer has), this much later: asking each minute gets the same answer, and someone may fix the pool meanwhile.
 */
export const RETRY_AFTER_REFUSAL_MS = 15 * 60 * 1000;

export function renewAt(obtainedAt: number, expiresAt: number): number {
  return expiresAt - Math.min(RENEW_MARGIN_MS, Math.max(0, expiresAt - obtainedAt) / 4);
}

export function isDue(ctx: Context, obtainedAt: number, expiresAt: number): boolean {
  return ctx.now() >= renewAt(obtainedAt, expiresAt);
}

/** Sets the renewal alarm for whichever comes first, the ID token's or the credentials' renewal. */
export async function scheduleRenewal(ctx: Context): Promise<void> {
  const [settings, tokens, creds] = await Promise.all([ctx.items.settings.get(), ctx.items.authTokens.get(), ctx.items.awsCredentials.get()]);
  if (!settings || !tokens) {
    await ctx.alarms.clear(ALARMS.renew);
    return;
  }
  let when = renewAt(tokens.idTokenIssuedAt, tokens.idTokenExpiresAt);
  if (credentialsMatch(creds, settings, tokens)) when = Math.min(when, renewAt(creds.obtainedAt, creds.expiresAt));
  await ctx.alarms.create(ALARMS.renew, { when: Math.max(when, ctx.now() + 1000) });
}

export async function retryRenewalLater(ctx: Context, after = RETRY_AFTER_MS): Promise<void> {
  await ctx.alarms.create(ALARMS.renew, { when: ctx.now() + after });
}
