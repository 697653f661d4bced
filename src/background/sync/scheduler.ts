// When a sync happens without a person asking: shortly after edits (a timer, with an alarm as the
// backstop: alarms survive a stopped worker, timers don't) and periodically; worker.ts adds sign-in and browser start.
// Chrome clamps alarms to 30 s in a packed extension: https://developer.chrome.com/docs/extensions/reference/api/alarms
import type { Settings } from '../../shared/settings';
import { ALARMS } from '../platform/alarms';
import type { AlarmsLike } from '../platform/context';

/** The fast path after the last edit of a burst. */
export const DEBOUNCE_MS = 2_000;
/** The backstop, should the worker stop before the timer fires. */
export const DEBOUNCE_ALARM_MS = 10_000;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Returns the function to call after each edit: every call pushes the sync back. The timer handle is
 * the only thing kept in memory; losing it with the worker just leaves the alarm to do the job.
 */
export function createEditDebouncer(alarms: AlarmsLike, now: () => number, run: () => Promise<void>, timers: Timers = realTimers): () => void {
  let handle: unknown;
  return () => {
    void Promise.resolve(alarms.create(ALARMS.syncDebounce, { when: now() + DEBOUNCE_ALARM_MS })).catch(() => undefined);
    if (handle !== undefined) timers.clearTimeout(handle);
    handle = timers.setTimeout(() => {
      handle = undefined;
      void run().catch(() => undefined);
    }, DEBOUNCE_MS);
  };
}

/** `browser.alarms` as the periodic sync uses it. */
export interface PeriodicAlarms {
  create(name: string, info: { periodInMinutes: number }): Promise<void> | void;
  get(name: string): Promise<{ periodInMinutes?: number } | undefined>;
  clear(name: string): Promise<boolean>;
}

/** Keeps the periodic alarm at the interval the settings ask for (none without settings). */
export async function ensurePeriodicSync(alarms: PeriodicAlarms, settings: Settings | undefined): Promise<void> {
  if (!settings) {
    await alarms.clear(ALARMS.syncPeriodic);
    return;
  }
  const existing = await alarms.get(ALARMS.syncPeriodic);
  if (existing?.periodInMinutes === settings.syncIntervalMinutes) return;
  await alarms.create(ALARMS.syncPeriodic, { periodInMinutes: settings.syncIntervalMinutes });
}
