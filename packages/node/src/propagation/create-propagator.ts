import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import type { PropagatorName } from '../config/options.js';
import { JaegerPropagator } from './jaeger-propagator.js';
import { TraceContextPropagator } from './trace-context-propagator.js';

const FACTORIES: Record<Exclude<PropagatorName, 'none'>, () => TextMapPropagator> = {
  tracecontext: () => new TraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
  b3: () => new B3Propagator({ injectEncoding: B3InjectEncoding.SINGLE_HEADER }),
  b3multi: () => new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
  jaeger: () => new JaegerPropagator(),
};

/** The composite propagator for `OTEL_PROPAGATORS`, in the order given (extraction: later wins). */
export function createPropagator(names: readonly PropagatorName[]): TextMapPropagator {
  const propagators = names.flatMap((name) => (name === 'none' ? [] : [FACTORIES[name]()]));
  return new CompositePropagator({ propagators });
}
