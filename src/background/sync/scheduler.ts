// When a sync happens without a person asking: shortly after edits (a timer, with an alarm as the
// backstop: alarms survive a stopped worker, timers don't) and periodically; worker.ts adds sign-in and browser start.
// Chrome clamps alarms to 30 s in a packed extension: https://developer.chrome.com/docs/extensions/reference/api/alarms
import type { Settings } from '../../shared/settings';
import { ALARMS } from '../platform/alarms';
import type { AlarmsLike } from '../platform/context';

/** The fast path after the last edit of a burst. */
export const DEBOUNCE_MS = 2_000;
/** The longest an edit waits for the timer while edits keep coming: a steady stream still syncs this often. */
export const MAX_WAIT_MS = 5_000;
/** The backstop, should the worker stop before the timer fires: set at a burst's first edit, never pushed back. */
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
 * Returns the function to call after each edit. A sync runs 2 s after the last edit, but no later than 5 s
 * after the first edit it has not synced yet (docs/worker.md, "Syncs nobody asked for"). One sync runs at a
 * time: a timer that fires during one asks for one more when it ends, so a slow server gets no queue of syncs.
 * What is kept in memory (the timer, the burst's start) is lost with the worker; the alarm then does the job.
 */
export function createEditDebouncer(alarms: AlarmsLike, now: () => number, run: () => Promise<void>, timers: Timers = realTimers): () => void {
  let handle: unknown;
  /** When the first edit not yet handed to a sync was made; undefined when there is none. */
  let burstStart: number | undefined;
  let running = false;
  let again = false;

  function start(): void {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void run()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (!again) return;
        again = false;
        start();
      });
  }

  function fire(): void {
    handle = undefined;
    burstStart = undefined;
    start();
  }

  return () => {
    const at = now();
    burstStart ??= at;
    // Set at each edit (one that fired meanwhile comes back), at the same time for the whole burst.
    void Promise.resolve(alarms.create(ALARMS.syncDebounce, { when: burstStart + DEBOUNCE_ALARM_MS })).catch(() => undefined);
    if (handle !== undefined) timers.clearTimeout(handle);
    handle = timers.setTimeout(fire, Math.max(0, Math.min(DEBOUNCE_MS, burstStart + MAX_WAIT_MS - at)));
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
