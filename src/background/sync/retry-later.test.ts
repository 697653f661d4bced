import { describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '../../shared/errors';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { storageItems } from '../../shared/storage';
import { createMemoryArea } from '../../shared/storage-item';
import { ALARMS } from '../platform/alarms';
import { afterSync } from './retry-later';

const MINUTE = 60_000;
const settings = { ...DEFAULT_SETTINGS, syncIntervalMinutes: 15 };

function setup() {
  let now = 1_000_000;
  const alarms = new Map<string, number>();
  const ctx = {
    items: storageItems({ local: createMemoryArea(), session: createMemoryArea() }),
    alarms: {
      create: (name: string, info: { when: number }) => void alarms.set(name, info.when),
      clear: async (name: string) => alarms.delete(name),
    },
    now: () => now,
  };
  const failed = (code: ErrorCode) => new AppError(code, 'failed');
  /** Minutes from now to the retry alarm; undefined when none is set. */
  const retryIn = (): number | undefined => {
    const when = alarms.get(ALARMS.syncRetry);
    return when === undefined ? undefined : (when - now) / MINUTE;
  };
  /** Moves the clock to the retry alarm and lets it fire (it is gone once fired). */
  const fire = (): void => {
    now = alarms.get(ALARMS.syncRetry) ?? now;
    alarms.delete(ALARMS.syncRetry);
  };
  const later = (ms: number): void => {
    now += ms;
  };
  return { ctx, failed, retryIn, fire, later };
}

describe('another try after a failed sync', () => {
  it('tries again 1 minute after a failure that passes, then after 2, 4 and 8, and leaves the rest to the periodic sync', async () => {
    const { ctx, failed, retryIn, fire } = setup();
    const waits: Array<number | undefined> = [];
    for (let i = 0; i < 5; i++) {
      await afterSync(ctx, settings, failed('NETWORK'));
      waits.push(retryIn());
      fire();
    }
    // 16 minutes would come after the periodic sync (every 15).
    expect(waits).toEqual([1, 2, 4, 8, undefined]);
    // Said, so that the popup names the periodic sync as the next try rather than a try that is late.
    expect(await ctx.items.syncRetry.get()).toMatchObject({ minutes: 8, over: true });
    await afterSync(ctx, settings, failed('NETWORK'));
    expect(retryIn()).toBeUndefined();
    expect(await ctx.items.syncRetry.get()).toMatchObject({ minutes: 8, over: true });
  });

  it('sets one try for the failures of one run (several datasets), not one doubled wait per dataset', async () => {
    const { ctx, failed, retryIn, later } = setup();
    await afterSync(ctx, settings, failed('SERVICE_DOWN'));
    later(1000);
    await afterSync(ctx, settings, failed('THROTTLED'));
    await afterSync(ctx, settings, failed('SYNC_CONFLICT'));
    expect(retryIn()).toBeCloseTo(1 - 1000 / MINUTE);
  });

  it('starts counting again after a sync that went through', async () => {
    const { ctx, failed, retryIn, fire } = setup();
    await afterSync(ctx, settings, failed('NETWORK'));
    fire();
    await afterSync(ctx, settings, failed('NETWORK'));
    expect(retryIn()).toBe(2);
    fire();
    await afterSync(ctx, settings, undefined);
    expect(await ctx.items.syncRetry.get()).toBeUndefined();
    await afterSync(ctx, settings, failed('AUTH_PROVIDER_DOWN'));
    expect(retryIn()).toBe(1);
  });

  it('sets no try for a failure only a person can end (a sign-in, a setting, a record too large)', async () => {
    const { ctx, failed, retryIn } = setup();
    for (const code of ['AUTH_REQUIRED', 'CREDENTIALS_DENIED', 'NOT_CONFIGURED', 'DATASET_LIMIT', 'INTERNAL'] as const) {
      await afterSync(ctx, settings, failed(code));
    }
    await afterSync(ctx, settings, new Error('not mapped'));
    expect(retryIn()).toBeUndefined();
    expect(await ctx.items.syncRetry.get()).toBeUndefined();
  });

  it('leaves a periodic sync of a minute alone', async () => {
    const { ctx, failed, retryIn } = setup();
    await afterSync(ctx, { ...settings, syncIntervalMinutes: 1 }, failed('NETWORK'));
    expect(retryIn()).toBeUndefined();
  });
});
