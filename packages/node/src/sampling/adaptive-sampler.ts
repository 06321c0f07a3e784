import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';
import { invalidOption } from '../errors.js';
import { type Clock, type RandomSource, systemClock } from './clock.js';
import { followParent, NOT_SAMPLED, parentOf, SAMPLED } from './parent-decision.js';

export interface AdaptiveSamplerOptions {
  /** `OTEL_TRACES_SAMPLER_ARG` with `OTEL_TRACES_SAMPLER=sightline_adaptive`: new traces a second to keep. */
  targetPerSecond: number;
  /** How often the ratio is recomputed, ms. Default 1000. */
  windowMillis?: number;
  /** Weight of the newest window in the smoothed arrival rate, in (0, 1]. Default 0.5. */
  smoothing?: number;
  clock?: Clock;
  random?: RandomSource;
}

/**
 * A head sampler that keeps about `targetPerSecond` new traces a second in this process, whatever
 * the load. Spans with a parent follow the parent's decision; only root spans are counted and
 * sampled.
 *
 * Every window it measures how many roots arrived (all of them, sampled or not) and smooths that
 * rate with an exponential moving average; the ratio is `target / smoothed rate`, capped at 1.
 * Because the measured arrival rate does not depend on the ratio, there is no feedback loop and so
 * nothing to oscillate: after a step in load the ratio moves monotonically to its new value, the
 * remaining error halving each window (with the default smoothing).
 *
 * @example
 * ```ts
 * // or: OTEL_TRACES_SAMPLER=sightline_adaptive OTEL_TRACES_SAMPLER_ARG=50
 * const provider = new TracerProvider({ sampler: new AdaptiveSampler({ targetPerSecond: 50 }) });
 * ```
 */
export class AdaptiveSampler implements Sampler {
  private readonly target: number;
  private readonly windowMillis: number;
  private readonly smoothing: number;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private windowStart: number;
  private arrivals = 0;
  private smoothedRate = -1;
  private currentRatio = 1;

  constructor(options: AdaptiveSamplerOptions) {
    const { targetPerSecond, windowMillis = 1000, smoothing = 0.5 } = options;
    if (
      !(typeof targetPerSecond === 'number' && targetPerSecond >= 0 && targetPerSecond < Infinity)
    )
      invalidOption('targetPerSecond', targetPerSecond, 'a number >= 0');
    if (!(typeof windowMillis === 'number' && windowMillis > 0 && windowMillis < Infinity))
      invalidOption('windowMillis', windowMillis, 'a number > 0');
    if (!(typeof smoothing === 'number' && smoothing > 0 && smoothing <= 1))
      invalidOption('smoothing', smoothing, 'a number in (0, 1]');
    this.target = targetPerSecond;
    this.windowMillis = windowMillis;
    this.smoothing = smoothing;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.windowStart = this.clock.now();
  }

  /** The ratio new traces are sampled at now (exposed as the `sightline.sampling.adaptive.ratio` gauge). */
  get ratio(): number {
    return this.currentRatio;
  }

  shouldSample(
    context: Context,
    traceId: string,
    _name?: string,
    _kind?: SpanKind,
    _attributes?: Attributes,
    _links?: Link[],
  ): SamplingResult {
    const parent = parentOf(context, traceId);
    if (parent !== undefined) return followParent(parent);
    const now = this.clock.now();
    if (now - this.windowStart >= this.windowMillis) this.adjust(now);
    this.arrivals++;
    return this.random() < this.currentRatio ? SAMPLED : NOT_SAMPLED;
  }

  private adjust(now: number): void {
    const rate = (this.arrivals * 1000) / (now - this.windowStart);
    this.smoothedRate =
      this.smoothedRate < 0
        ? rate
        : this.smoothedRate + this.smoothing * (rate - this.smoothedRate);
    this.currentRatio = this.smoothedRate <= this.target ? 1 : this.target / this.smoothedRate;
    this.windowStart = now;
    this.arrivals = 0;
  }

  toString(): string {
    return `AdaptiveSampler{targetPerSecond=${this.target}}`;
  }
}
