import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { ConsoleLogRecordExporter, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { ResolvedConfig } from '../config/resolve.js';
import {
  grpcExporterOptions,
  httpExporterOptions,
  loadModule,
} from '../export/otlp-exporter-options.js';

type ExporterClass = new (options: object) => LogRecordExporter;

export interface NamedLogExporter {
  target: string;
  exporter: LogRecordExporter;
}

/** Creates the log record exporters named by `logs.exporters` (`OTEL_LOGS_EXPORTER`). */
export function createLogExporters(config: ResolvedConfig): NamedLogExporter[] {
  const { logs } = config;
  return logs.exporters.flatMap((name): NamedLogExporter[] => {
    switch (name) {
      case 'otlp': {
        const { protocol, url } = logs.otlp;
        const exporter =
          protocol === 'grpc'
            ? new (loadModule<{ OTLPLogExporter: ExporterClass }>(
                '@opentelemetry/exporter-logs-otlp-grpc',
              ).OTLPLogExporter)(grpcExporterOptions(logs.otlp))
            : protocol === 'http/json'
              ? new (loadModule<{ OTLPLogExporter: ExporterClass }>(
                  '@opentelemetry/exporter-logs-otlp-http',
                ).OTLPLogExporter)(httpExporterOptions(logs.otlp))
              : new OTLPLogExporter(httpExporterOptions(logs.otlp));
        return [{ target: `OTLP ${protocol} ${url}`, exporter }];
      }
      case 'console':
        return [{ target: 'console', exporter: new ConsoleLogRecordExporter() }];
      default:
        return [];
    }
  });
}
