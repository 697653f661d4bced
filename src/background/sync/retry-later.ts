// After a sync that failed for a reason that passes by itself (no connection, a busy or failing service, other
// browsers writing at the same moment), one more by alarm, which survives a stopped worker: 1 minute later, then
// 2, 4, 8 … Once the wait would reach the periodic sync's interval, the periodic sync is the next try. A sync
// that goes through starts the count again. The sync messages for these failures promise this try, and the
// popup says when it is due (`autoRetry` in shared/dataset.ts).
import { PASSING_SYNC_FAILURES } from '../../shared/dataset';
import { AppError } from '../../shared/errors';
import type { Settings } from '../../shared/settings';
import { ALARMS } from '../platform/alarms';
import type { Context } from '../platform/context';

const FIRST_RETRY_MINUTES = 1;

/**
 * Called after each sync with its failure (undefined when it went through). Failures of several datasets in
 * one run set one try: a try not yet due is left as it is.
 */
export async function afterSync(ctx: Pick<Context, 'alarms' | 'items' | 'now'>, settings: Settings, failure: unknown): Promise<void> {
  if (failure === undefined) {
    await ctx.items.syncRetry.remove();
    return;
  }
  if (!(failure instanceof AppError) || !PASSING_SYNC_FAILURES.has(failure.code)) return;
  const last = await ctx.items.syncRetry.get();
  if (last && last.at > ctx.now()) return;
  const minutes = last ? last.minutes * 2 : FIRST_RETRY_MINUTES;
  if (minutes >= settings.syncIntervalMinutes) {
    // Said, so that the popup tells a try that is late from tries that are over.
    if (last && !last.over) await ctx.items.syncRetry.set({ ...last, over: true });
    return;
  }
  const at = ctx.now() + minutes * 60_000;
  await ctx.items.syncRetry.set({ minutes, at });
  await ctx.alarms.create(ALARMS.syncRetry, { when: at });
}
