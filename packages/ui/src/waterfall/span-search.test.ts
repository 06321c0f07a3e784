import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchSpans, nextMatch } from './span-search.js';

const spans = [
  {
    spanId: 'a1',
    name: 'GET /checkout',
    service: 'frontend',
    attributes: { 'http.route': '/checkout' },
  },
  {
    spanId: 'b2',
    name: 'SELECT cart',
    service: 'checkout',
    attributes: { 'db.system': 'postgresql' },
  },
  { spanId: 'c3', name: 'charge', service: 'payments', attributes: { amount: 42 } },
];

describe('find in trace', () => {
  it('matches names, services and attributes, ignoring case', () => {
    assert.deepEqual([...matchSpans(spans, 'CHECKOUT')].sort(), ['a1', 'b2']);
    assert.deepEqual([...matchSpans(spans, 'postgres')], ['b2']);
    assert.deepEqual([...matchSpans(spans, '42')], ['c3']);
    assert.deepEqual([...matchSpans(spans, 'db.system')], ['b2']);
  });
  it('matches nothing for empty text', () => {
    assert.equal(matchSpans(spans, '  ').size, 0);
  });
});

describe('next match', () => {
  it('steps forward and wraps around', () => {
    const order = ['a', 'b', 'c', 'd'];
    const wanted = (id: string) => id === 'b' || id === 'd';
    assert.equal(nextMatch(order, 'b', wanted), 'd');
    assert.equal(nextMatch(order, 'd', wanted), 'b');
    assert.equal(nextMatch(order, undefined, wanted), 'b');
    assert.equal(
      nextMatch(order, 'a', () => false),
      undefined,
    );
  });
});
