/**
 * End to end: the arena's spans and metrics through the official OTLP http/protobuf exporters into
 * the real in-process OTLP receiver of @sightline/node's tests, asserted exactly as docs/arena.md
 * documents them.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { Arena, traceArenas } from '../src/index.js';

// The receiver is test support of @sightline/node, built into its dist/ by the root `npm test`.
const RECEIVER = new URL('../../../node/dist/test/support/otlp-receiver.js', import.meta.url);

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  scope: { name: string; version: string };
}
interface Metric {
  name: string;
  unit: string;
  type: string;
  isMonotonic?: boolean;
  points: { attributes: Record<string, unknown>; value?: number }[];
}
interface Receiver {
  httpUrl: string;
  spans: Span[];
  metrics: Metric[];
  waitFor<T>(predicate: () => T | undefined | null | false, opts?: { what?: string }): Promise<T>;
  stop(): Promise<void>;
}

describe('arena telemetry over OTLP', () => {
  let receiver: Receiver;
  let tracerProvider: TracerProvider;
  let meterProvider: MeterProvider;
  let reader: PeriodicExportingMetricReader;

  before(async () => {
    assert.ok(
      existsSync(fileURLToPath(RECEIVER)),
      `${fileURLToPath(RECEIVER)} is missing: build @sightline/node first (npm run build -w @sightline/node)`,
    );
    const { startOtlpReceiver } = (await import(RECEIVER.href)) as {
      startOtlpReceiver: () => Promise<Receiver>;
    };
    receiver = await startOtlpReceiver();
    tracerProvider = new TracerProvider({
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ url: `${receiver.httpUrl}/v1/traces` }),
        }),
      ],
    });
    reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${receiver.httpUrl}/v1/metrics` }),
      exportIntervalMillis: 3_600_000,
    });
    meterProvider = new MeterProvider({ readers: [reader] });
  });

  after(async () => {
    await tracerProvider?.shutdown();
    await meterProvider?.shutdown();
    await receiver?.stop();
  });

  it('delivers allocation, pattern and distributed spans and every sightline.arena.* metric', async () => {
    const telemetry = { tracerProvider, meterProvider, samplingRate: 1, distributed: true };
    const arena = new Arena({
      name: 'e2e',
      capacity: 1024,
      telemetry: { ...telemetry, spans: true, patterns: true },
    });
    const other = new Arena({
      name: 'e2e-other',
      capacity: 256,
      telemetry: { ...telemetry, spans: false, events: true },
    });
    {
      using _op = traceArenas('e2e-operation', [arena, other]);
      using _p = arena.pattern('parse-request');
      arena.alloc(10);
      arena.alloc(100);
      other.alloc(30);
      other.tryAlloc(1000); // a failure: an event on this arena's child span
    }

    await tracerProvider.forceFlush();
    await reader.forceFlush();
    const spans = await receiver.waitFor(() => receiver.spans.length >= 5 && receiver.spans, {
      what: '5 spans',
    });
    const byName = new Map(spans.map((s) => [s.name, s]));
    const root = byName.get('e2e-operation');
    const child = byName.get('arena e2e');
    const otherChild = byName.get('arena e2e-other');
    const pattern = byName.get('parse-request');
    assert.ok(root && child && otherChild && pattern, `spans: ${spans.map((s) => s.name)}`);
    assert.equal(root.parentSpanId, '');
    assert.equal(child.parentSpanId, root.spanId);
    assert.equal(otherChild.parentSpanId, root.spanId);
    assert.equal(pattern.parentSpanId, child.spanId);
    const allocs = spans.filter((s) => s.name === 'sightline.arena.alloc');
    assert.equal(allocs.length, 2);
    for (const s of [...allocs, root, child, otherChild, pattern]) {
      assert.equal(s.traceId, root.traceId, `${s.name} is in the one trace`);
      assert.equal(s.scope.name, '@sightline/arena');
    }
    for (const a of allocs) assert.equal(a.parentSpanId, pattern.spanId);
    const size = (span: Span) => Number(span.attributes['sightline.arena.alloc.size']);
    assert.deepEqual(
      allocs.sort((a, b) => size(a) - size(b)).map((a) => a.attributes),
      [
        {
          'sightline.arena.name': 'e2e',
          'sightline.arena.alloc.size': 10,
          'sightline.arena.alloc.alignment': 8,
          'sightline.arena.alloc.outcome': 'ok',
          'sightline.arena.sampling.rate': 1,
          'sightline.arena.alloc.represented_bytes': 10,
          'sightline.arena.alloc.offset': 0,
        },
        {
          'sightline.arena.name': 'e2e',
          'sightline.arena.alloc.size': 100,
          'sightline.arena.alloc.alignment': 8,
          'sightline.arena.alloc.outcome': 'ok',
          'sightline.arena.sampling.rate': 1,
          'sightline.arena.alloc.represented_bytes': 100,
          'sightline.arena.alloc.offset': 16,
        },
      ],
    );
    assert.deepEqual(pattern.attributes, {
      'sightline.arena.name': 'e2e',
      'sightline.arena.pattern.name': 'parse-request',
      'sightline.arena.pattern.allocations': 2,
      'sightline.arena.pattern.bytes': 110,
      'sightline.arena.pattern.fingerprint':
        pattern.attributes['sightline.arena.pattern.fingerprint'],
      'sightline.arena.pattern.histogram': '16:1,128:1',
      'sightline.arena.pattern.changed': false,
    });
    assert.match(
      String(pattern.attributes['sightline.arena.pattern.fingerprint']),
      /^[0-9a-f]{8}$/,
    );
    assert.deepEqual(
      otherChild.events.map((e) => [e.name, e.attributes]),
      [
        [
          'sightline.arena.full',
          {
            'sightline.arena.alloc.size': 1000,
            'sightline.arena.used': 30,
            'sightline.arena.capacity': 256,
            'sightline.arena.name': 'e2e-other',
          },
        ],
      ],
    );
    assert.deepEqual(otherChild.attributes, {
      'sightline.arena.name': 'e2e-other',
      'sightline.arena.allocations': 1,
      'sightline.arena.allocated': 30,
      'sightline.arena.failures': 1,
      'sightline.arena.used': 30,
      'sightline.arena.capacity': 256,
    });

    const metrics = await receiver.waitFor(
      () => receiver.metrics.some((m) => m.name === 'sightline.arena.failures') && receiver.metrics,
      { what: 'arena metrics' },
    );
    const shape = Object.fromEntries(
      metrics
        .filter((m) => m.name.startsWith('sightline.arena.'))
        .map((m) => [
          m.name,
          `${m.type}${m.isMonotonic === undefined ? '' : m.isMonotonic ? ' monotonic' : ' non-monotonic'} ${m.unit}`,
        ]),
    );
    assert.deepEqual(shape, {
      'sightline.arena.capacity': 'sum non-monotonic By',
      'sightline.arena.used': 'sum non-monotonic By',
      'sightline.arena.high_water_mark': 'gauge By',
      'sightline.arena.fragmentation': 'gauge 1',
      'sightline.arena.allocations': 'sum monotonic {allocation}',
      'sightline.arena.allocated': 'sum monotonic By',
      'sightline.arena.resets': 'sum monotonic {reset}',
      'sightline.arena.failures': 'sum monotonic {failure}',
    });
    const value = (name: string, arenaName: string) =>
      metrics
        .find((m) => m.name === name)
        ?.points.find((p) => p.attributes['sightline.arena.name'] === arenaName)?.value;
    assert.equal(value('sightline.arena.allocations', 'e2e'), 2);
    assert.equal(value('sightline.arena.allocated', 'e2e'), 110);
    assert.equal(value('sightline.arena.used', 'e2e'), 116); // 10 at 0, 100 at 16
    assert.equal(value('sightline.arena.fragmentation', 'e2e'), (116 - 110) / 116);
    assert.equal(value('sightline.arena.failures', 'e2e-other'), 1);
    assert.equal(value('sightline.arena.capacity', 'e2e-other'), 256);
  });
});
