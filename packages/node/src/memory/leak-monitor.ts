import { diag, type Meter, type Tracer } from '@opentelemetry/api';
import { type Logger, SeverityNumber } from '@opentelemetry/api-logs';
import { type GcEvent, observeGc } from './gc-observer.js';
import { type LeakAssessment, LeakDetector, type LeakDetectorOptions } from './leak-detector.js';
import { SEVERITIES } from './leak-severity.js';
import type { LeakVerdict, LeakVerdictListener, MemoryPool } from './leak-verdict.js';
import type { MemoryReading, MemorySampleSource } from './memory-reading.js';
import { PostGcFloor } from './post-gc-floor.js';

const POOL = 'sightline.memory.pool';

export interface LeakMonitorOptions {
  source: MemorySampleSource;
  /** Milliseconds since the epoch; injectable for deterministic tests. */
  clock: () => number;
  detector: LeakDetectorOptions;
  /** How often to read and evaluate, ms; 0 means only when `tick()` is called. */
  intervalMillis: number;
  /** Subscribe to major GCs (the real process); tests call `recordMajorGc()` themselves. */
  observeGc: boolean;
  meter?: Meter | undefined;
  tracer?: Tracer | undefined;
  logger?: Logger | undefined;
  onGc?: ((event: GcEvent) => void) | undefined;
}

/** The monitor's latest view of one pool. */
export interface PoolState {
  pool: MemoryPool;
  assessment: LeakAssessment | undefined;
  /** The latest value the detector saw, bytes. */
  latest: number | undefined;
}

/**
 * Periodically reads memory, feeds the leak detectors (heap floor, native, external) and reports each
 * change of verdict as a log record, a span event and to the listeners; the growth rate and severity
 * are observable gauges. `startMemoryTelemetry()` builds one; use it directly only with your own source.
 *
 * @example
 * ```ts
 * const monitor = new LeakMonitor({ source: processSampleSource, clock: Date.now, detector: {},
 *   intervalMillis: 30_000, observeGc: true });
 * monitor.onVerdict((v) => console.warn(v.pool, v.severity));
 * ```
 */
export class LeakMonitor {
  readonly #o: LeakMonitorOptions;
  readonly #floor = new PostGcFloor();
  readonly #detectors: Record<MemoryPool, LeakDetector>;
  readonly #state: Record<MemoryPool, PoolState>;
  readonly #listeners = new Set<LeakVerdictListener>();
  readonly #stops: (() => void)[] = [];
  #heapAfterGc: number | undefined;
  #lastReading: MemoryReading | undefined;
  #ticks = 0;

