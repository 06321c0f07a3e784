import type { MeterProvider } from '@opentelemetry/api';
import { METRIC } from '../metrics/metric-catalogue.js';
import type { SpanHealthProcessor } from '../trace/span-health-processor.js';
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
  spans?: SpanHealthProcessor,
): void {
  const meter = meterProvider.getMeter('@sightline/node', version);
  meter
    .createObservableCounter(METRIC.SDK_EXPORTED, {
      description: 'Items (spans, log records, metric data points) the SDK exported successfully.',
      unit: '{item}',
    })
    .addCallback((result) => {
      for (const s of stats) result.observe(s.exported, { signal: s.signal });
    });
  meter
    .createObservableCounter(METRIC.SDK_DROPPED, {
      description: 'Items the SDK dropped, by reason: queue_full, export_failed, shutdown.',
      unit: '{item}',
    })
    .addCallback((result) => {
      for (const s of stats)
        for (const reason of REASONS)
          result.observe(s.dropped[reason], { signal: s.signal, reason });
    });
  meter
    .createObservableUpDownCounter(METRIC.SDK_QUEUE_SIZE, {
      description: 'Items waiting in the export queue.',
      unit: '{item}',
    })
    .addCallback((result) => {
      for (const s of stats)
        if (s.signal !== 'metrics') result.observe(s.queued, { signal: s.signal });
    });
  meter
    .createObservableCounter(METRIC.SDK_EXPORT_FAILURES, {
      description: 'Export calls that failed; each drops its batch (see sightline.sdk.dropped).',
      unit: '{export}',
    })
    .addCallback((result) => {
      for (const s of stats) result.observe(s.failures, { signal: s.signal });
    });
  if (spans === undefined) return;
  meter
    .createObservableCounter(METRIC.SDK_SPANS_STARTED, {
      description: 'Recording spans started.',
      unit: '{span}',
    })
    .addCallback((result) => result.observe(spans.started));
  meter
    .createObservableCounter(METRIC.SDK_SPANS_ENDED, {
      description: 'Recording spans ended.',
      unit: '{span}',
    })
    .addCallback((result) => result.observe(spans.ended));
  meter
    .createObservableCounter(METRIC.ERRORS, {
      description: 'Spans that ended with status ERROR, by error.type.',
      unit: '{error}',
    })
    .addCallback((result) => {
      for (const [type, count] of spans.errors) result.observe(count, { 'error.type': type });
    });
}
