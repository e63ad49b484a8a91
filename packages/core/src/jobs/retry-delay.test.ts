import { describe, expect, it } from 'vitest';
import { retryDelay } from './retry-delay.js';

const options = { baseMs: 1000, maxMs: 10_000 };

describe('retry backoff', () => {
  it('doubles after each attempt, between half and all of the full wait', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelay(attempt, options, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((attempt) => retryDelay(attempt, options, () => 1))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('is capped', () => {
    expect(retryDelay(30, options, () => 1)).toBe(10_000);
    expect(retryDelay(30, options, () => 0)).toBe(5000);
  });

  it('is zero when the base is', () => {
    expect(retryDelay(3, { baseMs: 0, maxMs: 10_000 })).toBe(0);
  });
});
