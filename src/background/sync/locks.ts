// One sync at a time per dataset, and one read-modify-write at a time per local store.
// Web Locks where the runtime has them (Chrome and Firefox workers); otherwise a lane per name
// that only de-duplicates within one worker lifetime: the durable state is in storage.
// https://developer.mozilla.org/docs/Web/API/Web_Locks_API

export interface LockManagerLike {
  request<T>(name: string, task: () => Promise<T>): Promise<T>;
  /** Whether some task holds the lock now (the view's `syncing`). */
  isHeld(name: string): Promise<boolean>;
}

interface WebLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
  query(): Promise<{ held?: Array<{ name?: string }> }>;
}

export function webLocks(locks: WebLocks): LockManagerLike {
  return {
    request: (name, task) => locks.request(name, task),
    async isHeld(name) {
      const { held = [] } = await locks.query();
      return held.some((lock) => lock.name === name);
    },
  };
}

/** Tasks on one name run one after another, in arrival order. */
export function inProcessLocks(): LockManagerLike {
  const tails = new Map<string, Promise<unknown>>();
  const holders = new Map<string, number>();
  return {
    request<T>(name: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(name) ?? Promise.resolve();
      const run = async (): Promise<T> => {
        holders.set(name, (holders.get(name) ?? 0) + 1);
        try {
          return await task();
        } finally {
          const left = (holders.get(name) ?? 1) - 1;
          if (left === 0) holders.delete(name);
          else holders.set(name, left);
        }
      };
      const result = previous.then(run, run);
      const tail = result.catch(() => undefined);
      tails.set(name, tail);
      void tail.then(() => {
        if (tails.get(name) === tail) tails.delete(name);
      });
      return result;
    },
    isHeld: async (name) => holders.has(name),
  };
}

// Shared by every caller in this worker lifetime, like Web Locks; it orders calls and holds no data.
const fallback = inProcessLocks();

/** Web Locks when the global has them; the in-process lanes otherwise (Node). Tests inject their own. */
export function defaultLocks(): LockManagerLike {
  const locks = (globalThis as { navigator?: { locks?: WebLocks } }).navigator?.locks;
  return locks ? webLocks(locks) : fallback;
}
