import { describe, expect, it } from "vitest";
import { comparePairs, median, verdict } from "../bench/paired.js";

/** n runs of `base` ms, the i-th disturbed by `noise(i)` ms. */
const runs = (n: number, base: number, noise: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => base + noise(i));

describe("bench: before and after compared in pairs", () => {
  it("takes the median of an odd and of an even count", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow("median of no samples");
  });

  it("bounds the median difference by the k-th smallest and k-th largest difference, k = n/2 − 1.96·√n/2", () => {
    // 100 pairs whose differences are 0, 1, …, 99 ms: k = 50 − 9.8 → 40, so the interval is the
    // 41st smallest and the 41st largest difference.
    const before = runs(100, 10, () => 0);
    const after = runs(100, 10, (i) => 99 - i);
    expect(comparePairs(before, after)).toEqual({
      pairs: 100,
      beforeMedian: 10,
      afterMedian: 59.5,
      difference: 49.5,
      low: 40,
      high: 59,
    });
  });

  it("sees a 0.3 ms slowdown that a disturbed batch hides, because each pair shares its conditions", () => {
    // The load moves between 0 and 8 ms from run to run, the same for both runs of a pair.
    const load = (i: number) => (i * 7919) % 9;
    const before = runs(200, 30, load);
    const after = runs(200, 30.3, load);
    const c = comparePairs(before, after);
    expect(c.difference).toBeCloseTo(0.3, 9);
    expect(verdict(c)).toBe("slower");
    expect(verdict(comparePairs(after, before))).toBe("faster");
  });

  it("calls an interval that holds zero no difference", () => {
    // Differences alternate −1 and +1 ms around equal medians.
    const before = runs(60, 30, () => 0);
    const after = runs(60, 30, (i) => (i % 2 ? 1 : -1));
    const c = comparePairs(before, after);
    expect([c.low, c.difference, c.high]).toEqual([-1, 0, 1]);
    expect(verdict(c)).toBe("no difference measured");
  });

  it("refuses runs that are not pairs, and too few pairs for the interval", () => {
    expect(() => comparePairs([1, 2], [1])).toThrow("2 runs before and 1 after: not pairs");
    expect(() =>
      comparePairs(
        runs(29, 1, () => 0),
        runs(29, 1, () => 0),
      ),
    ).toThrow("29 pairs: at least 30 are needed for the interval");
  });
});
