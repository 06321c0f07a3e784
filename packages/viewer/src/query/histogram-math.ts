/** Percentile estimates from OTLP histogram buckets (explicit bounds and base-2 exponential). */

/** Linear interpolation inside the explicit bucket holding quantile `q` (0..1). */
export function explicitPercentile(
  bounds: number[],
  counts: number[],
  q: number,
  min?: number | null,
  max?: number | null,
): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c > 0 && seen + c >= rank) {
      // The recorded min and max narrow the first, last and any enclosing bucket.
      let lo = i === 0 ? (min ?? Math.min(0, bounds[0] ?? 0)) : (bounds[i - 1] as number);
      let hi = i < bounds.length ? (bounds[i] as number) : (max ?? bounds[bounds.length - 1] ?? lo);
      if (min !== null && min !== undefined && min > lo) lo = min;
      if (max !== null && max !== undefined && max < hi) hi = max;
      return lo + ((hi - lo) * (rank - seen)) / c;
    }
    seen += c;
  }
  return max ?? bounds[bounds.length - 1] ?? null;
}

export interface ExpBuckets {
  offset: number;
  bucketCounts: number[];
}

/** Quantile `q` from an exponential histogram (positive range and zero bucket; negatives count below zero). */
export function exponentialPercentile(
  scale: number,
  zeroCount: number,
  positive: ExpBuckets,
  negative: ExpBuckets,
  q: number,
): number | null {
  const base = 2 ** (2 ** -scale);
  const neg = negative.bucketCounts.reduce((a, b) => a + b, 0);
  const pos = positive.bucketCounts.reduce((a, b) => a + b, 0);
  const total = neg + zeroCount + pos;
  if (total === 0) return null;
  let rank = q * total;
  if (rank <= neg) {
    // walk negative buckets from the most negative (largest index) upwards
    for (let i = negative.bucketCounts.length - 1; i >= 0; i--) {
      const c = negative.bucketCounts[i] ?? 0;
      if (c >= rank && c > 0) return -(base ** (negative.offset + i + 0.5));
      rank -= c;
    }
    return 0;
  }
  rank -= neg;
  if (rank <= zeroCount) return 0;
  rank -= zeroCount;
  for (let i = 0; i < positive.bucketCounts.length; i++) {
    const c = positive.bucketCounts[i] ?? 0;
    if (c >= rank && c > 0) {
      // geometric midpoint of (base^(index), base^(index+1)]
      return base ** (positive.offset + i + 0.5);
    }
    rank -= c;
  }
  return base ** (positive.offset + positive.bucketCounts.length);
}

/** Element-wise sum of bucket arrays of the same layout. */
export function addCounts(into: number[], add: number[]): number[] {
  const out = into.length >= add.length ? into.slice() : add.slice();
  const other = into.length >= add.length ? add : into;
  for (let i = 0; i < other.length; i++) out[i] = (out[i] ?? 0) + (other[i] ?? 0);
  return out;
}
