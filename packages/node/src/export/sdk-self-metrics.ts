import type { MeterProvider } from '@opentelemetry/api';
import type { DropReason, SignalStats } from './signal-stats.js';

const REASONS: readonly DropReason[] = ['queue_full', 'export_failed', 'shutdown'];

/**
 * The SDK's own health as metrics, read from plain counters at collection time:
 * `sightline.sdk.exported` and `sightline.sdk.dropped` (by `signal` and `reason`) and
 * `sightline.sdk.queue.size`. Metrics count data points, spans and logs count records.
 */
export function registerSdkSelfMetrics(
  meterProvider: MeterProvider,
  stats: readonly SignalStats[],
  version: string,
): void {
  const meter = meterProvider.getMeter('@sightline/node', version);
  meter
    .createObservableCounter('sightline.sdk.exported', {
      description: 'Items (spans, log records, metric data points) the SDK exported successfully.',
      unit: '{item}',
    })
    .addCallback((result) => {
      for (const s of stats) result.observe(s.exported, { signal: s.signal });
    });
  meter
    .createObservableCounter('sightline.sdk.dropped', {
      description: 'Items the SDK dropped, by reason: queue_full, export_failed, shutdown.',
      unit: '{item}',
    })
    .addCallback((result) => {
      for (const s of stats)
        for (const reason of REASONS)
          result.observe(s.dropped[reason], { signal: s.signal, reason });
    });
  meter
    .createObservableUpDownCounter('sightline.sdk.queue.size', {
      description: 'Items waiting in the export queue.',
      unit: '{item}',
    })
    .addCallback((result) => {
      for (const s of stats)
        if (s.signal !== 'metrics') result.observe(s.queued, { signal: s.signal });
    });
}
