import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutServiceMap } from './map-layout.js';

describe('service map layout', () => {
  it('puts callers left of callees by call depth', () => {
    const layout = layoutServiceMap(
      ['frontend', 'checkout', 'payments', 'db'],
      [
        { source: 'frontend', target: 'checkout' },
        { source: 'checkout', target: 'payments' },
        { source: 'frontend', target: 'payments' },
        { source: 'payments', target: 'db' },
      ],
    );
    const col = Object.fromEntries(layout.nodes.map((n) => [n.service, n.column]));
    assert.deepEqual(col, { frontend: 0, checkout: 1, payments: 2, db: 3 });
  });
  it('terminates on call cycles and places every service once', () => {
    const layout = layoutServiceMap(
      ['a', 'b', 'c'],
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'a' },
        { source: 'b', target: 'c' },
      ],
    );
    assert.equal(layout.nodes.length, 3);
    assert.ok(layout.width > 0 && layout.height > 0);
  });
  it('stacks unconnected services in the first column', () => {
    const layout = layoutServiceMap(['x', 'y'], []);
    assert.deepEqual(
      layout.nodes.map((n) => [n.column, n.row]),
      [
        [0, 0],
        [0, 1],
      ],
    );
  });
});
