import {
  type Context,
  isSpanContextValid,
  type TextMapSetter,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import {
  isTracingSuppressed,
  TRACE_PARENT_HEADER,
  TRACE_STATE_HEADER,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';

/**
 * W3C Trace Context, with the flags field always written as two hex digits. The official
 * propagator (core 3.1.1) writes `"0" + flags.toString(16)`, so forwarding received flags of 0x10
 * or above produces a three-digit field that every W3C parser rejects, breaking the trace at the
 * next hop. Extraction is the official one.
 */
export class TraceContextPropagator extends W3CTraceContextPropagator {
  override inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (!spanContext || isTracingSuppressed(context) || !isSpanContextValid(spanContext)) return;
    const flags = ((spanContext.traceFlags || TraceFlags.NONE) & 0xff)
      .toString(16)
      .padStart(2, '0');
    setter.set(
      carrier,
      TRACE_PARENT_HEADER,
      `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`,
    );
    if (spanContext.traceState)
      setter.set(carrier, TRACE_STATE_HEADER, spanContext.traceState.serialize());
  }
}
