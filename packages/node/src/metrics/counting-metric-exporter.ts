import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type {
  AggregationOption,
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { SignalStats } from '../export/signal-stats.js';

/** Wraps a push metric exporter to count exported and failed data points; never throws. */
export class CountingMetricExporter implements PushMetricExporter {
  readonly selectAggregationTemporality?: (
    instrumentType: InstrumentType,
  ) => AggregationTemporality;
  readonly selectAggregation?: (instrumentType: InstrumentType) => AggregationOption;

  constructor(
    private readonly inner: PushMetricExporter,
    private readonly stats: SignalStats,
  ) {
    // Keep the wrapped exporter's temporality and aggregation preferences, and only those it has.
    const { selectAggregationTemporality, selectAggregation } = inner;
    if (selectAggregationTemporality)
      this.selectAggregationTemporality = selectAggregationTemporality.bind(inner);
    if (selectAggregation) this.selectAggregation = selectAggregation.bind(inner);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    let points = 0;
    for (const scope of metrics.scopeMetrics)
      for (const metric of scope.metrics) points += metric.dataPoints.length;
    let settled = false;
    const done = (result: ExportResult): void => {
      if (settled) return;
      settled = true;
      this.stats.exportResult(points, result);
      resultCallback(result);
    };
    try {
      this.inner.export(metrics, done);
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
