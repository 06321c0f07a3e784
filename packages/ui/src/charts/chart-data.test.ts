import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alignSeries, counterRate, seriesLabel } from './align-series.js';
import { heatmapFromPoints, mergeHeatmaps } from './heatmap-data.js';

describe('chart data', () => {
  it('aligns series with different bucket times, gaps as null', () => {
    const out = alignSeries(
      [
        {
          points: [
            { tMs: 1, v: 2 },
            { tMs: 3, v: 4 },
          ],
        },
        { points: [{ tMs: 2, v: 3 }] },
      ],
      (p) => p.v,
    );
    assert.deepEqual(out, {
      xs: [1, 2, 3],
      values: [
        [2, null, 4],
        [null, 3, null],
      ],
    });
  });
  it('computes counter rates and skips restarts', () => {
    assert.equal(counterRate({ tMs: 2000, last: 30 }, { tMs: 1000, last: 10 }), 20);
    assert.equal(counterRate({ tMs: 2000, last: 5 }, { tMs: 1000, last: 10 }), null);
    assert.equal(counterRate({ tMs: 2000, last: 5 }, undefined), null);
  });
  it('labels series by service and sorted attributes', () => {
    assert.equal(seriesLabel('api', { b: 2, a: 'x' }), 'api a=x b=2');
  });
  it('turns cumulative histograms into increments, resetting on a drop', () => {
    const map = heatmapFromPoints(
      [
        { tMs: 0, bounds: [1, 10], bucketCounts: [1, 1, 0] },
        { tMs: 1, bounds: [1, 10], bucketCounts: [3, 1, 2] },
        { tMs: 2, bounds: [1, 10], bucketCounts: [1, 0, 0] },
      ],
      2,
    );
    assert.deepEqual(map.counts, [
      [1, 1, 0],
      [2, 0, 2],
      [1, 0, 0],
    ]);
    assert.deepEqual(map.bounds, [1, 10, Number.POSITIVE_INFINITY]);
    assert.equal(map.max, 2);
  });
  it('merges heatmaps of several series by time', () => {
    const a = heatmapFromPoints([{ tMs: 0, bounds: [1], bucketCounts: [1, 2] }], 1);
    const b = heatmapFromPoints(
      [
        { tMs: 0, bounds: [1], bucketCounts: [3, 0] },
        { tMs: 5, bounds: [1], bucketCounts: [1, 1] },
      ],
      1,
    );
    const merged = mergeHeatmaps([a, b]);
    assert.deepEqual(merged.times, [0, 5]);
    assert.deepEqual(merged.counts, [
      [4, 2],
      [1, 1],
    ]);
  });
});
