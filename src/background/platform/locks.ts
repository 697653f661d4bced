// Every lock of the worker, and the one place their names are made. One holder at a time per name,
// across the whole worker: refresh tokens rotate and a reused one revokes the whole grant
// (RFC 9700 §4.14.2), one sync runs per dataset, one read-modify-write per stored item.
// Web Locks in the worker (Chrome and Firefox have them in workers and extension pages); in Node tests an
// in-process lane per name, which only orders calls within one simulated worker: the durable state is in
// storage. The worker's context carries the one manager every module uses (platform/context.ts).
// https://developer.mozilla.org/docs/Web/API/Web_Locks_API

export interface LockManagerLike {
  request<T>(name: string, task: () => Promise<T>): Promise<T>;
  /** Whether some task holds the lock now (the dataset view's `syncing`). */
  isHeld(name: string): Promise<boolean>;
}

/** The names, so that two modules meaning the same lock can't spell it two ways. */
export const LOCKS = {
  /** Held while the public sign-in state is derived and written. */
  authState: 'auth-state',
  /** Held while tokens are read for renewal, renewed or replaced. */
  tokens: 'auth-tokens',
  /** Held while AWS credentials are fetched; taken before `tokens` when both are needed. */
  credentials: 'aws-credentials',
  /** Held while this browser profile's device id is invented (sync). */
  deviceId: 'device-id',
  /** One read-modify-write at a time of a stored item (a local dataset, the dataset names). */
  store: (storageKey: string): string => `store:${storageKey}`,
  /** One sync at a time per local dataset. */
  sync: (identityId: string, datasetName: string): string => `sync:${identityId}:${datasetName}`,
} as const;

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

/** Tasks on one name run one after another, in arrival order; a failed task releases the lock. */
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
