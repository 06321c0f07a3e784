import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../test/support/seeded-random.js';
import { Arena } from '../arena.js';
import { nextSampleDistance, representedBytes } from './byte-sampler.js';

/** An arena whose sampler runs (spans flag on) with no tracer needed: stats().samples counts. */
function sampled(rate: number, seed: number): Arena {
  return new Arena({
    capacity: 1 << 24,
    telemetry: { spans: true, metrics: false, samplingRate: rate, random: seededRandom(seed) },
  });
}

describe('byte-based sampling', () => {
  it('draws distances with mean 1 / rate (geometric, like Go and V8)', () => {
    const random = seededRandom(1);
    for (const rate of [1 / 16, 1 / 1000, 2 ** -19]) {
      let total = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) total += nextSampleDistance(rate, random);
      const mean = total / n;
      // The sd of the mean is ≈ (1 / rate) / sqrt(n); allow 5 sd.
      assert.ok(Math.abs(mean * rate - 1) < 5 / Math.sqrt(n), `rate ${rate}: mean ${mean}`);
    }
    assert.equal(nextSampleDistance(1, random), 1);
    assert.equal(nextSampleDistance(0, random), Number.POSITIVE_INFINITY);
  });

  it('samples allocations at the rate it is set to, within 5 standard deviations', () => {
    for (const [rate, size] of [
      [1 / 256, 16],
      [1 / 4096, 100],
      [1 / 64, 1],
    ] as const) {
      const arena = sampled(rate, 42);
      const n = 200_000;
      for (let i = 0; i < n; i++) {
        if (arena.tryAlloc(size) === -1) arena.reset();
      }
      const p = 1 - (1 - rate) ** size; // P(an allocation holds a sampled byte)
      const expected = n * p;
      const sd = Math.sqrt(n * p * (1 - p));
      const { samples } = arena.stats();
      assert.ok(
        Math.abs(samples - expected) < 5 * sd,
        `rate ${rate}, size ${size}: ${samples} samples, expected ${expected.toFixed(0)} ± ${(5 * sd).toFixed(0)}`,
      );
      // Weighted by represented bytes, the samples estimate the bytes allocated.
      const estimate = samples * representedBytes(size, rate);
      assert.ok(Math.abs(estimate / (n * size) - 1) < (5 * sd) / expected, `estimate ${estimate}`);
    }
  });

  it('samples large allocations more often, in proportion to their bytes', () => {
    const rate = 1 / 10_000;
    const arena = sampled(rate, 9);
    const sizes = [8, 64, 4096];
    let expected = 0;
    let variance = 0;
    for (let i = 0; i < 150_000; i++) {
      const size = sizes[i % 3] as number;
      if (arena.tryAlloc(size) === -1) arena.reset();
      const p = 1 - (1 - rate) ** size;
      expected += p;
      variance += p * (1 - p);
    }
    const { samples } = arena.stats();
    assert.ok(Math.abs(samples - expected) < 5 * Math.sqrt(variance), `${samples} vs ${expected}`);
  });

  it('changes rate at run time: 0 stops sampling at once, 1 samples every allocation', () => {
    const arena = sampled(2 ** -19, 3);
    arena.setSamplingRate(1);
    assert.equal(arena.samplingRate, 1);
    for (let i = 0; i < 100; i++) arena.alloc(8);
    assert.equal(arena.stats().samples, 100);
    arena.setSamplingRate(0);
    for (let i = 0; i < 10_000; i++) arena.alloc(8);
    assert.equal(arena.stats().samples, 100);
    assert.equal(arena.stats().bytesAllocated, 10_100 * 8); // the countdown still counts bytes
  });

  it('never samples when the spans flag is off, and still counts bytes', () => {
    const arena = new Arena({ telemetry: { spans: false, metrics: false, samplingRate: 1 } });
    for (let i = 0; i < 1000; i++) arena.alloc(24);
    assert.equal(arena.stats().samples, 0);
    assert.equal(arena.stats().bytesAllocated, 24_000);
  });
});
