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
  /** Min and max since each delta reader's last collection, one slot per delta reader. */
  readonly intervalMin: Float64Array;
  readonly intervalMax: Float64Array;

  constructor(
    private readonly boundaries: readonly number[],
    readonly attributes: Attributes,
    deltaReaders = 0,
  ) {
    this.counts = new Float64Array(boundaries.length + 1);
    this.intervalMin = new Float64Array(deltaReaders).fill(Number.POSITIVE_INFINITY);
    this.intervalMax = new Float64Array(deltaReaders).fill(Number.NEGATIVE_INFINITY);
  }

  /** Adds one value: a handful of comparisons and field writes, no allocation. */
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
    const mins = this.intervalMin;
    for (let slot = 0; slot < mins.length; slot++) {
      if (value < (mins[slot] as number)) mins[slot] = value;
      if (value > (this.intervalMax[slot] as number)) this.intervalMax[slot] = value;
    }
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

  constructor(
    readonly descriptor: HistogramDescriptor,
    /** How many delta readers there are, when a point is made. */
    private readonly deltaReaders: () => number = () => 0,
  ) {}

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
      this.overflow ??= new HistogramPoint(
        this.descriptor.boundaries,
        OVERFLOW_ATTRIBUTES,
        this.deltaReaders(),
      );
      return this.overflow;
    }
    const point = new HistogramPoint(this.descriptor.boundaries, attributes, this.deltaReaders());
    this.points.set(key, point);
    return point;
  }

  /** Every point, the overflow point last. */
  *allPoints(): IterableIterator<HistogramPoint> {
    yield* this.points.values();
    if (this.overflow !== undefined) yield this.overflow;
  }
}
