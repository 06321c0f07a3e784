import type { MeterProvider } from '@opentelemetry/api';
import type { AdaptiveSampler } from './adaptive-sampler.js';
import type { TailSamplingProcessor } from './tail-sampling-processor.js';
import type { EvictionReason } from './tail-sampling-stats.js';

const REASONS: readonly EvictionReason[] = ['max_traces', 'max_spans', 'max_spans_per_trace'];

/**
 * The samplers' own metrics, read from plain counters at collection time:
 * `sightline.sampling.traces` (by `decision` and `policy`), `sightline.sampling.rate_limited`,
 * `sightline.sampling.buffer.traces`, `sightline.sampling.buffer.spans`,
 * `sightline.sampling.evictions` (by `reason`), `sightline.sampling.late_spans` (by `decision`) and
 * `sightline.sampling.adaptive.ratio`. `init()` registers them; call this only when you wire the
 * samplers by hand.
 *
 * @example
 * ```ts
 * const tail = createTailSamplingProcessor({ next: batchProcessor });
 * registerSamplingMetrics(meterProvider, { tail }, '1.0.0');
 * ```
 */
export function registerSamplingMetrics(
  meterProvider: MeterProvider,
  samplers: { tail?: TailSamplingProcessor | undefined; adaptive?: AdaptiveSampler | undefined },
  version: string,
): void {
  const meter = meterProvider.getMeter('@sightline/node', version);
  const { tail, adaptive } = samplers;
  if (adaptive !== undefined) {
    meter
      .createObservableGauge('sightline.sampling.adaptive.ratio', {
        description: 'The ratio the adaptive head sampler samples new traces at.',
        unit: '1',
      })
      .addCallback((result) => result.observe(adaptive.ratio));
  }
  if (tail === undefined) return;
  const stats = tail.stats;
  meter
    .createObservableCounter('sightline.sampling.traces', {
      description:
        'Traces decided by the tail sampler: kept (by the policy that kept them) or dropped.',
      unit: '{trace}',
    })
    .addCallback((result) => {
      for (const [policy, n] of stats.kept) result.observe(n, { decision: 'kept', policy });
      result.observe(stats.dropped, { decision: 'dropped', policy: 'none' });
    });
  meter
    .createObservableCounter('sightline.sampling.rate_limited', {
      description: 'Traces a tail policy matched but its rate limit did not let through.',
      unit: '{trace}',
    })
    .addCallback((result) => {
      for (const [policy, n] of stats.rateLimited) result.observe(n, { policy });
    });
  meter
    .createObservableUpDownCounter('sightline.sampling.buffer.traces', {
      description: 'Traces buffered by the tail sampler, waiting for a decision.',
      unit: '{trace}',
    })
    .addCallback((result) => result.observe(tail.bufferedTraces));
  meter
    .createObservableUpDownCounter('sightline.sampling.buffer.spans', {
      description: 'Spans buffered by the tail sampler, waiting for a decision.',
      unit: '{span}',
    })
    .addCallback((result) => result.observe(tail.bufferedSpans));
  meter
    .createObservableCounter('sightline.sampling.evictions', {
      description: 'Traces decided early because a buffer limit was reached, by reason.',
      unit: '{trace}',
    })
    .addCallback((result) => {
      for (const reason of REASONS) result.observe(stats.evictions[reason], { reason });
    });
  meter
    .createObservableCounter('sightline.sampling.late_spans', {
      description: 'Spans that ended after their trace was decided and followed that decision.',
      unit: '{span}',
    })
    .addCallback((result) => {
      result.observe(stats.lateKept, { decision: 'kept' });
      result.observe(stats.lateDropped, { decision: 'dropped' });
    });
}
