import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axisTicks } from './time-axis.js';

describe('time axis ticks', () => {
  it('uses round 1-2-5 steps from zero', () => {
    assert.deepEqual(axisTicks(100, 5), [0, 20, 40, 60, 80, 100]);
    assert.deepEqual(axisTicks(7, 6), [0, 2, 4, 6]);
    assert.deepEqual(axisTicks(0.3, 3), [0, 0.1, 0.2, 0.3]);
  });
  it('returns one tick for an empty or invalid span', () => {
    assert.deepEqual(axisTicks(0), [0]);
    assert.deepEqual(axisTicks(Number.NaN), [0]);
  });
});
