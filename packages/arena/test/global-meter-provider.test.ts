import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { Arena, bindArenaMetrics } from '../src/index.js';

/** The arena names that have a sightline.arena.used point in one collection. */
async function reported(reader: PeriodicExportingMetricReader): Promise<string[]> {
  const { resourceMetrics } = await reader.collect();
  const used = resourceMetrics.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === 'sightline.arena.used');
  return (used?.dataPoints ?? []).map((p) => String(p.attributes['sightline.arena.name'])).sort();
}

describe('arenas and the global meter provider', () => {
  it('reports arenas created before the SDK once bindArenaMetrics() runs, and later ones at once', async () => {
    const early = new Arena({ name: 'early' }); // the global provider is still the no-op one
    early.alloc(8);
    const reader = new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      exportIntervalMillis: 3_600_000,
    });
    assert.ok(metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] })));
    assert.deepEqual(await reported(reader), []); // `early` bound only the no-op provider
    assert.equal(bindArenaMetrics(), true);
    assert.deepEqual(await reported(reader), ['early']);
    const late = new Arena({ name: 'late' });
    late.alloc(8);
    assert.equal(bindArenaMetrics(), true); // idempotent: no second set of instruments
    assert.deepEqual(await reported(reader), ['early', 'late']);
  });
});
