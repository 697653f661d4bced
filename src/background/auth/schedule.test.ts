import { describe, expect, it } from 'vitest';
import { renewAt } from './schedule';

describe('renewAt', () => {
  it('renews an hour’s credentials five minutes before they expire', () => {
    expect(renewAt(0, 3_600_000)).toBe(3_600_000 - 300_000);
  });

  it('renews a short lifetime at three quarters of it', () => {
    expect(renewAt(0, 8_000)).toBe(6_000);
  });

  it('renews something already expired at once', () => {
    expect(renewAt(10_000, 5_000)).toBe(5_000);
  });
});
