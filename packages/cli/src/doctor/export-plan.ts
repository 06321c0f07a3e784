/** What a service started now would send where: the resolved configuration, in a few lines. */
import type { ResolvedConfig } from '@sightline/node';

export interface SignalPlan {
  signal: 'traces' | 'metrics' | 'logs';
  exporters: string[];
  /** Where OTLP goes, when `otlp` is an exporter. */
  otlp?: {
    url: string;
    protocol: string;
    compression: string;
    headerNames: string[];
    timeoutMillis: number;
  };
  /** One line of what else decides what is sent (sampler, batching, interval). */
  notes: string[];
}

export interface ExportPlan {
  enabled: boolean;
  service: string;
  resource: Record<string, unknown>;
  propagators: string[];
  signals: SignalPlan[];
}

/**
 * @example
 * ```ts
 * const plan = exportPlan(resolveConfig());
 * plan.signals[0].otlp?.url; // 'http://localhost:4318/v1/traces'
 * ```
 */
export function exportPlan(config: ResolvedConfig): ExportPlan {
  const otlp = (o: ResolvedConfig['traces']['otlp']) => ({
    url: o.url,
    protocol: o.protocol,
    compression: o.compression,
    // Header values are often credentials: names only.
    headerNames: Object.keys(o.headers).sort(),
    timeoutMillis: o.timeoutMillis,
  });
  const { traces, metrics, logs } = config;
  const sampler = traces.sampler.name.includes('ratio')
    ? `${traces.sampler.name} (ratio ${traces.sampler.ratio})`
    : traces.sampler.name;
  const signals: SignalPlan[] = [
    {
      signal: 'traces',
      exporters: traces.exporters,
      ...(traces.exporters.includes('otlp') ? { otlp: otlp(traces.otlp) } : {}),
      notes: [
        `sampler ${sampler}`,
        `batches of up to ${traces.batch.maxExportBatchSize} every ${traces.batch.scheduledDelayMillis} ms, queue ${traces.batch.maxQueueSize}`,
        ...(traces.exporters.includes('zipkin') ? [`zipkin ${traces.zipkin.endpoint}`] : []),
      ],
    },
    {
      signal: 'metrics',
      exporters: metrics.exporters,
      ...(metrics.exporters.includes('otlp') ? { otlp: otlp(metrics.otlp) } : {}),
      notes: [
        `every ${metrics.exportIntervalMillis} ms, ${metrics.temporalityPreference} temporality`,
        ...(metrics.exporters.includes('prometheus')
          ? [
              `prometheus scrape endpoint http://${metrics.prometheus.host}:${metrics.prometheus.port}/metrics`,
            ]
          : []),
      ],
    },
    {
      signal: 'logs',
      exporters: logs.exporters,
      ...(logs.exporters.includes('otlp') ? { otlp: otlp(logs.otlp) } : {}),
      notes: [
        `batches of up to ${logs.batch.maxExportBatchSize} every ${logs.batch.scheduledDelayMillis} ms`,
      ],
    },
  ];
  return {
    enabled: config.enabled,
    service:
      config.service.name ??
      String(config.resource.attributes['service.name'] ?? 'unknown_service:node'),
    resource: config.resource.attributes,
    propagators: config.propagators,
    signals,
  };
}
