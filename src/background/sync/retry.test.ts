import { describe, expect, it } from 'vitest';
import { withRetry, type RetryOptions } from './retry';

function options(slept: number[]): RetryOptions {
  return { attempts: 4, baseDelayMs: 100, maxDelayMs: 250, random: () => 0.5, sleep: async (ms) => void slept.push(ms) };
}

describe('withRetry', () => {
  it('retries a retryable failure with growing, capped delays, then succeeds', async () => {
    const slept: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 4) throw new Error('busy');
        return 'done';
      },
      () => true,
      options(slept),
    );
    expect(result).toBe('done');
    expect(slept).toEqual([50, 100, 125]);
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls += 1;
        throw new Error(`busy ${calls}`);
      },
      () => true,
      options([]),
    );
    await expect(failing).rejects.toThrow('busy 4');
    expect(calls).toBe(4);
  });

  it('does not retry what is not retryable', async () => {
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls += 1;
        throw new Error('denied');
      },
      () => false,
      options([]),
    );
    await expect(failing).rejects.toThrow('denied');
    expect(calls).toBe(1);
  });
});
