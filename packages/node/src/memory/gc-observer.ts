import { constants, PerformanceObserver } from 'node:perf_hooks';

/** The `v8js.gc.type` values of the semantic conventions. */
export type GcType = 'major' | 'minor' | 'incremental' | 'weakcb';

/** One garbage collection as a PerformanceObserver reports it. */
export interface GcEvent {
  type: GcType;
  /** Pause, seconds. */
  durationSeconds: number;
}

function gcType(kind: number | undefined): GcType | undefined {
  switch (kind) {
    case constants.NODE_PERFORMANCE_GC_MAJOR:
      return 'major';
    case constants.NODE_PERFORMANCE_GC_MINOR:
      return 'minor';
    case constants.NODE_PERFORMANCE_GC_INCREMENTAL:
      return 'incremental';
    case constants.NODE_PERFORMANCE_GC_WEAKCB:
      return 'weakcb';
    default:
      return undefined;
  }
}

/**
 * Observes garbage collections with a PerformanceObserver (entries arrive in batches, after the GC)
 * and hands each to `listener`. Returns the function that stops observing. The listener must not throw;
 * if it does, the error is swallowed so the host is never disturbed.
 */
export function observeGc(listener: (event: GcEvent) => void): () => void {
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as { detail?: { kind?: number } }).detail;
      const type = gcType(detail?.kind);
      if (type === undefined) continue;
      try {
        listener({ type, durationSeconds: entry.duration / 1000 });
      } catch {
        // Telemetry never throws into the host.
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
