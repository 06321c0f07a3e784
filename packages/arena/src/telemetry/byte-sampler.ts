/**
 * Byte-based sampling, as Go's runtime.MemProfileRate and V8's sampling heap profiler do it: every
 * allocated byte is sampled with probability `rate`, so the distance to the next sampled byte is
 * geometric with mean 1 / rate. An allocation is sampled when it contains a sampled byte
 * (probability 1 - (1 - rate)^size), so large allocations are sampled more often, in proportion
 * to the memory they take, and the count of samples estimates bytes allocated.
 *
 * The arena keeps the distance as a countdown field: the unsampled path is one subtract and one
 * compare. The draw below runs only when the countdown runs out.
 */

/** Largest countdown the arena holds (a V8 small integer, so the field never becomes a double). */
export const COUNTDOWN_IDLE = 2 ** 30 - 1;

/**
 * Bytes until the next sampled byte (at least 1), or `Infinity` when `rate` is 0. `random` returns
 * a uniform number in [0, 1).
 *
 * @example
 * ```ts
 * nextSampleDistance(2 ** -19, Math.random); // ≈ 524288 on average
 * ```
 */
export function nextSampleDistance(rate: number, random: () => number): number {
  if (!(rate > 0)) return Number.POSITIVE_INFINITY;
  if (rate >= 1) return 1;
  // Inverse transform of the geometric distribution: ceil(ln U / ln(1 - p)), with U in (0, 1].
  const u = 1 - random();
  const distance = Math.ceil(Math.log(u) / Math.log1p(-rate));
  return distance >= 1 ? distance : 1;
}

/**
 * The bytes one sampled allocation of `size` stands for: size / P(sampled), the weight that makes
 * the sum over samples an unbiased estimate of bytes allocated.
 */
export function representedBytes(size: number, rate: number): number {
  if (rate >= 1) return size;
  const p = -Math.expm1(size * Math.log1p(-rate));
  return p > 0 ? size / p : size;
}
