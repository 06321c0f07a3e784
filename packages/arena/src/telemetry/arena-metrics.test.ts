import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import { inMemorySdk } from '../../test/support/in-memory-sdk.js';
import { Arena } from '../arena.js';

const sdk = inMemorySdk();
after(() => sdk.shutdown());

/** name → attributes key → value, for every point. */
function table(metrics: MetricData[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const m of metrics) {
    const series: Record<string, number> = {};
    for (const p of m.dataPoints) series[JSON.stringify(p.attributes)] = p.value as number;
    out[m.descriptor.name] = series;
  }
  return out;
}

describe('arena metrics', () => {
  it('reports every sightline.arena.* instrument per arena and zone at collection time', async () => {
    const arena = new Arena({
      name: 'metered',
      capacity: 1024,
      telemetry: { meterProvider: sdk.meterProvider },
    });
    const zone = arena.zone('hdr', 128);
    arena.alloc(1);
    arena.allocAligned(1, 64); // padding
    arena.tryAlloc(10_000); // failure
    zone.alloc(10);
    arena.reset();
    arena.alloc(100);
    const metrics = await sdk.collect();
    const names = metrics.map((m) => m.descriptor.name).sort();
    assert.deepEqual(names, [
      'sightline.arena.allocated',
      'sightline.arena.allocations',
      'sightline.arena.capacity',
      'sightline.arena.failures',
      'sightline.arena.fragmentation',
      'sightline.arena.high_water_mark',
      'sightline.arena.resets',
      'sightline.arena.used',
    ]);
    const units = Object.fromEntries(metrics.map((m) => [m.descriptor.name, m.descriptor.unit]));
    assert.equal(units['sightline.arena.capacity'], 'By');
    assert.equal(units['sightline.arena.fragmentation'], '1');
    const t = table(metrics);
    const a = JSON.stringify({ 'sightline.arena.name': 'metered' });
    const z = JSON.stringify({ 'sightline.arena.name': 'metered', 'sightline.arena.zone': 'hdr' });
    // Parent: zone reservation (128 at 0) + 1 + 1 at 192 → used 193 before reset; then 100.
    assert.deepEqual(
      Object.fromEntries(Object.entries(t).map(([name, series]) => [name, series[a]])),
      {
        'sightline.arena.capacity': 1024,
        'sightline.arena.used': 100,
        'sightline.arena.high_water_mark': 193,
        'sightline.arena.fragmentation': 0,
        'sightline.arena.allocations': 4,
        'sightline.arena.allocated': 230,
        'sightline.arena.resets': 1,
        'sightline.arena.failures': 1,
      },
    );
    assert.deepEqual(
      Object.fromEntries(Object.entries(t).map(([name, series]) => [name, series[z]])),
      {
        'sightline.arena.capacity': 128,
        'sightline.arena.used': 10,
        'sightline.arena.high_water_mark': 10,
        'sightline.arena.fragmentation': 0,
        'sightline.arena.allocations': 1,
        'sightline.arena.allocated': 10,
        'sightline.arena.resets': 0,
        'sightline.arena.failures': 0,
      },
    );
  });

  it('reports fragmentation as (used - live) / used, summed over arenas sharing a name', async () => {
    const one = new Arena({
      name: 'shared-name',
      capacity: 256,
      telemetry: { meterProvider: sdk.meterProvider },
    });
    const two = new Arena({
      name: 'shared-name',
      capacity: 256,
      telemetry: { meterProvider: sdk.meterProvider },
    });
    one.alloc(1);
    one.allocAligned(1, 64); // used 65, live 2
    two.alloc(35); // used 35, live 35
    const t = table(await sdk.collect());
    const key = JSON.stringify({ 'sightline.arena.name': 'shared-name' });
    assert.equal(t['sightline.arena.capacity']?.[key], 512);
    assert.equal(t['sightline.arena.used']?.[key], 100);
    assert.equal(t['sightline.arena.fragmentation']?.[key], (100 - 37) / 100);
  });

  it('stops reporting a closed arena', async () => {
    const arena = new Arena({ name: 'closing', telemetry: { meterProvider: sdk.meterProvider } });
    arena.alloc(8);
    const key = JSON.stringify({ 'sightline.arena.name': 'closing' });
    assert.equal(table(await sdk.collect())['sightline.arena.used']?.[key], 8);
    arena.close();
    arena.alloc(8);
    // The SDK may repeat the last cumulative point, but the closed arena is no longer read.
    assert.notEqual(table(await sdk.collect())['sightline.arena.used']?.[key], 16);
  });
});
