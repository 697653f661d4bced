// Bounded retries with exponential backoff and full jitter, for throttling and transient failures.
// The SDK's own retries are off (maxAttempts: 1) so that requests can be counted and tested.
// https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep(ms: number): Promise<void>;
  /** [0, 1); injected so tests are deterministic. */
  random(): number;
}

export const DEFAULT_RETRY: Omit<RetryOptions, 'sleep'> = { attempts: 4, baseDelayMs: 100, maxDelayMs: 2_000, random: Math.random };

/** Runs `task` until it succeeds, fails with an error `retryable` refuses, or runs out of attempts. */
export async function withRetry<T>(task: () => Promise<T>, retryable: (error: unknown) => boolean, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= options.attempts || !retryable(error)) throw error;
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      await options.sleep(Math.floor(options.random() * ceiling));
    }
  }
}
