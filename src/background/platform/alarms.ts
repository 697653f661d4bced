// Every alarm of the worker, named in one place; worker.ts routes `alarms.onAlarm` by these names (one switch).
export const ALARMS = {
  /** Renews the ID token and the AWS credentials before they expire. */
  renew: 'auth-renew',
  /** A sync at most 10 s after the first edit of a burst: the backstop if the worker stops before its timer fires. */
  syncDebounce: 'sync-debounce',
  /** The periodic sync, every settings.syncIntervalMinutes. */
  syncPeriodic: 'sync-periodic',
  /** Another try after a sync that failed for a reason that passes (sync/retry-later.ts). */
  syncRetry: 'sync-retry',
} as const;
