import type {
  Attributes,
  Context,
  Exception,
  Histogram,
  Meter,
  Span,
  SpanOptions,
  SpanStatus,
  Tracer,
  TracerProvider,
} from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';

/** The semantic-convention buckets of `db.client.operation.duration`, in seconds. */
export const DB_DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

const METRIC_KEYS = ['db.system.name', 'db.namespace', 'server.address', 'server.port'] as const;

/** The `db.client.operation.duration` histogram on `meter`. */
export function createOperationDuration(meter: Meter): Histogram {
  return meter.createHistogram('db.client.operation.duration', {
    description: 'Duration of database client operations.',
    unit: 's',
    advice: { explicitBucketBoundaries: DB_DURATION_BUCKETS },
  });
}

/**
 * A tracer provider that records `db.client.operation.duration` for every span its tracers start
 * with a `db.operation.name` attribute: from start to `end()`, sampled or not, with `error.type`
 * when the span was marked as an error. For contrib instrumentations that record no metrics
 * themselves (the Redis ones); the spans are the base provider's, untouched.
 */
export function withOperationDuration(base: TracerProvider, histogram: Histogram): TracerProvider {
  return {
    getTracer(name, version, options) {
      const tracer = base.getTracer(name, version, options);
      return {
        startSpan(spanName: string, spanOptions?: SpanOptions, context?: Context): Span {
          const span = tracer.startSpan(spanName, spanOptions, context);
          const operation = spanOptions?.attributes?.['db.operation.name'];
          if (typeof operation === 'string') timeOperation(span, operation, spanOptions, histogram);
          return span;
        },
        startActiveSpan: tracer.startActiveSpan.bind(tracer) as Tracer['startActiveSpan'],
      };
    },
  };
}

function timeOperation(
  span: Span,
  operation: string,
  options: SpanOptions | undefined,
  histogram: Histogram,
): void {
  const started = performance.now();
  const attributes: Attributes = { 'db.operation.name': operation.toUpperCase() };
  for (const key of METRIC_KEYS) {
    const value = options?.attributes?.[key];
    if (value !== undefined) attributes[key] = value;
  }
  const { end, setStatus, recordException } = span;
  let errorType: string | undefined;
  span.recordException = function recordAndRemember(this: Span, exception: Exception, time) {
    errorType ??= exceptionType(exception);
    return recordException.call(this, exception, time);
  };
  span.setStatus = function setAndRemember(this: Span, status: SpanStatus) {
    if (status.code === SpanStatusCode.ERROR) errorType ??= '_OTHER';
    return setStatus.call(this, status);
  };
  span.end = function endAndRecord(this: Span, endTime) {
    span.end = end;
    try {
      histogram.record(
        (performance.now() - started) / 1000,
        errorType === undefined ? attributes : { ...attributes, 'error.type': errorType },
      );
    } catch {}
    return end.call(this, endTime);
  };
}

function exceptionType(exception: Exception): string {
  if (typeof exception === 'string') return '_OTHER';
  const code = (exception as { code?: unknown }).code;
  if (typeof code === 'string' && code.length <= 64) return code;
  return exception.name || '_OTHER';
}
