/** The inputs of the efficiency score, over one observation window. */
export interface EfficiencyInputs {
  /** Bytes allocated (the profiler's estimate). */
  allocatedBytes: number;
  /** Growth of the post-GC heap floor (what stayed live), bytes; negative counts as 0. */
  retainedBytes: number;
  /** Time spent in GC pauses, seconds. */
  gcSeconds: number;
  /** Length of the window, seconds. */
  wallSeconds: number;
}

/**
 * The allocation efficiency score in [0, 1]: `(1 - retained / allocated) × (1 - gc / wall)`.
 * The first factor is the share of allocated memory that was given back (1: nothing accumulates); the
 * second the share of time not paused for GC (1: allocation costs no pauses). 1 is ideal; a leak
 * drives the first factor down, allocation churn the second. Undefined inputs (nothing allocated,
 * no time) give 1 for that factor.
 *
 * @example
 * ```ts
 * efficiencyScore({ allocatedBytes: 1e9, retainedBytes: 1e8, gcSeconds: 3, wallSeconds: 60 }); // 0.855
 * ```
 */
export function efficiencyScore(inputs: EfficiencyInputs): number {
  const retained =
    inputs.allocatedBytes > 0
      ? clamp01(Math.max(0, inputs.retainedBytes) / inputs.allocatedBytes)
      : 0;
  const paused = inputs.wallSeconds > 0 ? clamp01(inputs.gcSeconds / inputs.wallSeconds) : 0;
  return (1 - retained) * (1 - paused);
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
