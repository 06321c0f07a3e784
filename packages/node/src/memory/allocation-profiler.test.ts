import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { efficiencyScore } from './allocation-efficiency.js';
import { AllocationProfiler, objectSize } from './allocation-profiler.js';
import { currentComponent, withComponent } from './component-context.js';
import { sizeClassOf } from './size-classes.js';

function allocateRows(n: number): unknown[] {
  const rows = [];
  for (let i = 0; i < n; i++) rows.push({ id: i, name: `row ${i}`, values: new Array(8).fill(i) });
  return rows;
}

function allocateBlobs(n: number): unknown[] {
  const blobs = [];
  for (let i = 0; i < n; i++) blobs.push(new Array(4096).fill(i));
  return blobs;
}

describe('allocation profiler', () => {
  it('attributes sampled allocations to sites, size classes and components', () => {
    const profiler = new AllocationProfiler({ samplingIntervalBytes: 8192 });
    assert.equal(profiler.start(), true);
    try {
      for (let i = 0; i < 20; i++) withComponent('rows', () => allocateRows(2000));
      withComponent('blobs', () => allocateBlobs(200));
      profiler.collect();
      const totals = profiler.totals();
      assert.ok(totals.totalBytes > 0 && totals.samples > 0);
      const names = totals.sites.slice(0, 10).map((s) => s.functionName);
      assert.ok(names.includes('allocateRows'), names.join(','));
      const rows = totals.sites.find((s) => s.functionName === 'allocateRows');
      assert.match(rows?.file ?? '', /allocation-profiler\.test\.js$/);
      assert.ok((rows?.line ?? 0) > 0);
      assert.ok((totals.components.rows ?? 0) > 0, JSON.stringify(totals.components));
      assert.ok((totals.components.blobs ?? 0) > 0, JSON.stringify(totals.components));
      // 4096 doubles are 32 KiB: large; the row objects are small.
      assert.ok(totals.sizeClasses.large.samples > 0, JSON.stringify(totals.sizeClasses));
      assert.ok(totals.sizeClasses.tiny.samples + totals.sizeClasses.small.samples > 0);
    } finally {
      profiler.stop();
    }
    assert.equal(profiler.running, false);
  });

  it('keeps the component label across awaits', async () => {
    await withComponent('worker', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(currentComponent(), 'worker');
    });
    assert.equal(currentComponent(), undefined);
  });
});

describe('efficiency score and size classes', () => {
  it('is (1 - retained/allocated) x (1 - gc/wall)', () => {
    const score = efficiencyScore({
      allocatedBytes: 1e9,
      retainedBytes: 1e8,
      gcSeconds: 3,
      wallSeconds: 60,
    });
    assert.ok(Math.abs(score - 0.9 * 0.95) < 1e-12);
    assert.equal(
      efficiencyScore({ allocatedBytes: 0, retainedBytes: 5, gcSeconds: 0, wallSeconds: 0 }),
      1,
    );
    assert.equal(
      efficiencyScore({ allocatedBytes: 1, retainedBytes: 5, gcSeconds: 9, wallSeconds: 1 }),
      0,
    );
  });

  it("inverts V8's sample scaling to recover object sizes", () => {
    for (const size of [16, 64, 4096, 100_000]) {
      const scaled = size / -Math.expm1(-size / 8192);
      assert.ok(Math.abs(objectSize(scaled, 8192) - size) < 0.01 * size + 0.5, `${size}`);
    }
  });

  it('classes allocations by size', () => {
    assert.equal(sizeClassOf(16), 'tiny');
    assert.equal(sizeClassOf(64), 'small');
    assert.equal(sizeClassOf(2048), 'medium');
    assert.equal(sizeClassOf(32 * 1024), 'large');
    assert.equal(sizeClassOf(2 ** 20), 'huge');
  });
});
