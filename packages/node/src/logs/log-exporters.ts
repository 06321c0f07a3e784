import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import {
  JsonLogsSerializer,
  LogsExporterMetricsHelper,
  ProtobufLogsSerializer,
} from '@opentelemetry/otlp-transformer';
import {
  ConsoleLogRecordExporter,
  type LogRecordExporter,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import type { ResolvedConfig } from '../config/resolve.js';
import { grpcExporterOptions, loadModule } from '../export/otlp-exporter-options.js';
import { createOtlpHttpDelegate } from '../export/otlp-http-delegate.js';

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
            : new OTLPExporterBase<ReadableLogRecord[]>(
                createOtlpHttpDelegate(
                  logs.otlp,
                  'LOGS',
                  protocol === 'http/json' ? JsonLogsSerializer : ProtobufLogsSerializer,
                  'otlp_http_log_exporter',
                  LogsExporterMetricsHelper,
                ),
              );
        return [{ target: `OTLP ${protocol} ${url}`, exporter }];
      }
      case 'console':
        return [{ target: 'console', exporter: new ConsoleLogRecordExporter() }];
      default:
        return [];
    }
  });
}
