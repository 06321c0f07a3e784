import {
  type Attributes,
  createNoopMeter,
  type MeterProvider,
  metrics,
  ValueType,
} from '@opentelemetry/api';
import { VERSION } from '../version.js';
import { errorType } from './error-type.js';
import { FamilyInstruments } from './family-instruments.js';

/** The instrumentation scope of the family metrics. */
export const DOMAINS_METER_SCOPE = '@sightline/node/domains';

/** Distinct `error.type` values kept per operation; further types are recorded as `_OTHER`. */
const MAX_ERROR_TYPES = 16;
const OTHER = '_OTHER';

/** The semantic conventions' advice for duration histograms in seconds (e.g. `http.server.request.duration`). */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/**
 * RED metrics of one family: `${prefix}.operation.duration` (histogram, seconds) and
 * `${prefix}.operation.count` (counter), with `${prefix}.operation.name` and, for failures,
 * `error.type`. The attribute objects are built once per operation (and error type); the count is a
 * plain number on the hot path that an observable counter reports at collection time.
 */
export class RedMetrics {
  private readonly okAttributes: readonly Attributes[];
  private readonly errorAttributes: Map<string, Attributes>[];
  private provider: MeterProvider | undefined;
  private instruments: FamilyInstruments | undefined;

  constructor(
    private readonly prefix: string,
    operations: readonly string[],
  ) {
    const key = `${prefix}.operation.name`;
    this.okAttributes = operations.map((operation) => ({ [key]: operation }));
    this.errorAttributes = operations.map(() => new Map());
  }

  /**
   * The instruments on the MeterProvider registered now, or undefined when there is none. The
   * metrics API has no proxy provider, so a re-`init()` is noticed by identity: one global read and
   * one comparison per call; instruments are created once per provider.
   */
  current(): FamilyInstruments | undefined {
    const provider = metrics.getMeterProvider();
    if (provider !== this.provider) {
      this.provider = provider;
      this.instruments = this.createInstruments(provider);
    }
    return this.instruments;
  }

  /** Records a call that returned or resolved after `seconds`. Never throws. */
  ok(instruments: FamilyInstruments, operation: number, seconds: number): void {
    instruments.okCounts[operation] = (instruments.okCounts[operation] ?? 0) + 1;
    try {
      instruments.histogram.record(seconds, this.okAttributes[operation]);
    } catch {
      // Another SDK's instrument failing must not fail the caller's operation.
    }
  }

  /** Records a call that threw or rejected with `error`. Never throws (the caller rethrows `error`). */
  error(instruments: FamilyInstruments, operation: number, seconds: number, error: unknown): void {
    const attributes = this.errorAttributesFor(operation, errorType(error));
    instruments.errorCounts.set(attributes, (instruments.errorCounts.get(attributes) ?? 0) + 1);
    try {
      instruments.histogram.record(seconds, attributes);
    } catch {
      // As in ok().
    }
  }

  private errorAttributesFor(operation: number, type: string): Attributes {
    const byType = this.errorAttributes[operation] as Map<string, Attributes>;
    const known = byType.get(type);
    if (known !== undefined) return known;
    // Past the limit every new type shares `_OTHER`, which is always allowed in (so at most
    // MAX_ERROR_TYPES + 1 attribute sets per operation).
    const key = byType.size < MAX_ERROR_TYPES ? type : OTHER;
    const attributes = byType.get(key) ?? { ...this.okAttributes[operation], 'error.type': key };
    byType.set(key, attributes);
    return attributes;
  }

  private createInstruments(provider: MeterProvider): FamilyInstruments | undefined {
    try {
      const meter = provider.getMeter(DOMAINS_METER_SCOPE, VERSION);
      if (meter === createNoopMeter()) return undefined;
      const histogram = meter.createHistogram(`${this.prefix}.operation.duration`, {
        unit: 's',
        description: `Duration of ${this.prefix} operations`,
        advice: { explicitBucketBoundaries: DURATION_BUCKETS },
      });
      const counter = meter.createObservableCounter(`${this.prefix}.operation.count`, {
        unit: '{operation}',
        description: `Number of ${this.prefix} operations`,
        valueType: ValueType.INT,
      });
      const instruments = new FamilyInstruments(histogram, this.okAttributes.length);
      counter.addCallback((result) => instruments.observe(result, this.okAttributes));
      return instruments;
    } catch {
      // A broken provider costs the family its metrics, never the caller's operation.
      return undefined;
    }
  }
}
