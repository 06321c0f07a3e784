import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import type { PropagatorName } from '../config/options.js';
import { HeaderListPropagator } from './extract-headers.js';
import { JaegerPropagator } from './jaeger-propagator.js';
import { TraceContextPropagator } from './trace-context-propagator.js';

const FACTORIES: Record<Exclude<PropagatorName, 'none'>, () => TextMapPropagator> = {
  tracecontext: () => new TraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
  b3: () => new B3Propagator({ injectEncoding: B3InjectEncoding.SINGLE_HEADER }),
  b3multi: () => new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
  jaeger: () => new JaegerPropagator(),
};

/**
 * The headers each propagator's extract() reads. B3's reads the single and the multi-header form
 * whichever it injects; Jaeger's reads `uberctx-*` baggage by prefix, so it has no list.
 */
const B3_HEADERS = [
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-sampled',
  'x-b3-flags',
  'x-b3-parentspanid',
];
const EXTRACTS: Record<Exclude<PropagatorName, 'none'>, readonly string[] | undefined> = {
  tracecontext: ['traceparent', 'tracestate'],
  baggage: ['baggage'],
  b3: B3_HEADERS,
  b3multi: B3_HEADERS,
  jaeger: undefined,
};

/** The composite propagator for `OTEL_PROPAGATORS`, in the order given (extraction: later wins). */
export function createPropagator(names: readonly PropagatorName[]): TextMapPropagator {
  const used = names.filter((name) => name !== 'none');
  const composite = new CompositePropagator({
    propagators: used.map((name) => FACTORIES[name]()),
  });
  const headers = used.map((name) => EXTRACTS[name]);
  return headers.every((list) => list !== undefined)
    ? new HeaderListPropagator(composite, [...new Set(headers.flat())])
    : composite;
}
