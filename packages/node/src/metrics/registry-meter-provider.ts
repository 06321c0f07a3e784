import {
  type Attributes,
  type BatchObservableCallback,
  type Counter,
  type Gauge,
  type Histogram,
  type Meter,
  type MeterOptions,
  type MeterProvider,
  type MetricOptions,
  type Observable,
  type ObservableCounter,
  type ObservableGauge,
  type ObservableUpDownCounter,
  type UpDownCounter,
  ValueType,
} from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { ExplicitHistogram, HistogramPoint } from './explicit-histogram.js';
import { type HistogramRegistry, histogramRegistryOf } from './histogram-producer.js';
import { keyPart } from './keyed-histogram.js';

/** The metrics SDK's default explicit buckets, for a histogram created without advice. */
const SDK_DEFAULT_BOUNDARIES = [
  0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
];
/** Insertion-order keys remembered per histogram; past it each new key is made canonical again. */
const MAX_KEYS = 4000;

/**
 * `meterProvider` for instrumentations that record a histogram per operation through the metrics
 * API (the contrib `pg` instrumentation's `db.client.operation.duration`): their histograms are
 * aggregated by the provider's `HistogramRegistry`, the rest is the provider's own. Recording into
 * the SDK's histogram costs about 3.5 µs per query on the api benchmark, most of it hashing the
 * attribute object (sorting its keys, JSON); here a key is the attributes in the order given, and
 * only a key seen for the first time is sorted to find its point. A provider without a registry
 * (an app's own SDK) is returned as it is.
 */
export function withRegistryHistograms(meterProvider: MeterProvider): MeterProvider {
  const registry = histogramRegistryOf(meterProvider);
  if (registry === undefined) return meterProvider;
  return {
    getMeter(name: string, version?: string, options?: MeterOptions): Meter {
      const scope = { name, version, schemaUrl: options?.schemaUrl };
      return new RegistryMeter(meterProvider.getMeter(name, version, options), registry, scope);
    },
  };
}

/** A meter whose histograms are the registry's; everything else is the SDK meter's. */
class RegistryMeter implements Meter {
  constructor(
    private readonly meter: Meter,
    private readonly registry: HistogramRegistry,
    private readonly scope: InstrumentationScope,
  ) {}

  createHistogram(name: string, options?: MetricOptions): Histogram {
    const histogram = this.registry.histogram(this.scope, {
      name,
      description: options?.description ?? '',
      unit: options?.unit ?? '',
      boundaries: options?.advice?.explicitBucketBoundaries ?? SDK_DEFAULT_BOUNDARIES,
    });
    return new RegistryHistogram(histogram, options?.valueType === ValueType.INT);
  }

  createGauge(name: string, options?: MetricOptions): Gauge {
    return this.meter.createGauge(name, options);
  }

  createCounter(name: string, options?: MetricOptions): Counter {
    return this.meter.createCounter(name, options);
  }

  createUpDownCounter(name: string, options?: MetricOptions): UpDownCounter {
    return this.meter.createUpDownCounter(name, options);
  }

  createObservableGauge(name: string, options?: MetricOptions): ObservableGauge {
    return this.meter.createObservableGauge(name, options);
  }

  createObservableCounter(name: string, options?: MetricOptions): ObservableCounter {
    return this.meter.createObservableCounter(name, options);
  }

  createObservableUpDownCounter(name: string, options?: MetricOptions): ObservableUpDownCounter {
    return this.meter.createObservableUpDownCounter(name, options);
  }

  addBatchObservableCallback(callback: BatchObservableCallback, observables: Observable[]): void {
    this.meter.addBatchObservableCallback(callback, observables);
  }

  removeBatchObservableCallback(
    callback: BatchObservableCallback,
    observables: Observable[],
  ): void {
    this.meter.removeBatchObservableCallback(callback, observables);
  }
}

/** Attribute sets remembered per histogram by their names and values, tried before any key. */
const RECENT_SETS = 4;

/** An attribute set recorded lately: its names in order and their (primitive) values. */
interface RecentSet {
  readonly names: string[];
  readonly values: (string | number | boolean)[];
  readonly point: HistogramPoint;
}

/** The API's `Histogram` over an `ExplicitHistogram`, attribute sets found by value. */
class RegistryHistogram implements Histogram {
  private readonly byKey = new Map<string, HistogramPoint>();
  private readonly byCanonicalKey = new Map<string, HistogramPoint>();
  private readonly recent: RecentSet[] = [];
  private nextRecent = 0;

  constructor(
    private readonly histogram: ExplicitHistogram,
    private readonly integers: boolean,
  ) {}

  record(value: number, attributes: Attributes = {}): void {
    if (typeof value !== 'number') return;
    const point = this.recentPoint(attributes) ?? this.keyedPoint(attributes);
    point.record(this.integers ? Math.trunc(value) : value);
  }

  /**
   * The point of a set recorded lately with the same names in the same order and the same values:
   * compared in place, where the key below is a string built, hashed and compared for every record
   * (2 to 3 µs per query on bench/http's api server in a `perf` profile, for the contrib `pg`
   * instrumentation's five attributes).
   */
  private recentPoint(attributes: Attributes): HistogramPoint | undefined {
    const recent = this.recent;
    for (let r = 0; r < recent.length; r++) {
      const set = recent[r] as RecentSet;
      const { names, values } = set;
      let i = 0;
      let same = true;
      for (const name in attributes) {
        const v = attributes[name];
        if (v === undefined) continue;
        if (i === names.length || names[i] !== name || values[i] !== v) {
          same = false;
          break;
        }
        i++;
      }
      if (same && i === names.length) return set.point;
    }
    return undefined;
  }

  /** Remembers a set among the recent ones, if its values are primitives (an array can change). */
  private remember(attributes: Attributes, point: HistogramPoint): void {
    const names: string[] = [];
    const values: (string | number | boolean)[] = [];
    for (const name in attributes) {
      const v = attributes[name];
      if (v === undefined) continue;
      if (typeof v === 'object') return;
      names.push(name);
      values.push(v as string | number | boolean);
    }
    this.recent[this.nextRecent] = { names, values, point };
    this.nextRecent = (this.nextRecent + 1) % RECENT_SETS;
  }

  private keyedPoint(attributes: Attributes): HistogramPoint {
    let key = '';
    for (const name in attributes) {
      const v = attributes[name];
      if (v === undefined) continue;
      // Length-prefixed parts; the type's initial tells `1` from `"1"`; arrays and maps as JSON.
      key += `${keyPart(name)}${(typeof v)[0]}${keyPart(typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean))}`;
    }
    let point = this.byKey.get(key);
    if (point === undefined) {
      point = this.pointOf(attributes);
      if (this.byKey.size < MAX_KEYS) this.byKey.set(key, point);
    }
    this.remember(attributes, point);
    return point;
  }

  /** The point of an attribute set, whatever the order of its keys. */
  private pointOf(attributes: Attributes): HistogramPoint {
    const names = Object.keys(attributes)
      .filter((name) => attributes[name] !== undefined)
      .sort();
    const canonical = JSON.stringify(names.map((name) => [name, attributes[name]]));
    let point = this.byCanonicalKey.get(canonical);
    if (point === undefined) {
      const copy: Attributes = {};
      for (const name of names) copy[name] = attributes[name];
      point = this.histogram.bind(canonical, copy);
      if (this.byCanonicalKey.size < MAX_KEYS) this.byCanonicalKey.set(canonical, point);
    }
    return point;
  }
}
