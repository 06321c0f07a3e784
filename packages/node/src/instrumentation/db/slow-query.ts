import type { Attributes, Counter, Meter, Span } from '@opentelemetry/api';

/** Event added to a query span that took at least the slow-query threshold. */
export const SLOW_QUERY_EVENT = 'sightline.db.slow_query';
/** Counter of queries that took at least the threshold. */
export const SLOW_QUERIES_METRIC = 'sightline.db.slow_queries';

/** Watches query spans and flags the slow ones (`instrumentations.db.slowQueryThresholdMillis`). */
export interface SlowQueryWatch {
  /** Starts timing a query whose span was just started; the verdict comes when the span ends. */
  watch(span: Span, attributes: Attributes): void;
}

/**
 * The slow-query check: times each query from its start to the end of its span (success or error,
 * sampled or not), and past the threshold adds a `sightline.db.slow_query` event to the span and
 * counts the query in `sightline.db.slow_queries`. A threshold of 0 turns it off.
 */
export function createSlowQueryWatch(meter: Meter, thresholdMillis: number): SlowQueryWatch {
  if (thresholdMillis <= 0) return { watch() {} };
  const counter: Counter = meter.createCounter(SLOW_QUERIES_METRIC, {
    description: 'Database queries that took at least the slow-query threshold.',
    unit: '{query}',
  });
  return {
    watch(span, attributes) {
      const started = performance.now();
      const end = span.end;
      // Wrapping this one span's end() is the only hook that also sees failed queries.
      span.end = function endWithVerdict(this: Span, endTime) {
        span.end = end;
        const millis = performance.now() - started;
        if (millis >= thresholdMillis) {
          span.addEvent(SLOW_QUERY_EVENT, {
            'sightline.db.query.duration_ms': Math.round(millis * 1000) / 1000,
            'sightline.db.slow_query.threshold_ms': thresholdMillis,
          });
          counter.add(1, attributes);
        }
        return end.call(this, endTime);
      };
    },
  };
}