  constructor(options: LeakMonitorOptions) {
    this.#o = options;
    const start = options.clock();
    const make = () => new LeakDetector({ startTime: start, ...options.detector });
    this.#detectors = { heap: make(), native: make(), external: make() };
    this.#state = {
      heap: { pool: 'heap', assessment: undefined, latest: undefined },
      native: { pool: 'native', assessment: undefined, latest: undefined },
      external: { pool: 'external', assessment: undefined, latest: undefined },
    };
    if (options.observeGc) {
      this.#stops.push(
        observeGc((event) => {
          options.onGc?.(event);
          if (event.type === 'major') this.recordMajorGc();
        }),
      );
    }
    if (options.meter) this.#registerGauges(options.meter);
    if (options.intervalMillis > 0) {
      const timer = setInterval(() => this.tick(), options.intervalMillis);
      timer.unref();
      this.#stops.push(() => clearInterval(timer));
    }
  }

  /** Adds a verdict listener; returns the function that removes it. */
  onVerdict(listener: LeakVerdictListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Records the memory right after a major GC (called by the GC observer). */
  recordMajorGc(reading: MemoryReading = this.#o.source.read()): void {
    this.#heapAfterGc = reading.heapUsed;
    this.#floor.record(reading.heapUsed, reading.external + reading.arrayBuffers);
  }

  /** The heap use after the latest major GC, bytes. */
  get heapUsedAfterGc(): number | undefined {
    return this.#heapAfterGc;
  }

  /** The latest state per pool. */
  get pools(): PoolState[] {
    return Object.values(this.#state);
  }

  /** The latest reading taken by a tick. */
  get lastReading(): MemoryReading | undefined {
    return this.#lastReading;
  }

  /** Evaluations so far. */
  get ticks(): number {
    return this.#ticks;
  }

  /** One reading and evaluation: what the interval timer does. Never throws. */
  tick(): void {
    try {
      this.#tick();
    } catch (error) {
      diag.warn(`sightline: memory monitor tick failed: ${(error as Error)?.message ?? error}`);
    }
  }

  #tick(): void {
    const now = this.#o.clock();
    const reading = this.#o.source.read();
    this.#lastReading = reading;
    this.#ticks++;
    const available = this.#o.source.availableMemory();
    const headroom = Math.max(0, available - reading.rss);
    const floor = this.#floor.take();
    // Native: what RSS holds beyond the heap pages V8 has touched (allocator, code, stacks, addons).
    const native = Math.max(0, reading.rss - reading.heapPhysical);
    const values: Record<MemoryPool, number | undefined> = {
      heap: floor?.heapUsed,
      native,
      external: floor?.external,
    };
    for (const pool of Object.keys(values) as MemoryPool[]) {
      const value = values[pool];
      const detector = this.#detectors[pool];
      if (value !== undefined) {
        detector.add(now, value);
        this.#state[pool].latest = value;
      }
      const latest = this.#state[pool].latest ?? 0;
      const limit = pool === 'heap' ? reading.heapLimit : latest + headroom;
      const assessment = detector.evaluate(now, limit);
      const previous = this.#state[pool].assessment?.severity ?? 'none';
      this.#state[pool].assessment = assessment;
      if (assessment.changed) this.#report(pool, previous, assessment, now);
    }
  }

  #report(
    pool: MemoryPool,
    previousSeverity: LeakVerdict['previousSeverity'],
    a: LeakAssessment,
    time: number,
  ): void {
    const verdict: LeakVerdict = {
      pool,
      severity: a.severity,
      previousSeverity,
      growthBytesPerHour: a.growthBytesPerHour,
      hoursToExhaustion: a.hoursToExhaustion,
      pValue: a.pValue,
      windowMillis: a.windowMillis,
      fastPath: a.fastPath,
      reason: a.reason,
      time,
    };
    const attributes = {
      [POOL]: pool,
      'sightline.memory.leak.severity': verdict.severity,
      'sightline.memory.leak.previous_severity': previousSeverity,
      'sightline.memory.leak.growth_rate': Math.round(verdict.growthBytesPerHour),
      'sightline.memory.leak.p_value': verdict.pValue,
      'sightline.memory.leak.window': verdict.windowMillis / 1000,
      'sightline.memory.leak.fast_path': verdict.fastPath,
      ...(Number.isFinite(verdict.hoursToExhaustion)
        ? { 'sightline.memory.leak.time_to_exhaustion': verdict.hoursToExhaustion * 3600 }
        : {}),
    };
    const text =
      verdict.severity === 'none'
        ? `sightline: no memory leak in ${pool} any more (${verdict.reason})`
        : `sightline: ${verdict.severity} memory leak suspected in ${pool}: ` +
          `+${(verdict.growthBytesPerHour / 2 ** 20).toFixed(1)} MiB/h` +
          (Number.isFinite(verdict.hoursToExhaustion)
            ? `, limit reached in ${verdict.hoursToExhaustion.toFixed(1)} h`
            : '') +
          ` (${verdict.reason})`;
    try {
      this.#o.logger?.emit({
        eventName: 'sightline.memory.leak.verdict',
        severityNumber: verdict.severity === 'none' ? SeverityNumber.INFO : SeverityNumber.WARN,
        severityText: verdict.severity === 'none' ? 'INFO' : 'WARN',
        body: text,
        attributes,
      });
      const span = this.#o.tracer?.startSpan('sightline.memory.leak_verdict', {
        root: true,
        attributes: { [POOL]: pool },
      });
      span?.addEvent('sightline.memory.leak.verdict_changed', attributes);
      span?.end();
    } catch (error) {
      diag.warn(`sightline: could not record a memory verdict: ${(error as Error)?.message}`);
    }
    for (const listener of this.#listeners) {
      try {
        listener(verdict);
      } catch (error) {
        diag.warn(
          `sightline: a memory verdict listener threw: ${(error as Error)?.message ?? error}`,
        );
      }
    }
  }

  #registerGauges(meter: Meter): void {
    const growth = meter.createObservableGauge('sightline.memory.leak.growth_rate', {
      description: 'Theil-Sen growth rate of the memory pool over the deciding window.',
      unit: 'By/h',
    });
    const severity = meter.createObservableGauge('sightline.memory.leak.severity', {
      description: 'Leak verdict: 0 none, 1 low, 2 medium, 3 high, 4 critical.',
      unit: '1',
    });
    const exhaustion = meter.createObservableGauge('sightline.memory.leak.time_to_exhaustion', {
      description: 'Time until the pool reaches its limit at the current growth, when growing.',
      unit: 's',
    });
    const observables = [growth, severity, exhaustion];
    const callback = (result: import('@opentelemetry/api').BatchObservableResult) => {
      for (const { pool, assessment } of this.pools) {
        const attributes = { [POOL]: pool };
        result.observe(severity, SEVERITIES.indexOf(assessment?.severity ?? 'none'), attributes);
        if (!assessment) continue;
        result.observe(growth, assessment.growthBytesPerHour, attributes);
        if (Number.isFinite(assessment.hoursToExhaustion))
          result.observe(exhaustion, assessment.hoursToExhaustion * 3600, attributes);
      }
    };
    meter.addBatchObservableCallback(callback, observables);
    this.#stops.push(() => meter.removeBatchObservableCallback(callback, observables));
  }

  /** Stops the timer, the GC observer and the gauges. */
  stop(): void {
    for (const stop of this.#stops.splice(0)) {
      try {
        stop();
      } catch {
        // Nothing to do: stopping is best effort.
      }
    }
  }
}
