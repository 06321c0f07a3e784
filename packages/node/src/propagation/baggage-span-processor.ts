import { type Context, propagation } from '@opentelemetry/api';
import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { invalidOption } from '../errors.js';

/** Options of `createBaggageSpanProcessor`. */
export interface BaggageSpanProcessorOptions {
  /** The baggage keys copied onto spans, exactly as written (e.g. `['tenant', 'user.id']`). */
  keys: readonly string[];
  /** Put before each key to make the attribute name. Default `'baggage.'`. */
  prefix?: string;
}

/**
 * A span processor that copies the allow-listed baggage entries of a span's parent context onto
 * the span as attributes (`baggage.tenant`), when the span starts. Only the keys listed are ever
 * copied: baggage comes from upstream callers, so copying all of it would let any client write
 * arbitrary attributes (and cardinality, and personal data) into your traces.
 *
 * Invalid options throw a `SightlineError` (`SIGHTLINE_ERR_INVALID_OPTION`); starting spans never
 * throws.
 *
 * @example
 * ```ts
 * const provider = new TracerProvider({
 *   spanProcessors: [
 *     createBaggageSpanProcessor({ keys: ['tenant', 'user.id'] }),
 *     new BatchSpanProcessor({ exporter }),
 *   ],
 * });
 * ```
 */
export function createBaggageSpanProcessor(options: BaggageSpanProcessorOptions): SpanProcessor {
  const keys: unknown = options?.keys;
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string' && key !== '')) {
    invalidOption('createBaggageSpanProcessor.keys', keys, 'an array of non-empty strings');
  }
  const prefix: unknown = options.prefix ?? 'baggage.';
  if (typeof prefix !== 'string') {
    invalidOption('createBaggageSpanProcessor.prefix', prefix, 'a string');
  }
  const allowed = [...new Set(keys as string[])].map((key) => [key, `${prefix}${key}`] as const);
  return new BaggageSpanProcessor(allowed);
}

class BaggageSpanProcessor implements SpanProcessor {
  constructor(private readonly allowed: ReadonlyArray<readonly [string, string]>) {}

  onStart(span: Span, parentContext: Context): void {
    const baggage = propagation.getBaggage(parentContext);
    if (baggage === undefined) return;
    for (const [key, attribute] of this.allowed) {
      const entry = baggage.getEntry(key);
      if (entry !== undefined) span.setAttribute(attribute, entry.value);
    }
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
