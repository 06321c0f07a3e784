import type { Clock } from './clock.js';

/**
 * A token bucket: `ratePerSecond` tokens a second, up to `burst` saved up. Used for the per-policy
 * rate limits of tail sampling and the rate limits of sampling rules.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly clock: Clock,
    private readonly burst = Math.max(1, ratePerSecond),
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes one token if there is one. */
  tryTake(): boolean {
    const now = this.clock.now();
    const elapsed = now - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
      this.last = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}
