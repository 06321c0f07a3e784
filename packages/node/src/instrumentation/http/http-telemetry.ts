import {
  createNoopMeter,
  type MeterProvider,
  metrics,
  ProxyTracerProvider,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import type { HistogramDescriptor } from '../../metrics/explicit-histogram.js';
import { histogramRegistryOf } from '../../metrics/histogram-producer.js';
import { type KeyedHistogram, SdkKeyedHistogram } from '../../metrics/keyed-histogram.js';
import { VERSION } from '../../version.js';
import { observeActiveRequests } from './active-requests.js';

/** The instrumentation scope of the HTTP spans and metrics. */
export const HTTP_SCOPE = '@sightline/node/http';

/** The bucket boundaries semconv advises for `http.*.request.duration`, in seconds. */
export const DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

const SERVER_DURATION: HistogramDescriptor = {
  name: 'http.server.request.duration',
  description: 'Duration of HTTP server requests.',
  unit: 's',
  boundaries: DURATION_BUCKETS,
};
const CLIENT_DURATION: HistogramDescriptor = {
  name: 'http.client.request.duration',
  description: 'Duration of HTTP client requests.',
  unit: 's',
  boundaries: DURATION_BUCKETS,
};

/** The tracer and instruments of the providers registered now. */
export interface HttpTelemetry {
  readonly tracer: Tracer;
  /** A tracer provider is registered (else spans are non-recording and contexts are not attached). */
  readonly tracing: boolean;
  /** `http.server.request.duration`, its attribute sets found by key. */
  readonly serverDuration: KeyedHistogram;
  readonly clientDuration: KeyedHistogram;
}

// What the API hands out when nothing is registered, to tell "no SDK" apart cheaply.
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
const NOOP_HISTOGRAM = createNoopMeter().createHistogram('noop');

let tracerProvider: TracerProvider | undefined;
let tracer: Tracer | undefined;
let tracing = false;
let meterProvider: MeterProvider | undefined;
let serverDuration: KeyedHistogram = new SdkKeyedHistogram(NOOP_HISTOGRAM);
let clientDuration: KeyedHistogram = new SdkKeyedHistogram(NOOP_HISTOGRAM);
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
    // Sightline's own provider aggregates these on the hot path (HistogramRegistry); any other
    // gets the SDK's instruments.
    const registry = histogramRegistryOf(mp);
    if (registry !== undefined) {
      const scope = { name: HTTP_SCOPE, version: VERSION };
      serverDuration = registry.histogram(scope, SERVER_DURATION);
      clientDuration = registry.histogram(scope, CLIENT_DURATION);
      metering = true;
    } else {
      const sdkHistogram = ({ name, description, unit }: HistogramDescriptor) =>
        meter.createHistogram(name, {
          description,
          unit,
          advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
        });
      const server = sdkHistogram(SERVER_DURATION);
      const client = sdkHistogram(CLIENT_DURATION);
      serverDuration = new SdkKeyedHistogram(server);
      clientDuration = new SdkKeyedHistogram(client);
      metering = server !== NOOP_HISTOGRAM;
    }
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
