import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { init } from '../src/index.js';
import {
  getMemoryTelemetry,
  type LeakVerdict,
  type MemoryReading,
  type MemorySampleSource,
  startMemoryTelemetry,
  withComponent,
} from '../src/memory/index.js';
import { type ReceivedMetric, startOtlpReceiver } from './support/otlp-receiver.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Name → [OTLP type, unit, an attribute every point must carry]. */
const EXPECTED: Record<string, [ReceivedMetric['type'], string, string?]> = {
  'process.memory.usage': ['sum', 'By'],
  'v8js.memory.heap.used': ['sum', 'By', 'v8js.heap.space.name'],
  'v8js.memory.heap.limit': ['sum', 'By', 'v8js.heap.space.name'],
  'v8js.memory.heap.space.available_size': ['sum', 'By', 'v8js.heap.space.name'],
  'v8js.memory.heap.space.physical_size': ['sum', 'By', 'v8js.heap.space.name'],
  'v8js.gc.duration': ['histogram', 's', 'v8js.gc.type'],
  'nodejs.eventloop.delay.min': ['gauge', 's'],
  'nodejs.eventloop.delay.max': ['gauge', 's'],
  'nodejs.eventloop.delay.mean': ['gauge', 's'],
  'nodejs.eventloop.delay.stddev': ['gauge', 's'],
  'nodejs.eventloop.delay.p50': ['gauge', 's'],
  'nodejs.eventloop.delay.p90': ['gauge', 's'],
  'nodejs.eventloop.delay.p99': ['gauge', 's'],
  'nodejs.eventloop.utilization': ['gauge', '1'],
  'sightline.memory.external': ['gauge', 'By'],
  'sightline.memory.array_buffers': ['gauge', 'By'],
  'sightline.memory.heap.limit': ['gauge', 'By'],
  'sightline.memory.heap.used_after_gc': ['gauge', 'By'],
  'sightline.memory.leak.growth_rate': ['gauge', 'By/h', 'sightline.memory.pool'],
  'sightline.memory.leak.severity': ['gauge', '1', 'sightline.memory.pool'],
  'sightline.memory.allocation.bytes': ['sum', 'By'],
  'sightline.memory.allocation.site.bytes': ['sum', 'By', 'code.function.name'],
  'sightline.memory.allocation.size_class.bytes': ['sum', 'By', 'sightline.memory.size_class'],
  'sightline.memory.allocation.component.bytes': ['sum', 'By', 'sightline.component'],
  'sightline.memory.allocation.efficiency': ['gauge', '1'],
};

function allocateGarbage(rounds: number): number {
  let kept = 0;
  for (let r = 0; r < rounds; r++) {
    const list = [];
    for (let i = 0; i < 5000; i++)
      list.push({ i, text: `row-${i}-${r}`, cells: new Array(16).fill(i) });
    kept += list.length;
  }
  return kept;
}

