import { isSpanContextValid, type SpanContext } from '@opentelemetry/api';

/**
 * The W3C Trace Context Level 2 `traceresponse` header value of a server span
 * (`00-<trace-id>-<span-id>-<flags>`), or undefined for an invalid span context.
 *
 * @example
 * ```ts
 * traceResponseValue(span.spanContext()); // '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
 * ```
 */
export function traceResponseValue(spanContext: SpanContext): string | undefined {
  if (!isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}
