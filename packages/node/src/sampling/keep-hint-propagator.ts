import {
  type Context,
  isSpanContextValid,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import { hasKeepHint, withKeepHint } from './keep-hint.js';

/**
 * Wraps a propagator so that an outgoing call carries `sightline=keep` in `tracestate` when this
 * process already knows, at the moment of the call, that it keeps the trace (`keeps(traceId)`,
 * usually the tail sampler's `keepHint`). A downstream Sightline process keeps such traces through
 * its `upstream` policy, so the trace stays whole. What is only learnt after the call (the root
 * turned out slow, a later span failed) cannot travel back upstream: that needs the Collector's
 * tail sampler, which sees every service's spans.
 *
 * @example
 * ```ts
 * propagation.setGlobalPropagator(createKeepHintPropagator(new W3CTraceContextPropagator(), (id) => tail.keepHint(id)));
 * ```
 */
export function createKeepHintPropagator(
  inner: TextMapPropagator,
  keeps: (traceId: string) => boolean,
): TextMapPropagator {
  return {
    inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
      const spanContext = trace.getSpanContext(context);
      if (
        spanContext !== undefined &&
        isSpanContextValid(spanContext) &&
        !hasKeepHint(spanContext.traceState) &&
        keeps(spanContext.traceId)
      ) {
        context = trace.setSpanContext(context, {
          ...spanContext,
          traceState: withKeepHint(spanContext.traceState),
        });
      }
      inner.inject(context, carrier, setter);
    },
    extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
      return inner.extract(context, carrier, getter);
    },
    fields(): string[] {
      return inner.fields();
    },
  };
}
