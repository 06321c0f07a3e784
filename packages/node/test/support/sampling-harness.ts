/**
 * Deterministic traces for sampling tests: a real SDK `TracerProvider` with a seeded id generator,
 * spans started and ended at explicit times of a manual clock, and the tail sampler (or any
 * processor) in front of an in-memory exporter.
 */
import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  type SpanKind,
  SpanStatusCode,
  TraceFlags,
  type TraceState,
  trace,
} from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  type IdGenerator,
  type ReadableSpan,
  type Sampler,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Clock } from '../../src/sampling/clock.js';

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex32(random: () => number): string {
  return Math.floor(random() * 4294967296)
    .toString(16)
    .padStart(8, '0');
}

/** Trace and span ids from a seeded PRNG, so a run can be replayed. */
export class SeededIdGenerator implements IdGenerator {
  constructor(private readonly random: () => number) {}
  generateTraceId(): string {
    return hex32(this.random) + hex32(this.random) + hex32(this.random) + hex32(this.random);
  }
  generateSpanId(): string {
    return hex32(this.random) + hex32(this.random);
  }
}

/** A clock the test moves by hand, in ms. */
export class ManualClock implements Clock {
  constructor(public t = 0) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

// Span times are the manual clock's, placed at a fixed epoch so the SDK reads them as wall time.
const EPOCH = 1_700_000_000_000;

export interface SpanSpec {
  parent?: Span | SpanContext;
  kind?: SpanKind;
  attributes?: Attributes;
}

/** The end of the pipeline: collects what reaches it, synchronously (as a batch processor queues). */
export class CollectingProcessor implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0) this.spans.push(span);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

export class TraceFactory {
  readonly sink = new CollectingProcessor();
  readonly provider: TracerProvider;
  private readonly tracer;

  constructor(options: {
    seed: number;
    processor: (sink: SpanProcessor) => SpanProcessor;
    sampler?: Sampler;
  }) {
    this.provider = new TracerProvider({
      idGenerator: new SeededIdGenerator(seededRandom(options.seed)),
      sampler: options.sampler ?? new AlwaysOnSampler(),
      spanProcessors: [options.processor(this.sink)],
    });
    this.tracer = this.provider.getTracer('sampling-test');
  }

  /** Starts a span at clock time `atMs`; a parent may be a local span or a (remote) span context. */
  start(name: string, atMs: number, spec: SpanSpec = {}): Span {
    let context: Context = ROOT_CONTEXT;
    if (spec.parent !== undefined)
      context =
        'spanContext' in spec.parent
          ? trace.setSpan(ROOT_CONTEXT, spec.parent)
          : trace.setSpanContext(ROOT_CONTEXT, spec.parent);
    return this.tracer.startSpan(
      name,
      {
        startTime: EPOCH + atMs,
        ...(spec.kind === undefined ? {} : { kind: spec.kind }),
        ...(spec.attributes === undefined ? {} : { attributes: spec.attributes }),
      },
      context,
    );
  }

  /** Ends a span at clock time `atMs`, optionally as an error. */
  end(span: Span, atMs: number, error = false): void {
    if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    span.end(EPOCH + atMs);
  }

  get exported(): ReadableSpan[] {
    return this.sink.spans;
  }

  exportedTraceIds(): Set<string> {
    return new Set(this.exported.map((s) => s.spanContext().traceId));
  }
}

/** A remote parent, as extracted from a `traceparent` header. */
export function remoteParent(
  traceId: string,
  options: { sampled?: boolean; traceState?: TraceState } = {},
): SpanContext {
  return {
    traceId,
    spanId: '00f067aa0ba902b7',
    traceFlags: options.sampled === false ? TraceFlags.NONE : TraceFlags.SAMPLED,
    isRemote: true,
    ...(options.traceState === undefined ? {} : { traceState: options.traceState }),
  };
}
