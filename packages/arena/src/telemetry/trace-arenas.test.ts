import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { inMemorySdk } from '../../test/support/in-memory-sdk.js';
import { Arena } from '../arena.js';
import { traceArenas } from './trace-arenas.js';

const sdk = inMemorySdk();
after(() => sdk.shutdown());

describe('distributed tracing over several arenas', () => {
  it('records one trace: the operation span with one child span per arena', () => {
    const telemetry = {
      tracerProvider: sdk.tracerProvider,
      metrics: false,
      distributed: true,
      spans: true,
      samplingRate: 1,
    };
    const headers = new Arena({ name: 'headers', telemetry });
    const bodies = new Arena({ name: 'bodies', telemetry });
    const plain = new Arena({ name: 'plain', telemetry: { ...telemetry, distributed: false } });
    {
      using op = traceArenas('decode-batch', [headers, bodies, plain], { 'batch.size': 2 });
      op.run(() => {
        headers.alloc(16);
        bodies.alloc(100);
        bodies.alloc(100);
        assert.ok(trace.getActiveSpan(), 'run() makes the operation span active');
      });
    }
    const spans = sdk.spans();
    const root = spans.find((s) => s.name === 'decode-batch');
    assert.ok(root);
    assert.deepEqual(root.attributes, { 'batch.size': 2, 'sightline.arena.count': 2 });
    const children = spans.filter((s) => s.parentSpanContext?.spanId === root.spanContext().spanId);
    assert.deepEqual(children.map((s) => s.name).sort(), ['arena bodies', 'arena headers']);
    for (const child of children)
      assert.equal(child.spanContext().traceId, root.spanContext().traceId);
    const bodySpan = children.find((s) => s.name === 'arena bodies');
    assert.deepEqual(bodySpan?.attributes, {
      'sightline.arena.name': 'bodies',
      'sightline.arena.allocations': 2,
      'sightline.arena.allocated': 200,
      'sightline.arena.failures': 0,
      'sightline.arena.used': 204,
      'sightline.arena.capacity': 1 << 20,
    });
    // Each arena's sampled allocation spans nest under its own child span.
    const allocs = spans.filter(
      (s) =>
        s.name === 'sightline.arena.alloc' && s.attributes['sightline.arena.name'] === 'bodies',
    );
    assert.equal(allocs.length, 2);
    for (const a of allocs)
      assert.equal(a.parentSpanContext?.spanId, bodySpan?.spanContext().spanId);
  });

  it('is a no-op when no arena takes part', () => {
    const arena = new Arena({ name: 'solo', telemetry: false });
    const before = sdk.spans().length;
    const op = traceArenas('nothing', [arena]);
    assert.equal(
      op.run(() => 7),
      7,
    );
    op.end();
    assert.equal(sdk.spans().length, before);
  });
});
