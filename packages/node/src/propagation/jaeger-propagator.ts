import {
  type Context,
  isSpanContextValid,
  propagation,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';

const TRACE_HEADER = 'uber-trace-id';
const BAGGAGE_PREFIX = 'uberctx-';
// {trace-id}:{span-id}:{parent-span-id (deprecated)}:{flags}, hex ids of up to 128 and 64 bits.
const UBER_TRACE_ID = /^([0-9a-f]{1,32}):([0-9a-f]{1,16}):([0-9a-f]{1,16}):([0-9a-f]{1,2})$/i;

/**
 * Jaeger's native propagation (`uber-trace-id` and `uberctx-*` baggage), for services that still
 * speak it. Written here because the official package lags the API version we require.
 */
export class JaegerPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (spanContext && isSpanContextValid(spanContext) && !isTracingSuppressed(context)) {
      const flags = (spanContext.traceFlags & TraceFlags.SAMPLED).toString(16);
      setter.set(carrier, TRACE_HEADER, `${spanContext.traceId}:${spanContext.spanId}:0:${flags}`);
    }
    const baggage = propagation.getBaggage(context);
    if (baggage) {
      for (const [key, entry] of baggage.getAllEntries()) {
        setter.set(carrier, `${BAGGAGE_PREFIX}${key}`, encodeURIComponent(entry.value));
      }
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    let result = context;
    const header = first(getter.get(carrier, TRACE_HEADER));
    if (header !== undefined) {
      const match = UBER_TRACE_ID.exec(safeDecode(header) ?? '');
      if (match?.[1] && match[2] && match[4]) {
        const spanContext = {
          traceId: match[1].toLowerCase().padStart(32, '0'),
          spanId: match[2].toLowerCase().padStart(16, '0'),
          traceFlags: Number.parseInt(match[4], 16) & TraceFlags.SAMPLED,
          isRemote: true,
        };
        if (isSpanContextValid(spanContext)) result = trace.setSpanContext(result, spanContext);
      }
    }
    const entries: Record<string, { value: string }> = {};
    let found = false;
    for (const key of getter.keys(carrier)) {
      if (!key.toLowerCase().startsWith(BAGGAGE_PREFIX)) continue;
      const value = safeDecode(first(getter.get(carrier, key)) ?? '');
      if (value === undefined) continue;
      entries[key.slice(BAGGAGE_PREFIX.length)] = { value };
      found = true;
    }
    if (found) {
      const existing = propagation.getBaggage(result);
      let baggage = existing ?? propagation.createBaggage();
      for (const [key, entry] of Object.entries(entries)) baggage = baggage.setEntry(key, entry);
      result = propagation.setBaggage(result, baggage);
    }
    return result;
  }

  fields(): string[] {
    return [TRACE_HEADER];
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
