/** How often the wall-clock anchor of span times is checked. */
const REANCHOR_MILLIS = 1000;
/**
 * How far the wall clock must have moved from the anchor before it is taken again. `Date.now()`
 * has millisecond steps: taking every reading would make times jitter by up to a millisecond
 * between spans (a child could seem to start before its parent).
 */
const STEP_MILLIS = 2;

/**
 * Span times from one monotonic reading each: `performance.now()` gives sub-millisecond
 * durations that never go backwards, and an offset to `Date.now()`, checked at most once a second,
 * keeps start times on the wall clock when it is stepped (NTP). The SDK reads both clocks for every
 * span and so starts spans with millisecond resolution only.
 */
export class SpanClock {
  /** `Date.now()` minus `performance.timeOrigin + performance.now()` when last anchored. */
  offsetMillis = Number.NaN;
  private checkedAt = Number.NEGATIVE_INFINITY;
  /** `performance.timeOrigin + offsetMillis`: the getter is read when anchoring, not per span. */
  private base = Number.NaN;

  /** Epoch milliseconds (fractional) for a `performance.now()` reading taken just now. */
  epochMillis(now: number): number {
    if (now - this.checkedAt > REANCHOR_MILLIS) this.anchor(now);
    return this.base + now;
  }

  /** Epoch milliseconds for any earlier `performance.now()` timestamp (a user's start time). */
  epochMillisOf(monotonic: number): number {
    const now = performance.now();
    if (now - this.checkedAt > REANCHOR_MILLIS) this.anchor(now);
    return this.base + monotonic;
  }

  private anchor(now: number): void {
    this.checkedAt = now;
    const origin = performance.timeOrigin;
    const offset = Date.now() - (origin + now);
    if (!(Math.abs(offset - this.offsetMillis) < STEP_MILLIS)) this.offsetMillis = offset;
    this.base = origin + this.offsetMillis;
  }
}
