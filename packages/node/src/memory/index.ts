// The public surface of @sightline/node/memory: every export by name (no `export *`).

export { type EfficiencyInputs, efficiencyScore } from './allocation-efficiency.js';
export {
  AllocationProfiler,
  type AllocationProfilerOptions,
  type AllocationSite,
  type AllocationTotals,
} from './allocation-profiler.js';
export { currentComponent, withComponent } from './component-context.js';
export type { GcEvent, GcType } from './gc-observer.js';
export { writeHeapSnapshotFile } from './heap-snapshot.js';
export { type LeakAssessment, LeakDetector, type LeakDetectorOptions } from './leak-detector.js';
export { LeakMonitor, type LeakMonitorOptions, type PoolState } from './leak-monitor.js';
export {
  classifySeverity,
  DEFAULT_SEVERITY_THRESHOLDS,
  type LeakSeverity,
  SEVERITIES,
  type SeverityThresholds,
} from './leak-severity.js';
export {
  type LeakVerdict,
  type LeakVerdictListener,
  type MemoryPool,
  POOLS,
} from './leak-verdict.js';
export {
  type MemoryReading,
  type MemorySampleSource,
  processSampleSource,
} from './memory-reading.js';
export { formatMemoryReport, type MemoryReport } from './memory-report.js';
export {
  getMemoryTelemetry,
  MEMORY_SCOPE,
  type MemoryTelemetry,
  type MemoryTelemetryOptions,
  onLeakVerdict,
  startMemoryTelemetry,
} from './memory-telemetry.js';
export { SIZE_CLASSES, type SizeClass, sizeClassOf } from './size-classes.js';
export {
  type MannKendallResult,
  mannKendall,
  type SeriesPoint,
  theilSenSlope,
} from './trend-statistics.js';
