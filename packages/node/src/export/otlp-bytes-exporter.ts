import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyOtlpGrpcOptions,
  createOtlpGrpcExportDelegate,
} from '@opentelemetry/otlp-grpc-exporter-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ResolvedOtlp } from '../config/resolve.js';
import { grpcExporterOptions } from './otlp-exporter-options.js';
import { createOtlpHttpDelegate } from './otlp-http-delegate.js';

/** An `ExportTraceServiceRequest` already encoded, and how many spans it holds. */
export interface EncodedSpans {
  bytes: Uint8Array<ArrayBuffer>;
  spanCount: number;
}

/** Sends encoded requests through the official export delegate (over HTTP, Sightline's transport). */
export interface OtlpBytesExporter {
  export(request: EncodedSpans, done: (result: ExportResult) => void): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

// The request is encoded already; responses are read as the official trace exporters read them.
const passThrough = {
  serializeRequest: (request: EncodedSpans): Uint8Array => request.bytes,
  deserializeResponse: ProtobufTraceSerializer.deserializeResponse,
};
const spanCounter = {
  name: 'span' as const,
  countItems: (request: EncodedSpans) => request.spanCount,
};

/**
 * The official OTLP trace exporter for http/protobuf or gRPC with its serializer taken out, fed
 * with requests that `OtlpTraceEncoder` wrote: the official options (environment, headers, TLS,
 * compression, timeout), export delegate (concurrency limit, partial-success handling) and, for
 * gRPC, transport. Over HTTP the request goes out through `OtlpHttpTransport`, which sends the
 * same request as the official transport at less cost, retried as the official exporters retry.
 */
export function createOtlpBytesExporter(otlp: ResolvedOtlp): OtlpBytesExporter {
  if (otlp.protocol === 'http/json') throw new Error('OTLP http/json is not sent as protobuf');
  const delegate =
    otlp.protocol === 'grpc'
      ? createOtlpGrpcExportDelegate(
          convertLegacyOtlpGrpcOptions(grpcExporterOptions(otlp), 'TRACES'),
          passThrough,
          'otlp_grpc_span_exporter',
          spanCounter,
          undefined,
          'TraceExportService',
          '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        )
      : createOtlpHttpDelegate(otlp, 'TRACES', passThrough, 'otlp_http_span_exporter', spanCounter);
  const exporter = new OTLPExporterBase<EncodedSpans>(delegate);
  return {
    export: (request, done) => {
      if (request.spanCount === 0) {
        done({ code: ExportResultCode.SUCCESS });
        return;
      }
      exporter.export(request, done);
    },
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
}
