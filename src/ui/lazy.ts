// A part of a page's code in a chunk of its own, loaded with import(): the views that only some states show.
// A view that the state on screen needs loads it at once; otherwise it loads once the first frame is on
// screen (after-first-paint.ts), so that it is normally there before a state needs it without slowing that
// frame. A view that needs it before then renders without it, and again once it has loaded (after the first
// paint, at most FIRST_PAINT_WAIT_MS after the page asked). A chunk can fail to load (the extension's files
// changed since the page opened, and the file of that name is gone): the page is told, so it can offer a way on.
import { useEffect, useState } from 'preact/hooks';
import { afterFirstPaint } from './after-first-paint';

export interface LazyModule<M> {
  /** Starts loading the chunk (once); resolves to its module. */
  preload(): Promise<M>;
  /**
   * The module once loaded, else undefined: the component renders again when it has loaded. `needNow`: what
   * the page shows now is missing without it, so it is loaded at once rather than after the first paint.
   */
  useModule(needNow?: boolean): M | undefined;
  /** The same, and whether its last load failed. */
  useLoad(needNow?: boolean): { module: M | undefined; failed: boolean };
}

export function lazyModule<M>(load: () => Promise<M>): LazyModule<M> {
  let module: M | undefined;
  let loading: Promise<M> | undefined;
  const preload = (): Promise<M> => {
    loading ??= load().then(
      (loaded) => (module = loaded),
      (error: unknown) => {
        // A chunk that failed to load (the extension updated under the page) is asked for again next time.
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  const useLoad = (needNow = false): { module: M | undefined; failed: boolean } => {
    // Set when the load this component asked for ends, so that it renders again.
    const [outcome, setOutcome] = useState<'loaded' | 'failed'>();
    useEffect(() => {
      if (module !== undefined) return;
      (needNow ? preload() : afterFirstPaint().then(preload)).then(
        () => setOutcome('loaded'),
        () => setOutcome('failed'),
      );
    }, [needNow]);
    return { module, failed: module === undefined && outcome === 'failed' };
  };
  return { preload, useLoad, useModule: (needNow) => useLoad(needNow).module };
}
