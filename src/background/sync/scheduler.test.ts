import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { ALARMS } from '../platform/alarms';
import { createEditDebouncer, DEBOUNCE_ALARM_MS, DEBOUNCE_MS, ensurePeriodicSync, MAX_WAIT_MS, type PeriodicAlarms, type Timers } from './scheduler';

function fakeTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const delays: number[] = [];
  const timers: Timers = {
    setTimeout(callback, ms) {
      next += 1;
      pending.set(next, callback);
      delays.push(ms);
      return next;
    },
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  return {
    timers,
    pending,
    delays,
    fire: () => {
      for (const callback of [...pending.values()]) callback();
    },
  };
}

describe('createEditDebouncer', () => {
  it('runs one sync after a burst of edits, and sets the backstop alarm each time', async () => {
    const created: Array<[string, number]> = [];
    const alarms = { create: (name: string, info: { when: number }) => void created.push([name, info.when]), clear: async () => true };
    const { timers, pending, delays, fire } = fakeTimers();
    let runs = 0;
    const edited = createEditDebouncer(
      alarms,
      () => 1_000,
      async () => {
        runs += 1;
      },
      timers,
    );
    edited();
    edited();
    edited();
    expect(pending.size).toBe(1);
    expect(delays).toEqual([DEBOUNCE_MS, DEBOUNCE_MS, DEBOUNCE_MS]);
    fire();
    expect(runs).toBe(1);
    expect(created).toEqual(Array(3).fill([ALARMS.syncDebounce, 1_000 + DEBOUNCE_ALARM_MS]));
  });
});

/**
 * A person typing without a pause: one edit every 100 ms for 60 s, on vitest's fake clock. `syncTakes` is how
 * long each sync lasts on that clock. Returns when each sync started and ended, and each backstop alarm set.
 */
async function typeForAMinute(syncTakes: number) {
  vi.useFakeTimers({ now: 0 });
  const syncs: Array<{ start: number; end: number; edits: number }> = [];
  const alarmsSet: Array<{ at: number; when: number }> = [];
  let edits = 0;
  const alarms = {
    create: (_name: string, info: { when: number }) => void alarmsSet.push({ at: Date.now(), when: info.when }),
    clear: async () => true,
  };
  const edited = createEditDebouncer(
    alarms,
    () => Date.now(),
    async () => {
      const start = Date.now();
      const editsTaken = edits; // a sync sends what was edited when it started
      await new Promise((resolve) => setTimeout(resolve, syncTakes));
      syncs.push({ start, end: Date.now(), edits: editsTaken });
    },
  );
  const editTimes: number[] = [];
  for (let t = 0; t < 60_000; t += 100) {
    edits += 1;
    editTimes.push(Date.now());
    edited();
    await vi.advanceTimersByTimeAsync(100);
  }
  const lastEdit = editTimes.at(-1) ?? 0;
  await vi.advanceTimersByTimeAsync(30_000);
  return { syncs, alarmsSet, editTimes, lastEdit, totalEdits: edits };
}

describe('createEditDebouncer during continuous editing', () => {
  afterEach(() => void vi.useRealTimers());

  it('syncs a minute of edits at least every 10 s, and the last edit shortly after the typing stops', async () => {
    const { syncs, lastEdit, totalEdits } = await typeForAMinute(0);
    const starts = syncs.map((sync) => sync.start);
    // Every edit is taken by a sync that starts within 10 s of it.
    expect(starts[0]).toBeLessThanOrEqual(10_000);
    for (const [i, start] of starts.entries()) if (i > 0) expect(start - (starts[i - 1] ?? 0)).toBeLessThanOrEqual(10_000);
    expect(starts.filter((start) => start <= lastEdit).length).toBeGreaterThanOrEqual(6);
    // The last edit: in the first sync after it, within the quiet time.
    const last = syncs.at(-1);
    expect(last?.edits).toBe(totalEdits);
    expect((last?.start ?? Number.POSITIVE_INFINITY) - lastEdit).toBeLessThanOrEqual(DEBOUNCE_MS);
  });

  it('never pushes the backstop alarm past 10 s after the oldest edit no sync has taken', async () => {
    const { syncs, alarmsSet, editTimes } = await typeForAMinute(0);
    for (const alarm of alarmsSet) {
      // The oldest edit made since the last sync that started before this alarm was set.
      const lastSyncBefore = Math.max(-1, ...syncs.map((sync) => sync.start).filter((start) => start <= alarm.at));
      const oldestUntaken = editTimes.find((time) => time >= lastSyncBefore && time <= alarm.at) ?? alarm.at;
      expect(alarm.when - oldestUntaken).toBeLessThanOrEqual(DEBOUNCE_ALARM_MS);
    }
    expect(new Set(alarmsSet.map((alarm) => alarm.when)).size).toBeGreaterThanOrEqual(6);
  });

  it('with a sync slower than the maximum wait, runs one at a time and still takes every edit', async () => {
    const { syncs, lastEdit, totalEdits } = await typeForAMinute(3 * MAX_WAIT_MS);
    for (const [i, sync] of syncs.entries()) if (i > 0) expect(sync.start).toBeGreaterThanOrEqual(syncs[i - 1]?.end ?? 0);
    // A 15 s sync: while edits wait, each starts as the one before ends (and no second one is queued behind it).
    const duringTyping = syncs.filter((sync) => sync.start <= lastEdit);
    expect(duringTyping.length).toBeGreaterThanOrEqual(4);
    for (const [i, sync] of duringTyping.entries()) if (i > 0) expect(sync.start).toBe(duringTyping[i - 1]?.end);
    expect(syncs.length).toBeLessThanOrEqual(duringTyping.length + 2);
    expect(syncs.at(-1)?.edits).toBe(totalEdits);
  });
});

describe('ensurePeriodicSync', () => {
  function alarms(existing?: { periodInMinutes?: number }) {
    const calls: string[] = [];
    const fake: PeriodicAlarms = {
      create: (name, info) => void calls.push(`create ${name} ${info.periodInMinutes}`),
      get: async () => existing,
      clear: async (name) => {
        calls.push(`clear ${name}`);
        return true;
      },
    };
    return { fake, calls };
  }

  it('creates the alarm at the configured interval', async () => {
    const { fake, calls } = alarms();
    await ensurePeriodicSync(fake, { ...DEFAULT_SETTINGS, syncIntervalMinutes: 7 });
    expect(calls).toEqual([`create ${ALARMS.syncPeriodic} 7`]);
  });

  it('leaves an alarm at the right interval alone, and replaces one at another', async () => {
    const same = alarms({ periodInMinutes: 15 });
    await ensurePeriodicSync(same.fake, DEFAULT_SETTINGS);
    expect(same.calls).toEqual([]);
    const other = alarms({ periodInMinutes: 60 });
    await ensurePeriodicSync(other.fake, DEFAULT_SETTINGS);
    expect(other.calls).toEqual([`create ${ALARMS.syncPeriodic} 15`]);
  });

  it('clears it without settings', async () => {
    const { fake, calls } = alarms({ periodInMinutes: 15 });
    await ensurePeriodicSync(fake, undefined);
    expect(calls).toEqual([`clear ${ALARMS.syncPeriodic}`]);
  });
});
