import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { criticalPath } from './critical-path.js';
import { buildSpanTree, type SpanLike } from './span-tree.js';

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

const segmentsOf = (spans: SpanLike[]) =>
  criticalPath(buildSpanTree(spans))
    .segments.map((s) => `${s.spanId}:${s.startMs}-${s.endMs}`)
    .sort();

describe('critical path', () => {
  it('follows sequential children and gives the parent the gaps', () => {
    // root 0-100; a 10-40; b 50-90 (sequential)
    assert.deepEqual(
      segmentsOf([span('root', '', 0, 100), span('a', 'root', 10, 30), span('b', 'root', 50, 40)]),
      ['a:10-40', 'b:50-90', 'root:0-10', 'root:40-50', 'root:90-100'],
    );
  });

  it('takes the child that finished last among parallel children', () => {
    // a 0-30 and b 0-80 in parallel: b decides the end; a is not on the path
    const path = criticalPath(
      buildSpanTree([span('root', '', 0, 100), span('a', 'root', 0, 30), span('b', 'root', 0, 80)]),
    );
    assert.ok(path.spanIds.has('b'));
    assert.ok(!path.spanIds.has('a'));
    assert.ok(path.spanIds.has('root'));
  });

  it('goes down to the deepest last-finishing descendant', () => {
    const spans = [
      span('root', '', 0, 100),
      span('a', 'root', 10, 80),
      span('a1', 'a', 20, 10),
      span('a2', 'a', 40, 45),
    ];
    const path = criticalPath(buildSpanTree(spans));
    assert.deepEqual([...path.spanIds].sort(), ['a', 'a1', 'a2', 'root']);
    const total = path.segments.reduce((sum, s) => sum + (s.endMs - s.startMs), 0);
    assert.equal(total, 100, 'segments tile the root without overlap');
  });

  it('clips a child that outlives its parent (async work) to the parent end', () => {
    const segs = segmentsOf([span('root', '', 0, 50), span('late', 'root', 40, 100)]);
    assert.deepEqual(segs, ['late:40-50', 'root:0-40']);
  });

  it('handles a 20,000-deep chain', () => {
    const spans = [span('s0', '', 0, 40000)];
    for (let i = 1; i < 20000; i++) spans.push(span(`s${i}`, `s${i - 1}`, i, 40000 - 2 * i));
    const path = criticalPath(buildSpanTree(spans));
    assert.equal(path.spanIds.size, 20000);
  });
});
