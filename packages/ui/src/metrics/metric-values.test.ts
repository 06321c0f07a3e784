import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointValue, statsFor } from './metric-values.js';

describe('metric values', () => {
  it('offers rate first for cumulative counters and percentiles for histograms', () => {
    assert.equal(statsFor('sum', 2, true)[0], 'rate');
    assert.equal(statsFor('sum', 1, true)[0], 'avg');
    assert.equal(statsFor('gauge', null, null)[0], 'avg');
    assert.equal(statsFor('histogram', 2, null)[0], 'p50');
  });
  it('picks the value for a statistic', () => {
    assert.equal(pointValue('gauge', 'max', { tMs: 0, count: 1, max: 3 }, undefined), 3);
    assert.equal(pointValue('histogram', 'p95', { tMs: 0, count: 1, p95: 7 }, undefined), 7);
    assert.equal(pointValue('histogram', 'avg', { tMs: 0, count: 4, sum: 10 }, undefined), 2.5);
    assert.equal(
      pointValue(
        'summary',
        'p99',
        {
          tMs: 0,
          count: 1,
          quantiles: [
            { quantile: 0.5, value: 1 },
            { quantile: 0.99, value: 9 },
          ],
        },
        undefined,
      ),
      9,
    );
    assert.equal(
      pointValue(
        'sum',
        'rate',
        { tMs: 2000, count: 1, last: 30 },
        { tMs: 1000, count: 1, last: 10 },
      ),
      20,
    );
  });
});
