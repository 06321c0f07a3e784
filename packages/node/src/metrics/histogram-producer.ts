import { type HrTime, ValueType } from '@opentelemetry/api';
import { type InstrumentationScope, millisToHrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  type HistogramMetricData,
  type MetricProducer,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  ExplicitHistogram,
  type HistogramDescriptor,
  type HistogramPoint,
} from './explicit-histogram.js';

interface ScopeEntry {
  readonly scope: InstrumentationScope;
  readonly histograms: Map<string, ExplicitHistogram>;
}

const REGISTRIES = new WeakMap<object, HistogramRegistry>();

/**
 * The hot-path histograms of one meter provider, read by a `HistogramProducer` on each of its
 * metric readers. Instrumentations find it with `histogramRegistryOf(meterProvider)`; a provider
 * that has none (an app's own SDK) gets the SDK's histograms instead.
 */
export class HistogramRegistry {
  private readonly scopes = new Map<string, ScopeEntry>();
  private deltaReaders = 0;

  /** A slot for one more delta reader's interval min and max (in points made from now on). */
  addDeltaReader(): number {
    return this.deltaReaders++;
  }

  /** The histogram `descriptor.name` of `scope`, made on first use. */
  histogram(scope: InstrumentationScope, descriptor: HistogramDescriptor): ExplicitHistogram {
    const scopeKey = `${scope.name}@${scope.version ?? ''}`;
    let entry = this.scopes.get(scopeKey);
    if (entry === undefined) {
      entry = { scope, histograms: new Map() };
      this.scopes.set(scopeKey, entry);
    }
    let histogram = entry.histograms.get(descriptor.name);
    if (histogram === undefined) {
      histogram = new ExplicitHistogram(descriptor, () => this.deltaReaders);
      entry.histograms.set(descriptor.name, histogram);
    }
    return histogram;
  }

  entries(): IterableIterator<ScopeEntry> {
    return this.scopes.values();
  }

  /** Makes this registry the one of `meterProvider`. */
  attachTo(meterProvider: object): void {
    REGISTRIES.set(meterProvider, this);
  }
}

export function histogramRegistryOf(meterProvider: object): HistogramRegistry | undefined {
  return REGISTRIES.get(meterProvider);
}

/** What a delta reader reported of one point last time. */
interface Reported {
  count: number;
  sum: number;
  counts: Float64Array;
  time: HrTime;
}

/**
 * Hands a registry's histograms to one metric reader, in that reader's temporality: cumulative
 * points as they are; delta points as the change since this reader's previous collection, with the
 * interval's min and max from the reader's own slot, and only points that changed. Made before
 * the first point (as `createMetricReaders` does), every point has the slot.
 */
export class HistogramProducer implements MetricProducer {
  private readonly reported = new Map<HistogramPoint, Reported>();
  private readonly slot: number;

  constructor(
    private readonly registry: HistogramRegistry,
    private readonly temporality: AggregationTemporality,
  ) {
    this.slot = temporality === AggregationTemporality.DELTA ? registry.addDeltaReader() : -1;
  }

  async collect(): Promise<CollectionResult> {
    const now = millisToHrTime(Date.now());
    const scopeMetrics: ScopeMetrics[] = [];
    for (const { scope, histograms } of this.registry.entries()) {
      const metrics: HistogramMetricData[] = [];
      for (const histogram of histograms.values()) {
        const data = this.collectHistogram(histogram, now);
        if (data !== undefined) metrics.push(data);
      }
      if (metrics.length > 0) scopeMetrics.push({ scope, metrics });
    }
    return { resourceMetrics: { resource: emptyResource(), scopeMetrics }, errors: [] };
  }

  private collectHistogram(
    histogram: ExplicitHistogram,
    now: HrTime,
  ): HistogramMetricData | undefined {
    const { name, description, unit, boundaries } = histogram.descriptor;
    const dataPoints: HistogramMetricData['dataPoints'] = [];
    const delta = this.temporality === AggregationTemporality.DELTA;
    for (const point of histogram.allPoints()) {
      if (point.count === 0) continue;
      if (!delta) {
        dataPoints.push({
          attributes: point.attributes,
          startTime: point.startTime,
          endTime: now,
          value: {
            buckets: { boundaries: [...boundaries], counts: Array.from(point.counts) },
            count: point.count,
            sum: point.sum,
            min: point.min,
            max: point.max,
          },
        });
        continue;
      }
      const last = this.reported.get(point);
      if (last !== undefined && last.count === point.count) continue;
      const counts = Array.from(point.counts, (n, i) => n - (last?.counts[i] ?? 0));
      const slot = this.slot;
      const hasSlot = slot < point.intervalMin.length;
      const min = hasSlot ? point.intervalMin[slot] : undefined;
      const max = hasSlot ? point.intervalMax[slot] : undefined;
      if (hasSlot) {
        point.intervalMin[slot] = Number.POSITIVE_INFINITY;
        point.intervalMax[slot] = Number.NEGATIVE_INFINITY;
      }
      dataPoints.push({
        attributes: point.attributes,
        startTime: last?.time ?? point.startTime,
        endTime: now,
        value: {
          buckets: { boundaries: [...boundaries], counts },
          count: point.count - (last?.count ?? 0),
          sum: point.sum - (last?.sum ?? 0),
          min,
          max,
        },
      });
      this.reported.set(point, {
        count: point.count,
        sum: point.sum,
        counts: Float64Array.from(point.counts),
        time: now,
      });
    }
    if (dataPoints.length === 0) return undefined;
    return {
      descriptor: { name, description, unit, valueType: ValueType.DOUBLE },
      aggregationTemporality: this.temporality,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints,
    };
  }
}
