// A part of a page's code in a chunk of its own, loaded with import(): the views that only some states show.
// The page starts loading it after its first paint, so it is normally there before a state needs it; a view
// that needs it before then renders without it, and again a frame or two later with it.
import { useEffect, useState } from 'preact/hooks';

export interface LazyModule<M> {
  /** Starts loading the chunk (once); resolves to its module. */
  preload(): Promise<M>;
  /** The module once loaded, else undefined: the component renders again when it has loaded. */
  useModule(): M | undefined;
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
  return {
    preload,
    useModule() {
      const [, setLoaded] = useState(false);
      useEffect(() => {
        if (module === undefined)
          preload().then(
            () => setLoaded(true),
            () => undefined,
          );
      }, []);
      return module;
    },
  };
}
