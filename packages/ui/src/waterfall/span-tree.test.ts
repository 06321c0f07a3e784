import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ancestorIds, buildSpanTree, type SpanLike, visibleRows } from './span-tree.js';

const span = (
  spanId: string,
  parentSpanId: string,
  startMs: number,
  durationMs: number,
): SpanLike => ({
  spanId,
  parentSpanId,
  startMs,
  durationMs,
});

describe('span tree', () => {
  it('nests children under parents, sorted by start time', () => {
    const tree = buildSpanTree([span('c', 'a', 5, 1), span('a', '', 0, 10), span('b', 'a', 1, 2)]);
    assert.equal(tree.roots.length, 1);
    assert.deepEqual(
      tree.roots[0]?.children.map((n) => n.span.spanId),
      ['b', 'c'],
    );
    assert.equal(tree.roots[0]?.descendants, 2);
    assert.equal(tree.startMs, 0);
    assert.equal(tree.endMs, 10);
  });

  it('makes a span whose parent is missing a root marked orphan', () => {
    const tree = buildSpanTree([span('a', '', 0, 10), span('x', 'gone', 2, 1)]);
    assert.deepEqual(
      tree.roots.map((n) => [n.span.spanId, n.orphan]),
      [
        ['a', false],
        ['x', true],
      ],
    );
  });

  it('survives parent cycles and duplicate ids', () => {
    const tree = buildSpanTree([span('a', 'b', 0, 1), span('b', 'a', 1, 1), span('a', '', 5, 1)]);
    assert.equal(tree.byId.size, 2);
    const rows = visibleRows(tree, new Set());
    assert.deepEqual(rows.map((r) => r.node.span.spanId).sort(), ['a', 'b']);
  });

  it('handles a 20,000-deep chain without recursion', () => {
    const spans = [span('s0', '', 0, 20000)];
    for (let i = 1; i < 20000; i++) spans.push(span(`s${i}`, `s${i - 1}`, i, 20000 - i));
    const tree = buildSpanTree(spans);
    const rows = visibleRows(tree, new Set());
    assert.equal(rows.length, 20000);
    assert.equal(rows[19999]?.depth, 19999);
    assert.equal(ancestorIds(tree, 's19999').length, 20000);
  });

  it('hides the subtree of a collapsed span and reports it collapsed', () => {
    const tree = buildSpanTree([
      span('a', '', 0, 10),
      span('b', 'a', 1, 5),
      span('c', 'b', 2, 1),
      span('d', 'a', 7, 1),
    ]);
    const rows = visibleRows(tree, new Set(['b']));
    assert.deepEqual(
      rows.map((r) => r.node.span.spanId),
      ['a', 'b', 'd'],
    );
    assert.equal(rows[1]?.collapsed, true);
    assert.equal(rows[2]?.collapsed, false);
  });

  it('lists the ancestors to expand to reveal a span', () => {
    const tree = buildSpanTree([span('a', '', 0, 10), span('b', 'a', 1, 5), span('c', 'b', 2, 1)]);
    assert.deepEqual(ancestorIds(tree, 'c'), ['a', 'b', 'c']);
    assert.deepEqual(ancestorIds(tree, 'nope'), []);
  });
});
