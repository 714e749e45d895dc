/**
 * Before and after, in numbers that hold still on a shared 2-core machine: the same row run by two
 * binaries in alternating pairs, compared by the median of the pairwise differences.
 *
 * Run one after the other, two rows of a few milliseconds each drift apart by more than the
 * difference between them (the machine's load changes between the two batches; which batch runs
 * first matters). Alternating the two in pairs, and the order within each pair, gives both the same
 * conditions; the median of the differences ignores the runs a neighbour disturbed; and its
 * distribution-free confidence interval says whether what is left is more than noise.
 */

export interface PairedComparison {
  readonly pairs: number;
  /** Median of each side's own runs, ms. */
  readonly beforeMedian: number;
  readonly afterMedian: number;
  /** Median of after − before over the pairs, ms, and its 95 % confidence interval. */
  readonly difference: number;
  readonly low: number;
  readonly high: number;
}

export type Verdict = "slower" | "faster" | "no difference measured";

export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error("median of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The interval between two order statistics of the differences that holds their true median with
 * 95 % probability whatever their distribution: the count of differences below the median is
 * Binomial(n, ½), so the bounds are the k-th smallest and the k-th largest, k = n/2 − 1.96·√n/2
 * (the normal approximation of that binomial, close enough from the 30 pairs up that are allowed).
 */
export function comparePairs(before: readonly number[], after: readonly number[]): PairedComparison {
  if (before.length !== after.length) throw new Error(`${before.length} runs before and ${after.length} after: not pairs`);
  const n = before.length;
  if (n < 30) throw new Error(`${n} pairs: at least 30 are needed for the interval`);
  const differences = after.map((a, i) => a - before[i]!).sort((x, y) => x - y);
  const k = Math.max(0, Math.floor(n / 2 - (1.96 * Math.sqrt(n)) / 2));
  return {
    pairs: n,
    beforeMedian: median(before),
    afterMedian: median(after),
    difference: median(differences),
    low: differences[k]!,
    high: differences[n - 1 - k]!,
  };
}

/** Slower or faster only when the whole interval is on one side of zero. */
export function verdict(c: PairedComparison): Verdict {
  if (c.low > 0) return "slower";
  if (c.high < 0) return "faster";
  return "no difference measured";
}
