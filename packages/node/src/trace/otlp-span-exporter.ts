import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import {
  JsonTraceSerializer,
  ProtobufTraceSerializer,
  TraceExporterMetricsHelper,
} from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { ResolvedOtlp } from '../config/resolve.js';
import { grpcExporterOptions, loadModule } from '../export/otlp-exporter-options.js';
import { createOtlpHttpDelegate } from '../export/otlp-http-delegate.js';

type ExporterClass = new (options: object) => SpanExporter;

/**
 * An OTLP span exporter for the configured protocol: over HTTP (protobuf or JSON), the official
 * exporter's serializer and export delegate with Sightline's transport; over gRPC, the official
 * exporter (loaded only when chosen).
 */
export function createOtlpSpanExporter(otlp: ResolvedOtlp): SpanExporter {
  if (otlp.protocol === 'grpc') {
    const { OTLPTraceExporter: Grpc } = loadModule<{ OTLPTraceExporter: ExporterClass }>(
      '@opentelemetry/exporter-trace-otlp-grpc',
    );
    return new Grpc(grpcExporterOptions(otlp));
  }
  const json = otlp.protocol === 'http/json';
  return new OTLPExporterBase<ReadableSpan[]>(
    createOtlpHttpDelegate(
      otlp,
      'TRACES',
      json ? JsonTraceSerializer : ProtobufTraceSerializer,
      'otlp_http_span_exporter',
      TraceExporterMetricsHelper,
    ),
  );
}
