import {
  type BatchObservableResult,
  diag,
  type MeterProvider,
  metrics,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { type LoggerProvider, logs } from '@opentelemetry/api-logs';
import { efficiencyScore } from './allocation-efficiency.js';
import { AllocationProfiler } from './allocation-profiler.js';
import type { LeakDetectorOptions } from './leak-detector.js';
import { LeakMonitor } from './leak-monitor.js';
import type { LeakVerdictListener } from './leak-verdict.js';
import { type MemorySampleSource, processSampleSource } from './memory-reading.js';
import { formatMemoryReport, type MemoryReport } from './memory-report.js';
import { type RuntimeMetrics, registerRuntimeMetrics } from './runtime-metrics.js';

/** The instrumentation scope of every memory metric, log record and span. */
export const MEMORY_SCOPE = '@sightline/node/memory';

/** Options of `startMemoryTelemetry()`; `init({ memory })` fills them from the configuration. */
export interface MemoryTelemetryOptions {
  /** Defaults: the global providers. */
  meterProvider?: MeterProvider;
  tracerProvider?: TracerProvider;
  loggerProvider?: LoggerProvider;
  /** How often to take a reading and evaluate the leak detectors, ms. Default 30000. */
  intervalMillis?: number;
  detector?: LeakDetectorOptions;
  /** The allocation profiler; `false` turns it off. */
  profiler?:
    | false
    | {
        /** Mean bytes between samples. Default 524288 (512 KiB). */
        samplingIntervalBytes?: number;
        /** Allocation sites exported as metrics (the report lists them all). Default 10. */
        topN?: number;
        /**
         * How often the profile is read, ms. Reading it through the inspector forces V8 to run a full
         * GC (a pause that grows with the heap; see docs/memory.md), so it is rarer than the readings.
         * Default 300000 (5 min); `report()` always reads it.
         */
        collectIntervalMillis?: number;
      };
  /** Called on every change of verdict. */
  onVerdict?: LeakVerdictListener;
  /** For tests: where readings come from, and the clock (ms since the epoch). */
  source?: MemorySampleSource;
  clock?: () => number;
  /** Whether to observe the real GC. Default true. */
  observeGc?: boolean;
}

/** A running memory telemetry. */
export interface MemoryTelemetry {
  readonly monitor: LeakMonitor;
  /** Undefined when the profiler is off or the inspector is unavailable. */
  readonly profiler: AllocationProfiler | undefined;
  /** Adds a verdict listener; returns the function that removes it. */
  onVerdict(listener: LeakVerdictListener): () => void;
  /** Takes a reading and evaluates now, and reads the profile when it is due (what the interval timer does). */
  tick(): void;
  /** Everything known now, as JSON-serialisable data. */
  report(): MemoryReport;
  /** The same as readable text. */
  reportText(): string;
  /** Stops timers, observers, the profiler and the gauges. Idempotent. */
  stop(): void;
}

const SLOT = Symbol.for('sightline.node.memory');
type GlobalSlot = { [SLOT]?: { active?: MemoryTelemetry; pending: Set<LeakVerdictListener> } };

function slot(): { active?: MemoryTelemetry; pending: Set<LeakVerdictListener> } {
  const g = globalThis as GlobalSlot;
  g[SLOT] ??= { pending: new Set() };
  return g[SLOT];
}

/**
 * Starts memory telemetry: runtime gauges, the leak detectors and (unless off) the allocation
 * profiler. `init({ memory: { enabled: true } })` or `SIGHTLINE_MEMORY=on` calls it for you; call it
 * yourself only without `init()`.
 *
 * @example
 * ```ts
 * import { startMemoryTelemetry } from '@sightline/node/memory';
 * const memory = startMemoryTelemetry({ onVerdict: (v) => console.warn(v.pool, v.severity) });
 * // later
 * console.log(memory.reportText());
 * memory.stop();
 * ```
 */
export function startMemoryTelemetry(options: MemoryTelemetryOptions = {}): MemoryTelemetry {
  const meter = (options.meterProvider ?? metrics).getMeter(MEMORY_SCOPE);
  const source = options.source ?? processSampleSource;
  const clock = options.clock ?? Date.now;
  const intervalMillis = options.intervalMillis ?? 30_000;
  const topN = (options.profiler ? options.profiler.topN : undefined) ?? 10;
  const started = clock();
  let gcSeconds = 0;
  let firstFloor: number | undefined;
  let runtime: RuntimeMetrics | undefined;

  let profiler: AllocationProfiler | undefined;
  if (options.profiler !== false) {
    profiler = new AllocationProfiler({
      samplingIntervalBytes: options.profiler?.samplingIntervalBytes ?? 512 * 1024,
      clock,
    });
    if (!profiler.start()) profiler = undefined;
  }

  const monitor = new LeakMonitor({
    source,
    clock,
    detector: options.detector ?? {},
    intervalMillis: 0,
    observeGc: options.observeGc ?? true,
    meter,
    tracer: (options.tracerProvider ?? trace).getTracer(MEMORY_SCOPE),
    logger: (options.loggerProvider ?? logs).getLogger(MEMORY_SCOPE),
    onGc(event) {
      gcSeconds += event.durationSeconds;
      runtime?.recordGc(event);
    },
  });
  runtime = registerRuntimeMetrics(meter, {
    source,
    heapUsedAfterGc: () => monitor.heapUsedAfterGc,
  });

  const collectEvery =
    (options.profiler ? options.profiler.collectIntervalMillis : undefined) ?? 300_000;
  let lastCollect = started;
  const tick = () => {
    monitor.tick();
    firstFloor ??= monitor.heapUsedAfterGc;
    const now = clock();
    if (profiler && now - lastCollect >= collectEvery) {
      lastCollect = now;
      profiler.collect();
    }
  };
  const timer = intervalMillis > 0 ? setInterval(tick, intervalMillis) : undefined;
  timer?.unref();

  const efficiency = () => {
    const totals = profiler?.totals();
    const floor = monitor.heapUsedAfterGc;
    const inputs = {
      allocatedBytes: totals?.totalBytes ?? 0,
      retainedBytes: floor !== undefined && firstFloor !== undefined ? floor - firstFloor : 0,
      gcSeconds,
      wallSeconds: (clock() - started) / 1000,
    };
    return { score: efficiencyScore(inputs), ...inputs };
  };

  const allocationObservables = profiler ? registerAllocationMetrics() : undefined;
  function registerAllocationMetrics() {
    const site = meter.createObservableCounter('sightline.memory.allocation.site.bytes', {
      description: 'Estimated bytes allocated by each of the top-N allocation sites.',
      unit: 'By',
    });
    const sizeClass = meter.createObservableCounter(
      'sightline.memory.allocation.size_class.bytes',
      {
        description: 'Estimated bytes allocated per size class.',
        unit: 'By',
      },
    );
    const component = meter.createObservableCounter('sightline.memory.allocation.component.bytes', {
      description: 'Estimated bytes allocated per component label (withComponent).',
      unit: 'By',
    });
    const total = meter.createObservableCounter('sightline.memory.allocation.bytes', {
      description: 'Estimated bytes allocated, from the sampling heap profiler.',
      unit: 'By',
    });
    const score = meter.createObservableGauge('sightline.memory.allocation.efficiency', {
      description: '(1 - retained/allocated) x (1 - GC time/wall time); 1 is ideal.',
      unit: '1',
    });
    const observables = [site, sizeClass, component, total, score];
    const callback = (result: BatchObservableResult) => {
      const totals = profiler?.totals();
      if (!totals) return;
      result.observe(total, totals.totalBytes);
      for (const s of totals.sites.slice(0, topN)) {
        result.observe(site, s.bytes, {
          'code.function.name': s.functionName,
          'code.file.path': s.file,
          'code.line.number': s.line,
        });
      }
      for (const [name, c] of Object.entries(totals.sizeClasses))
        result.observe(sizeClass, c.bytes, { 'sightline.memory.size_class': name });
      for (const [name, bytes] of Object.entries(totals.components).slice(0, topN))
        result.observe(component, bytes, { 'sightline.component': name });
      result.observe(score, efficiency().score);
    };
    meter.addBatchObservableCallback(callback, observables);
    return { callback, observables };
  }

  const shared = slot();
  const removers = new Map<LeakVerdictListener, () => void>();
  if (options.onVerdict) monitor.onVerdict(options.onVerdict);
  for (const listener of shared.pending) removers.set(listener, monitor.onVerdict(listener));

  let stopped = false;
  const telemetry: MemoryTelemetry = {
    monitor,
    profiler,
    onVerdict: (listener) => monitor.onVerdict(listener),
    tick,
    report() {
      profiler?.collect();
      const totals = profiler?.totals();
      return {
        generatedAt: new Date(clock()).toISOString(),
        snapshots: {
          count: monitor.ticks,
          intervalMillis,
          latest: monitor.lastReading ?? source.read(),
          heapUsedAfterGc: monitor.heapUsedAfterGc,
        },
        leaks: monitor.pools.map(({ pool, assessment }) => ({
          pool,
          severity: assessment?.severity ?? 'none',
          growthBytesPerHour: assessment?.growthBytesPerHour ?? 0,
          hoursToExhaustion:
            assessment && Number.isFinite(assessment.hoursToExhaustion)
              ? assessment.hoursToExhaustion
              : null,
          pValue: assessment?.pValue ?? 1,
          windowMillis: assessment?.windowMillis ?? 0,
          reason: assessment?.reason ?? 'no evaluation yet',
        })),
        allocations:
          profiler && totals
            ? {
                samplingIntervalBytes: profiler.samplingIntervalBytes,
                totalBytes: totals.totalBytes,
                samples: totals.samples,
                bytesPerSecond:
                  totals.sampledMillis > 0 ? totals.totalBytes / (totals.sampledMillis / 1000) : 0,
                topSites: totals.sites.slice(0, topN),
                sizeClasses: totals.sizeClasses,
                components: totals.components,
                efficiency: efficiency(),
              }
            : undefined,
      };
    },
    reportText() {
      return formatMemoryReport(telemetry.report());
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      monitor.stop();
      runtime?.stop();
      if (allocationObservables)
        meter.removeBatchObservableCallback(
          allocationObservables.callback,
          allocationObservables.observables,
        );
      profiler?.stop();
      for (const remove of removers.values()) remove();
      if (shared.active === telemetry) delete shared.active;
    },
  };
  if (shared.active) diag.warn('sightline: memory telemetry started twice; the new one is active');
  shared.active = telemetry;
  return telemetry;
}

/**
 * The memory telemetry started by `init()` (or `startMemoryTelemetry()`), if running.
 *
 * @example
 * ```ts
 * import { getMemoryTelemetry } from '@sightline/node/memory';
 * const report = getMemoryTelemetry()?.report();
 * ```
 */
export function getMemoryTelemetry(): MemoryTelemetry | undefined {
  return slot().active;
}

/**
 * Subscribes to leak verdicts of whatever memory telemetry runs now or starts later (for apps that
 * enable memory through `init()` or `SIGHTLINE_MEMORY=on`). Returns the function that unsubscribes.
 *
 * @example
 * ```ts
 * import { onLeakVerdict } from '@sightline/node/memory';
 * onLeakVerdict((v) => { if (v.severity === 'critical') alertOnCall(v); });
 * ```
 */
export function onLeakVerdict(listener: LeakVerdictListener): () => void {
  const shared = slot();
  shared.pending.add(listener);
  const remove = shared.active?.onVerdict(listener);
  return () => {
    shared.pending.delete(listener);
    remove?.();
  };
}
