import {
  AggregationTemporalityPreference,
  OTLPMetricExporterBase,
} from '@opentelemetry/exporter-metrics-otlp-http';
import {
  JsonMetricsSerializer,
  MetricsExporterMetricsHelper,
  ProtobufMetricsSerializer,
} from '@opentelemetry/otlp-transformer';
import {
  AggregationTemporality,
  ConsoleMetricExporter,
  type IMetricReader,
  InstrumentType,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import type { ResolvedConfig } from '../config/resolve.js';
import { grpcExporterOptions, loadModule } from '../export/otlp-exporter-options.js';
import { createOtlpHttpDelegate } from '../export/otlp-http-delegate.js';
import type { SignalStats } from '../export/signal-stats.js';
import { CountingMetricExporter } from './counting-metric-exporter.js';
import { HistogramProducer, type HistogramRegistry } from './histogram-producer.js';
import { createPrometheusEndpoint, type PrometheusEndpoint } from './prometheus-reader.js';

type ExporterClass = new (options: object) => PushMetricExporter;

const TEMPORALITY = {
  cumulative: AggregationTemporalityPreference.CUMULATIVE,
  delta: AggregationTemporalityPreference.DELTA,
  lowmemory: AggregationTemporalityPreference.LOWMEMORY,
} as const;

export interface MetricReaders {
  readers: IMetricReader[];
  prometheus?: PrometheusEndpoint;
  targets: string[];
}

/** Creates the metric readers named by `metrics.exporters` (`OTEL_METRICS_EXPORTER`). */
export function createMetricReaders(
  config: ResolvedConfig,
  stats: SignalStats,
  /** The hot-path histograms every reader collects too. */
  histograms: HistogramRegistry,
  /** Resolves when the resource's asynchronous attributes are known. */
  ready?: Promise<unknown>,
): MetricReaders {
  const { metrics } = config;
  const result: MetricReaders = { readers: [], targets: [] };
  const periodic = (exporter: PushMetricExporter): IMetricReader =>
    new PeriodicExportingMetricReader({
      exporter: new CountingMetricExporter(exporter, stats),
      exportIntervalMillis: metrics.exportIntervalMillis,
      exportTimeoutMillis: metrics.exportTimeoutMillis,
      // In the temporality the exporter asks for histograms (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE).
      metricProducers: [
        new HistogramProducer(
          histograms,
          exporter.selectAggregationTemporality?.(InstrumentType.HISTOGRAM) ??
            AggregationTemporality.CUMULATIVE,
        ),
      ],
    });
  for (const name of metrics.exporters) {
    switch (name) {
      case 'otlp': {
        const { protocol, url } = metrics.otlp;
        const temporality = { temporalityPreference: TEMPORALITY[metrics.temporalityPreference] };
        const exporter =
          protocol === 'grpc'
            ? new (loadModule<{ OTLPMetricExporter: ExporterClass }>(
                '@opentelemetry/exporter-metrics-otlp-grpc',
              ).OTLPMetricExporter)({
                ...grpcExporterOptions(metrics.otlp),
                ...temporality,
              })
            : new OTLPMetricExporterBase(
                createOtlpHttpDelegate(
                  metrics.otlp,
                  'METRICS',
                  protocol === 'http/json' ? JsonMetricsSerializer : ProtobufMetricsSerializer,
                  'otlp_http_metric_exporter',
                  MetricsExporterMetricsHelper,
                ),
                temporality,
              );
        result.readers.push(periodic(exporter));
        result.targets.push(`OTLP ${protocol} ${url}`);
        break;
      }
      case 'console':
        result.readers.push(periodic(new ConsoleMetricExporter()));
        result.targets.push('console');
        break;
      case 'prometheus': {
        const endpoint = createPrometheusEndpoint(metrics.prometheus, ready, [
          new HistogramProducer(histograms, AggregationTemporality.CUMULATIVE),
        ]);
        result.prometheus = endpoint;
        result.readers.push(endpoint.reader);
        result.targets.push(
          `Prometheus http://${metrics.prometheus.host}:${metrics.prometheus.port}/metrics`,
        );
        break;
      }
    }
  }
  return result;
}
