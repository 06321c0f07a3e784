import type { Context } from '@opentelemetry/api';
import { diag } from '@opentelemetry/api';
import { defaultResource } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
  TracerProvider,
  type TracerProviderOptions,
} from '@opentelemetry/sdk-trace';
import { ParentBasedSampler } from '../sampling/parent-based-sampler.js';
import type { LeanTracerState } from './lean-span.js';
import { LeanTracer } from './lean-tracer.js';
import { PooledIdGenerator } from './random-id-generator.js';
import { SpanClock } from './span-clock.js';

/**
 * The SDK's `TracerProvider` (processors, flush and shutdown are its own) whose tracers are
 * `LeanTracer`s: the same spans, sampling and limits at a fraction of the SDK span's start and end
 * cost (bench/span-start-end). DESIGN D2's "lean tracer behind the API". The SDK tracer's own
 * `otel.sdk.span.*` metrics (recorded only when a `meterProvider` option is given) are not made:
 * Sightline counts spans in `sightline.sdk.spans.*` (SpanHealthProcessor).
 */
export class SightlineTracerProvider extends TracerProvider {
  private readonly shared: Omit<LeanTracerState, 'scope'>;
  private readonly sampler: NonNullable<TracerProviderOptions['sampler']>;
  private readonly ids: NonNullable<TracerProviderOptions['idGenerator']>;
  private readonly tracers = new Map<string, LeanTracer>();

  constructor(options: TracerProviderOptions = {}) {
    super(options);
    const limits = options.spanLimits ?? {};
    let valueLength = limits.attributeValueLengthLimit ?? Number.POSITIVE_INFINITY;
    if (!(valueLength > 0)) {
      diag.warn(
        `Invalid attributeValueLengthLimit: must be positive, got ${valueLength} (ignoring)`,
      );
      valueLength = Number.POSITIVE_INFINITY;
    }
    this.shared = {
      resource: options.resource ?? defaultResource(),
      processor: new SpanProcessorFanOut(options.spanProcessors ?? []),
      limits: {
        attributeCountLimit: limits.attributeCountLimit ?? 128,
        attributeValueLengthLimit: valueLength,
        eventCountLimit: limits.eventCountLimit ?? 128,
        linkCountLimit: limits.linkCountLimit ?? 128,
        attributePerEventCountLimit: limits.attributePerEventCountLimit ?? 128,
        attributePerLinkCountLimit: limits.attributePerLinkCountLimit ?? 128,
      },
      clock: new SpanClock(),
      validIds:
        options.idGenerator === undefined || options.idGenerator instanceof PooledIdGenerator,
    };
    this.sampler = options.sampler ?? new ParentBasedSampler({ root: new AlwaysOnSampler() });
    this.ids = options.idGenerator ?? new PooledIdGenerator();
  }

  override getTracer(name: string, version?: string, options?: { schemaUrl?: string }): LeanTracer {
    const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
    let tracer = this.tracers.get(key);
    if (tracer === undefined) {
      const scope = { name, version, schemaUrl: options?.schemaUrl };
      tracer = new LeanTracer({ ...this.shared, scope }, this.sampler, this.ids);
      this.tracers.set(key, tracer);
    }
    return tracer;
  }
}

/**
 * The span-side half of the SDK's MultiSpanProcessor (flush and shutdown stay with the
 * provider's): `onEnding` only for the processors that have it.
 */
class SpanProcessorFanOut implements SpanProcessor {
  private readonly all: SpanProcessor[];
  private readonly ending: SpanProcessor[];

  constructor(processors: SpanProcessor[]) {
    this.all = [...processors];
    this.ending = processors.filter((p) => typeof p.onEnding === 'function');
  }

  onStart(span: Span, parentContext: Context): void {
    for (const processor of this.all) processor.onStart(span, parentContext);
  }

  onEnding(span: Span): void {
    for (const processor of this.ending) processor.onEnding?.(span);
  }

  onEnd(span: ReadableSpan): void {
    for (const processor of this.all) processor.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
