import { ConsoleSpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { ResolvedConfig } from '../config/resolve.js';
import { loadModule } from '../export/otlp-exporter-options.js';
import { WorkerSpanExporter } from '../export/worker-span-exporter.js';

type ExporterClass = new (options: object) => SpanExporter;

/** A span exporter with a label naming where it sends, for diagnostics. */
export interface NamedSpanExporter {
  target: string;
  exporter: SpanExporter;
}

/**
 * Creates the span exporters named by `traces.exporters` (`OTEL_TRACES_EXPORTER`). OTLP runs in a
 * worker thread unless `traces.exportWorker` is false (then from the app's thread, still with
 * Sightline's encoder); the others load only when chosen.
 */
export function createSpanExporters(config: ResolvedConfig): NamedSpanExporter[] {
  const { traces } = config;
  return traces.exporters.flatMap((name): NamedSpanExporter[] => {
    switch (name) {
      case 'otlp': {
        const { protocol, url } = traces.otlp;
        const exporter = new WorkerSpanExporter(traces.otlp, { worker: traces.exportWorker });
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
