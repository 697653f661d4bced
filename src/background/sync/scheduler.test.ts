import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { ALARMS } from '../platform/alarms';
import { createEditDebouncer, DEBOUNCE_ALARM_MS, DEBOUNCE_MS, ensurePeriodicSync, type PeriodicAlarms, type Timers } from './scheduler';

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
