import { describe, expect, it } from 'vitest';
import { firstPaintGate, type PaintClock } from './after-first-paint';

/** A clock whose paint and timers the test sets off. */
function fakeClock() {
  let paint: (() => void) | undefined;
  const timers = new Map<number, () => void>();
  let next = 0;
  let observing = 0;
  const clock: PaintClock = {
    onFirstContentfulPaint(callback) {
      observing++;
      paint = callback;
      return () => {
        observing--;
        paint = undefined;
      };
    },
    setTimeout(callback) {
      timers.set(++next, callback);
      return next;
    },
    clearTimeout: (timer) => void timers.delete(timer as number),
  };
  return {
    clock,
    paint: () => paint?.(),
    expire() {
      for (const callback of [...timers.values()]) callback();
    },
    pendingTimers: () => timers.size,
    observing: () => observing,
  };
}

const settled = async (promise: Promise<void>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 0));
  return done;
};

describe('work that waits for the first paint', () => {
  it('starts when the first contentful paint is on screen, and not before', async () => {
    const fake = fakeClock();
    const gate = firstPaintGate(fake.clock, 250);
    expect(await settled(gate())).toBe(false);
    fake.paint();
    expect(await settled(gate())).toBe(true);
    // The timer for a page that never paints is gone once it painted.
    expect(fake.pendingTimers()).toBe(0);
  });

  it('starts after the wait when the page has nothing to paint, and stops watching for a paint', async () => {
    const fake = fakeClock();
    const gate = firstPaintGate(fake.clock, 250);
    const waiting = gate();
    fake.expire();
    expect(await settled(waiting)).toBe(true);
    expect(fake.observing()).toBe(0);
  });

  it('watches once, however many parts of the page wait', async () => {
    const fake = fakeClock();
    const gate = firstPaintGate(fake.clock, 250);
    const waits = [gate(), gate(), gate()];
    expect(fake.observing()).toBe(1);
    fake.paint();
    expect(await settled(Promise.all(waits).then(() => undefined))).toBe(true);
    expect(gate()).toBe(waits[0]);
  });
});
