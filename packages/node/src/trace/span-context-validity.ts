import {
  type Context,
  INVALID_SPANID,
  INVALID_TRACEID,
  type Span,
  type SpanContext,
  trace,
} from '@opentelemetry/api';
import { LeanSpan } from './lean-span.js';

/**
 * The span context of the context's span, if it is valid as the API's `isSpanContextValid` says.
 * A Sightline span whose ids are valid by construction is not checked again: the API reads every
 * character of both ids, which for ids cut out of a longer string (Sightline's) costs about
 * 160 ns a call, and a child span paid it twice (the tracer, then the parent-based sampler).
 *
 * @param continuedTraceId for a sampler: the trace id the tracer gave the new span. A tracer
 *   continues a parent's trace only once it found the parent valid, so a parent with that trace
 *   id (and a non-zero span id) is valid without the check.
 */
export function validSpanContextOf(
  ctx: Context,
  continuedTraceId?: string,
): SpanContext | undefined {
  const span = trace.getSpan(ctx);
  return span === undefined ? undefined : validSpanContextOfSpan(span, continuedTraceId);
}

/** `validSpanContextOf` for a span at hand. */
export function validSpanContextOfSpan(
  span: Span,
  continuedTraceId?: string,
): SpanContext | undefined {
  const spanContext = span.spanContext();
  if (span instanceof LeanSpan && span.hasValidIds) return spanContext;
  if (
    continuedTraceId !== undefined &&
    spanContext.traceId === continuedTraceId &&
    continuedTraceId !== INVALID_TRACEID &&
    spanContext.spanId !== INVALID_SPANID
  ) {
    return spanContext;
  }
  return trace.isSpanContextValid(spanContext) ? spanContext : undefined;
}
