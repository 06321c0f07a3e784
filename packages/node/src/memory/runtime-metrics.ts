import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { BatchObservableResult, Histogram, Meter, Observable } from '@opentelemetry/api';
import type { GcEvent } from './gc-observer.js';
import type { MemorySampleSource } from './memory-reading.js';

const SPACE = 'v8js.heap.space.name';

/** What the runtime metrics need from the monitor: the latest post-GC heap floor. */
export interface RuntimeMetricsInputs {
  source: MemorySampleSource;
  /** The heap use after the most recent major GC, bytes; undefined before the first. */
  heapUsedAfterGc(): number | undefined;
}

/** The registered runtime instruments; `recordGc` feeds the GC histogram, `stop` unregisters. */
export interface RuntimeMetrics {
  recordGc(event: GcEvent): void;
  stop(): void;
}

/**
 * Registers the runtime gauges under their semantic-convention names and instrument types, plus
 * Sightline's own `sightline.memory.*`. Everything but the GC histogram is observable: the values are
 * read when a metric reader collects, never on the host's hot path.
 */
export function registerRuntimeMetrics(meter: Meter, inputs: RuntimeMetricsInputs): RuntimeMetrics {
  const bytes = (name: string, description: string) =>
    meter.createObservableUpDownCounter(name, { description, unit: 'By' });
  const gauge = (name: string, description: string, unit: string) =>
    meter.createObservableGauge(name, { description, unit });

  const rss = bytes('process.memory.usage', 'The amount of physical memory in use (RSS).');
  const heapUsed = bytes('v8js.memory.heap.used', 'Heap memory used, per heap space.');
  const heapLimit = bytes('v8js.memory.heap.limit', 'Heap space size reserved, per heap space.');
  const available = bytes('v8js.memory.heap.space.available_size', 'Heap space available size.');
  const physical = bytes('v8js.memory.heap.space.physical_size', 'Committed size of a heap space.');
  const external = gauge(
    'sightline.memory.external',
    'Memory of C++ objects bound to JS objects.',
    'By',
  );
  const arrayBuffers = gauge(
    'sightline.memory.array_buffers',
    'Memory of ArrayBuffers and SharedArrayBuffers.',
    'By',
  );
  const limit = gauge(
    'sightline.memory.heap.limit',
    "V8's heap size limit: where the heap runs out.",
    'By',
  );
  const afterGc = gauge(
    'sightline.memory.heap.used_after_gc',
    'Heap used right after the latest major GC.',
    'By',
  );
  const memoryObservables: Observable[] = [
    rss,
    heapUsed,
    heapLimit,
    available,
    physical,
    external,
    arrayBuffers,
    limit,
    afterGc,
  ];
  const readMemory = (result: BatchObservableResult) => {
    try {
      const reading = inputs.source.read();
      result.observe(rss, reading.rss);
      result.observe(external, reading.external);
      result.observe(arrayBuffers, reading.arrayBuffers);
      result.observe(limit, reading.heapLimit);
      const floor = inputs.heapUsedAfterGc();
      if (floor !== undefined) result.observe(afterGc, floor);
      for (const space of inputs.source.heapSpaces()) {
        const attributes = { [SPACE]: space.space_name };
        result.observe(heapUsed, space.space_used_size, attributes);
        result.observe(heapLimit, space.space_size, attributes);
        result.observe(available, space.space_available_size, attributes);
        result.observe(physical, space.physical_space_size, attributes);
      }
    } catch {
      // A failed reading skips this collection; telemetry never throws into the host.
    }
  };
  meter.addBatchObservableCallback(readMemory, memoryObservables);

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const delayGauges = {
    min: gauge('nodejs.eventloop.delay.min', 'Event loop minimum delay.', 's'),
    max: gauge('nodejs.eventloop.delay.max', 'Event loop maximum delay.', 's'),
    mean: gauge('nodejs.eventloop.delay.mean', 'Event loop mean delay.', 's'),
    stddev: gauge('nodejs.eventloop.delay.stddev', 'Event loop standard deviation delay.', 's'),
    p50: gauge('nodejs.eventloop.delay.p50', 'Event loop 50 percentile delay.', 's'),
    p90: gauge('nodejs.eventloop.delay.p90', 'Event loop 90 percentile delay.', 's'),
    p99: gauge('nodejs.eventloop.delay.p99', 'Event loop 99 percentile delay.', 's'),
  };
  const utilization = gauge('nodejs.eventloop.utilization', 'Event loop utilization.', '1');
  let lastElu = performance.eventLoopUtilization();
  const readEventLoop = (result: BatchObservableResult) => {
    try {
      // The histogram is in ns; it is reset so each collection reports its own interval.
      if (delay.count > 0) {
        const s = (ns: number) => ns / 1e9;
        result.observe(delayGauges.min, s(delay.min));
        result.observe(delayGauges.max, s(delay.max));
        result.observe(delayGauges.mean, s(delay.mean));
        result.observe(delayGauges.stddev, s(delay.stddev));
        result.observe(delayGauges.p50, s(delay.percentile(50)));
        result.observe(delayGauges.p90, s(delay.percentile(90)));
        result.observe(delayGauges.p99, s(delay.percentile(99)));
        delay.reset();
      }
      const now = performance.eventLoopUtilization();
      result.observe(utilization, performance.eventLoopUtilization(now, lastElu).utilization);
      lastElu = now;
    } catch {
      // Skipped for this collection.
    }
  };
  const eventLoopObservables = [...Object.values(delayGauges), utilization];
  meter.addBatchObservableCallback(readEventLoop, eventLoopObservables);

  const gcDuration: Histogram = meter.createHistogram('v8js.gc.duration', {
    description: 'Garbage collection duration.',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.01, 0.1, 1, 10] },
  });

  return {
    recordGc(event) {
      gcDuration.record(event.durationSeconds, { 'v8js.gc.type': event.type });
    },
    stop() {
      meter.removeBatchObservableCallback(readMemory, memoryObservables);
      meter.removeBatchObservableCallback(readEventLoop, eventLoopObservables);
      delay.disable();
    },
  };
}
