import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mannKendall, median, normalCdf, theilSenSlope } from './trend-statistics.js';

describe('trend statistics', () => {
  it('Theil–Sen ignores outliers that break least squares', () => {
    const points = Array.from({ length: 20 }, (_, i) => ({ t: i, v: 2 * i }));
    (points[5] as { v: number }).v = 1e6;
    (points[15] as { v: number }).v = -1e6;
    assert.equal(theilSenSlope(points), 2);
  });

  it('Mann–Kendall: a monotone series is significant, a constant one is not', () => {
    const up = Array.from({ length: 30 }, (_, i) => ({ t: i, v: i }));
    const flat = Array.from({ length: 30 }, (_, i) => ({ t: i, v: 5 }));
    assert.equal(mannKendall(up, 1).s, (30 * 29) / 2);
    assert.ok(mannKendall(up, 1).pValue < 1e-6);
    assert.equal(mannKendall(flat, 0).pValue, 1);
  });

  it('inflates the variance for autocorrelated readings', () => {
    const wave = Array.from({ length: 60 }, (_, i) => ({ t: i, v: Math.sin(i / 8) }));
    assert.ok(mannKendall(wave, 0).autocorrelationFactor > 2);
  });

  it('normal CDF and median', () => {
    assert.ok(Math.abs(normalCdf(1.96) - 0.975) < 1e-4);
    assert.ok(Math.abs(normalCdf(-1) - 0.1587) < 1e-4);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
  });
});
