import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { ResolvedOtlp } from '../config/resolve.js';
import {
  grpcExporterOptions,
  httpExporterOptions,
  loadModule,
} from '../export/otlp-exporter-options.js';

type ExporterClass = new (options: object) => SpanExporter;

/**
 * The official OTLP span exporter for the configured protocol: http/protobuf (imported
 * statically: the default), http/json or gRPC (loaded only when chosen).
 */
export function createOtlpSpanExporter(otlp: ResolvedOtlp): SpanExporter {
  if (otlp.protocol === 'grpc') {
    const { OTLPTraceExporter: Grpc } = loadModule<{ OTLPTraceExporter: ExporterClass }>(
      '@opentelemetry/exporter-trace-otlp-grpc',
    );
    return new Grpc(grpcExporterOptions(otlp));
  }
  if (otlp.protocol === 'http/json') {
    const { OTLPTraceExporter: Json } = loadModule<{ OTLPTraceExporter: ExporterClass }>(
      '@opentelemetry/exporter-trace-otlp-http',
    );
    return new Json(httpExporterOptions(otlp));
  }
  return new OTLPTraceExporter(httpExporterOptions(otlp));
}
