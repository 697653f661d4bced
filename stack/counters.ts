// Requests and body bytes per `${service}.${operation}`, for tests and benchmarks.
import type { Counter, Counters } from './types';

export interface Meter {
  /** Counts a request as it arrives, so faulted and dropped requests count too. */
  request(key: string, bytesIn: number): void;
  bytesOut(key: string, bytes: number): void;
  snapshot(): Counters;
  reset(): void;
}

export function createMeter(): Meter {
  let counters: Counters = {};
  const counter = (key: string): Counter => (counters[key] ??= { requests: 0, bytesIn: 0, bytesOut: 0 });
  return {
    request(key, bytesIn) {
      const entry = counter(key);
      entry.requests += 1;
      entry.bytesIn += bytesIn;
    },
    bytesOut(key, bytes) {
      counter(key).bytesOut += bytes;
    },
    snapshot: () => structuredClone(counters),
    reset() {
      counters = {};
    },
  };
}
