// Summaries over a benchmark's rounds: the median as the figure, the spread as its noise gauge,
// and the rotation that keeps any contender from always running first or last.

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

export interface MedianInterval {
  low: number;
  high: number;
  /** The probability that an interval so chosen holds the true median. */
  coverage: number;
  /** The interval runs from the k-th smallest to the k-th largest value. */
  k: number;
}

/**
 * A confidence interval for the median that assumes nothing about the values' distribution:
 * from the k-th smallest to the k-th largest value, for the largest k that still covers the
 * true median with probability `level` (how many values fall below it is binomial with p = ½).
 * With too few values for `level` (fewer than 6 for 95%) it is the whole range, and its
 * coverage says how much less it holds. 15 rounds give the 4th to the 12th value, 96.5%.
 */
export function medianInterval(values: readonly number[], level = 0.95): MedianInterval {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { low: Number.NaN, high: Number.NaN, coverage: 0, k: 0 };
  // [k-th smallest, k-th largest] misses the median with probability 2 P(B ≤ k − 1), B ~ Bin(n, ½).
  let k = 1;
  let term = 0.5 ** n;
  let below = term;
  while (k + 1 <= (n + 1) / 2) {
    term = (term * (n - k + 1)) / k;
    if (1 - 2 * (below + term) < level) break;
    below += term;
    k += 1;
  }
  return { low: sorted[k - 1]!, high: sorted[n - k]!, coverage: 1 - 2 * below, k };
}

/** (max − min) / median: 0 with one round; large when the machine was busy. */
export function spread(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : (Math.max(...values) - Math.min(...values)) / median(values);
}

/** Rotates by `by`: each round starts with another contender. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
