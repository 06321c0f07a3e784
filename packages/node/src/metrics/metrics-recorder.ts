import {
  type Attributes,
  context,
  type Meter,
  type MetricOptions,
  metrics,
  propagation,
} from '@opentelemetry/api';
import { invalidOption } from '../errors.js';
import { VERSION } from '../version.js';

/** Options of `createMetricsRecorder`. */
export interface MetricsRecorderOptions {
  /** The meter, or the name of the instrumentation scope to get one for. Default `@sightline/node`. */
  meter?: Meter | string;
  /** Recorded as `sightline.component` on every measurement (e.g. `'checkout.payments'`). */
  component?: string;
  /** Further attributes put on every measurement. */
  attributes?: Attributes;
  /**
   * Baggage keys copied from the active context onto every measurement, as `baggage.<key>` (e.g.
   * `['tenant']`). Only the keys listed are read: baggage comes from callers, and each distinct value
   * is a new time series, so list only keys with few values.
   */
  baggageKeys?: readonly string[];
}

/** A counter (monotonic or not) that adds the recorder's common attributes. */
export interface RecordedCounter {
  add(value: number, attributes?: Attributes): void;
}

/** A histogram or gauge that adds the recorder's common attributes. */
export interface RecordedValue {
  record(value: number, attributes?: Attributes): void;
}

/** Creates instruments whose every measurement carries the same common attributes. */
export interface MetricsRecorder {
  counter(name: string, options?: MetricOptions): RecordedCounter;
  upDownCounter(name: string, options?: MetricOptions): RecordedCounter;
  histogram(name: string, options?: MetricOptions): RecordedValue;
  gauge(name: string, options?: MetricOptions): RecordedValue;
  /** The attributes a measurement made now would carry, with `attributes` merged in. */
  attributes(attributes?: Attributes): Attributes;
}

/**
 * A metrics recorder: instruments whose every measurement carries common attributes (the
 * component, fixed attributes, and allow-listed baggage entries such as the tenant). Instruments
 * are created on the meter given, or on the global MeterProvider's `@sightline/node` meter when
 * first used; with no SDK registered every call is the API's no-op. Names follow the semantic
 * conventions where one exists; the `METRICS` catalogue lists the ones Sightline emits itself.
 *
 * Invalid options throw `SIGHTLINE_ERR_INVALID_OPTION`; recording never throws.
 *
 * @example
 * ```ts
 * const recorder = createMetricsRecorder({ component: 'checkout', baggageKeys: ['tenant'] });
 * const orders = recorder.counter('checkout.orders', { unit: '{order}' });
 * orders.add(1, { 'payment.method': 'card' }); // + sightline.component, baggage.tenant
 * ```
 */
export function createMetricsRecorder(options: MetricsRecorderOptions = {}): MetricsRecorder {
  const { component, attributes = {}, baggageKeys = [] } = options;
  if (component !== undefined && (typeof component !== 'string' || component === '')) {
    invalidOption('createMetricsRecorder.component', component, 'a non-empty string');
  }
  if (!Array.isArray(baggageKeys) || !baggageKeys.every((k) => typeof k === 'string' && k !== '')) {
    invalidOption(
      'createMetricsRecorder.baggageKeys',
      baggageKeys,
      'an array of non-empty strings',
    );
  }
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    invalidOption('createMetricsRecorder.attributes', attributes, 'an attributes object');
  }
  const common: Attributes = Object.freeze({
    ...attributes,
    ...(component === undefined ? {} : { 'sightline.component': component }),
  });
  const baggage = baggageKeys.map((key) => [key, `baggage.${key}`] as const);
  const fixedMeter = typeof options.meter === 'object' ? options.meter : undefined;
  const scope = typeof options.meter === 'string' ? options.meter : '@sightline/node';
  /**
   * The API has no proxy meter: an instrument made before `init()` would stay a no-op forever. So
   * each instrument is (re)made on the provider registered when it is used: one global read and
   * one identity check per measurement.
   */
  const lazy = <I>(make: (meter: Meter) => I): (() => I) => {
    if (fixedMeter !== undefined) {
      const instrument = make(fixedMeter);
      return () => instrument;
    }
    let provider: unknown;
    let instrument: I | undefined;
    return () => {
      const current = metrics.getMeterProvider();
      if (current !== provider || instrument === undefined) {
        provider = current;
        instrument = make(current.getMeter(scope, VERSION));
      }
      return instrument;
    };
  };

  const merged = (extra: Attributes | undefined): Attributes => {
    if (baggage.length === 0 && extra === undefined) return common;
    const out: Attributes = { ...common, ...extra };
    if (baggage.length > 0) {
      const entries = propagation.getBaggage(context.active());
      if (entries !== undefined) {
        for (const [key, attribute] of baggage) {
          const entry = entries.getEntry(key);
          if (entry !== undefined) out[attribute] = entry.value;
        }
      }
    }
    return out;
  };

  return {
    counter(name, metricOptions) {
      const instrument = lazy((meter) => meter.createCounter(name, metricOptions));
      return { add: (value, extra) => instrument().add(value, merged(extra)) };
    },
    upDownCounter(name, metricOptions) {
      const instrument = lazy((meter) => meter.createUpDownCounter(name, metricOptions));
      return { add: (value, extra) => instrument().add(value, merged(extra)) };
    },
    histogram(name, metricOptions) {
      const instrument = lazy((meter) => meter.createHistogram(name, metricOptions));
      return { record: (value, extra) => instrument().record(value, merged(extra)) };
    },
    gauge(name, metricOptions) {
      const instrument = lazy((meter) => meter.createGauge(name, metricOptions));
      return { record: (value, extra) => instrument().record(value, merged(extra)) };
    },
    attributes: merged,
  };
}
