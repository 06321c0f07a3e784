import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ConsoleSpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { ResolvedConfig } from '../config/resolve.js';
import {
  grpcExporterOptions,
  httpExporterOptions,
  loadModule,
} from '../export/otlp-exporter-options.js';

type ExporterClass = new (options: object) => SpanExporter;

/** A span exporter with a label naming where it sends, for diagnostics. */
export interface NamedSpanExporter {
  target: string;
  exporter: SpanExporter;
}

/**
 * Creates the span exporters named by `traces.exporters` (`OTEL_TRACES_EXPORTER`). The default
 * (OTLP http/protobuf) is imported statically; the others load only when chosen.
 */
export function createSpanExporters(config: ResolvedConfig): NamedSpanExporter[] {
  const { traces } = config;
  return traces.exporters.flatMap((name): NamedSpanExporter[] => {
    switch (name) {
      case 'otlp': {
        const { protocol, url } = traces.otlp;
        const exporter =
          protocol === 'grpc'
            ? new (loadModule<{ OTLPTraceExporter: ExporterClass }>(
                '@opentelemetry/exporter-trace-otlp-grpc',
              ).OTLPTraceExporter)(grpcExporterOptions(traces.otlp))
            : protocol === 'http/json'
              ? new (loadModule<{ OTLPTraceExporter: ExporterClass }>(
                  '@opentelemetry/exporter-trace-otlp-http',
                ).OTLPTraceExporter)(httpExporterOptions(traces.otlp))
              : new OTLPTraceExporter(httpExporterOptions(traces.otlp));
        return [{ target: `OTLP ${protocol} ${url}`, exporter }];
      }
      case 'console':
        return [{ target: 'console', exporter: new ConsoleSpanExporter() }];
      case 'zipkin': {
        const { ZipkinExporter } = loadModule<{ ZipkinExporter: ExporterClass }>(
          '@opentelemetry/exporter-zipkin',
        );
        return [
          {
            target: `Zipkin ${traces.zipkin.endpoint}`,
            exporter: new ZipkinExporter({ url: traces.zipkin.endpoint }),
          },
        ];
      }
      default:
        return [];
    }
  });
}
