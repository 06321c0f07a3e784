import {
  createNoopMeter,
  type Histogram,
  type MeterProvider,
  metrics,
  ProxyTracerProvider,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { VERSION } from '../../version.js';
import { observeActiveRequests } from './active-requests.js';

/** The instrumentation scope of the HTTP spans and metrics. */
export const HTTP_SCOPE = '@sightline/node/http';

/** The bucket boundaries semconv advises for `http.*.request.duration`, in seconds. */
export const DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** The tracer and instruments of the providers registered now. */
export interface HttpTelemetry {
  readonly tracer: Tracer;
  /** A tracer provider is registered (else spans are non-recording and contexts are not attached). */
  readonly tracing: boolean;
  readonly serverDuration: Histogram;
  readonly clientDuration: Histogram;
}

// What the API hands out when nothing is registered, to tell "no SDK" apart cheaply.
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
const NOOP_HISTOGRAM = createNoopMeter().createHistogram('noop');

let tracerProvider: TracerProvider | undefined;
let tracer: Tracer | undefined;
let tracing = false;
let meterProvider: MeterProvider | undefined;
let serverDuration: Histogram = NOOP_HISTOGRAM;
let clientDuration: Histogram = NOOP_HISTOGRAM;
let metering = false;
let current: HttpTelemetry | undefined;

/**
 * The telemetry to record a request with, or undefined when no SDK is registered (then the
 * instrumentation does nothing). Resolved per event against the global providers, like
 * `defaultTracer()`, so a re-`init()` is picked up; the tracer and the instruments are created
 * once per registered provider. Cost when nothing changed: two global reads, two identity checks.
 */
export function httpTelemetry(): HttpTelemetry | undefined {
  const globalTracerProvider = trace.getTracerProvider() as TracerProvider & {
    getDelegate?: () => TracerProvider;
  };
  const tp =
    typeof globalTracerProvider.getDelegate === 'function'
      ? globalTracerProvider.getDelegate()
      : globalTracerProvider;
  const mp = metrics.getMeterProvider();
  if (tp !== tracerProvider || mp !== meterProvider) refresh(tp, mp);
  return current;
}

function refresh(tp: TracerProvider, mp: MeterProvider): void {
  if (tp !== tracerProvider) {
    tracer = tp.getTracer(HTTP_SCOPE, VERSION);
    tracing = tp !== NOOP_TRACER_PROVIDER;
    tracerProvider = tp;
  }
  if (mp !== meterProvider) {
    const meter = mp.getMeter(HTTP_SCOPE, VERSION);
    const advice = { explicitBucketBoundaries: [...DURATION_BUCKETS] };
    serverDuration = meter.createHistogram('http.server.request.duration', {
      description: 'Duration of HTTP server requests.',
      unit: 's',
      advice,
    });
    clientDuration = meter.createHistogram('http.client.request.duration', {
      description: 'Duration of HTTP client requests.',
      unit: 's',
      advice,
    });
    metering = serverDuration !== NOOP_HISTOGRAM;
    if (metering) {
      meter
        .createObservableUpDownCounter('http.server.active_requests', {
          description: 'Number of active HTTP server requests.',
          unit: '{request}',
        })
        .addCallback(observeActiveRequests);
    }
    meterProvider = mp;
  }
  current =
    (tracing || metering) && tracer !== undefined
      ? { tracer, tracing, serverDuration, clientDuration }
      : undefined;
}
