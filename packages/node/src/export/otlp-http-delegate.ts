import { createOtlpNetworkExportDelegate } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExporterMetrics,
} from '@opentelemetry/otlp-exporter-base/node-http';
import type { IExporterMetricsHelper, ISerializer } from '@opentelemetry/otlp-transformer';
import type { ResolvedOtlp } from '../config/resolve.js';
import { httpExporterOptions } from './otlp-exporter-options.js';
import { OtlpHttpTransport, RetryingTransport } from './otlp-http-transport.js';

/** The OTLP signal an exporter sends: names its environment variables and its URL path. */
export type OtlpSignal = 'TRACES' | 'METRICS' | 'LOGS';

const PATHS: Record<OtlpSignal, string> = {
  TRACES: 'v1/traces',
  METRICS: 'v1/metrics',
  LOGS: 'v1/logs',
};

/**
 * The official OTLP/HTTP export delegate, as `createOtlpHttpExportDelegate` builds it (options from
 * the environment and the code, concurrency limit, timeout, partial-success handling, exporter
 * self-metrics), with `OtlpHttpTransport` sending in place of the official `node:http` transport,
 * retried as the official exporters retry. Every OTLP/HTTP exporter of Sightline sends through it.
 */
export function createOtlpHttpDelegate<Request, Response>(
  otlp: ResolvedOtlp,
  signal: OtlpSignal,
  serializer: ISerializer<Request, Response>,
  componentType: string,
  metricsHelper: IExporterMetricsHelper<Request>,
) {
  const contentType = otlp.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
  const parameters = convertLegacyHttpOptions(httpExporterOptions(otlp), signal, PATHS[signal], {
    'Content-Type': contentType,
  });
  return createOtlpNetworkExportDelegate(
    parameters,
    serializer,
    createOtlpHttpExporterMetrics(componentType, metricsHelper, parameters.url, undefined),
    new RetryingTransport(new OtlpHttpTransport(parameters)),
  );
}
