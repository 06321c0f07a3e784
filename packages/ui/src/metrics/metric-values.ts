/**
 * What a metric chart plots: the statistics offered per metric type, and the value of one series
 * point for a statistic (percentiles for histograms, nearest quantile for summaries, per-second rate
 * for cumulative counters).
 */
import type { SeriesPoint } from '../api/client.js';
import { counterRate } from '../charts/align-series.js';

const QUANTILE: Record<string, number> = { p50: 0.5, p95: 0.95, p99: 0.99 };

/**
 * The value plotted for a point, by metric type and chosen statistic.
 *
 * @example
 * pointValue('gauge', 'max', { tMs: 0, count: 1, max: 3 }, undefined); // 3
 */
export function pointValue(
  type: string,
  stat: string,
  point: SeriesPoint,
  previous: SeriesPoint | undefined,
): number | null | undefined {
  if (type === 'histogram' || type === 'exponentialHistogram') {
    if (stat === 'count') return point.count;
    if (stat === 'avg')
      return point.sum !== undefined && point.count > 0 ? point.sum / point.count : null;
    return point[stat as 'p50' | 'p95' | 'p99'];
  }
  if (type === 'summary') {
    const target = QUANTILE[stat] ?? 0.5;
    const qs = point.quantiles ?? [];
    let best: { quantile: number; value: number } | undefined;
    for (const q of qs)
      if (!best || Math.abs(q.quantile - target) < Math.abs(best.quantile - target)) best = q;
    return best?.value;
  }
  if (stat === 'rate') return counterRate(point, previous);
  return point[stat as 'avg' | 'min' | 'max' | 'last'];
}

/**
 * The statistics offered for a metric, the default first.
 *
 * @example
 * statsFor('histogram', 2, null); // ['p50', 'p95', 'p99', 'avg', 'count']
 */
export function statsFor(
  type: string,
  temporality: number | null,
  monotonic: boolean | null,
): string[] {
  if (type === 'histogram' || type === 'exponentialHistogram')
    return ['p50', 'p95', 'p99', 'avg', 'count'];
  if (type === 'summary') return ['p50', 'p95', 'p99'];
  if (type === 'sum' && temporality === 2 && monotonic !== false)
    return ['rate', 'last', 'avg', 'max', 'min'];
  return ['avg', 'last', 'max', 'min'];
}
