/**
 * Smithy's waiter backoff: delay after attempt n is random(minDelay, upper) with
 * upper = minDelay * 2^(n-1) up to the attempt ceiling log2(maxDelay/minDelay)+1,
 * and maxDelay after it, the draw still random (SDK v3 returns maxDelay flat there).
 */
import fc from 'fast-check';
import { exponentialBackoff } from '../../../src/operators/wait/exponentialBackoff';

/** A random source stuck at `value`. */
const constant = (value: number) => () => value;
/** The largest double below 1: draws the upper bound. */
const TOP = 1 - Number.EPSILON / 2;

/** What the spec's pseudo-code gives as the upper bound of attempt `n`. */
function upperOf(n: number, min: number, max: number): number {
  const ceiling = Math.log(max / min) / Math.log(2) + 1;
  return n > ceiling ? max : min * 2 ** (n - 1);
}

describe('exponentialBackoff', () => {
  test('bounds double from minDelay until the attempt ceiling, then stay at maxDelay', () => {
    const highest = exponentialBackoff(2, 120, constant(TOP));
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20, 100].map(highest)).toEqual([2, 4, 8, 16, 32, 64, 120, 120, 120, 120]);
  });

  test('a draw of 0 gives minDelay at every attempt, past the ceiling too', () => {
    const lowest = exponentialBackoff(2, 120, constant(0));
    expect([1, 2, 6, 7, 8, 50].map(lowest)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  test('past the ceiling the delay is still drawn between minDelay and maxDelay', () => {
    const half = exponentialBackoff(2, 120, constant(0.5));
    // 2 + floor(0.5 * 119) = 61, not a flat 120.
    expect(half(7)).toBe(61);
    expect(half(30)).toBe(61);
  });

  test('the attempt ceiling is log2(maxDelay / minDelay) + 1, not a power of two past maxDelay', () => {
    // 3 * 2^(3-1) = 12 would overshoot 10: ceiling log2(10/3)+1 = 2.74, so attempt 3 is capped.
    const highest = exponentialBackoff(3, 10, constant(TOP));
    expect([1, 2, 3, 4].map(highest)).toEqual([3, 6, 10, 10]);
  });

  test('when maxDelay / minDelay is a power of two the last doubling reaches maxDelay exactly', () => {
    const highest = exponentialBackoff(1, 8, constant(TOP));
    expect([1, 2, 3, 4, 5, 6].map(highest)).toEqual([1, 2, 4, 8, 8, 8]);
  });

  test('minDelay equal to maxDelay is a fixed delay', () => {
    for (const r of [0, 0.3, TOP]) {
      const backoff = exponentialBackoff(5, 5, constant(r));
      expect([1, 2, 3, 10].map(backoff)).toEqual([5, 5, 5, 5]);
    }
  });

  test('every integer in [minDelay, upper] is reachable, with equal odds', () => {
    // Sweep the unit interval evenly: each of the 15 integers 2..16 must get the same share.
    const draws = 15 * 100;
    const counts = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const delay = exponentialBackoff(2, 120, constant((i + 0.5) / draws))(4);
      counts.set(delay, (counts.get(delay) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, k) => 2 + k));
    expect(new Set(counts.values())).toEqual(new Set([100]));
  });

  test('integer bounds give integers in [minDelay, upper], both included (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (min, extra, attempt, r) => {
          const max = min + extra;
          const delay = exponentialBackoff(min, max, constant(r))(attempt);
          const upper = upperOf(attempt, min, max);
          return Number.isInteger(delay) && delay >= min && delay <= upper && upper <= max;
        },
      ),
      { numRuns: 500 },
    );
  });

  test("a draw of exactly 1 (outside Math.random's range) still stays at the upper bound", () => {
    const one = exponentialBackoff(2, 120, constant(1));
    expect(one(3)).toBe(8);
    expect(one(9)).toBe(120);
  });

  test('draws once per delay', () => {
    const random = jest.fn(() => 0.25);
    const backoff = exponentialBackoff(2, 120, random);
    expect(random).not.toHaveBeenCalled();
    backoff(1);
    backoff(2);
    backoff(9);
    expect(random).toHaveBeenCalledTimes(3);
  });

  test('fractional bounds draw a real number between them', () => {
    const half = exponentialBackoff(0.5, 4, constant(0.5));
    // Uppers 0.5, 1, 2, 4, then 4.
    expect([1, 2, 3, 4, 5].map(half)).toEqual([0.5, 0.75, 1.25, 2.25, 2.25]);
    const highest = exponentialBackoff(0.5, 4, constant(TOP));
    for (const n of [1, 2, 3, 4, 5]) expect(highest(n)).toBeLessThanOrEqual(upperOf(n, 0.5, 4));
  });

  test('a very late attempt neither overflows nor exceeds maxDelay', () => {
    const highest = exponentialBackoff(2, 120, constant(TOP));
    expect(highest(5_000)).toBe(120);
    expect(highest(Number.MAX_SAFE_INTEGER)).toBe(120);
  });
});
