/**
 * Robust trend statistics for the leak detector: the Theil–Sen slope (median of pairwise slopes,
 * insensitive to up to ~29 % outliers) and the Mann–Kendall test for a monotonic upward trend, with
 * the variance corrected for ties and for lag-1 autocorrelation (Hamed & Rao 1998 with an AR(1)
 * autocorrelation model), since post-GC heap readings are not independent from one reading to the next.
 */

/** One reading of a memory series: a time in milliseconds and a value in bytes. */
export interface SeriesPoint {
  readonly t: number;
  readonly v: number;
}

/**
 * The Theil–Sen estimate: the median of the slopes over every pair of points (value units per ms).
 *
 * @example
 * ```ts
 * theilSenSlope([{ t: 0, v: 0 }, { t: 1, v: 2 }, { t: 2, v: 4 }]); // 2
 * ```
 */
export function theilSenSlope(points: readonly SeriesPoint[]): number {
  const n = points.length;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const a = points[i] as SeriesPoint;
    for (let j = i + 1; j < n; j++) {
      const b = points[j] as SeriesPoint;
      const dt = b.t - a.t;
      if (dt !== 0) slopes[k++] = (b.v - a.v) / dt;
    }
  }
  return medianInPlace(slopes.subarray(0, k));
}

/** The result of the one-sided Mann–Kendall test for an upward trend. */
export interface MannKendallResult {
  /** Kendall's S: concordant minus discordant pairs. */
  readonly s: number;
  /** The standard normal score with continuity correction. */
  readonly z: number;
  /** P(S this large | no trend), one-sided, after the tie and autocorrelation corrections. */
  readonly pValue: number;
  /** The variance inflation applied for autocorrelation (1 for independent readings). */
  readonly autocorrelationFactor: number;
}

/**
 * The Mann–Kendall test on the values in time order. `slope` (bytes/ms, e.g. the Theil–Sen
 * estimate) detrends the series before the lag-1 autocorrelation is estimated, so that the trend
 * itself does not count as autocorrelation.
 *
 * @example
 * ```ts
 * const { pValue } = mannKendall(points, theilSenSlope(points)); // < 0.001: a significant rise
 * ```
 */
export function mannKendall(points: readonly SeriesPoint[], slope: number): MannKendallResult {
  const n = points.length;
  if (n < 3) return { s: 0, z: 0, pValue: 1, autocorrelationFactor: 1 };
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const vi = (points[i] as SeriesPoint).v;
    for (let j = i + 1; j < n; j++) {
      const d = (points[j] as SeriesPoint).v - vi;
      s += d > 0 ? 1 : d < 0 ? -1 : 0;
    }
  }
  let variance = (n * (n - 1) * (2 * n + 5)) / 18 - tieCorrection(points);
  const factor = autocorrelationFactor(points, slope);
  variance *= factor;
  if (variance <= 0) return { s, z: 0, pValue: 1, autocorrelationFactor: factor };
  const z = s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
  return { s, z, pValue: 1 - normalCdf(z), autocorrelationFactor: factor };
}

function tieCorrection(points: readonly SeriesPoint[]): number {
  const counts = new Map<number, number>();
  for (const p of points) counts.set(p.v, (counts.get(p.v) ?? 0) + 1);
  let sum = 0;
  for (const t of counts.values()) if (t > 1) sum += (t * (t - 1) * (2 * t + 5)) / 18;
  return sum;
}

/**
 * Hamed & Rao's variance inflation n/n* for the detrended series, with ρ_k = r1^k. Only a positive
 * lag-1 autocorrelation inflates (a negative one is treated as independence, the conservative side).
 */
function autocorrelationFactor(points: readonly SeriesPoint[], slope: number): number {
  const n = points.length;
  if (n < 4) return 1;
  const t0 = (points[0] as SeriesPoint).t;
  const residuals = points.map((p) => p.v - slope * (p.t - t0));
  const mean = residuals.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = (residuals[i] as number) - mean;
    den += d * d;
    if (i > 0) num += d * ((residuals[i - 1] as number) - mean);
  }
  const r1 = den > 0 ? num / den : 0;
  if (r1 <= 0) return 1;
  const r = Math.min(r1, 0.98);
  let sum = 0;
  let rk = r;
  for (let k = 1; k < n - 2 && rk > 1e-6; k++, rk *= r) {
    sum += ((n - k) * (n - k - 1) * (n - k - 2) * rk) / (n * (n - 1) * (n - 2));
  }
  return 1 + 2 * sum;
}

/** The standard normal cumulative distribution (Zelen & Severo 26.2.17, |error| < 7.5e-8). */
export function normalCdf(z: number): number {
  const x = Math.abs(z);
  const t = 1 / (1 + 0.2316419 * x);
  const poly =
    t *
    (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly;
  return z >= 0 ? 1 - tail : tail;
}

/** The median; NaN for an empty list. Works on a copy. */
export function median(values: readonly number[]): number {
  return medianInPlace(Float64Array.from(values));
}

/**
 * The median of `a`, reordering it: quickselect (Hoare), O(n) on average, where a sort would be
 * O(n log n). It matters because Theil–Sen takes the median of n² / 2 slopes at every evaluation.
 */
function medianInPlace(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  const upper = select(a, mid);
  if (n % 2) return upper;
  // The lower middle is the largest value left of `mid` after the selection.
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < mid; i++) if ((a[i] as number) > lower) lower = a[i] as number;
  return (lower + upper) / 2;
}

/** Puts the k-th smallest value at index k (everything left of it is no larger) and returns it. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] as number;
}
