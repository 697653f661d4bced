// One holder at a time, across the whole worker: refresh tokens rotate and a reused one revokes the
// whole grant (RFC 9700 §4.14.2), so renewals must never overlap.
// https://developer.mozilla.org/en-US/docs/Web/API/Web_Locks_API

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

function lockManager(): LockManagerLike | undefined {
  return (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
}

// Node has no Web Locks: chain the holders in-process. This only orders calls; no state lives here.
const tails = new Map<string, Promise<unknown>>();

function chained<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(name) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  tails.set(name, tail);
  void tail.then(() => {
    if (tails.get(name) === tail) tails.delete(name);
  });
  return run;
}

export const LOCKS = {
  /** Held while tokens are read for renewal, renewed or replaced. */
  tokens: 'auth-tokens',
  /** Held while AWS credentials are fetched; taken before `tokens` when both are needed. */
  credentials: 'aws-credentials',
} as const;

export function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = lockManager();
  return locks ? locks.request(name, fn) : chained(name, fn);
}
