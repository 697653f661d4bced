// Work a page can start once its first frame is on screen: asking the worker for its state (which starts a
// stopped worker), or loading the chunk of views the first frame does not show. Started with the first
// render, that work shares the machine with the first frame's layout and raster and delays it; the first
// frame shows what storage already held, so nothing it shows waits on that work.

/** What this needs of the page: the paint timing entries, and a timer for pages that never paint. */
export interface PaintClock {
  /** Calls back once when the page's first contentful paint has been presented; returns a cancel function. */
  onFirstContentfulPaint(callback: () => void): () => void;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

/**
 * Past this, the work starts anyway: for a page whose first frame has nothing to show (a state only the
 * worker knows yet), or a browser that reports no paint timing for it.
 */
export const FIRST_PAINT_WAIT_MS = 250;

const pageClock: PaintClock = {
  onFirstContentfulPaint(callback) {
    // Paint timing is in Chrome and Firefox (Firefox 153 ESR reports the first contentful paint with
    // privacy.resistFingerprinting on too); a browser without it starts the work on the timer.
    if (typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes?.includes('paint')) return () => undefined;
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName('first-contentful-paint').length === 0) return;
      observer.disconnect();
      callback();
    });
    observer.observe({ type: 'paint', buffered: true });
    return () => observer.disconnect();
  },
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/** Resolves once, for every caller, when the first contentful paint is on screen or the wait is over. */
export function firstPaintGate(clock: PaintClock = pageClock, waitMs = FIRST_PAINT_WAIT_MS): () => Promise<void> {
  let painted: Promise<void> | undefined;
  return () =>
    (painted ??= new Promise<void>((resolve) => {
      let stop = (): void => undefined;
      const timer = clock.setTimeout(() => {
        stop();
        resolve();
      }, waitMs);
      stop = clock.onFirstContentfulPaint(() => {
        clock.clearTimeout(timer);
        resolve();
      });
    }));
}

/** The page's own gate. */
export const afterFirstPaint = firstPaintGate();