describe('memory telemetry through init()', () => {
  it('exports the runtime, leak and allocation metrics with their names, types and units', async () => {
    const receiver = await startOtlpReceiver();
    const sightline = init({
      otlp: { endpoint: receiver.httpUrl },
      traces: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      metrics: { exportIntervalMillis: 300 },
      memory: {
        enabled: true,
        intervalMillis: 100,
        profiler: { samplingIntervalBytes: 16384, collectIntervalMillis: 1000 },
      },
      shutdown: { handleSignals: false },
    });
    try {
      assert.ok(getMemoryTelemetry(), 'init() started the memory telemetry');
      withComponent('report-builder', () => allocateGarbage(20));
      gc();
      await new Promise((resolve) => setTimeout(resolve, 250));
      const byName = await receiver.waitFor(
        () => {
          const latest = new Map<string, ReceivedMetric>();
          for (const m of receiver.metrics) if (m.points.length > 0) latest.set(m.name, m);
          return Object.keys(EXPECTED).every((name) => latest.has(name)) && latest;
        },
        { timeoutMs: 15_000, what: 'every memory metric' },
      );
      for (const [name, [type, unit, attribute]] of Object.entries(EXPECTED)) {
        const metric = byName.get(name) as ReceivedMetric;
        assert.equal(metric.type, type, `${name} type`);
        assert.equal(metric.unit, unit, `${name} unit`);
        assert.equal(metric.scope.name, '@sightline/node/memory', `${name} scope`);
        if (attribute)
          for (const p of metric.points)
            assert.ok(attribute in p.attributes, `${name}: ${attribute}`);
        if (type === 'sum' && name.startsWith('sightline.memory.allocation'))
          assert.equal(metric.isMonotonic, true, `${name} is a monotonic counter`);
        if (type === 'sum' && !name.startsWith('sightline.memory.allocation'))
          assert.equal(metric.isMonotonic, false, `${name} is an up-down counter`);
      }
      const rss = byName.get('process.memory.usage')?.points[0]?.value ?? 0;
      assert.ok(rss > 10 * 2 ** 20, `rss ${rss}`);
      const gcTypes = byName
        .get('v8js.gc.duration')
        ?.points.map((p) => p.attributes['v8js.gc.type']);
      assert.ok(gcTypes?.includes('major'), `gc types ${gcTypes}`);
      const components = byName
        .get('sightline.memory.allocation.component.bytes')
        ?.points.map((p) => p.attributes['sightline.component']);
      assert.deepEqual(components, ['report-builder']);
      const sites = byName.get('sightline.memory.allocation.site.bytes')?.points ?? [];
      // Each collection observes only the top 10; with cumulative temporality the SDK keeps exporting
      // a site that dropped out of the top 10 with its last value, so allow for early churn.
      assert.ok(sites.length > 0 && sites.length <= 30, `top-N sites: ${sites.length}`);
    } finally {
      await sightline.shutdown();
      await receiver.stop();
    }
    assert.equal(getMemoryTelemetry(), undefined, 'shutdown() stopped the memory telemetry');
  });

  it('is turned on by SIGHTLINE_MEMORY=on', async () => {
    process.env.SIGHTLINE_MEMORY = 'on';
    process.env.SIGHTLINE_MEMORY_PROFILER = 'off';
    const sightline = init({
      traces: { exporters: ['none'] },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    try {
      const memory = getMemoryTelemetry();
      assert.ok(memory, 'started from the environment');
      assert.equal(memory.profiler, undefined, 'SIGHTLINE_MEMORY_PROFILER=off');
    } finally {
      delete process.env.SIGHTLINE_MEMORY;
      delete process.env.SIGHTLINE_MEMORY_PROFILER;
      await sightline.shutdown();
    }
    assert.equal(getMemoryTelemetry(), undefined);
  });

  it('is off by default', async () => {
    const sightline = init({
      traces: { exporters: ['none'] },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    try {
      assert.equal(sightline.config.memory.enabled, false);
      assert.equal(getMemoryTelemetry(), undefined);
    } finally {
      await sightline.shutdown();
    }
  });
});

/** A process whose heap floor grows `bytesPerHour`, read through an injected source and clock. */
function leakingSource(bytesPerHour: number, clock: { now: number }): MemorySampleSource {
  return {
    read(): MemoryReading {
      const heapUsed = 100 * 2 ** 20 + (bytesPerHour * clock.now) / 3_600_000;
      return {
        rss: heapUsed + 50 * 2 ** 20,
        heapUsed,
        heapTotal: heapUsed * 1.2,
        heapPhysical: heapUsed * 1.2,
        external: 2 ** 20,
        arrayBuffers: 0,
        heapLimit: 2 * 2 ** 30,
      };
    },
    availableMemory: () => 8 * 2 ** 30,
    heapSpaces: () => [],
  };
}

describe('leak verdicts', () => {
  it('reach the callback, a log record and a span event on each change of verdict', async () => {
    const receiver = await startOtlpReceiver();
    const sightline = init({
      otlp: { endpoint: receiver.httpUrl },
      metrics: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
    const clock = { now: 0 };
    const verdicts: LeakVerdict[] = [];
    const memory = startMemoryTelemetry({
      meterProvider: sightline.meterProvider,
      tracerProvider: sightline.tracerProvider,
      loggerProvider: sightline.loggerProvider,
      source: leakingSource(200e6, clock),
      clock: () => clock.now,
      observeGc: false,
      profiler: false,
      intervalMillis: 0,
      detector: { warmupMillis: 0 },
      onVerdict: (v) => verdicts.push(v),
    });
    try {
      // Four hours of readings every 30 s, each after a (simulated) major GC.
      for (clock.now = 30_000; clock.now <= 4 * 3_600_000; clock.now += 30_000) {
        memory.monitor.recordMajorGc();
        memory.tick();
      }
      const heap = verdicts.filter((v) => v.pool === 'heap');
      assert.ok(heap.length >= 1, JSON.stringify(verdicts));
      const first = heap[0] as LeakVerdict;
      assert.equal(first.previousSeverity, 'none');
      assert.notEqual(first.severity, 'none');
      assert.ok(Math.abs(first.growthBytesPerHour - 200e6) < 20e6, `${first.growthBytesPerHour}`);
      assert.ok(Number.isFinite(first.hoursToExhaustion));
      assert.equal(
        memory.report().leaks.find((l) => l.pool === 'heap')?.severity,
        heap.at(-1)?.severity,
      );

      await sightline.flush();
      const log = await receiver.waitFor(() =>
        receiver.logs.find((l) => l.eventName === 'sightline.memory.leak.verdict'),
      );
      assert.equal(log.attributes['sightline.memory.pool'], 'heap');
      assert.equal(log.attributes['sightline.memory.leak.severity'], first.severity);
      assert.equal(log.severityText, 'WARN');
      const span = await receiver.waitFor(() =>
        receiver.spans.find((s) => s.name === 'sightline.memory.leak_verdict'),
      );
      assert.equal(span.events[0]?.name, 'sightline.memory.leak.verdict_changed');
      assert.equal(span.events[0]?.attributes['sightline.memory.leak.severity'], first.severity);
      const logs = receiver.logs.filter((l) => l.eventName === 'sightline.memory.leak.verdict');
      assert.equal(logs.length, verdicts.length, 'one log record per change of verdict');
    } finally {
      memory.stop();
      await sightline.shutdown();
      await receiver.stop();
    }
  });

  it('reports a steady process as not leaking, as JSON and as text', () => {
    const clock = { now: 0 };
    const memory = startMemoryTelemetry({
      source: leakingSource(0, clock),
      clock: () => clock.now,
      observeGc: false,
      intervalMillis: 0,
      detector: { warmupMillis: 0 },
    });
    try {
      for (clock.now = 30_000; clock.now <= 3_600_000; clock.now += 30_000) {
        memory.monitor.recordMajorGc();
        memory.tick();
      }
      const report = memory.report();
      assert.deepEqual(
        report.leaks.map((l) => l.severity),
        ['none', 'none', 'none'],
      );
      assert.equal(report.snapshots.count, 120);
      assert.ok(report.allocations, 'the profiler is on by default');
      assert.equal(report.allocations.samplingIntervalBytes, 512 * 1024);
      JSON.parse(JSON.stringify(report));
      const text = memory.reportText();
      for (const heading of [
        'Snapshots:',
        'Leak analysis:',
        'Top allocators:',
        'Size distribution:',
      ])
        assert.ok(text.includes(heading), `${heading} in\n${text}`);
    } finally {
      memory.stop();
    }
  });
});
