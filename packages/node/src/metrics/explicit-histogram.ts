import type { Attributes, HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';

/** Attribute sets per histogram at most, as the SDK's default cardinality limit. */
export const MAX_HISTOGRAM_POINTS = 2000;
/** The attributes of the point that takes every set past the limit (metrics SDK spec). */
const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });

/** What the exported metric says about itself. */
export interface HistogramDescriptor {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  /** Inclusive upper bounds of the buckets, ascending; one more bucket holds the rest. */
  readonly boundaries: readonly number[];
}

/** The running totals of one attribute set, since the point was made (cumulative). */
export class HistogramPoint {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  readonly counts: Float64Array;
  readonly startTime: HrTime = millisToHrTime(Date.now());

  constructor(
    private readonly boundaries: readonly number[],
    readonly attributes: Attributes,
  ) {
    this.counts = new Float64Array(boundaries.length + 1);
  }

  /** Adds one value: a handful of comparisons and four field writes, no allocation. */
  record(value: number): void {
    // NaN and negative values are refused, as the SDK's histogram does.
    if (!(value >= 0)) return;
    const boundaries = this.boundaries;
    let i = 0;
    while (i < boundaries.length && value > (boundaries[i] as number)) i++;
    (this.counts[i] as number)++;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }
}

/**
 * An explicit-bucket histogram aggregated on the hot path, for instruments recorded once per
 * request: the caller finds its point by a key it builds from the attribute values (cheaper than
 * the SDK's hashing of the attribute object on every record), and `HistogramProducer` hands the
 * totals to each metric reader at collection time.
 */
export class ExplicitHistogram {
  private readonly points = new Map<string, HistogramPoint>();
  private overflow: HistogramPoint | undefined;

  constructor(readonly descriptor: HistogramDescriptor) {}

  /** The point for `key`, or undefined when it has none yet (then call `bind`). */
  point(key: string): HistogramPoint | undefined {
    return this.points.get(key);
  }

  /**
   * The point for `key` (the one it has, or a new one with the attributes it stands for, kept:
   * they must not change).
   */
  bind(key: string, attributes: Attributes): HistogramPoint {
    const existing = this.points.get(key);
    if (existing !== undefined) return existing;
    if (this.points.size >= MAX_HISTOGRAM_POINTS) {
      this.overflow ??= new HistogramPoint(this.descriptor.boundaries, OVERFLOW_ATTRIBUTES);
      return this.overflow;
    }
    const point = new HistogramPoint(this.descriptor.boundaries, attributes);
    this.points.set(key, point);
    return point;
  }

  /** Every point, the overflow point last. */
  *allPoints(): IterableIterator<HistogramPoint> {
    yield* this.points.values();
    if (this.overflow !== undefined) yield this.overflow;
  }
}
