import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { relativeChange, sortComparison } from './run-compare.js';

describe('run comparison', () => {
  it('puts operations present in both runs first, then the busiest', () => {
    const ops = [
      { op: 'only-b', a: null, b: { count: 1000 } },
      { op: 'both-small', a: { count: 1 }, b: { count: 2 } },
      { op: 'both-big', a: { count: 30 }, b: { count: 13 } },
      { op: 'only-a', a: { count: 5 }, b: null },
    ];
    assert.deepEqual(
      sortComparison(ops).map((o) => o.op),
      ['both-big', 'both-small', 'only-b', 'only-a'],
    );
  });
  it('states the relative change with a sign', () => {
    assert.equal(relativeChange(20, 30), '+50%');
    assert.equal(relativeChange(30, 13), '-57%');
    assert.equal(relativeChange(10, 10), '±0%');
    assert.equal(relativeChange(0, 5), '');
    assert.equal(relativeChange(null, 5), '');
  });
});

describe('relative change near zero', () => {
  it('says ±0% for changes that round to zero either way', () => {
    assert.equal(relativeChange(1000, 1004), '±0%');
    assert.equal(relativeChange(1000, 996), '±0%');
  });
});
