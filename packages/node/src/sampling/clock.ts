/** A source of time in milliseconds. Injected in tests so that sampling decisions are deterministic. */
export interface Clock {
  now(): number;
}

/** A source of uniform random numbers in [0, 1). Injected in tests, like the clock. */
export type RandomSource = () => number;

/** Monotonic time from `performance.now()`: never goes backwards when the wall clock is adjusted. */
export const systemClock: Clock = { now: () => performance.now() };
