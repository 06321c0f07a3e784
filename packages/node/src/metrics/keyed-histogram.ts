import type { Attributes, Histogram } from '@opentelemetry/api';
import { MAX_HISTOGRAM_POINTS } from './explicit-histogram.js';

/**
 * A free-text part of a histogram key: length-prefixed, so that no value can run into the next
 * part whatever it holds (`-` for none, which no prefixed value starts with).
 */
export function keyPart(value: string | number | boolean | undefined): string {
  if (value === undefined) return '-';
  const text = String(value);
  return `${text.length}:${text}`;
}

/** Records the values of one attribute set. */
export interface HistogramRecorder {
  record(value: number): void;
}

/**
 * A histogram whose attribute sets are found by a key the caller builds from the attribute
 * values: `ExplicitHistogram` (Sightline's own meter provider) or `SdkKeyedHistogram` (any other).
 */
export interface KeyedHistogram {
  /** The recorder for `key`, or undefined when it has none yet (then call `bind`). */
  point(key: string): HistogramRecorder | undefined;
  /** The recorder for `key` with the attributes it stands for (kept: they must not change). */
  bind(key: string, attributes: Attributes): HistogramRecorder;
}

class SdkRecorder implements HistogramRecorder {
  constructor(
    private readonly histogram: Histogram,
    private readonly attributes: Attributes,
  ) {}

  record(value: number): void {
    this.histogram.record(value, this.attributes);
  }
}

/** An API histogram behind the keyed interface: each key's attribute object is built once. */
export class SdkKeyedHistogram implements KeyedHistogram {
  private readonly recorders = new Map<string, SdkRecorder>();

  constructor(private readonly histogram: Histogram) {}

  point(key: string): HistogramRecorder | undefined {
    return this.recorders.get(key);
  }

  bind(key: string, attributes: Attributes): HistogramRecorder {
    const recorder = new SdkRecorder(this.histogram, attributes);
    // Past the bound the recorder is used once and not kept; the SDK applies its own limit.
    if (this.recorders.size < MAX_HISTOGRAM_POINTS) this.recorders.set(key, recorder);
    return recorder;
  }
}
