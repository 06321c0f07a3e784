import type { ResolvedConfig } from '../config/resolve.js';
import type { MemoryTelemetryOptions } from './memory-telemetry.js';

/** The `startMemoryTelemetry()` options for the resolved `memory.*` settings. */
export function memoryOptionsFromConfig(memory: ResolvedConfig['memory']): MemoryTelemetryOptions {
  const w = memory.windowMillis;
  return {
    intervalMillis: memory.intervalMillis,
    detector: {
      windowsMillis: [w, 4 * w, 12 * w],
      warmupMillis: memory.warmupMillis,
      persistence: memory.persistence,
      significance: memory.significance,
      minGrowthBytesPerHour: memory.minGrowthBytesPerHour,
      fastPath: { windowMillis: w / 6 },
      severity: memory.severity,
    },
    profiler: memory.profiler.enabled
      ? {
          samplingIntervalBytes: memory.profiler.samplingIntervalBytes,
          topN: memory.profiler.topN,
          collectIntervalMillis: memory.profiler.collectIntervalMillis,
        }
      : false,
  };
}
